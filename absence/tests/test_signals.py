"""The signal computation: the statutory threshold, school weeks and holidays, early
warnings, thuiszitters, and what a change writes (timeline, one e-mail)."""

from datetime import date, timedelta

import pytest
from django.core import mail

from absence.models import AbsenceKind, AbsencePolicy, AbsenceSignal, EscalationStep, MasStep, SignalLevel
from absence.services import signals_compute
from accounts.models import HolidayPeriod, HolidayRegion
from notifications.models import Notification
from students.models import TimelineEvent

from .factories import FRIDAY, absent, monday, school_days_back, whole_days

pytestmark = pytest.mark.django_db


def compute(as_of=FRIDAY, **kwargs):
    return signals_compute(as_of=as_of, **kwargs)


def signal(student):
    return AbsenceSignal.objects.get(student=student)


# --- The statutory threshold: 16 hours in 4 consecutive school weeks ----------------------


def test_15_9_hours_in_4_weeks_is_an_early_warning_not_a_report(student):
    for weeks_before, minutes in [(3, 240), (2, 240), (1, 240), (0, 234)]:  # 954 minutes = 15.9 h
        absent(student, monday(weeks_before), minutes)
    compute()
    assert signal(student).level == SignalLevel.EARLY
    assert signal(student).crossed_on is None
    assert signal(student).unauthorised_hours == 15.9


def test_16_hours_in_4_weeks_is_a_statutory_report_with_the_date_it_was_crossed(student):
    for weeks_before in (3, 2, 1, 0):
        absent(student, monday(weeks_before) + timedelta(days=1), 240)  # Tuesdays
    compute()
    assert signal(student).level == SignalLevel.REPORT_DUE
    assert signal(student).crossed_on == monday(0) + timedelta(days=1)
    assert signal(student).next_step == MasStep.REPORT
    assert signal(student).next_step_due == signal(student).crossed_on + timedelta(days=7)


def test_16_hours_spread_over_5_school_weeks_is_no_report(student):
    for weeks_before in range(5):
        absent(student, monday(weeks_before), 192)  # 5 x 3.2 h = 16 h, at most 12.8 h in any 4 weeks
    compute()
    assert signal(student).level == SignalLevel.EARLY
    assert signal(student).crossed_on is None


def test_a_holiday_week_is_not_a_school_week_so_the_window_spans_5_calendar_weeks(student, school):
    # Monday to Friday off (a week of holiday) two weeks ago.
    HolidayPeriod.objects.create(
        name="Voorjaarsvakantie",
        region=HolidayRegion.MIDDEN,
        start=monday(2) - timedelta(days=2),
        end=monday(2) + timedelta(days=6),
    )
    for weeks_before in (4, 3, 1, 0):
        absent(student, monday(weeks_before), 240)
    compute()
    assert signal(student).level == SignalLevel.REPORT_DUE  # 4 school weeks: 16 hours


def test_without_the_holiday_the_same_absence_spans_5_school_weeks(student):
    for weeks_before in (4, 3, 1, 0):
        absent(student, monday(weeks_before), 240)
    compute()
    assert signal(student).level == SignalLevel.EARLY  # at most 12 hours in any 4 school weeks


def test_a_week_with_a_partial_holiday_still_counts_as_a_school_week(student, school):
    # Hemelvaart: Thursday and Friday off; Monday to Wednesday are school days.
    HolidayPeriod.objects.create(
        name="Hemelvaart",
        region=HolidayRegion.MIDDEN,
        start=monday(2) + timedelta(days=3),
        end=monday(2) + timedelta(days=4),
    )
    for weeks_before in (4, 3, 1, 0):
        absent(student, monday(weeks_before), 240)
    absent(student, monday(2) + timedelta(days=1), 60)  # the Tuesday of that week counts in full
    compute()
    assert signal(student).level == SignalLevel.EARLY
    assert signal(student).unauthorised_minutes == 3 * 240 + 60


def test_absence_registered_on_a_holiday_or_weekend_does_not_count(student, school):
    HolidayPeriod.objects.create(name="Studiedag", school=school, start=monday(0), end=monday(0))
    absent(student, monday(0), 600)  # on the school's own day off
    absent(student, monday(0) - timedelta(days=1), 600)  # a Sunday
    compute()
    assert not AbsenceSignal.objects.filter(student=student).exists()


def test_the_report_duty_stays_after_the_window_moves_on_until_the_report_is_recorded(student, coordinator):
    for weeks_before in (8, 7, 6, 5):
        absent(student, monday(weeks_before), 240)
    compute()
    assert signal(student).level == SignalLevel.REPORT_DUE
    crossed = signal(student).crossed_on
    assert crossed == monday(5)
    assert signal(student).unauthorised_minutes == 0  # the current window is empty
    EscalationStep.objects.create(
        student=student,
        school_id=student.school_id,
        step=MasStep.REPORT,
        on=crossed + timedelta(days=2),
        who="ZC",
        outcome="Gemeld in het verzuimregister",
        recorded_by=coordinator,
    )
    compute()
    assert signal(student).level == SignalLevel.NONE
    assert signal(student).crossed_on is None


def test_after_a_report_only_new_absence_counts_towards_the_next_report(student, coordinator):
    for weeks_before in (3, 2, 1, 0):
        absent(student, monday(weeks_before), 240)
    EscalationStep.objects.create(
        student=student,
        school_id=student.school_id,
        step=MasStep.REPORT,
        on=monday(1) + timedelta(days=2),
        who="ZC",
        outcome="Gemeld",
        recorded_by=coordinator,
    )
    compute()
    assert signal(student).crossed_on is None
    assert signal(student).level == SignalLevel.EARLY  # 16 h in the window, but reported


# --- Early warnings -------------------------------------------------------------------


def test_early_warning_follows_the_schools_threshold(student, school):
    absent(student, monday(0), 300)
    compute()
    assert not AbsenceSignal.objects.get(student=student).level  # 5 h < 8 h (default)
    AbsencePolicy.objects.create(school=school, early_warning_minutes=240)
    compute()
    assert signal(student).level == SignalLevel.EARLY
    assert signal(student).next_step == MasStep.MENTOR_CONTACT


def test_three_times_late_in_one_school_week_is_an_early_warning(student, other_student):
    for day in range(3):
        absent(student, monday(0) + timedelta(days=day), 10, kind=AbsenceKind.LATE)
    for weeks_before in (0, 1, 2):  # three times late, but in three different weeks
        absent(other_student, monday(weeks_before), 10, kind=AbsenceKind.LATE)
    compute()
    assert signal(student).level == SignalLevel.EARLY
    assert signal(student).late_max_week == 3
    assert signal(other_student).level == SignalLevel.NONE
    assert signal(other_student).late_count == 3


def test_trend_compares_with_the_four_school_weeks_before(student):
    absent(student, monday(5), 60)
    absent(student, monday(1), 300)
    compute()
    assert signal(student).previous_minutes == 60
    assert signal(student).trend == "up"


# --- Thuiszitter ------------------------------------------------------------------------


def test_absent_every_school_day_for_4_weeks_is_a_thuiszitter(student, other_student):
    whole_days(student, school_days_back(FRIDAY, 23), kind=AbsenceKind.AUTHORISED)
    whole_days(other_student, school_days_back(FRIDAY, 19))
    compute()
    assert signal(student).level == SignalLevel.THUISZITTER
    assert signal(student).absent_since == school_days_back(FRIDAY, 23)[0]
    assert signal(student).next_step == MasStep.ADVIESGESPREK
    assert signal(other_student).level == SignalLevel.REPORT_DUE  # 19 days: not yet 4 weeks


def test_one_day_present_breaks_the_thuiszitter_run(student):
    days = school_days_back(FRIDAY, 25)
    days.remove(days[-10])
    whole_days(student, days, kind=AbsenceKind.AUTHORISED)
    compute()
    assert signal(student).level != SignalLevel.THUISZITTER


# --- What a change writes --------------------------------------------------------------


def test_a_rising_signal_goes_on_the_timeline_and_mails_the_coordinators_once(
    student, coordinator, verzuimcoordinator, django_capture_on_commit_callbacks
):
    for weeks_before in (3, 2, 1, 0):
        absent(student, monday(weeks_before), 240)
    with django_capture_on_commit_callbacks(execute=True):
        stats = compute()
        compute()  # again: nothing changed, nothing new
        signals_compute(school_ids=[student.school_id], as_of=FRIDAY)
    assert stats["raised"] == 1
    event = TimelineEvent.objects.get(student=student, kind="absence.signal")
    assert event.section == "verzuim"
    assert {m.to[0] for m in mail.outbox} == {coordinator.email, verzuimcoordinator.email}
    assert len(mail.outbox) == 2
    body = mail.outbox[0].body
    assert "melding verplicht: 1" in body
    assert student.last_name not in body and student.first_name not in body
    assert "/verzuim/?school=" in body


def test_a_falling_signal_goes_on_the_timeline_without_mail(student, coordinator, django_capture_on_commit_callbacks):
    absent(student, monday(0), 600)
    compute()
    with django_capture_on_commit_callbacks(execute=True):
        compute(as_of=FRIDAY + timedelta(weeks=6))
    assert signal(student).level == SignalLevel.NONE
    assert TimelineEvent.objects.filter(student=student, kind="absence.signal").count() == 2
    assert Notification.objects.count() == 1  # only the rise


def test_the_level_date_is_kept_while_the_level_stays(student):
    absent(student, monday(1), 600)
    compute(as_of=monday(1) + timedelta(days=2))
    since = signal(student).level_since
    absent(student, monday(0), 60)
    compute()
    assert signal(student).level_since == since
    assert signal(student).unauthorised_minutes == 660


def test_a_pupil_who_left_loses_the_signal(student):
    absent(student, monday(0), 600)
    compute()
    student.left_on = FRIDAY
    student.save()
    compute()
    assert signal(student).level == SignalLevel.NONE


def test_recomputing_one_pupil_leaves_the_others_alone(student, other_student):
    absent(student, monday(0), 600)
    absent(other_student, monday(0), 600)
    compute(student_ids=[student.pk])
    assert AbsenceSignal.objects.filter(student=student).exists()
    assert not AbsenceSignal.objects.filter(student=other_student).exists()


def test_school_year_start():
    from absence.signals import school_year_start

    assert school_year_start(date(2026, 7, 31)) == date(2025, 8, 1)
    assert school_year_start(date(2026, 8, 1)) == date(2026, 8, 1)
