"""Who must sign in with a second factor, and who may reset someone's second factor.

Required for the roles that open care files or hand out roles, and for everyone outside a
school's own staff who can read pupil data:

- zorgcoördinator and aandachtsfunctionaris (every care file, Meldcode included),
- functioneel beheerder (roles, imports, the read log),
- superusers (the installation's technical management) and applicatiebeheer (schools,
  partner organisations, their first administrators),
- partner professionals (youth care, leerplicht: they read pupils from outside the school).

Other staff may use it; a school can require it for everyone who works there
(`School.require_two_factor`). The middleware `carecoord.middleware.TwoFactorRequiredMiddleware`
enforces it on every page, so a session without the second factor reaches no pupil data.
"""

from accounts.models import Membership, Role

from .core import _active, _memberships, has_role, permission

TWO_FACTOR_ROLES = frozenset({Role.ZORGCOORDINATOR, Role.INTERN_BEGELEIDER, Role.AANDACHTSFUNCTIONARIS, Role.BEHEERDER})


def two_factor_required(user) -> bool:
    """Must `user` use a second factor? No query beyond the roles read once per request."""
    if not _active(user):
        return False
    if user.is_superuser or user.is_partner or user.is_application_admin:
        return True
    if any(role in TWO_FACTOR_ROLES for _school, role in _memberships(user)):
        return True
    return any(school.require_two_factor for school in user._access_staff_schools.values())


@permission("user.reset_two_factor")
def _can_reset_two_factor(actor, person) -> bool:
    """A lost phone or key: the functioneel beheerder of a school where the person works
    resets it; people without a school (partners, technical management) are reset by a
    superuser. Nobody resets their own: that would make the second factor worthless."""
    if person.pk == actor.pk:
        return False
    schools = set(Membership.objects.filter(user_id=person.pk).values_list("school_id", flat=True))
    if schools:
        return any(has_role(actor, school, Role.BEHEERDER) for school in schools)
    return actor.is_superuser or (actor.is_application_admin and not person.is_superuser)
