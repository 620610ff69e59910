"""Property tests of the pure signal rule (absence/signals.py, issue 24) with hypothesis:
random school calendars (holiday weeks, partial holidays, a zomervakantie that may cross
1 August) and random registrations, compared day by day with a reference written straight
from the rule in docs/absence.md (no sliding windows, no Calendar: every day's window is
counted from scratch).

Invariants, on every day of the calendar:
- the window holds the last four school weeks up to that day (or all school weeks since the
  first, at the start of the calendar);
- its unauthorised (and authorised, late, sent-out) figures are the sums over its school
  days; the trend's four weeks before it likewise;
- the crossing is the first school day, from 1 August of the previous school year, whose
  window held 16 hours after the last report; the thuiszitter run and the level follow;
- over the run, the level is a function of what the window holds (with the crossing and the
  thuiszitter run): a level is never lowered and raised again while the records inside the
  window stay the same, and a crossing keeps its date until a report or a new school year.

How many examples: DAY_BY_DAY_EXAMPLES and LONG_CALENDAR_EXAMPLES (below). CI (CI=true) runs them
derandomized, so every CI run checks the same cases; elsewhere hypothesis draws new ones.
"""

import os
from bisect import bisect_right
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from absence.models import SignalLevel
from absence.signals import Calendar, Thresholds, crossings_from, pupil_figures

# 30 calendars of 40-56 weeks (a school year and more), each checked on every day, and 40
# calendars of 30-80 weeks (across one or two 1 Augusts), each on 20 random days: about
# 10,000 as-of dates, a few seconds in CI.
DAY_BY_DAY_EXAMPLES = 30
LONG_CALENDAR_EXAMPLES = 40
AS_OF_DATES = 20
CI = os.environ.get("CI") == "true"


def _settings(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=CI,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- Random school calendars and pupils -----------------------------------------------------


@st.composite
def school_calendars(draw, min_weeks=12, max_weeks=36):
    """(first Monday, number of weeks, holiday dates). Weeks are school weeks, holiday weeks
    or weeks with some days off; often a zomervakantie of six weeks around 1 August."""
    first = date(2025, 3, 3) + timedelta(weeks=draw(st.integers(0, 40)))
    weeks = draw(st.integers(min_weeks, max_weeks))
    holidays = set()
    for week in range(weeks):
        monday = first + timedelta(weeks=week)
        kind = draw(st.sampled_from(["school"] * 6 + ["holiday", "partial"]))
        if kind == "holiday":
            holidays.update(monday + timedelta(days=n) for n in range(7))
        elif kind == "partial":
            off = draw(st.sets(st.integers(0, 4), min_size=1, max_size=4))
            holidays.update(monday + timedelta(days=n) for n in off)
    if draw(st.booleans()):  # a zomervakantie of six weeks, starting on a Saturday in July
        for year in (2025, 2026, 2027):
            summer = date(year, 6, 28) + timedelta(days=7 * draw(st.integers(0, 4)))
            summer += timedelta(days=(5 - summer.weekday()) % 7)
            holidays.update(summer + timedelta(days=n) for n in range(44))
    return first, weeks, holidays


@st.composite
def pupils(draw, first: date, weeks: int):
    """A pupil's registrations per day (unauthorised, authorised, late, sent out), a report
    date or None, and the school's thresholds."""
    days = weeks * 7
    day = st.integers(0, days - 1).map(lambda n: first + timedelta(days=n))
    totals: dict[date, list[int]] = {}

    def add(on, index, amount):
        totals.setdefault(on, [0, 0, 0, 0])[index] += amount

    for on, minutes in draw(st.lists(st.tuples(day, st.sampled_from([50, 60, 120, 240, 300, 7, 479])), max_size=40)):
        add(on, 0, minutes)
    for on, minutes in draw(st.lists(st.tuples(day, st.sampled_from([50, 300, 480])), max_size=15)):
        add(on, 1, minutes)
    for on in draw(st.lists(day, max_size=15)):
        add(on, 2, 1)
    for on in draw(st.lists(day, max_size=5)):
        add(on, 3, 1)
    for start, length in draw(st.lists(st.tuples(st.integers(0, days - 1), st.integers(2, 5)), max_size=4)):
        for n in range(start, min(start + length, days)):  # a burst: a few days of 4 hours
            add(first + timedelta(days=n), 0, 240)
    if draw(st.booleans()):  # a run of whole days absent: a (possible) thuiszitter
        start = draw(st.integers(0, days - 1))
        length = draw(st.integers(10, 50))
        kind = draw(st.sampled_from([0, 1]))
        for n in range(start, min(start + length, days)):
            add(first + timedelta(days=n), kind, 300)
    records = [(on, *values) for on, values in sorted(totals.items())]
    # Reported on any day, or on a day with absence (is that day's absence reported too?).
    reported_on = draw(st.none() | day | (st.sampled_from(sorted(totals)) if totals else day))
    thresholds = Thresholds(
        early_minutes=draw(st.sampled_from([60, 240, 480, 959])),
        late_per_week=draw(st.integers(1, 4)),
        whole_day_minutes=draw(st.sampled_from([240, 300])),
    )
    return records, reported_on, thresholds


# --- The reference: the rule, counted from scratch for every day ------------------------------


class Reference:
    def __init__(self, first: date, weeks: int, holidays: set[date], records):
        self.first, self.last = first, first + timedelta(weeks=weeks, days=-1)
        self.records = {on: values for on, *values in records}
        self.school_days = [
            first + timedelta(days=n)
            for n in range(weeks * 7)
            if (first + timedelta(days=n)).weekday() < 5 and first + timedelta(days=n) not in holidays
        ]
        school = set(self.school_days)
        # A school week: a calendar week with at least one school day.
        self.school_weeks = sorted({day - timedelta(days=day.weekday()) for day in school})
        self.days_of = {
            monday: [monday + timedelta(days=n) for n in range(5) if monday + timedelta(days=n) in school]
            for monday in self.school_weeks
        }
        self._crossing_days: dict = {}

    def weeks_up_to(self, day: date) -> list[date]:
        monday = day - timedelta(days=day.weekday())
        return self.school_weeks[: bisect_right(self.school_weeks, monday)]

    def window(self, day: date) -> list[list[date]]:
        """The window as of `day`: its school weeks (each a list of its school days up to `day`)."""
        return [[d for d in self.days_of[m] if d <= day] for m in self.weeks_up_to(day)[-4:]]

    def value(self, day, index):
        return self.records.get(day, (0, 0, 0, 0))[index]

    def unreported(self, day: date, reported_on) -> int:
        return sum(
            self.value(d, 0) for week in self.window(day) for d in week if reported_on is None or d > reported_on
        )

    def crossing(self, as_of: date, reported_on) -> date | None:
        start = crossings_from(as_of)
        key = (start, reported_on)
        if key not in self._crossing_days:
            self._crossing_days[key] = [
                d for d in self.school_days if d >= start and self.unreported(d, reported_on) >= 960
            ]
        days = self._crossing_days[key]
        return days[0] if days and days[0] <= as_of else None

    def thuiszitter(self, data_until, whole_day: int) -> date | None:
        if data_until is None:
            return None
        upto = self.school_days[: bisect_right(self.school_days, data_until)]
        if len(upto) < 20:
            return None
        absent = [self.value(d, 0) + self.value(d, 1) >= whole_day for d in upto]
        if not all(absent[-20:]):
            return None
        index = len(upto) - 20
        while index > 0 and absent[index - 1]:
            index -= 1
        return upto[index]

    def figures(self, as_of: date, reported_on, data_until, thresholds: Thresholds) -> dict:
        window = self.window(as_of)
        days = [d for week in window for d in week]
        before = [d for m in self.weeks_up_to(as_of)[-8:-4] for d in self.days_of[m]]
        crossed_on = self.crossing(as_of, reported_on)
        absent_since = self.thuiszitter(data_until, thresholds.whole_day_minutes)
        unauthorised = sum(self.value(d, 0) for d in days)
        late_max_week = max((sum(self.value(d, 2) for d in week) for week in window), default=0)
        if absent_since:
            level = SignalLevel.THUISZITTER
        elif crossed_on:
            level = SignalLevel.REPORT_DUE
        elif unauthorised >= thresholds.early_minutes or late_max_week >= thresholds.late_per_week:
            level = SignalLevel.EARLY
        else:
            level = SignalLevel.NONE
        first_week = self.weeks_up_to(as_of)[-4:]
        return {
            "window_weeks": len(window),
            "window_start": self.days_of[first_week[0]][0] if first_week else None,
            "unauthorised_minutes": unauthorised,
            "authorised_minutes": sum(self.value(d, 1) for d in days),
            "late_count": sum(self.value(d, 2) for d in days),
            "sent_out_count": sum(self.value(d, 3) for d in days),
            "late_max_week": late_max_week,
            "previous_minutes": sum(self.value(d, 0) for d in before),
            "crossed_on": crossed_on,
            "absent_since": absent_since,
            "level": level,
        }

    def window_records(self, as_of: date) -> frozenset:
        """What the window holds: its school days' registrations."""
        return frozenset((d, tuple(self.records[d])) for week in self.window(as_of) for d in week if d in self.records)


FIELDS = [
    "window_weeks",
    "window_start",
    "unauthorised_minutes",
    "authorised_minutes",
    "late_count",
    "sent_out_count",
    "late_max_week",
    "previous_minutes",
    "crossed_on",
    "absent_since",
    "level",
]


def computed(cal, records, as_of, reported_on, data_until, thresholds) -> dict:
    figures = pupil_figures(
        records, cal, as_of=as_of, reported_on=reported_on, data_until=data_until, thresholds=thresholds
    )
    return {name: getattr(figures, name) for name in FIELDS}


def inputs_on(as_of: date, records, reported_on):
    """What the service passes on `as_of`: the report only once it is dated, and the latest
    registered day (for one pupil: their own latest day)."""
    dates = [on for on, *_values in records]
    index = bisect_right(dates, as_of)
    return (reported_on if reported_on and reported_on <= as_of else None), (dates[index - 1] if index else None)


# --- The properties ---------------------------------------------------------------------------


@_settings(LONG_CALENDAR_EXAMPLES)
@given(data=st.data(), calendar=school_calendars(min_weeks=30, max_weeks=80))
def test_the_signal_on_any_day_of_a_long_calendar_follows_the_rule(data, calendar):
    first, weeks, holidays = calendar
    records, reported_on, thresholds = data.draw(pupils(first, weeks))
    cal = Calendar(start=first, end=first + timedelta(weeks=weeks, days=-1), holidays=holidays)
    reference = Reference(first, weeks, holidays, records)
    for n in data.draw(st.lists(st.integers(0, weeks * 7 - 1), min_size=AS_OF_DATES, max_size=AS_OF_DATES)):
        as_of = first + timedelta(days=n)
        reported, data_until = inputs_on(as_of, records, reported_on)
        expected = reference.figures(as_of, reported, data_until, thresholds)
        assert computed(cal, records, as_of, reported, data_until, thresholds) == expected, as_of
        assert expected["window_weeks"] == min(4, len(reference.weeks_up_to(as_of)))


@_settings(DAY_BY_DAY_EXAMPLES)
@given(data=st.data(), calendar=school_calendars(min_weeks=40, max_weeks=56))
def test_day_by_day_the_signal_never_flaps(data, calendar):
    first, weeks, holidays = calendar
    records, reported_on, thresholds = data.draw(pupils(first, weeks))
    reference = Reference(first, weeks, holidays, records)
    level_of: dict = {}
    before = None
    for n in range(weeks * 7):
        as_of = first + timedelta(days=n)
        # As the service builds it: up to as_of's week, with the holidays up to its Sunday.
        cal = Calendar(start=first, end=as_of, holidays={h for h in holidays if h <= Calendar.span(first, as_of)[1]})
        reported, data_until = inputs_on(as_of, records, reported_on)
        figures = computed(cal, records, as_of, reported, data_until, thresholds)
        assert figures == reference.figures(as_of, reported, data_until, thresholds), as_of

        # The level depends on nothing but what the window holds, the crossing and the
        # thuiszitter run: the same window never shows another level (no flapping).
        key = (reference.window_records(as_of), figures["crossed_on"], figures["absent_since"])
        assert level_of.setdefault(key, figures["level"]) == figures["level"], as_of

        # A crossing keeps its date until a report is dated or a new school year starts.
        if (
            before
            and before["crossed_on"]
            and (before["reported"], before["from"]) == (reported, crossings_from(as_of))
        ):
            assert figures["crossed_on"] == before["crossed_on"], as_of
        before = {**figures, "reported": reported, "from": crossings_from(as_of)}
