"""Requests to the samenwerkingsverband: consent checked when sending, the SWV user sees only
what was sent to them (and loses it when consent is withdrawn), the thread, the decision on
the timeline and in the coordinator's tasks, the six-week flag (once)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications.models import Notification
from plans import selectors, services
from plans.models import RequestState, SupportRequest
from students.services import consent_withdraw
from students.tests.factories import ConsentFactory, StudentFactory
from students.timeline import timeline_events

from .factories import adoptable_draft, sent_request, swv_organisation, swv_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def swv(school):
    return swv_organisation(school)


@pytest.fixture
def swv_person(swv):
    return swv_user(swv)


def test_without_the_parents_consent_the_request_cannot_be_sent(client, coordinator, student, swv):
    _plan, draft = adoptable_draft(student, coordinator)
    client.force_login(coordinator)
    response = client.post(
        f"/opp/leerling/{student.pk}/aanvraag/",
        {"organisation": swv.pk, "kind": "arrangement", "question": "Mijn getypte vraag"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Er is geen geldige toestemming" in text and "Mijn getypte vraag" in text
    assert not SupportRequest.objects.exists()


def test_a_request_to_an_organisation_that_is_no_swv_is_refused(client, coordinator, student, organisation):
    adoptable_draft(student, coordinator)
    ConsentFactory(student=student, organisation=organisation, recorded_by=coordinator)
    with pytest.raises(ValidationError, match="alleen naar een samenwerkingsverband"):
        services.request_send(
            student=student, actor=coordinator, organisation=organisation, kind="arrangement", question="?"
        )
    client.force_login(coordinator)
    response = client.post(
        f"/opp/leerling/{student.pk}/aanvraag/",
        {"organisation": organisation.pk, "kind": "arrangement", "question": "Vraag"},
    )
    assert "alleen naar een samenwerkingsverband" in response.content.decode()
    assert not SupportRequest.objects.exists()


def test_a_tlv_needs_the_requested_category(coordinator, student, swv):
    with pytest.raises(ValidationError) as caught:
        sent_request(student, coordinator, swv, kind="tlv")
    assert "tlv_category" in caught.value.error_dict


def test_the_request_carries_a_frozen_copy_of_the_groeidocument(coordinator, student, swv):
    request = sent_request(student, coordinator, swv)
    plan = student.plan
    draft = services.plan_new_draft(plan=plan, actor=coordinator)
    services.plan_update(version=draft, actor=coordinator, fields=("goals",), goals="Nieuwe doelen")
    request.refresh_from_db()
    assert request.groeidocument["goals"] == "Elke dag de lessen Nederlands volgen."
    assert request.consent.organisation == swv


def test_the_swv_user_sees_the_request_sent_to_them_and_nothing_else(client, coordinator, student, swv, swv_person):
    request = sent_request(student, coordinator, swv)
    client.force_login(swv_person)
    text = client.get(f"/opp/aanvragen/{request.pk}/").content.decode()
    assert "Graag een arrangement" in text and "Elke dag de lessen Nederlands volgen." in text
    # Nothing else of the pupil: not the file, not the OPP page, not the pupil list.
    assert client.get(f"/leerlingen/{student.pk}/").status_code == 404
    assert client.get(f"/opp/leerling/{student.pk}/").status_code == 404
    assert "Daan" not in client.get("/leerlingen/").content.decode()
    listing = client.get("/opp/aanvragen/").content.decode()
    assert "Daan Jansen" in listing


def test_the_swv_user_gets_404_on_another_swvs_request_and_another_schools(
    client, coordinator, student, swv, swv_person, other_school, other_coordinator, other_student
):
    other_swv = swv_organisation(student.school, name="SWV Anders")
    elsewhere = sent_request(StudentFactory(school_class=student.school_class), coordinator, other_swv)
    other_school_swv = swv_organisation(other_school, name="SWV B")
    other_request = sent_request(other_student, other_coordinator, other_school_swv)
    client.force_login(swv_person)
    assert client.get(f"/opp/aanvragen/{elsewhere.pk}/").status_code == 404
    assert client.get(f"/opp/aanvragen/{other_request.pk}/").status_code == 404
    # Another school's coordinator neither.
    mine = sent_request(student, coordinator, swv)
    client.force_login(other_coordinator)
    assert client.get(f"/opp/aanvragen/{mine.pk}/").status_code == 404


def test_after_the_consent_is_withdrawn_the_swv_user_loses_access_on_the_next_request(
    client, coordinator, student, swv, swv_person
):
    request = sent_request(student, coordinator, swv)
    client.force_login(swv_person)
    assert client.get(f"/opp/aanvragen/{request.pk}/").status_code == 200
    consent_withdraw(consent=request.consent, withdrawn_by="moeder", reason="Wil het niet meer", actor=coordinator)
    assert client.get(f"/opp/aanvragen/{request.pk}/").status_code == 404
    assert "Daan" not in client.get("/opp/aanvragen/").content.decode()


def test_question_answer_and_grant_reach_the_timeline_and_the_coordinators_tasks(
    client, coordinator, student, swv, swv_person
):
    request = sent_request(student, coordinator, swv)
    client.force_login(swv_person)
    client.post(f"/opp/aanvragen/{request.pk}/bericht/", {"text": "Is er een verslag van de psycholoog?"})
    request.refresh_from_db()
    assert request.state == RequestState.QUESTION
    assert [r.pk for r in selectors.coordinator_tasks(school=student.school).questions] == [request.pk]
    assert selectors.coordinator_task_count(school=student.school) == 1  # the home card's figure
    client.force_login(coordinator)
    client.post(f"/opp/aanvragen/{request.pk}/bericht/", {"text": "Ja, van maart; ik stuur het mee."})
    request.refresh_from_db()
    assert request.state == RequestState.SENT
    assert [m.from_swv for m in request.messages.all()] == [True, False]
    client.force_login(swv_person)
    response = client.post(
        f"/opp/aanvragen/{request.pk}/besluit/",
        {"outcome": "toegekend", "hours": "4", "starts_on": "2026-12-01", "ends_on": "2027-07-15", "reasons": ""},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.GRANTED and request.hours == Decimal("4")
    event = timeline_events(student=student, sections={"aanmelding"}).get(kind="plans.request_decided")
    assert event.params["outcome"] == "toegekend"
    tasks = selectors.coordinator_tasks(school=student.school)
    assert [r.pk for r in tasks.decided] == [request.pk]
    assert selectors.coordinator_task_count(school=student.school) == tasks.count
    # The coordinator opens it: the task is done. The file shows the grant.
    client.force_login(coordinator)
    client.get(f"/opp/aanvragen/{request.pk}/")
    assert selectors.coordinator_tasks(school=student.school).decided == []
    file_text = client.get(f"/leerlingen/{student.pk}/").content.decode()
    assert "Arrangement toegekend door SWV Koers" in file_text and "15-07-2027" in file_text
    assert Notification.objects.filter(kind="plans.request_decided", recipient=coordinator).count() == 1


def test_a_grant_cannot_end_before_it_starts_and_nothing_is_lost(client, coordinator, student, swv, swv_person):
    request = sent_request(student, coordinator, swv)
    client.force_login(swv_person)
    response = client.post(
        f"/opp/aanvragen/{request.pk}/besluit/",
        {
            "outcome": "toegekend",
            "hours": "4",
            "starts_on": "2026-12-01",
            "ends_on": "2026-11-01",
            "reasons": "Mijn motivering",
        },
    )
    text = response.content.decode()
    assert "De einddatum ligt vóór de ingangsdatum." in text and "Mijn motivering" in text
    request.refresh_from_db()
    assert request.state == RequestState.SENT


def test_a_tlv_grant_needs_its_category_and_end_date(coordinator, student, swv, swv_person):
    request = sent_request(student, coordinator, swv, kind="tlv", tlv_category="2")
    with pytest.raises(ValidationError) as caught:
        services.request_decide(request=request, actor=swv_person, outcome="toegekend", starts_on=timezone.localdate())
    assert {"granted_category", "ends_on"} <= set(caught.value.error_dict)


def test_a_decision_on_a_withdrawn_request_is_refused(client, coordinator, student, swv, swv_person):
    request = sent_request(student, coordinator, swv)
    client.force_login(coordinator)
    client.post(f"/opp/aanvragen/{request.pk}/intrekken/", {"reason": "Ouders willen eerst een gesprek."})
    request.refresh_from_db()
    assert request.state == RequestState.WITHDRAWN
    client.force_login(swv_person)
    response = client.post(f"/opp/aanvragen/{request.pk}/besluit/", {"outcome": "afgewezen", "reasons": "Nee"})
    assert "al ingetrokken" in response.content.decode()
    request.refresh_from_db()
    assert request.state == RequestState.WITHDRAWN


def test_a_refusal_needs_reasons(coordinator, student, swv, swv_person):
    request = sent_request(student, coordinator, swv)
    with pytest.raises(ValidationError, match="reden"):
        services.request_decide(request=request, actor=swv_person, outcome="afgewezen", reasons=" ")


def test_the_swv_plans_a_consultation_as_an_overleg_with_the_swv_taking_part(
    client, coordinator, student, swv, swv_person
):
    from meetings.models import Meeting

    request = sent_request(student, coordinator, swv)
    when = (timezone.localtime() + timedelta(days=7)).replace(hour=14, minute=0, second=0, microsecond=0)
    client.force_login(swv_person)
    response = client.post(
        f"/opp/aanvragen/{request.pk}/gesprek/",
        {"meeting_at": when.strftime("%Y-%m-%dT%H:%M"), "place": "Kantoor SWV"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.meeting_place == "Kantoor SWV"
    meeting = Meeting.objects.get(pk=request.meeting_id)
    assert set(meeting.participants.all()) == {swv_person, coordinator}
    assert list(meeting.items.values_list("student_id", flat=True)) == [student.pk]
    assert Notification.objects.filter(kind="meetings.invite", recipient=swv_person).count() == 1
    # The SWV user, a participant with consent, opens the overleg and sees the pupil on it.
    assert "Daan Jansen" in client.get(f"/overleg/{meeting.pk}/").content.decode()


def test_a_consultation_in_the_past_is_refused_with_a_message(client, coordinator, student, swv, swv_person):
    request = sent_request(student, coordinator, swv)
    client.force_login(swv_person)
    response = client.post(
        f"/opp/aanvragen/{request.pk}/gesprek/", {"meeting_at": "2020-01-10T14:00", "place": "Kantoor"}
    )
    assert "in het verleden" in response.content.decode()
    request.refresh_from_db()
    assert request.meeting_id is None


def test_a_request_open_six_weeks_is_flagged_once_to_both_sides(coordinator, student, swv, swv_person):
    request = sent_request(student, coordinator, swv)
    assert services.requests_flag_overdue() == 0
    SupportRequest.objects.filter(pk=request.pk).update(sent_at=timezone.now() - timedelta(weeks=6, hours=1))
    assert services.requests_flag_overdue() == 1
    assert services.requests_flag_overdue() == 0
    overdue = Notification.objects.filter(kind="plans.request_overdue")
    assert sorted(overdue.values_list("recipient_id", flat=True)) == sorted([coordinator.pk, swv_person.pk])
    assert [r.pk for r in selectors.coordinator_tasks(school=student.school).flagged] == [request.pk]
    assert (
        selectors.coordinator_task_count(school=student.school)
        == selectors.coordinator_tasks(school=student.school).count
    )
    # The e-mails carry no pupil name.
    assert all("Daan" not in n.body and "Jansen" not in n.body for n in overdue)


def test_everything_about_a_pupil_lists_plans_requests_and_their_history(coordinator, student, swv):
    request = sent_request(student, coordinator, swv)
    found = selectors.everything_about(student=student)
    assert list(found["support_requests"]) == [request]
    assert found["plan_versions"].count() == 1 and found["plan_versions_history"].count() >= 4
