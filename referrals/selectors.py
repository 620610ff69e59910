"""Reads of the referrals app: the coach's board, the waiting list, facility figures and
group hours. Each selector makes a fixed number of queries, whatever the number of pupils
or visits."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import mean, median

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts.selectors import holiday_dates

from .models import (
    Facility,
    LessonHour,
    Outcome,
    Placement,
    PlacementKind,
    PlacementSlot,
    Referral,
    ReferralState,
    Visit,
)

# "Expected but not arrived": 10 minutes after the lesson hour started.
LATE_AFTER = timedelta(minutes=10)
# A check-in shortly before the hour counts for it (pupils come early to check in).
EARLY_SLACK = timedelta(minutes=15)


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    return _aware(day, time.min), _aware(day + timedelta(days=1), time.min)


def lesson_hours(*, school) -> list[LessonHour]:
    return list(LessonHour.objects.filter(school=school).order_by("number"))


@dataclass
class Block:
    """Consecutive lesson hours on one day when a pupil is expected."""

    first: int
    last: int
    start: datetime
    end: datetime

    @property
    def label(self):
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


def expected_blocks(placement: Placement, day: date, hours: list[LessonHour]) -> list[Block]:
    """When `placement`'s pupil is expected on `day` (uses the prefetched slots)."""
    if not hours or day.weekday() > 4:
        return []
    if placement.kind == PlacementKind.FULL_TIME:
        wanted = [h.number for h in hours]
    else:
        wanted = sorted(s.hour for s in placement.slots.all() if s.weekday == day.weekday())
    by_number = {h.number: h for h in hours}
    blocks: list[Block] = []
    for number in wanted:
        hour = by_number.get(number)
        if hour is None:
            continue
        if blocks and blocks[-1].last == number - 1:
            blocks[-1].last = number
            blocks[-1].end = _aware(day, hour.ends_at)
        else:
            blocks.append(Block(number, number, _aware(day, hour.starts_at), _aware(day, hour.ends_at)))
    return blocks


def _covered(block: Block, visits: list[Visit]) -> bool:
    return any(
        v.checked_in_at <= block.end and (v.checked_out_at is None or v.checked_out_at >= block.start - EARLY_SLACK)
        for v in visits
    )


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
    hours = lesson_hours(school=facility.school_id)
    is_school_day = today.weekday() < 5 and today not in holiday_dates(school=facility.school, start=today, end=today)
    placements = list(
        Placement.objects.active()
        .filter(facility=facility, start_on__lte=today)
        .select_related("student__school_class")
        .prefetch_related(Prefetch("slots", queryset=PlacementSlot.objects.order_by("weekday", "hour")))
    )
    start, end = day_bounds(today)
    visits = list(
        Visit.objects.filter(facility=facility)
        .filter(Q(checked_in_at__gte=start, checked_in_at__lt=end) | Q(checked_out_at__isnull=True))
        .select_related("student__school_class")
        .order_by("checked_in_at", "pk")
    )
    present = [v for v in visits if v.checked_out_at is None]
    present_ids = {v.student_id for v in present}
    by_student: dict[int, list[Visit]] = {}
    for visit in visits:
        by_student.setdefault(visit.student_id, []).append(visit)

    expected, not_expected = [], []
    for placement in placements:
        if placement.student_id in present_ids:
            continue
        blocks = expected_blocks(placement, today, hours) if is_school_day else []
        if not blocks:
            not_expected.append(placement)
            continue
        expected.append(_row_for(placement, blocks, by_student.get(placement.student_id, []), now))
    expected.sort(key=lambda r: (_ORDER[r.status], r.block.start if r.block else now, r.student.last_name))
    not_expected.sort(key=lambda p: (p.student.last_name, p.student.first_name))

    to_correct = list(
        Visit.objects.filter(facility=facility, needs_correction=True)
        .select_related("student")
        .order_by("-checked_in_at")[:20]
    )
    done_today = sorted(
        (v for v in visits if v.checked_out_at is not None), key=lambda v: v.checked_out_at, reverse=True
    )
    return Board(facility, now, is_school_day, hours, present, expected, not_expected, done_today, to_correct)


# --- Referrals --------------------------------------------------------------------------------


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


# --- Figures ----------------------------------------------------------------------------------


def _minutes(visit: Visit, now: datetime) -> float:
    out = visit.checked_out_at or min(now, visit.checked_in_at + timedelta(hours=10))
    return max((out - visit.checked_in_at).total_seconds() / 60, 0)


def _union_minutes(intervals: list[tuple[datetime, datetime]]) -> float:
    """Minutes covered by at least one interval (the time someone was in the room)."""
    total, current_start, current_end = 0.0, None, None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).total_seconds() / 60
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += (current_end - current_start).total_seconds() / 60
    return total


def _peak(intervals: list[tuple[datetime, datetime]]) -> int:
    events = sorted([(s, 1) for s, _e in intervals] + [(e, -1) for _s, e in intervals], key=lambda x: (x[0], x[1]))
    peak = current = 0
    for _moment, step in events:
        current += step
        peak = max(peak, current)
    return peak


@dataclass
class DayFigures:
    day: date
    pupils: int
    visits: int
    pupil_minutes: float
    peak: int
    occupancy: float  # pupil time / (capacity x length of the school day), 0..1


@dataclass
class WeekFigures:
    week_start: date
    pupils: int
    visits: int
    pupil_hours: float
    group_hours: float  # hours someone was in the room (hours delivered, for group funding)
    occupancy: float


@dataclass
class PupilFigures:
    student: object
    visits: int
    unplanned: int
    hours: float


@dataclass
class FacilityFigures:
    facility: Facility
    start: date
    end: date
    days: list
    weeks: list
    pupils: list
    active_by_kind: dict
    ended: int
    back_fully: int
    back_partly: int
    outcomes: list  # (label, count)
    avg_placement_days: float | None
    decided: int
    avg_wait_days: float | None
    median_wait_days: float | None
    waiting_now: int
    avg_waiting_now_days: float | None

    @property
    def return_rate(self):
        """Share of the ended placements whose pupil went back to class, fully or partly."""
        return (self.back_fully + self.back_partly) / self.ended if self.ended else None


def _visits_between(facility, start: date, end: date):
    lower, _ = day_bounds(start)
    _, upper = day_bounds(end)
    return list(
        Visit.objects.filter(facility=facility, checked_in_at__gte=lower, checked_in_at__lt=upper)
        .select_related("student")
        .order_by("checked_in_at")
    )


def _week_rows(visits, *, start, end, capacity, day_minutes, now):
    """Per day and per ISO week: pupils, visits, pupil time, group time, peak, occupancy."""
    per_day: dict[date, list[Visit]] = {}
    for visit in visits:
        per_day.setdefault(timezone.localtime(visit.checked_in_at).date(), []).append(visit)
    days, weeks = [], {}
    for day, rows in sorted(per_day.items()):
        intervals = [(v.checked_in_at, v.checked_in_at + timedelta(minutes=_minutes(v, now))) for v in rows]
        pupil_minutes = sum(_minutes(v, now) for v in rows)
        figures = DayFigures(
            day=day,
            pupils=len({v.student_id for v in rows}),
            visits=len(rows),
            pupil_minutes=pupil_minutes,
            peak=_peak(intervals),
            occupancy=pupil_minutes / (capacity * day_minutes) if day_minutes else 0,
        )
        days.append(figures)
        week = weeks.setdefault(
            day - timedelta(days=day.weekday()),
            {"students": set(), "visits": 0, "pupil": 0.0, "group": 0.0, "occupancy": []},
        )
        week["students"] |= {v.student_id for v in rows}
        week["visits"] += len(rows)
        week["pupil"] += pupil_minutes
        week["group"] += _union_minutes(intervals)
        week["occupancy"].append(figures.occupancy)
    week_rows = [
        WeekFigures(
            week_start=monday,
            pupils=len(w["students"]),
            visits=w["visits"],
            pupil_hours=w["pupil"] / 60,
            group_hours=w["group"] / 60,
            occupancy=mean(w["occupancy"]) if w["occupancy"] else 0,
        )
        for monday, w in sorted(weeks.items())
    ]
    return days, week_rows


def _day_minutes(hours) -> float:
    if not hours:
        return 8 * 60
    first, last = min(h.starts_at for h in hours), max(h.ends_at for h in hours)
    return (datetime.combine(date.min, last) - datetime.combine(date.min, first)).total_seconds() / 60


def facility_figures(*, facility: Facility, start: date, end: date, now: datetime | None = None) -> FacilityFigures:
    """The figures of one facility over [start, end]: occupancy per day and week, visits
    and hours per pupil, outcomes and length of the placements ended in the period,
    waiting time from aanmelding to decision. Six queries, whatever the numbers."""
    now = now or timezone.now()
    hours = lesson_hours(school=facility.school_id)
    visits = _visits_between(facility, start, end)
    days, weeks = _week_rows(
        visits, start=start, end=end, capacity=facility.capacity, day_minutes=_day_minutes(hours), now=now
    )

    per_pupil: dict[int, PupilFigures] = {}
    for visit in visits:
        row = per_pupil.setdefault(visit.student_id, PupilFigures(visit.student, 0, 0, 0.0))
        row.visits += 1
        row.unplanned += 0 if visit.planned else 1
        row.hours += _minutes(visit, now) / 60
    pupils = sorted(per_pupil.values(), key=lambda r: (-r.hours, r.student.last_name))

    active_by_kind = {label: 0 for _value, label in PlacementKind.choices}
    labels = dict(PlacementKind.choices)
    for row in Placement.objects.active().filter(facility=facility).values("kind").annotate(n=Count("pk")):
        active_by_kind[labels[row["kind"]]] = row["n"]

    ended = list(
        Placement.objects.filter(facility=facility, ended_on__gte=start, ended_on__lte=end).values_list(
            "start_on", "ended_on", "outcome"
        )
    )
    outcome_labels = dict(Outcome.choices)
    counts = dict.fromkeys(outcome_labels, 0)
    for _s, _e, outcome in ended:
        counts[outcome] = counts.get(outcome, 0) + 1

    lower, _ = day_bounds(start)
    _, upper = day_bounds(end)
    waits = [
        (decided - created).total_seconds() / 86400
        for created, decided in Referral.objects.filter(
            facility=facility, decided_at__gte=lower, decided_at__lt=upper
        ).values_list("created_at", "decided_at")
    ]
    today = timezone.localdate()
    waiting_now = [
        (today - timezone.localtime(created).date()).days
        for created in Referral.objects.filter(facility=facility, state=ReferralState.WAITING).values_list(
            "created_at", flat=True
        )
    ]
    return FacilityFigures(
        facility=facility,
        start=start,
        end=end,
        days=days,
        weeks=weeks,
        pupils=pupils,
        active_by_kind=active_by_kind,
        ended=len(ended),
        back_fully=counts[Outcome.BACK_FULLY],
        back_partly=counts[Outcome.BACK_PARTLY],
        outcomes=[(outcome_labels[value], counts[value]) for value in outcome_labels],
        avg_placement_days=mean((e - s).days for s, e, _o in ended) if ended else None,
        decided=len(waits),
        avg_wait_days=mean(waits) if waits else None,
        median_wait_days=median(waits) if waits else None,
        waiting_now=len(waiting_now),
        avg_waiting_now_days=mean(waiting_now) if waiting_now else None,
    )


# --- Group arrangements (SO+) ---------------------------------------------------------------


@dataclass
class GroupView:
    facility: Facility
    members: list  # active placements
    workers: list
    weeks: list  # WeekFigures, newest first


def group_view(*, facility: Facility, weeks: int = 8, now: datetime | None = None) -> GroupView:
    """The group, its ambulant worker(s), and the hours delivered per week. Four queries."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    start = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    members = list(
        Placement.objects.active()
        .filter(facility=facility)
        .select_related("student__school_class")
        .order_by("start_on")
    )
    visits = _visits_between(facility, start, today)
    _days, week_rows = _week_rows(
        visits,
        start=start,
        end=today,
        capacity=facility.capacity,
        day_minutes=_day_minutes(lesson_hours(school=facility.school_id)),
        now=now,
    )
    return GroupView(facility, members, list(facility.coaches.all()), list(reversed(week_rows)))


@dataclass
class GroupMonthRow:
    facility: Facility
    student: object | None  # None: the group total
    days: int
    hours: float


def group_hours_per_month(*, school, month: date, now: datetime | None = None) -> tuple[list[GroupMonthRow], list]:
    """For the funding report: per group facility of the school, for one month, the hours
    per pupil and the hours the group met (time someone was in the room). Returns the rows
    and the pupils they name (for the read log). Two queries."""
    now = now or timezone.now()
    first = month.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    lower, _ = day_bounds(first)
    _, upper = day_bounds(last)
    from .models import FacilityKind

    groups = list(Facility.objects.filter(school=school, kind=FacilityKind.GROUP).order_by("name"))
    visits = list(
        Visit.objects.filter(facility__in=groups, checked_in_at__gte=lower, checked_in_at__lt=upper)
        .select_related("student")
        .order_by("checked_in_at")
    )
    rows, students = [], {}
    for group in groups:
        mine = [v for v in visits if v.facility_id == group.pk]
        per_day: dict[date, list] = {}
        per_pupil: dict[int, dict] = {}
        for visit in mine:
            day = timezone.localtime(visit.checked_in_at).date()
            end = visit.checked_in_at + timedelta(minutes=_minutes(visit, now))
            per_day.setdefault(day, []).append((visit.checked_in_at, end))
            entry = per_pupil.setdefault(visit.student_id, {"student": visit.student, "days": set(), "minutes": 0.0})
            entry["days"].add(day)
            entry["minutes"] += _minutes(visit, now)
            students[visit.student_id] = visit.student
        rows.append(GroupMonthRow(group, None, len(per_day), sum(_union_minutes(iv) for iv in per_day.values()) / 60))
        for entry in sorted(per_pupil.values(), key=lambda e: (e["student"].last_name, e["student"].first_name)):
            rows.append(GroupMonthRow(group, entry["student"], len(entry["days"]), entry["minutes"] / 60))
    return rows, list(students.values())


# --- The pupil file ---------------------------------------------------------------------------


def student_placements(*, user, student) -> list[Placement]:
    """The pupil's placements `user` may see (a coach: those of their own facility), active
    first, with slots and goals. Three queries."""
    return list(
        Placement.objects.visible_to(user)
        .filter(student=student)
        .select_related("facility")
        .prefetch_related("slots", "goals")
        .order_by("ended_on", "-start_on")
    )


def recent_visits(*, user, student, limit: int = 10) -> list[Visit]:
    """The pupil's latest visits `user` may see (notes are for the school's own staff)."""
    return list(
        Visit.objects.visible_to(user)
        .filter(student=student)
        .select_related("facility")
        .order_by("-checked_in_at")[:limit]
    )
