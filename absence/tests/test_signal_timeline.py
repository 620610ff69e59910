"""The signal computation on the database, day by day over a whole school year with its
holidays, as the nightly task runs it (issue 24): each level rises once per episode, one
e-mail per rise, one timeline event per real change, and `level_since` and the step's due
date never move without a real change. The expected timelines are worked out by hand from
the rule (docs/absence.md) on the calendar of region midden 2025-2026 (tests/calendars.py).
"""

from datetime import timedelta

import pytest
from django.core import mail

from absence.models import AbsenceKind, AbsenceSignal, EscalationStep, MasStep, SignalLevel
from absence.services import signals_compute
from accounts.models import HolidayPeriod
from students.models import TimelineEvent
from students.tests.factories import StudentFactory

from .calendars import MIDDEN, MIDDEN_PERIODS, d, days_between
from .factories import absent

pytestmark = pytest.mark.django_db

NONE, EARLY, REPORT, THUIS = SignalLevel.NONE, SignalLevel.EARLY, SignalLevel.REPORT_DUE, SignalLevel.THUISZITTER


@pytest.fixture
def calendar_midden(school):
    HolidayPeriod.objects.bulk_create(
        [HolidayPeriod(name="Vakantie", school=school, start=d(first), end=d(last)) for first, last in MIDDEN_PERIODS]
    )


def school_days(first: str, last: str):
    return [day for day in days_between(first, last) if day.weekday() < 5 and day not in MIDDEN]


def test_the_issue_example_as_of_wednesday_in_the_herfstvakantie(student, calendar_midden):
    for day in ("24-09-2025", "01-10-2025", "08-10-2025", "15-10-2025"):
        absent(student, d(day), 120)
    signals_compute(as_of=d("22-10-2025"))
    signal = AbsenceSignal.objects.get(student=student)
    assert (signal.unauthorised_minutes, signal.level) == (480, SignalLevel.EARLY)


def test_a_school_year_day_by_day_raises_each_level_once_and_never_flaps(
    school, school_class, calendar_midden, coordinator, verzuimcoordinator, django_capture_on_commit_callbacks
):
    pupils = {
        name: StudentFactory(school_class=school_class, last_name=name)
        for name in ("herfst", "zomer", "ziek", "laat", "kerst", "juli", "lvs")
    }

    # The issue's example: 2 hours on four Wednesdays before the herfstvakantie.
    for day in ("24-09-2025", "01-10-2025", "08-10-2025", "15-10-2025"):
        absent(pupils["herfst"], d(day), 120)
    # 16 hours on 7-10 July 2025, before the run starts; reported to leerplicht on 10-09-2025.
    for day in ("07-07-2025", "08-07-2025", "09-07-2025", "10-07-2025"):
        absent(pupils["zomer"], d(day), 240)
    EscalationStep.objects.create(
        student=pupils["zomer"],
        school=school,
        step=MasStep.REPORT,
        on=d("10-09-2025"),
        who="ZC",
        outcome="Gemeld",
        recorded_by=coordinator,
    )
    # Long-term sick (authorised) every school day from 17-11-2025 to 16-01-2026, across kerst.
    for day in school_days("17-11-2025", "16-01-2026"):
        absent(pupils["ziek"], day, 300, kind=AbsenceKind.AUTHORISED)
    # Late three times in the week of 9 March; that week leaves the window on Easter Monday.
    for day in ("09-03-2026", "10-03-2026", "11-03-2026"):
        absent(pupils["laat"], d(day), 10, kind=AbsenceKind.LATE)
    # 8 hours before kerst and 8 after: a crossing across the holiday, never reported.
    for day in ("15-12-2025", "16-12-2025", "05-01-2026", "06-01-2026"):
        absent(pupils["kerst"], d(day), 240)
    # 16 hours on 6-9 July 2026, just before the zomervakantie.
    for day in ("06-07-2026", "07-07-2026", "08-07-2026", "09-07-2026"):
        absent(pupils["juli"], d(day), 240)
    # The LVS registers something every school day (so the school's latest day moves on).
    for day in school_days("01-08-2025", "31-07-2026"):
        absent(pupils["lvs"], day, 50, kind=AbsenceKind.SENT_OUT)

    expected = {  # (date, level) of every real change, worked out from the rule
        "herfst": [("15-10-2025", EARLY), ("27-10-2025", NONE)],
        "zomer": [("01-08-2025", REPORT), ("10-09-2025", EARLY), ("15-09-2025", NONE)],
        "ziek": [("12-12-2025", THUIS), ("19-01-2026", NONE)],
        "laat": [("11-03-2026", EARLY), ("06-04-2026", NONE)],
        "kerst": [("16-12-2025", EARLY), ("06-01-2026", REPORT)],
        "juli": [("07-07-2026", EARLY), ("09-07-2026", REPORT)],
        "lvs": [],
    }
    names = {pupil.pk: name for name, pupil in pupils.items()}
    changes = {name: [] for name in pupils}
    events = {name: [] for name in pupils}
    mails_on = {}
    previous = {}
    last_event = 0
    for day in days_between("01-08-2025", "31-07-2026"):  # every day, weekends and holidays too
        sent = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            signals_compute(school_ids=[school.pk], as_of=day)
        if len(mail.outbox) > sent:
            mails_on[day] = len(mail.outbox) - sent
        for event in TimelineEvent.objects.filter(kind="absence.signal", pk__gt=last_event).order_by("pk"):
            events[names[event.student_id]].append((day, event.params["level"]))
            last_event = event.pk
        for row in AbsenceSignal.objects.values(
            "student_id", "level", "level_since", "crossed_on", "next_step", "next_step_due", "episode_start"
        ):
            name = names[row["student_id"]]
            before = previous.get(name)
            if before is None or before["level"] != row["level"]:
                changes[name].append((day, row["level"]))
                assert row["level_since"] == day, name
            else:
                # Nothing real changed: the date of the level, the episode and, unless the
                # crossing itself changed, the step and its due date stay as they were.
                assert row["level_since"] == before["level_since"], (name, day)
                assert row["episode_start"] == before["episode_start"], (name, day)
                if row["crossed_on"] == before["crossed_on"]:
                    assert (row["next_step"], row["next_step_due"]) == (before["next_step"], before["next_step_due"]), (
                        name,
                        day,
                    )
            previous[name] = row

    def dated(items):
        return [(f"{day:%d-%m-%Y}", level) for day, level in items]

    assert {name: dated(c[1:] if c and c[0][1] == NONE else c) for name, c in changes.items()} == expected
    assert {name: dated(e) for name, e in events.items()} == expected  # one event per real change
    rises = {
        d(day)
        for timeline in expected.values()
        for (day, level), before in zip(timeline, [NONE] + [level for _day, level in timeline], strict=False)
        if level > before
    }
    assert mails_on == dict.fromkeys(rises, 2)  # one e-mail per rise, to each of the two coordinators

    # The crossing of last school year stayed overdue until the report; the one across kerst
    # kept its date and due date for the rest of the year.
    kerst = AbsenceSignal.objects.get(student=pupils["kerst"])
    assert (kerst.crossed_on, kerst.next_step_due, kerst.level_since) == (
        d("06-01-2026"),
        d("06-01-2026") + timedelta(days=7),
        d("06-01-2026"),
    )


def test_the_computation_reads_a_fixed_number_of_queries_however_many_pupils(school, school_class, calendar_midden):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_pupils(n):
        for _ in range(n):
            pupil = StudentFactory(school_class=school_class)
            for day in ("07-07-2025", "08-07-2025", "09-07-2025", "10-07-2025", "15-10-2025"):
                absent(pupil, d(day), 240)  # history of last school year and this one

    def queries_from_scratch(pupils):
        AbsenceSignal.objects.all().delete()
        TimelineEvent.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            signals_compute(school_ids=[school.pk], as_of=d("22-10-2025"))
        assert AbsenceSignal.objects.filter(level=SignalLevel.REPORT_DUE, crossed_on=d("10-07-2025")).count() == pupils
        return len(captured)

    add_pupils(5)
    few = queries_from_scratch(5)
    add_pupils(45)
    assert queries_from_scratch(50) == few
