"""Schools, users and roles: managed per school by its functional administrator."""

from accounts.models import Role

from .core import has_role, permission, school_q


def memberships_q(user):
    """Roles a user may see and manage: those at schools where they are functional administrator."""
    return school_q(user, Role.BEHEERDER)


def holidays_q(user):
    """A school's own days off, changed by its functional administrator."""
    return school_q(user, Role.BEHEERDER)


@permission("school.manage_users")
def _manage_users(user, school):
    return has_role(user, school, Role.BEHEERDER)


@permission("school.manage_settings")
def _manage_settings(user, school):
    return has_role(user, school, Role.BEHEERDER)
