"""Access rules of referrals, facilities and placements (the coach follows the placement): the referrals app, issue 6.

| who | what |
|---|---|
| zorgcoördinator | every referral, placement and visit of their school; decides, plans, evaluates, exports |
| coach of a facility | the board of their own facility (check in/out, walk-ins, notes, corrections); the plan and visits of pupils with an *active* placement there (file sections ADMINISTRATIE and TRAJECT, never concerns or the referral's question); figures of their facility |
| functioneel beheerder | facilities (rooms, capacity, coaches) and the lesson-hour timetable |
| schoolleider | figures per facility, without pupil names |
| partner with consent | the placement plan of pupils they may see (TRAJECT section of the file) |

A coach is a user with the coach role at the school *and* on the facility's list of coaches:
taking either away ends their access at once.
"""

from django.db.models import Exists, OuterRef, Q, Value

from accounts.models import Role

from .core import has_role, people_with_role, permission, role_permission, school_ids_with_role, school_q
from .sections import Section
from .students import NOTHING, linked_and_consented_q, student_rule


def _coach_school_ids(user):
    return school_ids_with_role(user, Role.COACH)


def is_facility_coach(user, facility) -> bool:
    """On the facility's list of coaches and coach at its school (one query, unless the
    facility came with `coach_ids` prefetched by the caller, or from `with_coaching_of(user)`)."""
    if not has_role(user, facility.school_id, Role.COACH):
        return False
    coach_ids = getattr(facility, "coach_ids", None)
    if coach_ids is not None:
        return user.pk in coach_ids
    if getattr(facility, "coaching_asked_for", None) == user.pk:
        return facility.coaching_answer
    return facility.coaches.filter(pk=user.pk).exists()


def with_coaching_of(facilities, user):
    """`facilities` (a queryset), each knowing whether `user` is on its list of coaches, so
    `is_facility_coach` asks nothing more: the board's every tap and 20-second refresh check
    it, and a subquery in the facility's own query costs less than a query of its own. The
    answer holds for `user` only (another user is asked as before)."""
    from referrals.models import Facility

    if not _coach_school_ids(user):
        return facilities  # no coach anywhere: is_facility_coach answers before asking
    on_list = Facility.coaches.through.objects.filter(facility_id=OuterRef("pk"), user_id=user.pk)
    return facilities.annotate(coaching_asked_for=Value(user.pk), coaching_answer=Exists(on_list))


def coached_facilities(user, school):
    """The facilities in use at `school` that `user` coaches (coach role and on the list),
    by name: the coach's board and menu."""
    from referrals.models import Facility

    if not has_role(user, school, Role.COACH):
        return Facility.objects.none()
    return Facility.objects.filter(school=school, coaches=user, is_active=True).order_by("name")


def possible_coaches(school):
    """Who may be on a facility's list of coaches: the active staff with the coach role at
    the school (the ambulant worker of an SO+ group too)."""
    return people_with_role(school, Role.COACH).order_by("name")


def _active_placements_coached_by(user, ids):
    from referrals.models import Placement

    return Placement.objects.filter(ended_on__isnull=True, facility__coaches=user, facility__school_id__in=ids)


# --- Pupils --------------------------------------------------------------------------------


@student_rule("coach via plaatsing", {Section.ADMINISTRATIE, Section.TRAJECT})
def _coach_via_placement(user):
    # The coach needs the plan and the visits of the pupils placed in their own room, and
    # nothing else: no concerns (ZORG), no Meldcode, no meetings. The access ends with the
    # placement, or when the coach leaves the facility.
    ids = _coach_school_ids(user)
    if not ids:
        return None
    placed = _active_placements_coached_by(user, ids).filter(student=OuterRef("pk"))
    return Q(Exists(placed), school_id__in=ids)


# --- Querysets -----------------------------------------------------------------------------


def facilities_q(user) -> Q:
    """Facilities are no pupil data: every staff member of the school sees their names."""
    ids = school_ids_with_role(user, *Role.values)
    return Q(school_id__in=ids) if ids else NOTHING


def referrals_q(user) -> Q:
    """The question for help is care content: the zorgcoördinator of the school only."""
    return school_q(user, Role.ZORGCOORDINATOR)


def intake_tasks_q(user) -> Q:
    """Q on Referral: planned intakes that are the user's task. The zorgcoördinator leads
    every intake of the school; the coaches of the facility when a coach takes part (the
    intake's participants say so). The coach gets the date only: the referral's question
    stays the coordinator's (referrals_q), and the pupil's name shows only once the coach may
    see the pupil (todo hides it until then)."""
    q = referrals_q(user)
    ids = _coach_school_ids(user)
    if ids:
        # "The list holds the coach": JSON containment (`__contains=["coach"]`) exists on
        # PostgreSQL only, and the embedded default is SQLite. The list is stored as JSON text
        # of IntakeParticipant codes (["mentor", "coach"]); the quoted code matches exactly one
        # element on both databases (no other code contains it; a quote inside a string would
        # be escaped).
        q |= Q(facility__coaches=user, school_id__in=ids, intake_participants__icontains='"coach"')
    return q


def may_have_intake_tasks(user, school) -> bool:
    """Only the zorgcoördinator and coaches have intakes on their list (no query)."""
    return has_role(user, school, Role.ZORGCOORDINATOR, Role.COACH)


def placements_q(user) -> Q:
    q = school_q(user, Role.ZORGCOORDINATOR)
    ids = _coach_school_ids(user)
    if ids:
        q |= Q(pk__in=_active_placements_coached_by(user, ids).values("pk"))
    partner = linked_and_consented_q(user)
    if partner is not None:
        from students.models import Student

        q |= Q(student__in=Student.objects.filter(partner))
    return q


def visits_q(user) -> Q:
    """Visits of a facility: its coaches and the school's zorgcoördinator."""
    q = school_q(user, Role.ZORGCOORDINATOR, field="facility__school")
    ids = _coach_school_ids(user)
    if ids:
        q |= Q(facility__coaches=user, facility__school_id__in=ids)
    return q


# --- Actions -------------------------------------------------------------------------------

_school_pk = lambda school: school.pk  # noqa: E731
_facility_school = lambda obj: obj.facility.school_id  # noqa: E731

role_permission("school.manage_referrals", Role.ZORGCOORDINATOR, school_of=_school_pk)
role_permission("school.export_group_hours", Role.ZORGCOORDINATOR, school_of=_school_pk)
role_permission("school.manage_facilities", Role.ZORGCOORDINATOR, Role.BEHEERDER, school_of=_school_pk)
role_permission("school.manage_lesson_hours", Role.ZORGCOORDINATOR, Role.BEHEERDER, school_of=_school_pk)
role_permission(
    "school.list_facilities", Role.ZORGCOORDINATOR, Role.BEHEERDER, Role.SCHOOLLEIDER, Role.COACH, school_of=_school_pk
)
role_permission("referral.manage", Role.ZORGCOORDINATOR)
role_permission("facility.edit", Role.ZORGCOORDINATOR, Role.BEHEERDER)
role_permission("placement.manage", Role.ZORGCOORDINATOR)


@permission("facility.use_board")
def _use_board(user, facility):
    # Check pupils in and out, register walk-ins, correct visits: the facility's own
    # coaches, and the zorgcoördinator (who stands in when a coach is ill).
    return has_role(user, facility.school_id, Role.ZORGCOORDINATOR) or is_facility_coach(user, facility)


@permission("facility.mark_no_show")
def _mark_no_show(user, facility):
    # "Niet gekomen" on the board records absence and gives the mentor a task: whoever runs
    # the board (the facility's coaches, the zorgcoördinator standing in), nobody else.
    return has_role(user, facility.school_id, Role.ZORGCOORDINATOR) or is_facility_coach(user, facility)


@permission("facility.view_figures")
def _view_figures(user, facility):
    return has_role(user, facility.school_id, Role.ZORGCOORDINATOR, Role.SCHOOLLEIDER) or is_facility_coach(
        user, facility
    )


@permission("facility.view_pupil_figures")
def _view_pupil_figures(user, facility):
    # Visits and hours per pupil name pupils: not for the school leader (figures, not files).
    return _use_board(user, facility)


@permission("visit.correct")
def _correct_visit(user, visit):
    return _use_board(user, visit.facility)


# --- Group arrangements: funding and the worker's log (referrals/models/funding.py) -------------


def _is_group(facility) -> bool:
    from referrals.models import FacilityKind

    return facility.kind == FacilityKind.GROUP


@permission("facility.manage_funding")
def _manage_funding(user, facility):
    # The funding agreement is the school's: the zorgcoördinator (the IB'er at a PO/SO
    # school) or the functioneel beheerder records it.
    return _is_group(facility) and has_role(user, facility.school_id, Role.ZORGCOORDINATOR, Role.BEHEERDER)


@permission("facility.view_funding")
def _view_funding(user, facility):
    # Hours contracted and delivered are figures without pupils: the school leader too.
    return _is_group(facility) and _view_figures(user, facility)


@permission("facility.log_group_contact")
def _log_group_contact(user, facility):
    # The group's own worker logs the family contacts; the coordinator may stand in.
    return _is_group(facility) and _use_board(user, facility)
