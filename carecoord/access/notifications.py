"""The delivery log: who got which message. Read by the functional administrator."""

from accounts.models import Role

from .core import has_role, permission, school_q


def notifications_q(user):
    return school_q(user, Role.BEHEERDER)


@permission("school.view_delivery_log")
def _view_delivery_log(user, school):
    return has_role(user, school, Role.BEHEERDER)
