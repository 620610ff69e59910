"""Group arrangements with their funding as data (seed 003): the agreement (funder, period,
contracted hours, worker), the worker's log of family contacts, delivered against contracted
hours per month, the funding report export, bad input and who may do what."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from audit.models import Change
from referrals import selectors
from referrals.models import FacilityKind, GroupContact, GroupFunding
from referrals.tests.factories import FacilityFactory, lesson_hours, visit
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(school, coach):
    lesson_hours(school)
    return FacilityFactory(school=school, name="SO+ groep", kind=FacilityKind.GROUP, capacity=4, coaches=[coach])


def _last_month():
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


def _weekday_in(month: date, n: int) -> date:
    """The n-th weekday (0-based) of `month`."""
    days = [month + timedelta(days=i) for i in range(28) if (month + timedelta(days=i)).weekday() < 5]
    return days[n]


def _at(day, hh, mm=0):
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


def _funding(group, **extra):
    month = _last_month()
    fields = {
        "facility": group,
        "funder": "gemeente",
        "funder_name": "Gemeente Emmen",
        "starts_on": month,
        "ends_on": month + timedelta(days=330),
        "hours_per_week": Decimal("10.0"),
    }
    return GroupFunding.objects.create(**(fields | extra))


def _post(**extra):
    month = _last_month()
    return {
        "funder": "gemeente",
        "funder_name": "Gemeente Emmen",
        "starts_on": month.isoformat(),
        "ends_on": (month + timedelta(days=330)).isoformat(),
        "hours_per_week": "10",
        "budget": "",
        "worker": "",
    } | extra


def test_coordinator_records_the_funding_with_its_worker(client, coordinator, coach, group):
    client.force_login(coordinator)
    response = client.post(f"/zorg/voorzieningen/{group.pk}/financiering/", _post(worker=coach.pk))
    assert response.status_code == 302
    funding = GroupFunding.objects.get(facility=group)
    assert funding.funder == "gemeente" and funding.hours_per_week == Decimal("10.0") and funding.worker == coach
    assert Change.objects.filter(kind="referrals.funding_saved").exists()
    page = client.get(f"/zorg/voorzieningen/{group.pk}/groep/")
    assert "Gemeente Emmen" in page.text and "Financiering wijzigen" in page.text


def test_a_period_that_ends_before_it_starts_is_refused_and_kept(client, coordinator, group):
    client.force_login(coordinator)
    page = client.post(
        f"/zorg/voorzieningen/{group.pk}/financiering/",
        _post(starts_on="2026-09-01", ends_on="2026-08-01", funder_name="Gemeente Typfout"),
    )
    assert page.status_code == 200
    assert "Het contract eindigt vóór het begint." in page.text
    assert 'value="Gemeente Typfout"' in page.text
    assert not GroupFunding.objects.exists()


def test_contracted_hours_below_zero_are_refused(client, coordinator, group):
    client.force_login(coordinator)
    page = client.post(f"/zorg/voorzieningen/{group.pk}/financiering/", _post(hours_per_week="-2"))
    assert "Het aantal uren per week kan niet negatief zijn." in page.text
    assert 'value="-2"' in page.text
    assert not GroupFunding.objects.exists()


def test_delivered_against_contracted_per_month_from_visits_and_logged_contacts(group, coach, school_class):
    funding = _funding(group)
    month = funding.starts_on
    a, b = StudentFactory(school_class=school_class), StudentFactory(school_class=school_class)
    first, second = _weekday_in(month, 2), _weekday_in(month, 3)
    # Day one: two pupils overlapping 09:00-11:00 and 10:00-12:00 -> the group met 3 hours.
    visit(a, group, at=_at(first, 9), minutes=120, by=coach)
    visit(b, group, at=_at(first, 10), minutes=120, by=coach)
    # Day two: one pupil for an hour.
    visit(a, group, at=_at(second, 9), minutes=60, by=coach)
    GroupContact.objects.create(facility=group, worker=coach, on=second, minutes=90, kind="gezin")

    report = selectors.funding_report(facility=group)
    row = report.months[0]
    assert row.month == month
    assert row.board == 4.0 and row.contacts == 1.5 and row.delivered == 5.5
    assert row.contracted == round(10 * row.school_days / 5, 2)
    assert row.difference == round(5.5 - row.contracted, 2)
    assert report.months[-1].month == timezone.localdate().replace(day=1)  # up to this month only


def test_the_funding_report_export(client, coordinator, group, coach, school_class):
    funding = _funding(group)
    day = _weekday_in(funding.starts_on, 1)
    visit(StudentFactory(school_class=school_class), group, at=_at(day, 9), minutes=90, by=coach)
    client.force_login(coordinator)
    response = client.get(f"/zorg/voorzieningen/{group.pk}/financiering.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "gecontracteerd (uren)" in text and "Gemeente Emmen" in text
    assert f'"{funding.starts_on:%m-%Y}"' in text and '"1,50"' in text
    xlsx = client.get(f"/zorg/voorzieningen/{group.pk}/financiering.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_worker_logs_a_family_contact(client, coach, group):
    client.force_login(coach)
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/zorg/voorzieningen/{group.pk}/contact/",
        {"on": today, "minutes": "45", "kind": "gezin", "note": "Huisbezoek"},
    )
    assert response.status_code == 302
    contact = GroupContact.objects.get()
    assert contact.worker == coach and contact.minutes == 45


def test_a_contact_in_the_future_or_without_minutes_is_refused(client, coach, group):
    client.force_login(coach)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client.post(f"/zorg/voorzieningen/{group.pk}/contact/", {"on": tomorrow, "minutes": "0", "kind": "gezin"})
    assert "Deze datum ligt in de toekomst." in page.text and "Vul de duur in minuten in" in page.text
    assert not GroupContact.objects.exists()


@pytest.mark.denies("facility.log_group_contact")
def test_a_mentor_cannot_log_contacts_of_the_group(client, mentor, group):
    client.force_login(mentor)
    assert client.get(f"/zorg/voorzieningen/{group.pk}/contact/").status_code in (403, 404)
    staff_coach = staff(group.school, Role.COACH, email="other-coach@a.test", name="Andere Coach")
    client.force_login(staff_coach)
    assert client.get(f"/zorg/voorzieningen/{group.pk}/contact/").status_code == 403


@pytest.mark.denies("facility.manage_funding")
def test_the_groups_worker_cannot_change_the_funding(client, coach, group):
    client.force_login(coach)
    assert client.post(f"/zorg/voorzieningen/{group.pk}/financiering/", _post()).status_code == 403
    assert not GroupFunding.objects.exists()


@pytest.mark.denies("facility.manage_funding")
def test_a_viproom_has_no_group_funding(client, coordinator, school, coach):
    room = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    client.force_login(coordinator)
    assert client.get(f"/zorg/voorzieningen/{room.pk}/financiering/").status_code == 403


@pytest.mark.denies("facility.view_funding")
def test_a_mentor_cannot_export_the_funding_report(client, mentor, coordinator, group):
    _funding(group)
    client.force_login(mentor)
    assert client.get(f"/zorg/voorzieningen/{group.pk}/financiering.csv").status_code in (403, 404)
    outsider = staff(group.school, Role.VERZUIMCOORDINATOR, email="vz@a.test", name="Verzuim")
    client.force_login(outsider)
    assert client.get(f"/zorg/voorzieningen/{group.pk}/financiering.csv").status_code == 403


def test_another_schools_coordinator_gets_404(client, other_coordinator, group):
    client.force_login(other_coordinator)
    assert client.get(f"/zorg/voorzieningen/{group.pk}/financiering/").status_code == 404
    assert client.get(f"/zorg/voorzieningen/{group.pk}/financiering.csv").status_code == 404


def test_the_school_leader_sees_the_funding_report(client, schoolleider, group):
    _funding(group)
    client.force_login(schoolleider)
    assert client.get(f"/zorg/voorzieningen/{group.pk}/financiering.csv").status_code == 200
