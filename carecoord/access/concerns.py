"""Access rules of the zorgroute (concerns, Meldcode cases): the concerns app, issue 5.

Who sees a concern (zorgmelding) in full, i.e. in their inbox and on its page:

- the zorgcoördinator of the concern's school: every concern, Meldcode cases included;
- the aandachtsfunctionaris of the school: every Meldcode case of that school;
- the handler, when it is not a Meldcode case: the person it is assigned to, or everyone
  holding the role it is assigned to at that school (e.g. the verzuimcoördinator);
- a partner professional, when it is not a Meldcode case, when the concern is routed to
  their organisation, the organisation works with the school, AND an active consent for
  their organisation covers the pupil. No partner link is needed for the concern itself
  (routing is the need to know); the link still decides whether they may open the pupil's
  file (carecoord/access/students.py). Withdrawn consent counts on the next request.

Who raised a concern always sees it, but only as the raiser: what they wrote, the status
and the feedback (terugkoppeling), never the actions, notes or Meldcode steps; a Meldcode
case shows them only "in behandeling" until it is closed. Mentors of the pupil's class
who did not raise it, coaches, school leaders and the functional administrator see no
concerns (school leaders and coordinators see the figures, which hold no names).

Only the coordinator and the aandachtsfunctionaris triage a Meldcode case (the Meldcode
huiselijk geweld en kindermishandeling); the aandachtsfunctionaris opens the pupil file of
a pupil with a Meldcode case (administration and the Meldcode section only).
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Role

from .core import (
    PARTNER,
    can,
    has_role,
    people_with_role,
    permission,
    role_counts_at,
    role_permission,
    roles_at,
    school_ids_with_role,
    with_roles_counting_as,
)
from .sections import Section
from .students import NOTHING, student_rule

# Only these roles may handle a Meldcode case: the Meldcode lets the school's designated
# aandachtsfunctionaris and the zorgcoördinator see it, nobody else.
MELDCODE_ROLES = (Role.ZORGCOORDINATOR, Role.AANDACHTSFUNCTIONARIS)
# Roles a concern may be routed to as a group: everyone holding the role reads it in full,
# so only care roles (not "every mentor" or the school leader, who sees figures only).
HANDLER_ROLES = (Role.ZORGCOORDINATOR, Role.AANDACHTSFUNCTIONARIS, Role.VERZUIMCOORDINATOR)
# Roles that work from the inbox, so the menu shows it; others reach it through a home card
# when a concern is assigned to them.
INBOX_ROLES = frozenset({Role.ZORGCOORDINATOR, Role.AANDACHTSFUNCTIONARIS, PARTNER})


# --- Handlers -------------------------------------------------------------------------------


def handler_roles(*, meldcode: bool) -> tuple[str, ...]:
    """The roles a concern (a Meldcode case: `meldcode`) may be routed to as a group."""
    return MELDCODE_ROLES if meldcode else HANDLER_ROLES


def may_handle(user, school, *, meldcode: bool) -> bool:
    """May `user` handle a concern at `school` in person? Any staff member of the school; a
    Meldcode case only a zorgcoördinator or an aandachtsfunctionaris."""
    return has_role(user, school, *(MELDCODE_ROLES if meldcode else Role.values))


def possible_handlers(school, *, meldcode: bool):
    """The people a concern, or one of its actions, may be given to (the choices of the
    triage forms): the active staff of the school; for a Meldcode case only its
    zorgcoördinatoren and aandachtsfunctionarissen."""
    from accounts.models import User

    roles = MELDCODE_ROLES if meldcode else Role.values
    return (
        User.objects.filter(memberships__school=school, memberships__role__in=roles, is_active=True)
        .distinct()
        .order_by("name")
    )


def default_handler_role(*, meldcode: bool) -> str:
    """Who takes a concern when its category's handler cannot (a person who left the
    school): the aandachtsfunctionaris for a Meldcode case, else the zorgcoördinator."""
    return Role.AANDACHTSFUNCTIONARIS if meldcode else Role.ZORGCOORDINATOR


def unreachable_recipients(school):
    """Who hears of a concern that reaches nobody (a partner without consent, a role nobody
    holds): the school's zorgcoördinatoren. Also who takes over a leaver's open work (the
    handovers of concerns, meetings and todo)."""
    return people_with_role(school, Role.ZORGCOORDINATOR)


def takes_over_leavers_work(school, roles) -> bool:
    """Whether one of `roles` at `school` makes its holder one of `unreachable_recipients` (the
    zorgcoördinator; at a PO/SO school the IB'er counts as one): then the open work leavers
    left there while the school had none is theirs now."""
    takers = with_roles_counting_as([Role.ZORGCOORDINATOR])
    return any(role in takers and role_counts_at(role, school) for role in roles)


def left_school_q(school) -> Q:
    """People (User) who no longer work at `school`: no role there, and not an active
    professional of a partner organisation that works with it. Open work of theirs at the
    school waits there for someone to take it over."""
    from accounts.models import Membership, Organisation

    school_id = getattr(school, "pk", school)
    role_here = Membership.objects.filter(user=OuterRef("pk"), school_id=school_id)
    partner_here = Organisation.schools.through.objects.filter(
        organisation=OuterRef("organisation"), school_id=school_id
    )
    return ~Q(Exists(role_here)) & ~(Q(is_active=True) & Q(Exists(partner_here)))


# --- The menu ---------------------------------------------------------------------------------


def inbox_in_menu(user, school) -> bool:
    """The inbox is in the menu for the roles that work from it (INBOX_ROLES)."""
    return has_role(user, school, *INBOX_ROLES)


def handlers_of_new_concerns(concerns) -> tuple[dict[int, set[int]], set[int]]:
    """Who triages each of `concerns` (the rule of `concerns_handled_q`, for many concerns at
    once, for the daily digest): ({concern id: staff user ids}, partner user ids). A partner's
    count is made from their own list, where consent decides, so they are only named here.
    A few queries per school, whatever the number of users."""
    from accounts.models import Membership, User

    concerns = list(concerns)
    school_ids = {c.school_id for c in concerns}
    by_role = {
        (school_id, role): {u.pk for u in people_with_role(school_id, role)}
        for school_id in school_ids
        for role in HANDLER_ROLES
    }
    persons = {c.handler_id for c in concerns if c.handler_id}
    works_at = set(
        Membership.objects.filter(user_id__in=persons, school_id__in=school_ids).values_list("user_id", "school_id")
    )
    organisations = {c.handler_organisation_id for c in concerns if c.handler_organisation_id and not c.is_meldcode}
    partners = set(User.objects.filter(organisation_id__in=organisations, is_active=True).values_list("pk", flat=True))
    handlers = {}
    for c in concerns:
        users = set(by_role[(c.school_id, Role.ZORGCOORDINATOR)])
        if c.is_meldcode:
            users |= by_role[(c.school_id, Role.AANDACHTSFUNCTIONARIS)]
        else:
            if c.handler_id and (c.handler_id, c.school_id) in works_at:
                users.add(c.handler_id)
            if c.handler_role in HANDLER_ROLES:
                users |= by_role[(c.school_id, c.handler_role)]
        handlers[c.pk] = users
    return handlers, partners


def figures_in_menu(user, school) -> bool:
    """The figures are in the menu for whoever may see them but the zorgcoördinator, who
    reaches them from the inbox."""
    return can(user, "school.view_concern_figures", school) and not has_role(user, school, Role.ZORGCOORDINATOR)


def concerns_handled_q(user) -> Q:
    """Concerns the user may see in full (see the module docstring)."""
    if not (user and user.is_authenticated and user.is_active):
        return NOTHING
    q = NOTHING
    coordinator_at = school_ids_with_role(user, Role.ZORGCOORDINATOR)
    if coordinator_at:
        q |= Q(school_id__in=coordinator_at)
    # Where they coordinate they see every concern already: the clauses below leave those
    # schools out (the inbox and the home card are read often; each clause costs Python).
    af_at = school_ids_with_role(user, Role.AANDACHTSFUNCTIONARIS) - coordinator_at
    if af_at:
        q |= Q(school_id__in=af_at, is_meldcode=True)
    staff_at = school_ids_with_role(user, *Role.values) - coordinator_at
    if staff_at:
        handled = Q(handler_id=user.pk, school_id__in=staff_at)
        for role in HANDLER_ROLES:
            ids = school_ids_with_role(user, role) - coordinator_at
            if ids:
                handled |= Q(handler_role=role, school_id__in=ids)
        q |= handled & Q(is_meldcode=False)
    partner_at = school_ids_with_role(user, PARTNER) - coordinator_at
    if partner_at and user.organisation_id:
        from students.models import Consent

        consents = Consent.objects.active(timezone.localdate()).filter(
            organisation_id=user.organisation_id, student=OuterRef("student")
        )
        q |= Q(
            Exists(consents),
            is_meldcode=False,
            handler_organisation_id=user.organisation_id,
            school_id__in=partner_at,
        )
    return q


def concerns_q(user) -> Q:
    """Concerns the user may open at all: handled in full, or raised by them (staff only)."""
    q = concerns_handled_q(user)
    staff_at = school_ids_with_role(user, *Role.values) if user and user.is_authenticated else frozenset()
    staff_at -= school_ids_with_role(user, Role.ZORGCOORDINATOR)  # they see every concern there
    if staff_at:
        q |= Q(raised_by_id=user.pk, school_id__in=staff_at)
    return q


# --- The pupil file -----------------------------------------------------------------------


@student_rule("aandachtsfunctionaris met Meldcode-casus", {Section.ADMINISTRATIE, Section.MELDCODE})
def _aandachtsfunctionaris(user):
    # The Meldcode makes the aandachtsfunctionaris part of every case at their school;
    # they need the pupil's details and the Meldcode part of the file, not the rest.
    ids = school_ids_with_role(user, Role.AANDACHTSFUNCTIONARIS)
    if not ids:
        return None
    from concerns.models import Concern

    cases = Concern.objects.filter(student=OuterRef("pk"), is_meldcode=True)
    return Q(Exists(cases), school_id__in=ids)


# --- Actions on one concern ---------------------------------------------------------------


@permission("concern.view_full")
def _view_full(user, concern):
    """Everything about the concern (one query): not merely the raiser's view."""
    from concerns.models import Concern

    return Concern.objects.filter(concerns_handled_q(user), pk=concern.pk).exists()


@permission("concern.triage")
def _triage(user, concern):
    # Assign, re-categorise, close with feedback. A Meldcode case also by the aandachtsfunctionaris.
    if has_role(user, concern.school_id, Role.ZORGCOORDINATOR):
        return True
    return concern.is_meldcode and has_role(user, concern.school_id, Role.AANDACHTSFUNCTIONARIS)


@permission("concern.record_meldcode_step")
def _meldcode_step(user, concern):
    return concern.is_meldcode and has_role(user, concern.school_id, Role.ZORGCOORDINATOR, Role.AANDACHTSFUNCTIONARIS)


# --- School-level pages (obj is the school) ------------------------------------------------


@permission("school.raise_concern")
def _raise(user, school):
    # Every staff member may signal; partners raise concerns through the coordinator.
    return bool(roles_at(user, school) - {PARTNER})


@permission("school.concern_inbox")
def _inbox(user, school):
    # The inbox lists what the user handles (filtered by concerns_handled_q), so anyone
    # with a role may open it; for most teachers it is empty.
    return bool(roles_at(user, school))


role_permission("school.view_concern_figures", Role.ZORGCOORDINATOR, Role.SCHOOLLEIDER, school_of=lambda s: s.pk)
role_permission("school.manage_concern_categories", Role.ZORGCOORDINATOR, Role.BEHEERDER, school_of=lambda s: s.pk)


# --- The read log ------------------------------------------------------------------------------

# What a read of a concern is called in the read log for someone who may not know of the
# Meldcode: the same for every concern, so the label does not tell which pupil has a case.
NEUTRAL_CONCERN_SECTION = "zorgmelding"


def read_log_section(user, school, section: str) -> str:
    """The read log's part (`FileAccess.section`) as `user` may see it at `school`.

    A read of a Meldcode case is logged as "zorgmelding (Meldcode)"; shown to a functional
    administrator that label alone would tell them a pupil has a Meldcode case. Only the roles
    that handle the Meldcode (MELDCODE_ROLES) see the part as written; everyone else sees every
    read of a concern as "zorgmelding", and any other part naming the Meldcode as "dossier"."""
    if has_role(user, school, *MELDCODE_ROLES):
        return section
    if section.lower().startswith(NEUTRAL_CONCERN_SECTION):
        return NEUTRAL_CONCERN_SECTION
    return "dossier" if "meldcode" in section.lower() else section
