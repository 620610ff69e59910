"""Access rules of the meetings app (overleg, agenda, minutes, agreements).

Who sees a meeting
  - the zorgcoördinator: every meeting of their school (they plan and prepare them);
  - a participant (staff or partner): the meetings they take part in, at a school where
    they still work (a partner whose organisation stops working with the school loses them).

Who sees an agenda item (a pupil on the agenda, with question, minutes and decision)
  - the zorgcoördinator of the school: all;
  - a staff participant: all items of their meetings (they are the school's own care team;
    the coordinator decides who takes part);
  - a partner participant: only pupils whose consent covers them, i.e. an active consent
    (not withdrawn, not expired) for their organisation, or, in an ondersteuningsteam
    meeting, an active consent for "bespreking in het ondersteuningsteam" (and in a
    1-2-3-4-overleg one for the kansencoach). Withdrawal counts at once.
  The same rule filters the meeting page, the printable minutes and "Mijn afspraken".
  The calendar feed and every e-mail carry no pupil names at all.

Agreements follow their pupil: whoever may see the agenda item sees the agreement; the
owner sees their own (for a partner: still only with consent). Agreements without a
pupil: the coordinator, the meeting's participants and the owner.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Role

from .core import PARTNER, has_role, permission, role_permission, school_ids_with_role

NOTHING = Q(pk__in=[])

# The meeting kinds for which a consent *purpose* (rather than one organisation) counts.
KIND_PURPOSES = {"ot": "ot_bespreking", "1234": "kansencoach"}


def _staff_school_ids(user):
    return school_ids_with_role(user, *Role.values)


def _participates(user, meeting_ref: str):
    from meetings.models import Meeting

    return Exists(Meeting.participants.through.objects.filter(meeting_id=OuterRef(meeting_ref), user_id=user.pk))


def _consent_covers(user, student_ref: str, kind_field: str) -> Q:
    """Q: an active consent covers `user`'s organisation for the pupil at `student_ref`,
    or (per meeting kind) a consent purpose covers the meeting."""
    from students.models import Consent

    active = Consent.objects.active(timezone.localdate())
    q = Q(Exists(active.filter(student_id=OuterRef(student_ref), organisation_id=user.organisation_id)))
    for kind, purpose in KIND_PURPOSES.items():
        q |= Q(**{kind_field: kind}) & Q(Exists(active.filter(student_id=OuterRef(student_ref), purpose=purpose)))
    return q


def meetings_q(user) -> Q:
    if not (user and user.is_authenticated and user.is_active):
        return NOTHING
    q = NOTHING
    coordinator = school_ids_with_role(user, Role.ZORGCOORDINATOR)
    if coordinator:
        q |= Q(school_id__in=coordinator)
    # Where they coordinate they see every meeting already: no participation test there.
    schools = (_staff_school_ids(user) | school_ids_with_role(user, PARTNER)) - coordinator
    if schools:
        q |= Q(_participates(user, "pk"), school_id__in=schools)
    return q


def agenda_items_q(user) -> Q:
    if not (user and user.is_authenticated and user.is_active):
        return NOTHING
    q = NOTHING
    coordinator = school_ids_with_role(user, Role.ZORGCOORDINATOR)
    if coordinator:
        q |= Q(meeting__school_id__in=coordinator)
    # Where they coordinate they see everything already: no participation test there.
    staff = _staff_school_ids(user) - coordinator
    if staff:
        q |= Q(_participates(user, "meeting_id"), meeting__school_id__in=staff)
    partner = school_ids_with_role(user, PARTNER)
    if partner:
        q |= Q(_participates(user, "meeting_id"), meeting__school_id__in=partner) & _consent_covers(
            user, "student_id", "meeting__kind"
        )
    return q


def agreements_q(user) -> Q:
    if not (user and user.is_authenticated and user.is_active):
        return NOTHING
    q = NOTHING
    coordinator = school_ids_with_role(user, Role.ZORGCOORDINATOR)
    if coordinator:
        q |= Q(school_id__in=coordinator)
    staff = _staff_school_ids(user) - coordinator  # as in agenda_items_q
    partner = school_ids_with_role(user, PARTNER)
    if not (staff or partner):
        return q  # a coordinator only: the participation subquery would not be used
    involved = Q(owner_id=user.pk) | Q(_participates(user, "meeting_id"))
    if staff:
        q |= involved & Q(school_id__in=staff)
    if partner:
        q |= (
            involved
            & Q(school_id__in=partner)
            & (Q(student__isnull=True) | _consent_covers(user, "student_id", "meeting__kind"))
        )
    return q


def participants_q(school) -> Q:
    """Q on User: who may take part in an overleg of `school`: active staff with a role
    there and partner professionals whose organisation works with the school."""
    return Q(is_active=True) & (Q(memberships__school=school) | Q(organisation__schools=school))


def consent_gaps(*, meeting, students, participants) -> dict:
    """{student id: [partner participants whose consent does not cover that pupil]}.

    For the coordinator's warning while preparing the agenda. One query for any number
    of pupils and participants.
    """
    from students.models import Consent

    partners = [p for p in participants if p.organisation_id]
    student_ids = [s.pk for s in students]
    if not partners or not student_ids:
        return {}
    purpose = KIND_PURPOSES.get(meeting.kind)
    scope = Q(organisation_id__in={p.organisation_id for p in partners})
    if purpose:
        scope |= Q(purpose=purpose)
    covered: dict[int, set] = {}
    for student_id, organisation_id, consent_purpose in (
        Consent.objects.active(timezone.localdate())
        .filter(scope, student_id__in=student_ids)
        .values_list("student_id", "organisation_id", "purpose")
    ):
        covered.setdefault(student_id, set()).add(organisation_id or consent_purpose)
    gaps = {}
    for student_id in student_ids:
        have = covered.get(student_id, set())
        missing = [p for p in partners if p.organisation_id not in have and not (purpose and purpose in have)]
        if missing:
            gaps[student_id] = missing
    return gaps


# --- Actions -----------------------------------------------------------------------------

# School level (`obj` is the school): planning overleg is the zorgcoördinator's job.
role_permission("school.plan_meetings", Role.ZORGCOORDINATOR, school_of=lambda s: s.pk)
# On one meeting: move, cancel, participants, agenda, minutes, agreements.
role_permission("meeting.manage", Role.ZORGCOORDINATOR)


@permission("school.list_meetings")
def _list_meetings(user, school):
    """ "Mijn overleggen" and "Mijn afspraken": for everyone with a role at the school;
    the lists show only their own meetings and agreements."""
    from .core import roles_at

    return bool(roles_at(user, school))


@permission("agreement.mark_done")
def _mark_done(user, agreement):
    # The owner ticks off their own agreement; the coordinator may do it for anyone.
    return agreement.owner_id == user.pk or has_role(user, agreement.school_id, Role.ZORGCOORDINATOR)


# --- Who follows what -------------------------------------------------------------------------


def sees_every_meeting(user, school) -> bool:
    """The zorgcoördinator plans and prepares every meeting of the school, so "Mijn
    overleggen" lists them all; everyone else sees the meetings they take part in."""
    return has_role(user, school, Role.ZORGCOORDINATOR)


def may_own_agreement(user, meeting) -> bool:
    """May `user` own an agreement made in `meeting`? Whoever takes part in it or organised
    it, and the school's zorgcoördinator, who follows every agreement up."""
    if user.pk == meeting.organiser_id or meeting.participants.filter(pk=user.pk).exists():
        return True
    return has_role(user, meeting.school_id, Role.ZORGCOORDINATOR)
