"""The coach's live board of one facility: who is in, who is expected when, who is late."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone

from accounts.selectors import school_calendar

from ..models import Facility, Placement, PlacementSlot, Visit
from .timetable import Block, day_bounds, day_hours, expected_blocks, lesson_hours

# "Expected but not arrived": 10 minutes after the lesson hour started.
LATE_AFTER = timedelta(minutes=10)
# A check-in shortly before the hour counts for it (pupils come early to check in).
EARLY_SLACK = timedelta(minutes=15)


def _covered(block: Block, visits: list[Visit]) -> bool:
    return any(
        v.checked_in_at <= block.end and (v.checked_out_at is None or v.checked_out_at >= block.start - EARLY_SLACK)
        for v in visits
    )


# What the board prints of a pupil (name; the class as `class_name`) and the read log needs
# (school): a check-in answers with the whole board, and today's visits grow all day.
_STUDENT_SHOWN = ("student__school_id", "student__first_name", "student__tussenvoegsel", "student__last_name")

# Board row states, in the order the board lists them.
LATE, EXPECTED, DONE, MISSED = "late", "expected", "done", "missed"
_ORDER = {LATE: 0, EXPECTED: 1, DONE: 2, MISSED: 3}


@dataclass
class BoardRow:
    placement: Placement
    status: str
    block: Block | None = None
    visits: list = field(default_factory=list)

    @property
    def student(self):
        return self.placement.student


@dataclass
class Board:
    facility: Facility
    now: datetime
    is_school_day: bool
    hours: list
    present: list  # open visits, oldest first
    expected: list  # BoardRow, late first
    not_expected: list  # active placements not expected today (Placement)
    done_today: list  # closed visits of today, newest first
    to_correct: list  # visits closed by the end-of-day task

    @property
    def present_count(self):
        return len(self.present)

    @property
    def free_places(self):
        return max(self.facility.capacity - len(self.present), 0)

    @property
    def late_count(self):
        return sum(1 for row in self.expected if row.status == LATE)

    @property
    def students(self) -> list:
        """Every pupil the board shows (for the read log), each once."""
        shown = [v.student for v in self.present + self.done_today + self.to_correct]
        shown += [row.student for row in self.expected] + [p.student for p in self.not_expected]
        return list({s.pk: s for s in shown}.values())


def _shown_visits(facility: Facility):
    """A facility's visits with what the board prints of them, oldest first."""
    return (
        Visit.objects.filter(facility=facility)
        .select_related("student")
        .only(
            "facility_id", "student_id", "planned", "reason", "checked_in_at", "checked_out_at", "note", *_STUDENT_SHOWN
        )
        .annotate(class_name=F("student__school_class__name"))
        .order_by("checked_in_at", "pk")
    )


def board_present(*, facility: Facility) -> list[Visit]:
    """Who is in the room now (open visits, oldest first), as the board prints them: what a
    check-in or -out answers with besides the tapped pupil (one query)."""
    return list(_shown_visits(facility).filter(checked_out_at__isnull=True))


def _row_for(placement: Placement, blocks: list[Block], visits: list[Visit], now: datetime) -> BoardRow:
    for block in blocks:
        if now < block.start:
            return BoardRow(placement, EXPECTED, block, visits)
        if now < block.end and not _covered(block, visits):
            return BoardRow(placement, LATE if now >= block.start + LATE_AFTER else EXPECTED, block, visits)
    return BoardRow(placement, DONE if visits else MISSED, blocks[-1] if blocks else None, visits)


def facility_board(*, facility: Facility, now: datetime | None = None) -> Board:
    """Today's board of a facility: who is in, who is expected when, who is late.

    Six queries whatever the number of placements and visits: timetable, holidays,
    placements (+ slots), today's and open visits, visits to correct.
    """
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    hours = lesson_hours(school=facility.school)  # the school object: no join (see there)
    # Whether a holiday covers today (`holiday_dates` of one day), without building its rows.
    is_school_day = today.weekday() < 5 and not school_calendar(school=facility.school, start=today, end=today).exists()
    placements = list(
        Placement.objects.active()
        .filter(facility=facility, start_on__lte=today)
        .select_related("student")
        .only("student_id", "facility_id", "kind", "start_on", "ended_on", *_STUDENT_SHOWN)
        .annotate(class_name=F("student__school_class__name"))
    )
    # The slots as (weekday, hour) pairs, not model rows: the board reads nothing else of them.
    slots: dict[int, list[tuple[int, int]]] = {placement.pk: [] for placement in placements}
    for placement_id, weekday, hour in (
        PlacementSlot.objects.filter(placement__in=list(slots))
        .order_by("weekday", "hour")
        .values_list("placement_id", "weekday", "hour")
    ):
        slots[placement_id].append((weekday, hour))
    for placement in placements:
        placement.slot_pairs = slots[placement.pk]
    start, end = day_bounds(today)
    visits = list(
        _shown_visits(facility).filter(
            Q(checked_in_at__gte=start, checked_in_at__lt=end) | Q(checked_out_at__isnull=True)
        )
    )
    present = [v for v in visits if v.checked_out_at is None]
    present_ids = {v.student_id for v in present}
    by_student: dict[int, list[Visit]] = {}
    for visit in visits:
        by_student.setdefault(visit.student_id, []).append(visit)

    times = day_hours(today, hours) if is_school_day else {}
    expected, not_expected = [], []
    for placement in placements:
        if placement.student_id in present_ids:
            continue
        blocks = expected_blocks(placement, today, hours, placement.slot_pairs, times) if is_school_day else []
        if not blocks:
            not_expected.append(placement)
            continue
        expected.append(_row_for(placement, blocks, by_student.get(placement.student_id, []), now))
    expected.sort(key=lambda r: (_ORDER[r.status], r.block.start if r.block else now, r.student.last_name))
    not_expected.sort(key=lambda p: (p.student.last_name, p.student.first_name))

    to_correct = list(
        Visit.objects.filter(facility=facility, needs_correction=True)
        .select_related("student")
        .only("facility_id", "student_id", "checked_in_at", "checked_out_at", *_STUDENT_SHOWN)
        .order_by("-checked_in_at")[:20]
    )
    done_today = sorted(
        (v for v in visits if v.checked_out_at is not None), key=lambda v: v.checked_out_at, reverse=True
    )
    return Board(facility, now, is_school_day, hours, present, expected, not_expected, done_today, to_correct)
