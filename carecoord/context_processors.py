from django.conf import settings

from carecoord import access, navigation


def shell(request):
    """What base.html needs: menu, school switcher, the user's roles here."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    from accounts.models import Role

    labels = dict(Role.choices)
    return {
        "nav_menu": navigation.cached_nav_menu(request),
        "user_schools": access.schools_of(user),
        "current_school": request.school,
        # The words of the current school's type (groep/klas, leerkracht/mentor): accounts.words.
        "words": request.school.words if request.school else None,
        "current_role_labels": sorted(str(labels.get(r, _partner_label(user))) for r in request.roles),
        "site_debug": settings.DEBUG,
    }


def _partner_label(user):
    return str(user.organisation) if user.organisation_id else "-"
