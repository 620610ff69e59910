def axes_username(request, credentials):
    """The key django-axes counts failures under: the address as typed, normalised,
    so 'Jan@School.nl' and 'jan@school.nl ' count as one.

    allauth's login form posts it as `login` and authenticates with `email`; the Django
    admin and older forms use `username`.
    """
    credentials = credentials or {}
    data = getattr(request, "POST", {}) if request is not None else {}
    username = (
        credentials.get("email") or credentials.get("username") or data.get("login") or data.get("username") or ""
    )
    return username.strip().lower()
