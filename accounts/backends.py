from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Log in with e-mail address and password (case-insensitive address)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username:
            username = username.strip().lower()
        return super().authenticate(request, username=username, password=password, **kwargs)


def axes_username(request, credentials):
    """The key django-axes counts failures under: the address as typed, normalised,
    so 'Jan@School.nl' and 'jan@school.nl ' count as one."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()
