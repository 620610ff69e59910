"""Reference table for the pure signal rule (absence/signals.py, issue 24): every named edge
case, with the expected figures worked out by hand from the rule in docs/absence.md on the
calendars of tests/calendars.py. No database.

Each row: registrations (date, minutes, o = ongeoorloofd / g = geoorloofd / tl = te laat /
v = verwijderd), the as-of dates it is checked on, and what the signal must show on each of
them: unauthorised minutes in the window, level, crossing date, first day of the window.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from absence.models import MasStep, SignalLevel, hours
from absence.signals import Figures, Thresholds, crossings_from, next_step, pupil_figures

from .calendars import MIDDEN, NOORD, calendar, d, daily, days_between

NONE, EARLY, REPORT, THUIS = SignalLevel.NONE, SignalLevel.EARLY, SignalLevel.REPORT_DUE, SignalLevel.THUISZITTER


@dataclass
class Row:
    registrations: list
    as_of: list[str]
    minutes: int
    level: int
    crossed_on: str | None = None
    window_start: str | None = None
    holidays: set = field(default_factory=lambda: MIDDEN)
    reported_on: str | None = None
    data_until: str | None = None  # the school's latest registered day; default: the as-of date
    more: dict = field(default_factory=dict)  # other figures to check


def weekdays(first: str, last: str) -> list[str]:
    return [f"{day:%d-%m-%Y}" for day in days_between(first, last) if day.weekday() < 5]


def every_day(first: str, last: str) -> list[str]:
    return [f"{day:%d-%m-%Y}" for day in days_between(first, last)]


def absent(dates, minutes: int, kind: str = "o") -> list:
    return [(day, minutes, kind) for day in dates]


# The issue's example: herfstvakantie 18-26 October 2025, 2 hours on four Wednesdays (8 hours).
HERFST = absent(["24-09-2025", "01-10-2025", "08-10-2025", "15-10-2025"], 120)
# The same pattern before the kerstvakantie (20-12-2025 to 04-01-2026: two holiday weeks).
KERST = absent(["26-11-2025", "03-12-2025", "10-12-2025", "17-12-2025"], 120)
# 16 hours on 7-10 July 2025 (region noord: school days), nothing after.
JULY = absent(["07-07-2025", "08-07-2025", "09-07-2025", "10-07-2025"], 240)

ROWS = {
    # --- As of every day of a holiday week: the window is the last school week before it
    # and the three before that (the holiday week is no school week).
    "herfst: issue example, every day of the holiday weekend and week": Row(
        HERFST, every_day("17-10-2025", "26-10-2025"), 480, EARLY, window_start="22-09-2025"
    ),
    "herfst: the first school day after it, 24-09 leaves the window": Row(
        HERFST, ["27-10-2025"], 360, NONE, window_start="29-09-2025"
    ),
    "kerst: every day of both holiday weeks": Row(
        KERST, every_day("20-12-2025", "04-01-2026"), 480, EARLY, window_start="24-11-2025"
    ),
    "kerst: the first school day after it": Row(KERST, ["05-01-2026"], 360, NONE, window_start="01-12-2025"),
    "zomer: every day of a summer week, across 1 August, the crossing of July stays": Row(
        JULY,
        every_day("28-07-2025", "10-08-2025"),
        960,
        REPORT,
        crossed_on="10-07-2025",
        window_start="16-06-2025",
        holidays=NOORD,
    ),
    # --- Windows across a holiday: school weeks in sequence.
    "across kerst: 8 h before and 8 h after is a crossing": Row(
        absent(["15-12-2025", "16-12-2025", "05-01-2026", "06-01-2026"], 240),
        ["06-01-2026"],
        960,
        REPORT,
        crossed_on="06-01-2026",
        window_start="01-12-2025",
    ),
    "across kerst: the first and the fourth school week (six calendar weeks) are one window": Row(
        absent(["08-12-2025", "13-01-2026"], 480),
        ["13-01-2026"],
        960,
        REPORT,
        crossed_on="13-01-2026",
        window_start="08-12-2025",
    ),
    "across kerst: 5 school weeks apart is not": Row(
        absent(["01-12-2025", "13-01-2026"], 480), ["13-01-2026"], 480, EARLY, window_start="08-12-2025"
    ),
    # --- A school week with a public holiday on Monday is a school week; absence on the
    # holiday itself is not counted.
    "Pasen: the crossing on the Tuesday after Easter Monday": Row(
        absent(["16-03-2026", "24-03-2026", "02-04-2026", "07-04-2026"], 240)
        + [("03-04-2026", 300, "o"), ("06-04-2026", 600, "o")],
        ["07-04-2026"],
        960,
        REPORT,
        crossed_on="07-04-2026",
        window_start="16-03-2026",
    ),
    "Pasen: on Easter Monday the week is a school week without school days yet": Row(
        absent(["16-03-2026", "24-03-2026", "02-04-2026", "07-04-2026"], 240) + [("06-04-2026", 600, "o")],
        ["06-04-2026"],
        720,
        EARLY,
        window_start="16-03-2026",
    ),
    "Pasen: on Good Friday": Row(
        absent(["16-03-2026", "24-03-2026", "02-04-2026"], 240) + [("03-04-2026", 300, "o")],
        ["03-04-2026"],
        720,
        EARLY,
        window_start="09-03-2026",
    ),
    "Pinksteren: the crossing on the Tuesday after Whit Monday (Hemelvaart two weeks before)": Row(
        absent(["06-05-2026", "13-05-2026", "20-05-2026", "26-05-2026"], 240)
        + [("14-05-2026", 300, "o"), ("25-05-2026", 300, "o")],
        ["26-05-2026"],
        960,
        REPORT,
        crossed_on="26-05-2026",
        window_start="04-05-2026",
    ),
    "Pinksteren: on Whit Monday": Row(
        absent(["06-05-2026", "13-05-2026", "20-05-2026"], 240) + [("25-05-2026", 300, "o")],
        ["25-05-2026"],
        720,
        EARLY,
        window_start="04-05-2026",
    ),
    "Pinksteren: the Friday before, the meivakantie week skipped": Row(
        absent(["06-05-2026", "13-05-2026", "20-05-2026"], 240),
        ["22-05-2026"],
        720,
        EARLY,
        window_start="20-04-2026",
    ),
    # --- The statutory threshold itself.
    "exactly 960 minutes is a crossing": Row(
        absent(["02-03-2026", "09-03-2026", "16-03-2026", "23-03-2026"], 240),
        ["27-03-2026"],
        960,
        REPORT,
        crossed_on="23-03-2026",
        window_start="02-03-2026",
    ),
    "959 minutes is not (15,9 hours)": Row(
        absent(["02-03-2026", "09-03-2026", "16-03-2026"], 240) + [("23-03-2026", 239, "o")],
        ["27-03-2026"],
        959,
        EARLY,
        window_start="02-03-2026",
    ),
    # --- Late arrivals and removals are registrations, never hours.
    "late 5 times a week for 4 weeks: an early warning, no hours": Row(
        [(day, 30, "tl") for day in weekdays("02-03-2026", "27-03-2026")],
        ["27-03-2026"],
        0,
        EARLY,
        window_start="02-03-2026",
        more={"late_count": 20, "late_max_week": 5},
    ),
    "late twice in each of two weeks: below 3 in one week": Row(
        [(day, 25, "tl") for day in ["09-03-2026", "11-03-2026", "17-03-2026", "19-03-2026"]],
        ["27-03-2026"],
        0,
        NONE,
        window_start="02-03-2026",
        more={"late_count": 4, "late_max_week": 2},
    ),
    "sent out of class 10 times": Row(
        [(day, 50, "v") for day in weekdays("09-03-2026", "20-03-2026")],
        ["27-03-2026"],
        0,
        NONE,
        window_start="02-03-2026",
        more={"sent_out_count": 10},
    ),
    # --- Authorised absence never counts towards the hours.
    "authorised only, 19 whole days: no signal": Row(
        absent(weekdays("02-03-2026", "26-03-2026"), 300, "g"),
        ["26-03-2026"],
        0,
        NONE,
        window_start="02-03-2026",
        more={"authorised_minutes": 19 * 300},
    ),
    "authorised only, 20 whole days: a thuiszitter (long-term sick)": Row(
        absent(weekdays("02-03-2026", "27-03-2026"), 300, "g"),
        ["27-03-2026"],
        0,
        THUIS,
        window_start="02-03-2026",
        more={"authorised_minutes": 20 * 300, "absent_since": d("02-03-2026")},
    ),
    # --- The first four school weeks of the year reach back across the zomervakantie.
    "first week of the year: the last three school weeks before the summer": Row(
        absent(["07-07-2025", "14-07-2025", "02-09-2025"], 240),
        ["03-09-2025"],
        720,
        EARLY,
        window_start="30-06-2025",
    ),
    "second week: 8 h in July and 8 h in September is a crossing in the new year": Row(
        absent(["07-07-2025", "14-07-2025", "02-09-2025", "09-09-2025"], 240),
        ["09-09-2025"],
        960,
        REPORT,
        crossed_on="09-09-2025",
        window_start="07-07-2025",
    ),
    "third week: July leaves the window, the crossing stays": Row(
        absent(["07-07-2025", "14-07-2025", "02-09-2025", "09-09-2025"], 240),
        ["15-09-2025"],
        720,
        REPORT,
        crossed_on="09-09-2025",
        window_start="14-07-2025",
    ),
    "fourth week: the window is all September, the crossing stays until reported": Row(
        absent(["07-07-2025", "14-07-2025", "02-09-2025", "09-09-2025"], 240),
        ["22-09-2025"],
        480,
        REPORT,
        crossed_on="09-09-2025",
        window_start="01-09-2025",
    ),
    # --- The summer boundary cases of the issue (region noord, zomervakantie 12-07 to 24-08-2025).
    "summer: 8 h on 8-9 July and 8 h on 26-27 August is a crossing on 27-08": Row(
        absent(["08-07-2025", "09-07-2025", "26-08-2025", "27-08-2025"], 240),
        ["27-08-2025"],
        960,
        REPORT,
        crossed_on="27-08-2025",
        window_start="23-06-2025",
        holidays=NOORD,
    ),
    "summer: the day before, 12 hours": Row(
        absent(["08-07-2025", "09-07-2025", "26-08-2025"], 240),
        ["26-08-2025"],
        720,
        EARLY,
        window_start="23-06-2025",
        holidays=NOORD,
    ),
    "summer: 16 h on 7-10 July, nothing after: crossed on 10-07 (last school year), overdue": Row(
        JULY, ["05-09-2025"], 960, REPORT, crossed_on="10-07-2025", window_start="30-06-2025", holidays=NOORD
    ),
    "summer: one more minute on 25 August does not move the crossing": Row(
        JULY + [("25-08-2025", 1, "o")],
        ["05-09-2025"],
        961,
        REPORT,
        crossed_on="10-07-2025",
        window_start="30-06-2025",
        holidays=NOORD,
    ),
    "summer: reported on 11 July, the same hours never count again": Row(
        JULY + [("26-08-2025", 240, "o")],
        ["05-09-2025"],
        1200,
        EARLY,  # the window's hours still make an early warning; the report is done
        window_start="30-06-2025",
        holidays=NOORD,
        reported_on="11-07-2025",
    ),
    "summer: the absence of the day of the report is reported too": Row(
        JULY + absent(["11-07-2025", "25-08-2025", "26-08-2025", "27-08-2025"], 240),
        ["27-08-2025"],
        1920,
        EARLY,
        window_start="23-06-2025",
        holidays=NOORD,
        reported_on="11-07-2025",
    ),
    "summer: after the report, 16 new hours are the next crossing": Row(
        JULY + absent(["26-08-2025", "27-08-2025", "28-08-2025", "29-08-2025"], 240),
        ["29-08-2025"],
        1920,
        REPORT,
        crossed_on="29-08-2025",
        window_start="23-06-2025",
        holidays=NOORD,
        reported_on="11-07-2025",
    ),
    "summer: 31 July and 1 August show the same": Row(
        JULY,
        ["31-07-2025", "01-08-2025"],
        960,
        REPORT,
        crossed_on="10-07-2025",
        window_start="16-06-2025",
        holidays=NOORD,
    ),
    # Crossings are looked for from 1 August of the previous school year: a crossing of July
    # 2024 that was never reported shows until 31 July 2025, then on the first school day of
    # 2024-2025 (whose window, across the summer, still holds those hours).
    "an unreported crossing of two school years back": Row(
        absent(["08-07-2024", "09-07-2024", "10-07-2024", "11-07-2024"], 240),
        ["31-07-2025"],
        0,
        REPORT,
        crossed_on="11-07-2024",
        window_start="23-06-2025",
    ),
    "an unreported crossing of two school years back, from 1 August": Row(
        absent(["08-07-2024", "09-07-2024", "10-07-2024", "11-07-2024"], 240),
        ["01-08-2025"],
        0,
        REPORT,
        crossed_on="02-09-2024",
        window_start="23-06-2025",
    ),
    # --- Thuiszitter: every school day absent, holidays neither break nor count.
    "thuiszitter across kerst: 25 school days absent": Row(
        absent(weekdays("01-12-2025", "19-12-2025") + weekdays("05-01-2026", "16-01-2026"), 300),
        ["16-01-2026"],
        6000,
        THUIS,
        crossed_on="04-12-2025",
        window_start="08-12-2025",
        more={"absent_since": d("01-12-2025")},
    ),
    "thuiszitter: through the kerstvakantie on the last registered day": Row(
        absent(weekdays("17-11-2025", "19-12-2025"), 300),
        every_day("20-12-2025", "04-01-2026"),
        6000,
        THUIS,
        crossed_on="20-11-2025",
        window_start="24-11-2025",
        data_until="19-12-2025",
        more={"absent_since": d("17-11-2025")},
    ),
    "thuiszitter: 19 school days is not yet": Row(
        absent(weekdays("01-12-2025", "19-12-2025") + weekdays("05-01-2026", "08-01-2026"), 300),
        ["08-01-2026"],
        5700,
        REPORT,
        crossed_on="04-12-2025",
        window_start="01-12-2025",
        more={"absent_since": None},
    ),
}


def _cases():
    for name, row in ROWS.items():
        for as_of in row.as_of:
            yield pytest.param(row, as_of, id=f"{name} | {as_of}")


@pytest.mark.parametrize(("row", "as_of"), list(_cases()))
def test_signal_on_the_day(row: Row, as_of: str):
    figures = pupil_figures(
        daily(row.registrations),
        calendar(row.holidays),
        as_of=d(as_of),
        reported_on=d(row.reported_on) if row.reported_on else None,
        data_until=d(row.data_until or as_of),
        thresholds=Thresholds(),
    )
    assert (figures.unauthorised_minutes, figures.level, figures.crossed_on, figures.window_start) == (
        row.minutes,
        row.level,
        d(row.crossed_on) if row.crossed_on else None,
        d(row.window_start) if row.window_start else None,
    )
    assert figures.window_weeks == 4
    for name, expected in row.more.items():
        assert getattr(figures, name) == expected, name


def test_the_issue_example_shows_8_hours_on_wednesday_in_the_herfstvakantie():
    figures = pupil_figures(daily(HERFST), calendar(), as_of=date(2025, 10, 22))
    assert hours(figures.unauthorised_minutes) == 8.0
    assert figures.level == SignalLevel.EARLY


def test_a_crossing_of_last_school_year_is_overdue_in_september():
    figures = pupil_figures(daily(JULY), calendar(NOORD), as_of=d("05-09-2025"))
    step, due = next_step(level=figures.level, crossed_on=figures.crossed_on, level_since=d("05-09-2025"))
    assert (step, due) == (MasStep.REPORT, d("17-07-2025"))
    assert due < d("05-09-2025")  # the overview shows it as overdue until the report is recorded


def test_crossings_are_looked_for_from_1_august_of_the_previous_school_year():
    assert crossings_from(d("31-07-2025")) == d("01-08-2023")
    assert crossings_from(d("01-08-2025")) == d("01-08-2024")
    assert crossings_from(d("05-09-2025")) == d("01-08-2024")


def test_a_calendar_holds_whole_weeks():
    # The bug of issue 24: holidays known only up to the as-of date made the rest of a holiday
    # week look like school days. A Calendar always spans whole weeks, so its caller must fetch
    # the holidays up to Sunday.
    from absence.signals import Calendar

    assert Calendar.span(d("22-10-2025"), d("22-10-2025")) == (d("20-10-2025"), d("26-10-2025"))
    holidays_cut_off = {day for day in MIDDEN if day <= d("22-10-2025")}
    cut = Calendar(start=d("01-09-2025"), end=d("22-10-2025"), holidays=holidays_cut_off)
    whole = Calendar(start=d("01-09-2025"), end=d("22-10-2025"), holidays=MIDDEN)
    assert d("23-10-2025") in cut.week_of  # what a cut-off holiday set does
    assert d("23-10-2025") not in whole.week_of
    assert whole.mondays[-1] == d("13-10-2025")


def test_days_after_the_as_of_date_are_ignored():
    later = HERFST + [("27-10-2025", 600, "o")]
    assert pupil_figures(daily(later), calendar(), as_of=d("22-10-2025")) == pupil_figures(
        daily(HERFST), calendar(), as_of=d("22-10-2025")
    )


def test_an_empty_record_is_no_signal():
    figures = pupil_figures([], calendar(), as_of=d("22-10-2025"))
    assert figures.is_empty()
    assert figures == Figures(window_start=d("22-09-2025"), window_weeks=4)


def test_the_first_four_school_weeks_of_the_calendar_hold_what_there_is():
    from absence.signals import Calendar

    cal = Calendar(start=d("01-09-2025"), end=d("31-12-2025"), holidays=MIDDEN)
    figures = pupil_figures(daily(absent(["02-09-2025", "09-09-2025"], 300)), cal, as_of=d("10-09-2025"))
    assert (figures.window_weeks, figures.window_start, figures.unauthorised_minutes) == (2, d("01-09-2025"), 600)
    assert pupil_figures([], cal, as_of=d("01-09-2025") - timedelta(days=1)).window_weeks == 0
