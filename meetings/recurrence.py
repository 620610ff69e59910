"""The dates of a meeting series: python-dateutil's rrule plus the school calendar.

Dates are computed as calendar dates and only then combined with the wall-clock time
in Europe/Amsterdam, so a meeting at 14:00 stays at 14:00 across the change to and from
summer time (its UTC time changes, as it should).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.rrule import WEEKLY, rrule
from django.utils import timezone

from accounts.selectors import school_calendar


@dataclass(frozen=True)
class SeriesDate:
    """One date of a series as the preview shows it."""

    regular: date  # the date the rule gives
    date: date | None  # the date it takes place: None when a holiday cancels it
    holiday: str = ""  # the holiday that skipped or moved it

    @property
    def moved(self):
        return self.date is not None and self.date != self.regular

    @property
    def skipped(self):
        return self.date is None


def _holidays(school, start: date, end: date) -> dict[date, str]:
    """{date: holiday name} for every holiday date of `school` in [start, end] (one query)."""
    days = {}
    for holiday in school_calendar(school=school, start=start, end=end):
        day = max(holiday.start, start)
        while day <= min(holiday.end, end):
            days.setdefault(day, holiday.name)
            day += timedelta(days=1)
    return days


def _next_school_day(day: date, holidays: dict) -> date:
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def series_dates(
    *, school, weekday: int, interval_weeks: int, starts_on: date, ends_on: date, move: bool
) -> list[SeriesDate]:
    """Every date of the series in [starts_on, ends_on], holidays skipped or moved to the
    first school day after the holiday (skipped after all when that would pass the next
    regular date or the end of the series)."""
    # Start the rule on the first such weekday on or after `starts_on`: rrule counts its
    # intervals from the week of dtstart, and that week's weekday may lie before it.
    first = starts_on + timedelta(days=(weekday - starts_on.weekday()) % 7)
    regular = [
        d.date()
        for d in rrule(
            WEEKLY,
            interval=interval_weeks,
            byweekday=weekday,
            dtstart=datetime.combine(first, time()),
            until=datetime.combine(ends_on, time()),
        )
    ]
    # Look a few weeks past the end: a holiday around the last date may move it.
    holidays = _holidays(school, starts_on, ends_on + timedelta(days=7 * interval_weeks + 21))
    result = []
    for n, day in enumerate(regular):
        if day not in holidays:
            result.append(SeriesDate(day, day))
            continue
        name = holidays[day]
        if move:
            moved = _next_school_day(day, holidays)
            limit = regular[n + 1] if n + 1 < len(regular) else ends_on + timedelta(days=1)
            if moved < limit:
                result.append(SeriesDate(day, moved, name))
                continue
        result.append(SeriesDate(day, None, name))
    return result


def local_datetime(day: date, at: time) -> datetime:
    """`day` at wall-clock time `at` in the current time zone (Europe/Amsterdam)."""
    return timezone.make_aware(datetime.combine(day, at))


def local_shift(moment: datetime, *, days: int) -> datetime:
    """`moment` moved by whole calendar days at the same wall-clock time (Europe/Amsterdam):
    a week before a meeting at 14:00 in winter is 14:00 in summer time, 7 days and one
    hour earlier in UTC."""
    local = timezone.localtime(moment).replace(tzinfo=None)
    return timezone.make_aware(local + timedelta(days=days))
