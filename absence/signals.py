"""The absence signal, computed from one pupil's daily totals: pure functions, no queries.

Definitions (docs/absence.md explains them to users):

- **School day**: Monday to Friday, outside the school's holidays and days off
  (accounts.HolidayPeriod, the one school calendar; read through accounts.selectors).
- **School week**: a calendar week (Monday–Sunday) with at least one school day. A week
  that is a holiday from Monday to Friday (herfstvakantie) is not a school week and is
  skipped, so "4 consecutive school weeks" then span 5 calendar weeks. A week with a
  *partial* holiday (Hemelvaart Thursday+Friday, Good Friday, Easter or Whit Monday) *is* a
  school week, with fewer school days; absence on its school days counts in full. This is
  the reading of the Leerplichtwet's "vier opeenvolgende lesweken": weeks in which lessons
  are given.
- Absence registered on a day that is not a school day (a weekend, a holiday) is kept but
  not counted.
- **Window** as of a date D: the school week containing D (or, in a holiday, the last
  school week before it) and the 3 school weeks before that, up to and including D.
- **Statutory crossing**: the first date D in this school year, after the last report to
  leerplicht, on which the unauthorised absence in the window of D (counting only absence
  after that report) reaches 16 hours. It stays until a report to leerplicht is recorded
  on or after it: the duty to report does not lapse when the window moves on.
- **Early warning**: unauthorised absence in the window at or above the school's threshold
  (default 8 hours), or late at least the school's number of times (default 3) in one
  school week of the window.
- **Thuiszitter**: absent (authorised or not) for at least the school's whole-day minutes
  (default 240) on each of the last 20 school days up to the school's latest registered
  day. Holidays neither break nor count towards the run.

Late arrivals and removals from class are counted, not added to the hours.
"""

from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from datetime import date, timedelta

from .models import STATUTORY_MINUTES, THUISZITTER_DAYS, WINDOW_WEEKS, MasStep, SignalLevel

# Days a MAS step may take before the overview shows it as overdue. "Onverwijld" in the
# law for the report; the MAS agreement asks for contact with the parents within a week.
STEP_DUE_DAYS = 7


@dataclass(frozen=True)
class Thresholds:
    early_minutes: int = 8 * 60
    late_per_week: int = 3
    whole_day_minutes: int = 240

    @classmethod
    def of(cls, policy) -> "Thresholds":
        return cls(policy.early_warning_minutes, policy.late_per_week, policy.whole_day_minutes)


class Calendar:
    """A school's school days and school weeks between two dates."""

    def __init__(self, *, start: date, end: date, holidays: set[date]):
        self.week_of: dict[date, int] = {}  # school day -> number of its school week
        self.school_days: list[date] = []
        self.mondays: list[date] = []  # of the school weeks, ascending; index = week number
        self.first_days: list[date] = []  # first school day of each school week
        monday = start - timedelta(days=start.weekday())
        while monday <= end:
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

    def week_at(self, day: date) -> int:
        """The school week containing `day`, or the last one before it (-1: none)."""
        monday = day - timedelta(days=day.weekday())
        return bisect_right(self.mondays, monday) - 1

    def first_day(self, week: int) -> date | None:
        if not self.first_days:
            return None
        return self.first_days[max(week, 0)] if week < len(self.first_days) else self.first_days[-1]

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


def first_crossing(days: list[Day], cal: Calendar, *, year_start: date, reported_on: date | None) -> date | None:
    """The first day on which the unauthorised minutes in its window, counting only days
    after `reported_on`, reach the statutory 16 hours (a sliding window over school weeks)."""
    window: deque[tuple[int, int]] = deque()
    total = 0
    week_of = cal.week_of
    for day, unauthorised, _a, _l, _s in days:
        if not unauthorised or (reported_on is not None and day <= reported_on):
            continue
        week = week_of.get(day)
        if week is None:
            continue
        while window and window[0][0] <= week - WINDOW_WEEKS:
            total -= window.popleft()[1]
        window.append((week, unauthorised))
        total += unauthorised
        if total >= STATUTORY_MINUTES and day >= year_start:
            return day
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
    year_start: date,
    reported_on: date | None,
    data_until: date | None,
    thresholds: Thresholds,
) -> Figures:
    """The signal and the figures of one pupil as of `as_of`. `days` are the pupil's daily
    totals up to `as_of`, in date order."""
    figures = Figures()
    current = cal.week_at(as_of)
    first_week = current - WINDOW_WEEKS + 1
    late_per_week: dict[int, int] = {}
    week_of = cal.week_of
    for day, unauthorised, authorised, late, sent_out in days:
        week = week_of.get(day)
        if week is None or day > as_of:
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
    figures.crossed_on = first_crossing(days, cal, year_start=year_start, reported_on=reported_on)
    figures.absent_since = thuiszitter_since(
        days, cal, data_until=data_until, whole_day_minutes=thresholds.whole_day_minutes
    )

    if figures.absent_since:
        figures.level = SignalLevel.THUISZITTER
    elif figures.crossed_on:
        figures.level = SignalLevel.REPORT_DUE
    elif figures.unauthorised_minutes >= thresholds.early_minutes or figures.late_max_week >= thresholds.late_per_week:
        figures.level = SignalLevel.EARLY

    if figures.level:
        starts = [cal.first_day(first_week)]
        if figures.crossed_on:
            starts.append(cal.first_day(week_of[figures.crossed_on] - WINDOW_WEEKS + 1))
        if figures.absent_since:
            starts.append(figures.absent_since)
        figures.episode_start = min(d for d in starts if d is not None)
    return figures


def next_step(*, level: int, crossed_on: date | None, level_since: date) -> tuple[int | None, date | None]:
    """The MAS step the signal asks for and the date it is due.

    A pending statutory crossing asks for the report to leerplicht within a week of the
    crossing; a thuiszitter for an adviesgesprek with leerplicht; an early warning for the
    mentor's contact with the parents, each within a week of the signal.
    """
    if crossed_on:
        return MasStep.REPORT, crossed_on + timedelta(days=STEP_DUE_DAYS)
    if level == SignalLevel.THUISZITTER:
        return MasStep.ADVIESGESPREK, level_since + timedelta(days=STEP_DUE_DAYS)
    if level == SignalLevel.EARLY:
        return MasStep.MENTOR_CONTACT, level_since + timedelta(days=STEP_DUE_DAYS)
    return None, None


def school_year_start(day: date) -> date:
    """1 August of the school year `day` falls in."""
    return date(day.year if day.month >= 8 else day.year - 1, 8, 1)
