"""Reads of the absence app: the school's overview and one pupil's absence."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    F,
    Max,
    OuterRef,
    PositiveSmallIntegerField,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from accounts.selectors import holiday_dates
from students.selectors import ShownPupil

from . import signals
from .models import AbsenceKind, AbsenceRecord, AbsenceSignal, EscalationStep, SignalLevel, hours


def with_current_step(signals_qs, *, today: date, steps_taken: bool = True):
    """Annotate each signal with the pupil's highest MAS step since the episode started
    (`current_step`, `current_step_on`) and whether the step the signal asks for is late
    (`overdue`). Two correlated subqueries on an index: no query per row.

    `steps_taken=False`: the caller knows these pupils have no MAS step at all (the pupil
    file asks students/presence.py), so the step is empty without the subqueries; building
    them (four, with `overdue`'s) was most of the absence panel's time. `overdue` is the
    same rule either way."""
    return with_mas_step(signals_qs, steps_taken=steps_taken).annotate(
        overdue=Case(When(overdue_q(today), then=True), default=False, output_field=BooleanField())
    )


def with_mas_step(signals_qs, *, steps_taken: bool = True):
    """`with_current_step` without `overdue`: the overview works that out per row in Python
    (`is_overdue`), which costs less than Django building the CASE into the query."""
    if not steps_taken:
        return signals_qs.annotate(
            current_step=Value(None, output_field=PositiveSmallIntegerField()),
            current_step_on=Value(None, output_field=DateField()),
        )
    steps = _steps_since_episode()
    return signals_qs.annotate(
        current_step=Subquery(steps.values("step")[:1]),
        current_step_on=Subquery(steps.values("on")[:1]),
    )


def _steps_since_episode():
    # The pupil's MAS steps since the signal's episode started, the highest (then latest) first.
    return EscalationStep.objects.filter(student=OuterRef("student_id"), on__gte=OuterRef("episode_start")).order_by(
        "-step", "-on"
    )


def overdue_q(today: date) -> Q:
    """The step the signal asks for is past its date and not yet taken (on a queryset
    annotated by `with_current_step`). Aggregates use this Q, not the `overdue` alias.
    `is_overdue` says the same of one row in Python."""
    return Q(next_step__isnull=False, next_step_due__lt=today) & (
        Q(current_step__isnull=True) | Q(current_step__lt=F("next_step"))
    )


def is_overdue(next_step, next_step_due, current_step, today: date) -> bool:
    """`overdue_q` for one signal's values (a date that is NULL is never past, as in SQL)."""
    return (
        next_step is not None
        and next_step_due is not None
        and next_step_due < today
        and (current_step is None or current_step < next_step)
    )


@dataclass
class Overview:
    rows: object  # the queryset to paginate
    counts: dict
    data_until: date | None
    today: date  # the day `overdue` is judged on
    # How many rows there are, when the counts already say it (no filter beyond a level):
    # the paginator then need not count them again. None: let it count.
    row_count: int | None = None


def overview(*, user, school, show: str = "signalled", level: str = "", school_class=None, q: str = "", overdue=False):
    """The school's absence overview for `user`: signals of active pupils they may see, most
    serious first. A fixed number of queries (rows, counts, date of the latest registration)."""
    from students.selectors import search

    today = timezone.localdate()
    signals_qs = AbsenceSignal.objects.visible_to(user).filter(school=school, student__left_on__isnull=True)
    counts = _counts(signals_qs, today=today)
    rows = with_mas_step(signals_qs)
    row_count = None
    if show != "all" and school_class is None and not q and not overdue:
        per_level = {
            SignalLevel.EARLY: counts["early"],
            SignalLevel.REPORT_DUE: counts["report_due"],
            SignalLevel.THUISZITTER: counts["thuiszitter"],
        }
        row_count = per_level.get(int(level), 0) if level.isdigit() else sum(per_level.values())
    if show != "all":
        rows = rows.signalled()
    if level.isdigit():
        rows = rows.filter(level=int(level))
    if school_class is not None:
        rows = rows.filter(student__school_class=school_class)
    if overdue:
        rows = rows.filter(overdue_q(today))
    if q:
        from students.models import Student

        rows = rows.filter(student__in=search(Student.objects.filter(school=school), q).values("pk"))
    rows = rows.order_by("-level", "-unauthorised_minutes", "student__last_name", "student__first_name", "pk")
    data_until = AbsenceRecord.objects.filter(school=school).aggregate(last=Max("date"))["last"]
    return Overview(rows, counts, data_until, today, row_count)


def _counts(signals_qs, *, today: date) -> dict:
    """The overview's five figures, counted here from one row of five values per signal that
    a count can include (a level, a crossed threshold, a step asked for): a region school has
    ~2,000 signal rows of which a few hundred count, and only those get their MAS step looked
    up (5.1 → 1.8 ms, docs/performance.md). Django's `aggregate` of five filtered counts over
    the annotated rows cost about three times as much Python as the counting loop and this
    plainer query together."""
    counted = Q(level__gt=SignalLevel.NONE) | Q(crossed_on__isnull=False) | Q(next_step__isnull=False)
    rows = (
        signals_qs.filter(counted)
        .annotate(current_step=Subquery(_steps_since_episode().values("step")[:1]))
        .values_list("level", "crossed_on", "next_step", "next_step_due", "current_step")
    )
    per_level = {SignalLevel.EARLY: 0, SignalLevel.REPORT_DUE: 0, SignalLevel.THUISZITTER: 0}
    crossed = overdue = 0
    for level, crossed_on, next_step, next_step_due, current_step in rows:
        if level in per_level:
            per_level[level] += 1
        if crossed_on is not None:
            crossed += 1
        if is_overdue(next_step, next_step_due, current_step, today):
            overdue += 1
    return {
        "early": per_level[SignalLevel.EARLY],
        "report_due": per_level[SignalLevel.REPORT_DUE],
        "thuiszitter": per_level[SignalLevel.THUISZITTER],
        "crossed": crossed,
        "overdue": overdue,
    }


# What a row of the overview shows (absence.rows), as plain values; `overview_page` adds
# `overdue`.
ROW_VALUES = (
    "student_id",
    "student__school_id",
    "student__first_name",
    "student__tussenvoegsel",
    "student__last_name",
    "student__student_number",
    "student__school_class__name",
    "level",
    "level_since",
    "unauthorised_minutes",
    "authorised_minutes",
    "previous_minutes",
    "late_count",
    "late_max_week",
    "sent_out_count",
    "crossed_on",
    "absent_since",
    "next_step",
    "next_step_due",
    "current_step",
    "current_step_on",
)


def overview_page(overview: Overview, number, per_page):
    """Page `number` of the overview's rows, as the values a row shows and whether its step
    is late (`overdue`): no model objects for the 50 signals and their pupils and classes.
    The paginator counts the rows itself, without the joins the values need, unless the
    counts already say how many there are (Overview.row_count)."""
    paginator = Paginator(overview.rows, per_page)
    if overview.row_count is not None:
        paginator.count = overview.row_count  # Paginator.count is a cached property: this is its value
    page = paginator.get_page(number)
    today = overview.today
    rows = list(page.object_list.values(*ROW_VALUES))
    for row in rows:
        row["overdue"] = is_overdue(row["next_step"], row["next_step_due"], row["current_step"], today)
    page.object_list = rows
    return page


def shown_pupils(rows) -> list:
    """The pupils of a page of `overview_page`, for the read log."""
    return [ShownPupil(row["student_id"], row["student__school_id"]) for row in rows]


def signal_for(*, student, steps_taken: bool = True):
    """The pupil's signal with its current step (one query), or None. `steps_taken`: see
    `with_current_step`."""
    return with_current_step(
        AbsenceSignal.objects.filter(student=student), today=timezone.localdate(), steps_taken=steps_taken
    ).first()


def signal_calendar(*, school, start: date, end: date) -> signals.Calendar:
    """The school's calendar for the absence rules from `start` to `end`, in whole weeks (one
    query). The holidays are read up to the Sunday of `end`'s week: a holiday cut off at
    `end` would make the rest of a holiday week look like school days (issue 24)."""
    first, last = signals.Calendar.span(start, end)
    return signals.Calendar(start=first, end=last, holidays=holiday_dates(school=school, start=first, end=last))


@dataclass
class WeekRow:
    monday: date
    school_days: int
    unauthorised: float
    authorised: float
    late: int
    sent_out: int
    in_window: bool


def weeks(*, student, as_of: date | None = None, count: int = 10) -> list[WeekRow]:
    """The pupil's absence per school week, the last `count` school weeks, newest first
    (two queries: the school calendar and the registrations)."""
    as_of = as_of or timezone.localdate()
    start = as_of - timedelta(weeks=count + 8)
    cal = signal_calendar(school=student.school, start=start, end=as_of)
    current = cal.week_at(as_of)
    first = max(current - count + 1, 0)
    totals = {w: [0, 0, 0, 0] for w in range(first, current + 1)}
    for day, kind, minutes in AbsenceRecord.objects.filter(
        student=student, date__gte=cal.mondays[first] if cal.mondays else start, date__lte=as_of
    ).values_list("date", "kind", "minutes"):
        week = cal.week_of.get(day)
        if week not in totals:
            continue
        if kind == AbsenceKind.UNAUTHORISED:
            totals[week][0] += minutes
        elif kind == AbsenceKind.AUTHORISED:
            totals[week][1] += minutes
        elif kind == AbsenceKind.LATE:
            totals[week][2] += 1
        else:
            totals[week][3] += 1
    days_per_week: dict[int, int] = {}
    for week in cal.week_of.values():
        days_per_week[week] = days_per_week.get(week, 0) + 1
    return [
        WeekRow(
            monday=cal.mondays[w],
            school_days=days_per_week.get(w, 0),
            unauthorised=hours(t[0]),
            authorised=hours(t[1]),
            late=t[2],
            sent_out=t[3],
            in_window=w > current - signals.WINDOW_WEEKS,
        )
        for w, t in sorted(totals.items(), reverse=True)
    ]


def records(*, user, student):
    return AbsenceRecord.objects.visible_to(user).filter(student=student).select_related("recorded_by")


def steps(*, user, student):
    return EscalationStep.objects.visible_to(user).filter(student=student).select_related("recorded_by")
