"""Who is refused what in the plans app: one test per refusal, named for who is refused."""

import pytest
from django.utils import timezone

from plans import services
from plans.models import RequestState, SupportRequest
from students.tests.factories import ConsentFactory, PartnerLinkFactory

from .factories import adoptable_draft, sent_request, swv_organisation, swv_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def swv(school):
    return swv_organisation(school)


@pytest.fixture
def draft(student, coordinator):
    return services.plan_start(
        student=student, actor=coordinator, support_started_on=timezone.localdate()
    ).versions.get()


@pytest.mark.denies("plan.read")
def test_partner_with_consent_cannot_read_the_opp(client, consented_partner, student, draft):
    client.force_login(consented_partner)
    assert client.get(f"/leerlingen/{student.pk}/").status_code == 200  # they see the file
    assert client.get(f"/opp/leerling/{student.pk}/").status_code == 403
    assert client.get(f"/opp/versie/{draft.pk}/").status_code == 403


def test_other_schools_coordinator_gets_404_on_the_opp(client, other_coordinator, student, draft):
    client.force_login(other_coordinator)
    assert client.get(f"/opp/leerling/{student.pk}/").status_code == 404
    assert client.get(f"/opp/versie/{draft.pk}/").status_code == 404


@pytest.mark.denies("plan.manage")
def test_mentor_cannot_adopt_record_consent_or_print(client, mentor, student, draft):
    client.force_login(mentor)
    assert client.get(f"/opp/versie/{draft.pk}/").status_code == 200  # reads it
    assert client.post(f"/opp/versie/{draft.pk}/vaststellen/").status_code == 403
    assert client.get(f"/opp/versie/{draft.pk}/instemming/").status_code == 403
    assert client.get(f"/opp/versie/{draft.pk}/pdf/").status_code == 403
    assert client.post(f"/opp/leerling/{student.pk}/starten/", {}).status_code == 403


@pytest.mark.denies("plan.contribute_mentor", "plan.contribute_coach")
def test_beheerder_cannot_write_any_part(client, beheerder, student, draft):
    from carecoord import access

    assert not access.can(beheerder, "plan.contribute_mentor", student)
    assert not access.can(beheerder, "plan.contribute_coach", student)
    client.force_login(beheerder)
    assert client.get(f"/opp/versie/{draft.pk}/bewerken/").status_code == 403


@pytest.mark.denies("plan.contribute_coach")
def test_coach_without_a_placement_cannot_read_or_write(client, coach, student, draft):
    from carecoord import access

    assert not access.can(coach, "plan.contribute_coach", student)
    client.force_login(coach)
    assert client.get(f"/opp/versie/{draft.pk}/bewerken/").status_code == 404  # no file either


def test_coach_of_a_placed_pupil_writes_the_coach_part(client, coach, coordinator, student, draft):
    from referrals.tests.factories import FacilityFactory, placed

    room = FacilityFactory(school=student.school, coaches=[coach])
    placed(student, room, by=coordinator)
    client.force_login(coach)
    response = client.post(f"/opp/versie/{draft.pk}/bewerken/", {"coach_contribution": "Komt elke dag in."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.coach_contribution == "Komt elke dag in."


@pytest.mark.denies("school.plan_tasks")
def test_mentor_has_no_task_list(client, mentor):
    client.force_login(mentor)
    assert client.get("/opp/taken/").status_code == 403


@pytest.mark.denies("school.list_swv_requests")
def test_jeugdteam_partner_has_no_request_list(client, consented_partner):
    client.force_login(consented_partner)
    assert client.get("/opp/aanvragen/").status_code == 403


@pytest.mark.denies("student.send_swv_request")
def test_mentor_cannot_send_a_request(client, mentor, student):
    client.force_login(mentor)
    assert client.get(f"/opp/leerling/{student.pk}/aanvraag/").status_code == 403


@pytest.mark.denies("swv_request.read")
def test_swv_user_linked_to_the_pupil_without_consent_cannot_read_the_request(client, coordinator, student, swv):
    from carecoord import access

    request = sent_request(student, coordinator, swv)
    person = swv_user(swv)
    PartnerLinkFactory(student=student, organisation=swv, linked_by=coordinator)
    request.consent.withdrawn_at = timezone.now()
    request.consent.save()
    assert not access.can(person, "swv_request.read", request)
    client.force_login(person)
    assert client.get(f"/opp/aanvragen/{request.pk}/").status_code == 404


@pytest.mark.denies("swv_request.manage")
def test_swv_user_cannot_withdraw_the_schools_request(client, coordinator, student, swv):
    request = sent_request(student, coordinator, swv)
    client.force_login(swv_user(swv))
    assert client.post(f"/opp/aanvragen/{request.pk}/intrekken/", {"reason": "x"}).status_code == 403
    assert SupportRequest.objects.get(pk=request.pk).state == RequestState.SENT


@pytest.mark.denies("swv_request.decide")
def test_coordinator_cannot_decide_for_the_swv(client, coordinator, student, swv):
    request = sent_request(student, coordinator, swv)
    client.force_login(coordinator)
    response = client.post(f"/opp/aanvragen/{request.pk}/besluit/", {"outcome": "toegekend"})
    assert response.status_code == 403
    assert client.post(f"/opp/aanvragen/{request.pk}/gesprek/", {"meeting_at": "2026-12-01T10:00"}).status_code == 403


def test_a_non_swv_partner_with_consent_cannot_see_a_request(client, coordinator, student, swv, consented_partner):
    request = sent_request(student, coordinator, swv)
    ConsentFactory(student=student, organisation=consented_partner.organisation, recorded_by=coordinator)
    client.force_login(consented_partner)
    assert client.get(f"/opp/aanvragen/{request.pk}/").status_code == 404


def test_mentor_cannot_read_a_request(client, coordinator, mentor, student, swv):
    request = sent_request(student, coordinator, swv)
    client.force_login(mentor)
    assert client.get(f"/opp/aanvragen/{request.pk}/").status_code == 404


def test_the_swv_user_sees_a_draft_opp_nowhere(client, coordinator, student, swv):
    _plan, draft = adoptable_draft(student, coordinator)
    ConsentFactory(student=student, organisation=swv, recorded_by=coordinator)
    client.force_login(swv_user(swv))
    assert client.get(f"/opp/versie/{draft.pk}/").status_code == 404
