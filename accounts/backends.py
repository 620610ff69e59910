"""How a request finds its user: django-allauth's backend, reading the user's roles in the same
query (AuthenticationBackend), and the key django-axes counts failed sign-ins under."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend


class AuthenticationBackend(AllauthBackend):
    """allauth's backend (sign-in by address and password, unchanged), whose `get_user` (every
    request of a signed-in user) reads the user with their roles and schools in one query:
    every page asks for the roles next (carecoord.access), which cost a query of its own.
    Someone without a role at a school (a partner professional, a parent) is read as before."""

    def get_user(self, user_id):
        from carecoord.access.core import memberships_with_schools, remember_memberships

        rows = list(memberships_with_schools(user_id).select_related("user"))
        if not rows:
            user = super().get_user(user_id)
            if user is not None:
                remember_memberships(user, [])  # none: access asks no second time
            return user
        user = rows[0].user
        if not self.user_can_authenticate(user):
            return None
        remember_memberships(user, rows)
        return user


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
