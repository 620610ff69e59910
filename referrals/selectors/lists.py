"""Lists of the referrals app: the waiting list, referrals, placements, the facilities'
cards, and a pupil's placements and visits for the file."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from ..models import Facility, Placement, PlacementGoal, PlacementKind, PlacementSlot, Referral, ReferralState, Visit


@dataclass
class WaitingEntry:
    referral: Referral
    position: int
    waiting_days: int  # since the aanmelding
    days_on_list: int


def waiting_list(*, school, facility=None, today: date | None = None) -> list[tuple[Facility, list[WaitingEntry]]]:
    """Per facility of the school, the referrals on its waiting list in order of arrival
    on the list, with their position and waiting days. Two queries."""
    today = today or timezone.localdate()
    facilities = Facility.objects.filter(school=school).active().order_by("name")
    if facility is not None:
        facilities = facilities.filter(pk=facility.pk)
    facilities = list(facilities)
    referrals = (
        Referral.objects.filter(facility__in=facilities, state=ReferralState.WAITING)
        .select_related("student__school_class")
        .order_by("waitlisted_at", "pk")
    )
    per_facility: dict[int, list[WaitingEntry]] = {f.pk: [] for f in facilities}
    for referral in referrals:
        entries = per_facility[referral.facility_id]
        entries.append(
            WaitingEntry(
                referral,
                len(entries) + 1,
                (today - timezone.localtime(referral.created_at).date()).days,
                (today - timezone.localtime(referral.waitlisted_at).date()).days if referral.waitlisted_at else 0,
            )
        )
    return [(f, per_facility[f.pk]) for f in facilities]


def referral_list(*, user, school, states=None):
    qs = (
        Referral.objects.visible_to(user)
        .filter(school=school)
        .select_related("student__school_class", "facility", "created_by")
    )
    if states:
        qs = qs.filter(state__in=states)
    return qs.order_by("-created_at", "-pk")


def placement_list(*, user, school):
    """Active placements at `school` the user may see, next evaluation first. Two queries
    (the page and the slots)."""
    from django.db.models import F

    return (
        Placement.objects.visible_to(user)
        .active()
        .filter(school=school)
        .select_related("student__school_class", "facility")
        .prefetch_related("slots")
        .order_by(F("next_evaluation_on").asc(nulls_last=True), "student__last_name", "pk")
    )


def facility_overview(*, school) -> list[Facility]:
    """The school's facilities with what a card shows: present now, full-time placements,
    active placements, waiting list, coaches. Two queries; each facility carries
    `coach_ids`, so access checks on it need no query."""
    facilities = list(
        Facility.objects.filter(school=school)
        .annotate(
            present_now=Count("visits", filter=Q(visits__checked_out_at__isnull=True), distinct=True),
            active_count=Count("placements", filter=Q(placements__ended_on__isnull=True), distinct=True),
            full_time_count=Count(
                "placements",
                filter=Q(placements__ended_on__isnull=True, placements__kind=PlacementKind.FULL_TIME),
                distinct=True,
            ),
            waiting_count=Count("referrals", filter=Q(referrals__state=ReferralState.WAITING), distinct=True),
        )
        .prefetch_related("coaches")
        .order_by("-is_active", "name")
    )
    for facility in facilities:
        facility.coach_ids = {coach.pk for coach in facility.coaches.all()}
    return facilities


def student_placements(*, user, student) -> list[Placement]:
    """The pupil's placements `user` may see (a coach: those of their own facility), active
    first. An active placement carries what the pupil file shows of its plan: `schedule`
    (its `schedule_label`) and `open_goals` (the texts of the goals not closed); an ended
    one shows neither. One query; with an active placement one more for its goals and, when
    its schedule is read from lesson slots (not full-time), one for the slots."""
    placements = list(
        Placement.objects.visible_to(user)
        .filter(student=student)
        .select_related("facility")
        .order_by("ended_on", "-start_on")
    )
    active = {placement.pk: placement for placement in placements if placement.is_active}
    if not active:
        return placements
    slots, goals = defaultdict(list), defaultdict(list)
    with_slots = [pk for pk, placement in active.items() if placement.schedule_from_slots]
    if with_slots:
        for placement_id, weekday, hour in PlacementSlot.objects.filter(placement_id__in=with_slots).values_list(
            "placement_id", "weekday", "hour"
        ):
            slots[placement_id].append((weekday, hour))
    open_goals = PlacementGoal.objects.filter(placement_id__in=active, closed_on__isnull=True)
    for placement_id, text in open_goals.order_by("position", "pk").values_list("placement_id", "text"):
        goals[placement_id].append(text)
    for pk, placement in active.items():
        placement.schedule = placement.schedule_label(slots[pk])
        placement.open_goals = goals[pk]
    return placements


def recent_visits(*, user, student, limit: int = 10) -> list[Visit]:
    """The pupil's latest visits `user` may see (notes are for the school's own staff)."""
    return list(
        Visit.objects.visible_to(user)
        .filter(student=student)
        .select_related("facility")
        .order_by("-checked_in_at")[:limit]
    )
