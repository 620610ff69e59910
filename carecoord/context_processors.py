from django.conf import settings

from carecoord import navigation


def shell(request):
    """What base.html needs: menu bar, school, the user's roles here."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {
        "main_menu": navigation.MainMenu(request),
        "current_school": request.school,
        # The words of the current school's type (groep/klas, leerkracht/mentor): accounts.words.
        "words": request.school.words if request.school else None,
        "current_role_labels": navigation.role_labels(request),
        "site_debug": settings.DEBUG,
    }
