"""No-shows count (issue 16): recorded once per lesson hour, a task for the mentor and the
verzuimcoördinator the same day, in the pupil's absence as its own kind."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from absence.models import AbsenceKind, AbsencePolicy, AbsenceRecord, AbsenceSignal
from absence.signal_service import signals_compute
from referrals.services import no_shows_record
from referrals.tests.factories import FacilityFactory, lesson_hours, placed, visit
from todo.models import Task, TaskKind
from todo.selectors import task_list


def _next_school_day():
    day = timezone.localdate()
    while day.weekday() > 4:
        day += timedelta(days=1)
    return day


@pytest.fixture
def setting(school, student, coach, coordinator, verzuimcoordinator, mentor):
    day = _next_school_day()
    hours = lesson_hours(school)
    viproom = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    placement = placed(student, viproom, start_on=day - timedelta(days=14), by=coordinator)
    first = hours[0]
    at = lambda minutes: timezone.make_aware(datetime.combine(day, first.starts_at)) + timedelta(minutes=minutes)  # noqa: E731
    return day, viproom, placement, at, hours


def test_a_no_show_is_recorded_once_per_lesson_hour_and_told_to_mentor_and_verzuim(
    setting, student, mentor, verzuimcoordinator, coordinator, school
):
    day, viproom, placement, at, hours = setting
    assert no_shows_record(now=at(14)) == 0  # not yet 15 minutes
    assert no_shows_record(now=at(16)) == 1
    assert no_shows_record(now=at(20)) == 0  # twice the same hour: nothing new
    record = AbsenceRecord.objects.get(student=student)
    assert (record.kind, record.lesson, record.minutes, record.date) == (AbsenceKind.NO_SHOW, 1, 50, day)
    tasks = Task.objects.filter(kind=TaskKind.NO_SHOW)
    assert {t.assignee for t in tasks} == {mentor, verzuimcoordinator}
    assert all(t.due_on == day and t.student == student for t in tasks)
    assert coordinator not in {t.assignee for t in tasks}
    # The second hour missed too: a second record, no second task the same day.
    assert (
        no_shows_record(
            now=at(16) + (datetime.combine(day, hours[1].starts_at) - datetime.combine(day, hours[0].starts_at))
        )
        == 1
    )
    assert AbsenceRecord.objects.filter(student=student).count() == 2
    assert tasks.count() == 2
    assert any("Niet verschenen in de Viproom" in t.title for t in task_list(user=mentor, school=school, today=day))


def test_a_pupil_who_checked_in_is_no_no_show(setting, student, coach):
    day, viproom, placement, at, hours = setting
    visit(student, viproom, at=at(-5), by=coach, placement=placement)
    assert no_shows_record(now=at(30)) == 0
    assert not AbsenceRecord.objects.exists()


def test_the_no_show_counts_as_unauthorised_by_default_and_not_when_switched_off(setting, student, school):
    day, viproom, placement, at, hours = setting
    no_shows_record(now=at(16))
    signals_compute(school_ids=[school.pk], as_of=day, notify=False)
    assert AbsenceSignal.objects.get(student=student).unauthorised_minutes == 50
    AbsencePolicy.objects.create(school=school, no_show_counts=False)
    signals_compute(school_ids=[school.pk], as_of=day, notify=False)
    assert AbsenceSignal.objects.get(student=student).unauthorised_minutes == 0
