"""Clash warnings: planning or moving a meeting or a series warns, before saving, when a
participant already has a meeting at that time at any school; back to back is no clash."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import OrganisationKind
from accounts.tests.factories import OrganisationFactory, partner
from meetings.clashes import participant_clashes
from meetings.models import Meeting
from meetings.recurrence import local_datetime
from meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

# A Tuesday at least ten days ahead (a series on its weekday has dates around it).
DAY = timezone.localdate() + timedelta(days=10)
DAY += timedelta(days=(1 - DAY.weekday()) % 7)


@pytest.fixture
def shared_partner(school, other_school):
    """Leerplicht works with both schools: the OT of each has the same officer."""
    org = OrganisationFactory(name="Leerplicht Regio", kind=OrganisationKind.LEERPLICHT, schools=[school, other_school])
    return partner(org, email="lp@regio.test", name="Osman Kaya")


@pytest.fixture
def elsewhere(other_school, other_coordinator, shared_partner):
    """An OT at School B on DAY 14:00-15:30 with the shared leerplicht officer."""
    return MeetingFactory(
        school=other_school,
        organiser=other_coordinator,
        title="OT School B: geheime titel",
        starts_at=local_datetime(DAY, _t("14:00")),
        ends_at=local_datetime(DAY, _t("15:30")),
        participants=[other_coordinator, shared_partner],
    )


def _t(hh_mm):
    from datetime import time

    return time.fromisoformat(hh_mm)


def _form(**extra):
    return {
        "kind": "ot",
        "title": "Ondersteuningsteam",
        "day": DAY.isoformat(),
        "start_time": "14:30",
        "end_time": "16:00",
        "location": "Lokaal 12",
        "online_link": "",
    } | extra


def test_a_participant_booked_at_another_school_is_warned_before_saving(
    client, school, coordinator, shared_partner, elsewhere
):
    client.force_login(coordinator)
    page = client.post("/overleg/nieuw/", _form(participants=[coordinator.pk, shared_partner.pk]))
    assert page.status_code == 200
    assert "Osman Kaya heeft op" in page.text and "al een overleg op een andere school" in page.text
    assert "geheime titel" not in page.text  # another school's meeting is busy time only
    assert 'value="Lokaal 12"' in page.text  # what was typed stays
    assert not Meeting.objects.filter(school=school).exists()

    confirmed = client.post(
        "/overleg/nieuw/", _form(participants=[coordinator.pk, shared_partner.pk], ondanks_overlap="1")
    )
    assert confirmed.status_code == 302
    assert Meeting.objects.count() == 2


def test_back_to_back_meetings_are_no_clash(client, coordinator, shared_partner, elsewhere):
    client.force_login(coordinator)
    response = client.post(
        "/overleg/nieuw/",
        _form(start_time="15:30", end_time="16:30", participants=[coordinator.pk, shared_partner.pk]),
    )
    assert response.status_code == 302
    assert Meeting.objects.count() == 2


def test_a_cancelled_meeting_is_no_clash(client, coordinator, shared_partner, elsewhere):
    elsewhere.status = "cancelled"
    elsewhere.save()
    client.force_login(coordinator)
    response = client.post("/overleg/nieuw/", _form(participants=[coordinator.pk, shared_partner.pk]))
    assert response.status_code == 302


def test_moving_a_meeting_onto_a_clash_warns_and_ignores_the_meeting_itself(
    client, school, coordinator, shared_partner, elsewhere
):
    own = MeetingFactory(
        school=school,
        organiser=coordinator,
        starts_at=local_datetime(DAY, _t("09:00")),
        ends_at=local_datetime(DAY, _t("10:00")),
        participants=[coordinator, shared_partner],
    )
    client.force_login(coordinator)
    form = {"title": own.title, "day": DAY.isoformat(), "location": "", "online_link": ""}
    # Moving it by half an hour overlaps only itself: no warning.
    same = client.post(f"/overleg/{own.pk}/wijzigen/", form | {"start_time": "09:30", "end_time": "10:30"})
    assert same.status_code == 302
    page = client.post(f"/overleg/{own.pk}/wijzigen/", form | {"start_time": "15:00", "end_time": "16:00"})
    assert page.status_code == 200 and "al een overleg op een andere school" in page.text
    own.refresh_from_db()
    assert timezone.localtime(own.starts_at).hour == 9


def test_a_clash_at_the_own_school_names_the_meeting(client, school, coordinator, shared_partner):
    MeetingFactory(
        school=school,
        organiser=coordinator,
        title="Korte lijn",
        starts_at=local_datetime(DAY, _t("14:00")),
        ends_at=local_datetime(DAY, _t("15:00")),
        participants=[shared_partner],
    )
    client.force_login(coordinator)
    page = client.post("/overleg/nieuw/", _form(participants=[coordinator.pk, shared_partner.pk]))
    assert "al Korte lijn" in page.text


def test_a_series_warns_on_the_dates_that_clash(client, coordinator, shared_partner, elsewhere):
    client.force_login(coordinator)
    data = {
        "kind": "korte_lijn",
        "title": "Korte lijn",
        "interval_weeks": 1,
        "weekday": DAY.weekday(),
        "start_time": "14:00",
        "end_time": "14:45",
        "starts_on": (DAY - timedelta(days=6)).isoformat(),
        "ends_on": (DAY + timedelta(days=20)).isoformat(),
        "holiday_policy": "skip",
        "participants": [coordinator.pk, shared_partner.pk],
    }
    page = client.post("/overleg/reeksen/nieuw/", data)
    assert page.status_code == 200
    assert len(page.context["clashes"]) == 1
    assert Meeting.objects.count() == 1
    created = client.post("/overleg/reeksen/nieuw/", data | {"ondanks_overlap": "1"})
    assert created.status_code == 302
    assert Meeting.objects.count() > 1


def test_the_clash_check_is_one_query_for_any_number_of_dates(school, coordinator, shared_partner, elsewhere):
    def slots(n):
        return [
            (
                local_datetime(DAY + timedelta(weeks=w), _t("14:00")),
                local_datetime(DAY + timedelta(weeks=w), _t("15:00")),
            )
            for w in range(n)
        ]

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert len(participant_clashes(school=school, slots=slots(2), participants=[coordinator, shared_partner])) == 1
    with CaptureQueriesContext(connection) as many:
        assert len(participant_clashes(school=school, slots=slots(40), participants=[coordinator, shared_partner])) == 1
    assert len(few.captured_queries) == len(many.captured_queries) == 1
