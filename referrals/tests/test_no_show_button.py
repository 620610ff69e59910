"""The coach's "Niet gekomen" on the board: recorded through the no-show service, once per
lesson hour, the mentor and the verzuimcoördinator told; refused for anyone but the
facility's coaches and the zorgcoördinator."""

from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from django.utils import timezone as django_timezone

from absence.models import AbsenceKind, AbsenceRecord, AbsenceSource
from accounts.models import Role
from accounts.tests.factories import staff
from referrals.services import no_shows_record
from referrals.tests.factories import FacilityFactory, lesson_hours, placed, visit
from todo.models import Task, TaskKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(school, student, coach, coordinator, mentor, verzuimcoordinator):
    day = timezone.localdate()
    while day.weekday() > 4:
        day += timedelta(days=1)
    hours = lesson_hours(school)
    viproom = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    placement = placed(student, viproom, start_on=day - timedelta(days=14), by=coordinator)

    def at(minutes, hour=0):
        return timezone.make_aware(datetime.combine(day, hours[hour].starts_at)) + timedelta(minutes=minutes)

    return viproom, placement, at, day


class _Clock:
    """django.utils.timezone with another `now`, for the board and the no-show service only
    (the session's own clock stays real, or the sign-in would expire)."""

    def __init__(self, at):
        self.at = at

    def now(self):
        return self.at

    def __getattr__(self, name):
        return getattr(django_timezone, name)


@contextmanager
def clock(at):
    """The clock is outside the product: mocked, so the lesson hour has begun on a school day."""
    with (
        mock.patch("referrals.services.noshows.timezone", _Clock(at)),
        mock.patch("referrals.selectors.board.timezone", _Clock(at)),
    ):
        yield


def _tap(client, viproom, student, now):
    with clock(now):
        return client.post(f"/zorg/bord/{viproom.pk}/niet-gekomen/", {"student": student.pk}, HTTP_HX_REQUEST="true")


def test_coach_marks_a_late_pupil_niet_gekomen_once_per_lesson_hour(
    client, board, student, coach, mentor, verzuimcoordinator, coordinator
):
    viproom, placement, at, day = board
    client.force_login(coach)
    with clock(at(11)):
        page = client.get(f"/zorg/bord/{viproom.pk}/", HTTP_HX_REQUEST="true")
    assert f'action="/zorg/bord/{viproom.pk}/niet-gekomen/"' in page.text
    response = _tap(client, viproom, student, at(11))
    assert response.status_code == 200 and "is niet gekomen" in response.text
    record = AbsenceRecord.objects.get(student=student)
    assert (record.kind, record.source, record.lesson, record.date) == (
        AbsenceKind.NO_SHOW,
        AbsenceSource.VIPROOM,
        1,
        day,
    )
    tasks = Task.objects.filter(kind=TaskKind.NO_SHOW)
    assert {t.assignee for t in tasks} == {mentor, verzuimcoordinator}
    # A second tap, and the 5-minute sweep after it: the same lesson hour, nothing new.
    assert "al als niet gekomen" in _tap(client, viproom, student, at(13)).text
    assert no_shows_record(now=at(20)) == 0
    assert AbsenceRecord.objects.filter(student=student).count() == 1 and tasks.count() == 2


def test_the_next_lesson_hour_is_a_new_record_but_no_second_task_that_day(client, board, student, coach):
    viproom, placement, at, day = board
    client.force_login(coach)
    _tap(client, viproom, student, at(11))
    _tap(client, viproom, student, at(5, hour=1))
    assert sorted(AbsenceRecord.objects.filter(student=student).values_list("lesson", flat=True)) == [1, 2]
    assert Task.objects.filter(kind=TaskKind.NO_SHOW).count() == 2  # mentor and verzuim, once each


def test_a_pupil_who_is_checked_in_or_not_expected_is_refused_with_the_reason(
    client, board, student, coach, school, school_class, coordinator
):
    viproom, placement, at, day = board
    client.force_login(coach)
    visit(student, viproom, at=at(-5), by=coach, placement=placement)
    response = _tap(client, viproom, student, at(11))
    assert "wordt nu niet verwacht, of is voor dit lesuur ingecheckt" in response.text
    from students.tests.factories import StudentFactory

    other = StudentFactory(school_class=school_class, first_name="Sanne", last_name="Bakker")
    assert "is niet geplaatst in Viproom" in _tap(client, viproom, other, at(11)).text
    assert not AbsenceRecord.objects.exists()


@pytest.mark.denies("facility.mark_no_show")
def test_mentor_cannot_mark_niet_gekomen(client, board, student, mentor):
    viproom, placement, at, day = board
    client.force_login(mentor)
    assert _tap(client, viproom, student, at(11)).status_code in (403, 404)
    assert not AbsenceRecord.objects.exists()


@pytest.mark.denies("facility.mark_no_show")
def test_coach_of_another_facility_cannot_mark_niet_gekomen(client, board, student, school):
    viproom, placement, at, day = board
    other_coach = staff(school, Role.COACH, email="c2@a.test")
    FacilityFactory(school=school, name="Rustruimte", coaches=[other_coach])
    client.force_login(other_coach)
    assert _tap(client, viproom, student, at(11)).status_code == 403
    assert not AbsenceRecord.objects.exists()
