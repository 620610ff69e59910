"""The absence signal of one pupil on one day: pure functions of the school calendar, the
pupil's daily totals, the last report to leerplicht and the date. No queries: the service
(absence/signal_service.py) reads those inputs set-based and feeds them in, and the tests
call these functions directly (absence/tests/test_signal_rules.py, test_signal_properties.py).

The rule (docs/absence.md explains it to users; decided in issue 24):

- **School day**: Monday to Friday, outside the school's holidays and days off
  (accounts.HolidayPeriod, the one school calendar; read through accounts.selectors).
- **School week**: a calendar week (Monday–Sunday) with at least one school day. A week
  that is a holiday from Monday to Friday (herfstvakantie, kerstvakantie, the weeks of the
  zomervakantie) is not a school week and is skipped. A week with a *partial* holiday
  (Good Friday, Easter or Whit Monday, Hemelvaart, a study day) *is* a school week, with
  fewer school days. The Calendar always holds whole weeks, so it must be given the
  holidays up to the Sunday of its last week (`Calendar.span`): a holiday cut off at the
  as-of date would make the rest of a holiday week look like school days.
- **"Vier opeenvolgende lesweken"** (Leerplichtwet 1969, art. 21a) are school weeks in
  sequence across every holiday, the zomervakantie included: the last school weeks of
  July and the first of September are consecutive school weeks. MAS wants the pattern to
  count, not the calendar year.
- **Window** as of a date D: the school week containing D (in a holiday: the last school
  week before it) and the 3 school weeks before that, up to and including D. Absence on a
  day that is not a school day (a weekend, a holiday) is kept but never counted.
- **Statutory crossing**: the first school day on which the unauthorised absence in that
  day's window reached 16 hours (960 minutes), counting only absence after the last report
  to leerplicht (reported hours never count again). It may lie in the previous school
  year: crossings are looked for from 1 August of the previous school year (on the first
  school day of that period the window may already hold 16 hours; then that day is the
  crossing). The signal shows the legal condition on the day: a crossing stays until a
  report on or after it is recorded, however far the window has moved on (so a crossing
  of last July shows as overdue in September until it is reported).
- **Early warning**: unauthorised absence in the window at or above the school's threshold
  (default 8 hours), or late at least the school's number of times (default 3) in one
  school week of the window. Late arrivals and removals from class count as
  registrations, never as hours.
- **Thuiszitter**: absent (authorised or not) for at least the school's whole-day minutes
  (default 240) on each of the last 20 school days up to the school's latest registered
  day. Holidays neither break nor count towards the run.
- **Level**: thuiszitter, else statutory report due (a pending crossing), else early
  warning, else none.
"""

from bisect import bisect_left, bisect_right
from collections import deque
from dataclasses import dataclass
from datetime import date, timedelta

from .models import STATUTORY_MINUTES, THUISZITTER_DAYS, WINDOW_WEEKS, MasStep, SignalLevel


@dataclass(frozen=True)
class StepDeadlines:
    """Days a MAS step may take before the overview shows it as overdue: the school's table
    (models.MasDeadlines), these defaults without one. "Onverwijld" in the law for the
    report; the MAS agreement asks for contact with the parents within a week."""

    mentor_contact: int = 7
    adviesgesprek: int = 7
    report: int = 7

    @classmethod
    def of(cls, table) -> "StepDeadlines":
        return cls(table.mentor_contact_days, table.adviesgesprek_days, table.report_days)


# Calendar weeks of history before the crossing search starts (1 August): the window of the
# first school day after the zomervakantie reaches back across it (up to seven weeks) to
# the three school weeks before it. Sixteen leave room for a study week or two.
HISTORY_WEEKS = 16


@dataclass(frozen=True)
class Thresholds:
    early_minutes: int = 8 * 60
    late_per_week: int = 3
    whole_day_minutes: int = 240

    @classmethod
    def of(cls, policy) -> "Thresholds":
        return cls(policy.early_warning_minutes, policy.late_per_week, policy.whole_day_minutes)


def school_year_start(day: date) -> date:
    """1 August of the school year `day` falls in."""
    return date(day.year if day.month >= 8 else day.year - 1, 8, 1)


def crossings_from(as_of: date) -> date:
    """Statutory crossings are looked for from 1 August of the previous school year: a
    crossing of last school year that was never reported still has to be reported."""
    start = school_year_start(as_of)
    return start.replace(year=start.year - 1)


def history_start(as_of: date) -> date:
    """The first day of registrations (and of the calendar) the computation as of `as_of`
    needs: the window of every school day from `crossings_from(as_of)` on, the four school
    weeks before today's window (the trend) and a thuiszitter's run."""
    start = crossings_from(as_of) - timedelta(weeks=HISTORY_WEEKS)
    return start - timedelta(days=start.weekday())


class Calendar:
    """A school's school days and school weeks, in whole weeks from the Monday of `start` to
    the Sunday of `end`. `holidays` must hold every holiday date of that span: fetch them
    over `Calendar.span(start, end)`."""

    def __init__(self, *, start: date, end: date, holidays: set[date]):
        self.week_of: dict[date, int] = {}  # school day -> number of its school week
        self.school_days: list[date] = []
        self.mondays: list[date] = []  # of the school weeks, ascending; index = week number
        self.first_days: list[date] = []  # first school day of each school week
        monday, sunday = self.span(start, end)
        while monday <= sunday:
            days = [monday + timedelta(days=i) for i in range(5)]
            days = [d for d in days if d not in holidays]
            if days:
                number = len(self.mondays)
                self.mondays.append(monday)
                self.first_days.append(days[0])
                for d in days:
                    self.week_of[d] = number
                self.school_days.extend(days)
            monday += timedelta(days=7)

    @staticmethod
    def span(start: date, end: date) -> tuple[date, date]:
        """The whole weeks a calendar from `start` to `end` covers: Monday to Sunday."""
        return start - timedelta(days=start.weekday()), end + timedelta(days=6 - end.weekday())

    def week_at(self, day: date) -> int:
        """The school week containing `day`, or the last one before it (-1: none)."""
        monday = day - timedelta(days=day.weekday())
        return bisect_right(self.mondays, monday) - 1

    def first_day(self, week: int) -> date | None:
        if not self.first_days:
            return None
        return self.first_days[max(week, 0)] if week < len(self.first_days) else self.first_days[-1]

    def school_day_from(self, day: date) -> date | None:
        """The first school day on or after `day`, or None."""
        index = bisect_left(self.school_days, day)
        return self.school_days[index] if index < len(self.school_days) else None

    def last_school_days(self, until: date, n: int) -> list[date]:
        end = bisect_right(self.school_days, until)
        return self.school_days[max(end - n, 0) : end] if end >= n else []


@dataclass
class Figures:
    level: int = SignalLevel.NONE
    unauthorised_minutes: int = 0
    authorised_minutes: int = 0
    previous_minutes: int = 0
    late_count: int = 0
    late_max_week: int = 0
    sent_out_count: int = 0
    crossed_on: date | None = None
    absent_since: date | None = None
    episode_start: date | None = None  # where a new episode would start
    # The window itself (not stored): its first school day and how many school weeks it holds.
    window_start: date | None = None
    window_weeks: int = 0

    def is_empty(self) -> bool:
        return self.level == SignalLevel.NONE and not (
            self.unauthorised_minutes
            or self.authorised_minutes
            or self.previous_minutes
            or self.late_count
            or self.sent_out_count
        )


# One day of one pupil: (date, unauthorised minutes, authorised minutes, times late, times sent out)
Day = tuple[date, int, int, int, int]


def first_crossing(days: list[Day], cal: Calendar, *, search_from: date, reported_on: date | None) -> date | None:
    """The first school day from `search_from` on which the unauthorised minutes in its
    window, counting only days after `reported_on`, reach the statutory 16 hours.

    A sliding window over school weeks, two pointers: the total only rises on a day with
    absence (between those days weeks only drop out of the window), so it is enough to look
    at those days, and at the first school day of the period, whose window may already hold
    16 hours from the school weeks before it (across the zomervakantie)."""
    start = cal.school_day_from(search_from)
    if start is None:
        return None
    start_week = cal.week_of[start]
    window: deque[tuple[int, int]] = deque()
    total = 0
    started = False
    week_of = cal.week_of
    for day, unauthorised, _a, _l, _s in days:
        if not unauthorised or (reported_on is not None and day <= reported_on):
            continue
        week = week_of.get(day)
        if week is None:
            continue
        if not started and day >= start:
            started = True
            while window and window[0][0] <= start_week - WINDOW_WEEKS:
                total -= window.popleft()[1]
            if total >= STATUTORY_MINUTES:
                return start
        while window and window[0][0] <= week - WINDOW_WEEKS:
            total -= window.popleft()[1]
        window.append((week, unauthorised))
        total += unauthorised
        if started and total >= STATUTORY_MINUTES:
            return day
    if not started:
        while window and window[0][0] <= start_week - WINDOW_WEEKS:
            total -= window.popleft()[1]
        if total >= STATUTORY_MINUTES:
            return start
    return None


def thuiszitter_since(
    days: list[Day], cal: Calendar, *, data_until: date | None, whole_day_minutes: int
) -> date | None:
    """The first day of the current run of whole days absent, when that run covers the last
    20 school days up to `data_until`; else None."""
    if data_until is None:
        return None
    absent = [d for d, u, a, _l, _s in days if u + a >= whole_day_minutes and d in cal.week_of]
    if len(absent) < THUISZITTER_DAYS:
        return None
    absent_set = set(absent)
    last = cal.last_school_days(data_until, THUISZITTER_DAYS)
    if not last or any(d not in absent_set for d in last):
        return None
    index = bisect_right(cal.school_days, data_until) - THUISZITTER_DAYS
    while index > 0 and cal.school_days[index - 1] in absent_set:
        index -= 1
    return cal.school_days[index]


def pupil_figures(
    days: list[Day],
    cal: Calendar,
    *,
    as_of: date,
    reported_on: date | None = None,
    data_until: date | None = None,
    thresholds: Thresholds = Thresholds(),  # noqa: B008  (frozen, so one shared default is safe)
) -> Figures:
    """The signal and the figures of one pupil as of `as_of`.

    `days`: the pupil's daily totals in date order, from `history_start(as_of)` (later days
    are ignored); `cal`: the school's calendar over at least that period up to `as_of`;
    `reported_on`: the date of the last report to leerplicht on or before `as_of`;
    `data_until`: the school's latest registered day (for the thuiszitter run).
    """
    if days and days[-1][0] > as_of:
        days = [d for d in days if d[0] <= as_of]
    figures = Figures()
    current = cal.week_at(as_of)
    first_week = max(current - WINDOW_WEEKS + 1, 0)
    if current >= 0:
        figures.window_start = cal.first_day(first_week)
        figures.window_weeks = current - first_week + 1
    late_per_week: dict[int, int] = {}
    week_of = cal.week_of
    for day, unauthorised, authorised, late, sent_out in days:
        week = week_of.get(day)
        if week is None:
            continue
        if first_week <= week <= current:
            figures.unauthorised_minutes += unauthorised
            figures.authorised_minutes += authorised
            figures.late_count += late
            figures.sent_out_count += sent_out
            if late:
                late_per_week[week] = late_per_week.get(week, 0) + late
        elif first_week - WINDOW_WEEKS <= week < first_week:
            figures.previous_minutes += unauthorised
    figures.late_max_week = max(late_per_week.values(), default=0)
    figures.crossed_on = first_crossing(days, cal, search_from=crossings_from(as_of), reported_on=reported_on)
    figures.absent_since = thuiszitter_since(
        days,
        cal,
        data_until=min(data_until, as_of) if data_until else None,
        whole_day_minutes=thresholds.whole_day_minutes,
    )

    if figures.absent_since:
        figures.level = SignalLevel.THUISZITTER
    elif figures.crossed_on:
        figures.level = SignalLevel.REPORT_DUE
    elif figures.unauthorised_minutes >= thresholds.early_minutes or figures.late_max_week >= thresholds.late_per_week:
        figures.level = SignalLevel.EARLY

    if figures.level:
        starts = [figures.window_start]
        if figures.crossed_on:
            starts.append(cal.first_day(week_of[figures.crossed_on] - WINDOW_WEEKS + 1))
        if figures.absent_since:
            starts.append(figures.absent_since)
        figures.episode_start = min((d for d in starts if d is not None), default=None)
    return figures


def next_step(
    *, level: int, crossed_on: date | None, level_since: date, deadlines: StepDeadlines = StepDeadlines()
) -> tuple[int | None, date | None]:
    """The MAS step the signal asks for and the date it is due.

    A pending statutory crossing asks for the report to leerplicht, counted from the
    crossing; a thuiszitter for an adviesgesprek with leerplicht; an early warning for the
    mentor's contact with the parents, each counted from the signal. How many days each
    may take is the school's table (`deadlines`; a week each by default).
    """
    if crossed_on:
        return MasStep.REPORT, crossed_on + timedelta(days=deadlines.report)
    if level == SignalLevel.THUISZITTER:
        return MasStep.ADVIESGESPREK, level_since + timedelta(days=deadlines.adviesgesprek)
    if level == SignalLevel.EARLY:
        return MasStep.MENTOR_CONTACT, level_since + timedelta(days=deadlines.mentor_contact)
    return None, None
