"""A pupil's before / during / after of a placement: school weeks only (holidays skipped),
a placement that has not ended, concerns per month, the events; who may see it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from absence.tests.factories import absent
from accounts.models import HolidayPeriod
from concerns.tests.factories import ConcernFactory
from outcomes.selectors.pupil import AFTER, BEFORE, DURING, pupil_outcome
from outcomes.tests.factories import at
from referrals.models import Outcome
from referrals.tests.factories import FacilityFactory, placed
from students.models import FileAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def viproom(school, coach):
    return FacilityFactory(school=school, name="Viproom", coaches=[coach])


def _phases(out):
    return [(r.monday, r.phase) for r in out.weeks]


def test_weeks_before_and_after_skip_the_holidays(school, student, viproom, coordinator):
    HolidayPeriod.objects.create(
        name="Voorjaarsvakantie", start=date(2026, 2, 16), end=date(2026, 2, 20), school=school
    )
    HolidayPeriod.objects.create(name="Meivakantie", start=date(2026, 4, 27), end=date(2026, 5, 8), school=school)
    placement = placed(
        student,
        viproom,
        by=coordinator,
        start_on=date(2026, 3, 2),
        ended_on=date(2026, 4, 10),
        outcome=Outcome.BACK_FULLY,
    )
    absent(student, date(2026, 2, 10), 120)  # before: counted
    absent(student, date(2026, 2, 17), 300)  # in the holiday: no school absence
    absent(student, date(2026, 3, 3), 60)  # during
    absent(student, date(2026, 5, 12), 90)  # after the meivakantie

    out = pupil_outcome(placement=placement, viewer=coordinator, today=date(2026, 6, 26))

    before = [m for m, p in _phases(out) if p == BEFORE]
    during = [m for m, p in _phases(out) if p == DURING]
    after = [m for m, p in _phases(out) if p == AFTER]
    # Eight school weeks each side; the holiday weeks are not among them.
    assert len(before) == 8 and len(after) == 8
    assert date(2026, 2, 16) not in before and before[0] == date(2025, 12, 29) and before[-1] == date(2026, 2, 23)
    assert during == [date(2026, 3, 2) + timedelta(weeks=i) for i in range(6)]
    assert date(2026, 4, 27) not in after and date(2026, 5, 4) not in after
    assert after[0] == date(2026, 4, 13) and after[-1] == date(2026, 6, 15)
    totals = {p.phase: (p.weeks, p.unauthorised) for p in out.phases}
    assert totals == {BEFORE: (8, 2.0), DURING: (6, 1.0), AFTER: (8, 1.5)}
    assert [label for _d, label in out.events] == ["start plaatsing", "einde plaatsing"]
    assert len(out.chart.markers) == 2


def test_an_open_placement_has_no_after_and_runs_to_this_week(school, student, viproom, coordinator):
    placement = placed(student, viproom, by=coordinator, start_on=date(2026, 3, 2))
    ConcernFactory(student=student, raised_by=coordinator, created_at=at(date(2026, 2, 5)))
    ConcernFactory(student=student, raised_by=coordinator, created_at=at(date(2026, 3, 10)))
    ConcernFactory(student=student, raised_by=coordinator, created_at=at(date(2026, 3, 12)))

    out = pupil_outcome(placement=placement, viewer=coordinator, today=date(2026, 3, 27))

    assert [p for _m, p in _phases(out)].count(BEFORE) == 8
    assert [m for m, p in _phases(out) if p == DURING] == [date(2026, 3, d) for d in (2, 9, 16, 23)]
    assert AFTER not in [p for _m, p in _phases(out)]
    assert [p.phase for p in out.phases] == [BEFORE, DURING]
    months = dict(out.months)
    assert months[date(2026, 2, 1)] == 1 and months[date(2026, 3, 1)] == 2


def test_coordinator_sees_the_page_and_it_is_logged(client, coordinator, student, viproom):
    placement = placed(student, viproom, by=coordinator, start_on=date.today() - timedelta(days=30))
    client.force_login(coordinator)
    response = client.get(reverse("outcomes:placement_outcome", args=[placement.pk]))
    assert response.status_code == 200
    assert "Verzuim per schoolweek" in response.content.decode()
    assert FileAccess.objects.filter(user=coordinator, student=student, page="outcomes:placement_outcome").exists()
    # The placement page links to it.
    detail = client.get(reverse("referrals:placement_detail", args=[placement.pk])).content.decode()
    assert reverse("outcomes:placement_outcome", args=[placement.pk]) in detail


@pytest.mark.denies("placement.view_outcome")
def test_coach_of_the_facility_gets_403(client, coach, coordinator, student, viproom):
    placement = placed(student, viproom, by=coordinator)
    client.force_login(coach)
    assert client.get(reverse("outcomes:placement_outcome", args=[placement.pk])).status_code == 403


def test_schoolleider_gets_404(client, schoolleider, coordinator, student, viproom):
    placement = placed(student, viproom, by=coordinator)
    client.force_login(schoolleider)
    assert client.get(reverse("outcomes:placement_outcome", args=[placement.pk])).status_code == 404


def test_coordinator_of_another_school_gets_404(client, other_coordinator, coordinator, student, viproom):
    placement = placed(student, viproom, by=coordinator)
    client.force_login(other_coordinator)
    assert client.get(reverse("outcomes:placement_outcome", args=[placement.pk])).status_code == 404
