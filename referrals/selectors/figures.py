"""Figures of a facility (occupancy, visits and hours, outcomes, waiting time) and of the
SO+ groups (hours delivered, the monthly funding report)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import mean, median

from django.db.models import Count
from django.utils import timezone

from ..models import Facility, FacilityKind, Outcome, Placement, PlacementKind, Referral, ReferralState, Visit
from .timetable import day_bounds, lesson_hours


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


def _week_rows(visits, *, capacity, day_minutes, now):
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
    days, weeks = _week_rows(visits, capacity=facility.capacity, day_minutes=_day_minutes(hours), now=now)

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


# --- The same figures for a reader without the pupils' rows (the school leader) -------------


@dataclass
class SuppressedRow:
    label: object  # a date (week start or day)
    pupils: object
    visits: object
    pupil_hours: object
    peak: object
    occupancy: object


@dataclass
class SuppressedFacilityFigures:
    """`FacilityFigures` with every figure a `carecoord.suppression.Cell`: under 5 pupils
    "< 5", and what is built on them (visits, hours, occupancy of a day with 1 pupil, the
    averages of fewer than 5 placements) suppressed with it."""

    facility: Facility
    start: date
    end: date
    return_rate: object
    back_fully: object
    back_partly: object
    ended: object
    avg_placement_days: object
    avg_wait_days: object
    median_wait_days: object
    decided: object
    waiting_now: object
    avg_waiting_now_days: object
    weeks: list
    days: list
    active_by_kind: dict
    outcomes: list
    pupils: list
    suppressed: bool = True


def suppress_facility_figures(figures: FacilityFigures) -> SuppressedFacilityFigures:
    from carecoord import suppression as s

    def small_row(label, pupils, visits, hours, peak, occupancy):
        hidden = s.is_small(pupils)
        return SuppressedRow(
            label,
            s.count(pupils),
            s.HIDDEN if hidden else s.Cell(visits),
            s.HIDDEN if hidden else s.Cell(round(hours, 1), decimals=1),
            s.HIDDEN if hidden or s.is_small(peak) else s.Cell(peak),
            s.HIDDEN if hidden else s.Cell(round(100 * occupancy), unit="%"),
        )

    def average(value, n):
        return s.HIDDEN if s.is_small(n) else s.Cell(None if value is None else round(value))

    outcome_cells, _total = s.group([n for _label, n in figures.outcomes])
    kinds, _total = s.group(list(figures.active_by_kind.values()))
    back = figures.back_fully + figures.back_partly
    return SuppressedFacilityFigures(
        facility=figures.facility,
        start=figures.start,
        end=figures.end,
        return_rate=s.percentage(back, figures.ended),
        back_fully=s.count(figures.back_fully),
        back_partly=s.count(figures.back_partly),
        ended=s.count(figures.ended),
        avg_placement_days=average(figures.avg_placement_days, figures.ended),
        avg_wait_days=average(figures.avg_wait_days, figures.decided),
        median_wait_days=average(figures.median_wait_days, figures.decided),
        decided=s.count(figures.decided),
        waiting_now=s.count(figures.waiting_now),
        avg_waiting_now_days=average(figures.avg_waiting_now_days, figures.waiting_now),
        weeks=[small_row(w.week_start, w.pupils, w.visits, w.pupil_hours, 0, w.occupancy) for w in figures.weeks],
        days=[small_row(d.day, d.pupils, d.visits, d.pupil_minutes / 60, d.peak, d.occupancy) for d in figures.days],
        active_by_kind=dict(zip(figures.active_by_kind, kinds, strict=True)),
        outcomes=[(label, cell) for (label, _n), cell in zip(figures.outcomes, outcome_cells, strict=True)],
        pupils=[],
    )
