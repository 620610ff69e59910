"""The installation (applicatiebeheer) and onboarding: schools, partner organisations and
the invitations that bring people in.

Applicatiebeheer (`User.is_application_admin`) is a role of the installation, not of a
school: it adds schools (and corrects them later) and partner organisations, appoints a
school's first functioneel beheerder and reads the onboarding log. It holds no Membership,
so every rule about pupils (which all start from a role at a school) gives it nothing: it
never sees pupil data.

A school's functioneel beheerder invites and deactivates the school's staff; a partner
organisation's contact person invites the organisation's own professionals and switches off
one who leaves (so does applicatiebeheer, from the organisation's page).
"""

from django.db.models import Q

from accounts.models import Role

from .core import has_role, permission, school_ids_with_role


def is_application_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_application_admin)


def is_contact_of(user, organisation) -> bool:
    """Is `user` the contact person of `organisation` (a professional of that organisation)?"""
    return organisation is not None and user.organisation_id == organisation.pk and organisation.contact_id == user.pk


@permission("region.manage")
def _manage_region(user, _obj):
    return is_application_admin(user)


@permission("region.edit_school")
def _edit_school(user, _school):
    """A school's name, type, BRIN code, region and holiday region, as entered when it was
    added: applicatiebeheer only. The school's own functioneel beheerder changes its name,
    type and holiday region on its settings page (`school.manage_settings`), never the BRIN
    code, which is DUO's and names the school to imports and the school's sign-in."""
    return is_application_admin(user)


@permission("organisation.invite_professionals")
def _invite_professionals(user, organisation):
    return is_application_admin(user) or is_contact_of(user, organisation)


@permission("invitation.manage")
def _manage_invitation(user, invitation):
    """Resend or revoke: the school's functioneel beheerder (staff), the organisation's contact
    person (professionals), applicatiebeheer (both)."""
    if is_application_admin(user):
        return True
    if invitation.school_id:
        return has_role(user, invitation.school_id, Role.BEHEERDER)
    return is_contact_of(user, invitation.organisation)


@permission("user.deactivate")
def _deactivate(user, target):
    """A leaver: the functioneel beheerder of a school where they work, never themselves."""
    if target.pk == user.pk or target.is_partner:
        return False
    target_schools = set(target.memberships.values_list("school_id", flat=True))
    return bool(target_schools & school_ids_with_role(user, Role.BEHEERDER))


@permission("organisation.deactivate_professional")
def _deactivate_professional(user, target):
    """A partner professional who leaves: the contact person of their own organisation or
    applicatiebeheer; never oneself, never the applicatiebeheerder."""
    if target.pk == user.pk or not target.is_partner or target.is_application_admin:
        return False
    return is_application_admin(user) or is_contact_of(user, target.organisation)


def professionals_q(user) -> Q:
    """Partner professionals a user may find (others are a 404): those of their own
    organisation for a partner, every organisation's for applicatiebeheer; none for staff."""
    if is_application_admin(user):
        return Q(organisation__isnull=False)
    if getattr(user, "organisation_id", None):
        return Q(organisation_id=user.organisation_id)
    return Q(pk__in=[])


def invitations_q(user) -> Q:
    """Invitations a user may see: at schools where they are functioneel beheerder, of the
    organisation they are contact person of; all of them for applicatiebeheer."""
    if is_application_admin(user):
        return Q()
    q = Q(school_id__in=school_ids_with_role(user, Role.BEHEERDER))
    if getattr(user, "organisation_id", None):
        q |= Q(organisation_id=user.organisation_id, organisation__contact_id=user.pk)
    return q


# Roles a school's first functioneel beheerder gets from applicatiebeheer.
FIRST_ADMINISTRATOR_ROLES = (Role.BEHEERDER,)

# What the onboarding log (for applicatiebeheer) shows: changes of schools, partner
# organisations, roles and invitations. Never a change about a pupil.
ONBOARDING_KINDS = (
    "region.",
    "accounts.staff_",
    "accounts.professional_",
    "accounts.invitation_",
    "accounts.school_updated",
)


def first_administrator_roles() -> tuple[str, ...]:
    return FIRST_ADMINISTRATOR_ROLES


def onboarding_kinds() -> tuple[str, ...]:
    return ONBOARDING_KINDS


def administrators_q(*, prefix: str = "") -> Q:
    """Memberships (through `prefix`, e.g. "memberships__") that make someone a school's
    functioneel beheerder."""
    return Q(**{f"{prefix}role__in": FIRST_ADMINISTRATOR_ROLES})
