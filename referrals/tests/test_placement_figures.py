"""Figures per facility, the SO+ group view and the hours export for the funding report."""

import csv
import io
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from carecoord.testing import query_count
from referrals import selectors
from referrals.models import FacilityKind, Placement, Referral
from referrals.tests.factories import FacilityFactory, ReferralFactory, lesson_hours, placed, visit
from students.models import FileAccess
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def _at(day, hh, mm=0):
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


@pytest.fixture
def room(school, coach):
    lesson_hours(school)
    return FacilityFactory(school=school, name="Viproom", capacity=10, coaches=[coach])


@pytest.fixture
def group(school, coach):
    lesson_hours(school)
    return FacilityFactory(school=school, name="SO+ groep", kind=FacilityKind.GROUP, capacity=4, coaches=[coach])


def _ended(student, facility, outcome, days):
    p = placed(student, facility, start_on=timezone.localdate() - timedelta(days=days))
    Placement.objects.filter(pk=p.pk).update(ended_on=timezone.localdate(), outcome=outcome)


def test_return_to_class_rate_and_average_length(room, school_class):
    for outcome, days in (("back_fully", 40), ("back_partly", 60), ("at_home", 80), ("other_school", 20)):
        _ended(StudentFactory(school_class=school_class), room, outcome, days)
    figures = selectors.facility_figures(
        facility=room, start=timezone.localdate() - timedelta(days=7), end=timezone.localdate()
    )
    assert figures.ended == 4
    assert figures.return_rate == 0.5
    assert figures.avg_placement_days == 50


def test_waiting_time_from_referral_to_decision(room, school_class):
    now = timezone.now()
    for days in (10, 20, 30):
        ReferralFactory(
            student=StudentFactory(school_class=school_class),
            facility=room,
            state="placed",
            created_at=now - timedelta(days=days),
            decided_at=now,
        )
    figures = selectors.facility_figures(facility=room, start=timezone.localdate(), end=timezone.localdate())
    assert figures.decided == 3
    assert round(figures.avg_wait_days) == 20 and round(figures.median_wait_days) == 20


def test_occupancy_per_day_and_hours_per_pupil(room, school_class, coach):
    day = timezone.localdate() - timedelta(days=1)
    a, b = StudentFactory(school_class=school_class), StudentFactory(school_class=school_class)
    visit(a, room, at=_at(day, 9), minutes=60, by=coach)
    visit(b, room, at=_at(day, 9, 30), minutes=60, by=coach, planned=False, reason="time_out")
    figures = selectors.facility_figures(facility=room, start=day, end=day)
    (d,) = figures.days
    assert (d.pupils, d.visits, d.peak, d.pupil_minutes) == (2, 2, 2, 120)
    # 120 pupil-minutes / (10 places x 460 minutes from 08:30 to 16:10)
    assert round(d.occupancy, 3) == round(120 / (10 * 460), 3)
    hours = {p.student.pk: (p.visits, p.unplanned, p.hours) for p in figures.pupils}
    assert hours[b.pk] == (1, 1, 1.0)


@pytest.mark.denies("facility.view_pupil_figures")
def test_school_leader_sees_figures_without_pupil_names(client, schoolleider, room, student, coach):
    visit(student, room, at=timezone.now() - timedelta(hours=2), minutes=30, by=coach)
    client.force_login(schoolleider)
    response = client.get(f"/zorg/voorzieningen/{room.pk}/cijfers/")
    assert response.status_code == 200
    assert "Jansen" not in response.text
    # One pupil that day: "< 5", not the 1 (carecoord/suppression.py), nor its occupancy.
    assert "&lt; 5" in response.text
    assert response.context["figures"].days[0].occupancy.suppressed


def test_coach_sees_figures_per_pupil(client, coach, room, student):
    visit(student, room, at=timezone.now() - timedelta(hours=2), minutes=30, by=coach)
    client.force_login(coach)
    assert "Jansen" in client.get(f"/zorg/voorzieningen/{room.pk}/cijfers/").text


@pytest.mark.denies("facility.view_figures")
def test_mentor_cannot_see_figures(client, mentor, room):
    client.force_login(mentor)
    assert client.get(f"/zorg/voorzieningen/{room.pk}/cijfers/").status_code == 403


def test_figures_query_count_does_not_grow_with_visits(client, coordinator, room, school_class, coach):
    client.force_login(coordinator)
    pupil = StudentFactory(school_class=school_class)
    visit(pupil, room, at=timezone.now() - timedelta(days=1), minutes=30, by=coach)
    few = query_count(client, f"/zorg/voorzieningen/{room.pk}/cijfers/")
    for n in range(20):
        other = StudentFactory(school_class=school_class)
        visit(other, room, at=timezone.now() - timedelta(days=n % 7 + 1), minutes=45, by=coach)
        ReferralFactory(student=other, facility=room, state="waiting")
    assert query_count(client, f"/zorg/voorzieningen/{room.pk}/cijfers/") == few


# --- SO+ group ----------------------------------------------------------------------------


def test_group_view_shows_members_worker_and_hours_per_week(client, coach, group, school_class):
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    pupils = [StudentFactory(school_class=school_class) for _ in range(3)]
    for p in pupils:
        placed(p, group)
        visit(p, group, at=_at(monday, 9), minutes=120, by=coach)  # together 9:00-11:00
    visit(pupils[0], group, at=_at(monday, 13), minutes=60, by=coach)  # alone 13:00-14:00
    client.force_login(coach)
    response = client.get(f"/zorg/voorzieningen/{group.pk}/groep/")
    view = response.context["group"]
    assert len(view.members) == 3 and view.workers == [coach]
    week = next(w for w in view.weeks if w.week_start == monday)
    assert (week.group_hours, week.pupil_hours) == (3.0, 7.0)


def test_group_view_is_only_for_groups(client, coach, room):
    client.force_login(coach)
    assert client.get(f"/zorg/voorzieningen/{room.pk}/groep/").status_code == 404


def test_export_hours_per_group_per_month_writes_the_read_log(client, coordinator, group, school_class, coach):
    first = timezone.localdate().replace(day=1)
    pupils = [StudentFactory(school_class=school_class) for _ in range(2)]
    for p in pupils:
        visit(p, group, at=_at(first, 9), minutes=90, by=coach)
    client.force_login(coordinator)
    response = client.get(f"/zorg/voorzieningen/groepsuren.csv?maand={first:%Y-%m}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["groep", "maand", "leerlingnummer", "leerling", "dagen", "uren"]
    assert rows[1][3] == "totaal groep" and rows[1][5] == "1,50"
    assert len(rows) == 4
    logged = FileAccess.objects.filter(user=coordinator, section="export")
    assert sorted(logged.values_list("student_id", flat=True)) == sorted(p.pk for p in pupils)


@pytest.mark.denies("school.export_group_hours")
@pytest.mark.parametrize("who", ["coach", "schoolleider", "mentor"])
def test_others_cannot_export_group_hours(client, request, who, group):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/zorg/voorzieningen/groepsuren.csv").status_code == 403
    assert not Referral.objects.exists()
