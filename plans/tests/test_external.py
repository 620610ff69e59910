"""Referrals to external partners: consent checked, accept, decline (back to the
coordinator), end with a summary; a partner without consent cannot see it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from plans import selectors, services
from plans.models import ExternalReferral, ExternalState
from students.services import consent_withdraw
from students.tests.factories import ConsentFactory
from students.timeline import timeline_events

from .factories import swv_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(coordinator, student, organisation):
    ConsentFactory(student=student, organisation=organisation, recorded_by=coordinator)
    return services.external_referral_send(
        student=student,
        actor=coordinator,
        organisation=organisation,
        question="Gezinsbegeleiding: moeder vraagt hulp bij de opvoeding.",
        contact_person="Petra (jeugdteam Noord)",
    )


def test_the_coordinator_refers_through_the_page_with_consent(client, coordinator, student, organisation):
    client.force_login(coordinator)
    data = {"organisation": organisation.pk, "question": "Mijn getypte hulpvraag", "contact_person": "Petra"}
    response = client.post(f"/opp/leerling/{student.pk}/doorverwijzen/", data)
    assert "Er is geen geldige toestemming" in response.content.decode()
    assert "Mijn getypte hulpvraag" in response.content.decode()
    assert not ExternalReferral.objects.exists()
    ConsentFactory(student=student, organisation=organisation, recorded_by=coordinator)
    response = client.post(f"/opp/leerling/{student.pk}/doorverwijzen/", data)
    assert response.status_code == 302
    referral = ExternalReferral.objects.get()
    assert referral.state == ExternalState.SENT and referral.contact_person == "Petra"


def test_a_referral_to_the_swv_is_refused(coordinator, student, school):
    swv = swv_organisation(school)
    ConsentFactory(student=student, organisation=swv, recorded_by=coordinator)
    with pytest.raises(ValidationError, match="via het OPP"):
        services.external_referral_send(student=student, actor=coordinator, organisation=swv, question="Hulp")


def test_the_partner_accepts_and_ends_with_a_summary(client, referral, partner_user, student, coordinator):
    client.force_login(partner_user)
    assert "Gezinsbegeleiding" in client.get(f"/opp/doorverwijzingen/{referral.pk}/").content.decode()
    client.post(f"/opp/doorverwijzingen/{referral.pk}/accepteren/", {"help_started_on": "2026-11-02"})
    referral.refresh_from_db()
    assert referral.state == ExternalState.ACCEPTED and referral.answered_by == partner_user
    response = client.post(
        f"/opp/doorverwijzingen/{referral.pk}/afronden/",
        {"help_ended_on": "2026-10-01", "summary": "Mijn samenvatting"},
    )
    assert "De einddatum ligt vóór de start van de hulp." in response.content.decode()
    assert "Mijn samenvatting" in response.content.decode()
    client.post(
        f"/opp/doorverwijzingen/{referral.pk}/afronden/",
        {"help_ended_on": "2026-11-20", "summary": "Zes gesprekken; moeder weet de weg naar de wijkteams."},
    )
    referral.refresh_from_db()
    assert referral.state == ExternalState.ENDED and referral.summary.startswith("Zes gesprekken")
    kinds = set(timeline_events(student=student, sections={"aanmelding"}).values_list("kind", flat=True))
    assert {"plans.external_sent", "plans.external_accepted", "plans.external_ended"} <= kinds
    # The school sees the state.
    client.force_login(coordinator)
    assert "afgerond" in client.get(f"/opp/doorverwijzingen/{referral.pk}/").content.decode()


def test_a_declined_referral_returns_to_the_coordinators_tasks(client, referral, partner_user, coordinator, student):
    client.force_login(partner_user)
    response = client.post(f"/opp/doorverwijzingen/{referral.pk}/afwijzen/", {"reason": ""})
    assert response.status_code == 400
    client.post(f"/opp/doorverwijzingen/{referral.pk}/afwijzen/", {"reason": "Past beter bij SMW."})
    referral.refresh_from_db()
    assert referral.state == ExternalState.DECLINED
    assert [r.pk for r in selectors.coordinator_tasks(school=student.school).declined] == [referral.pk]
    assert selectors.coordinator_task_count(school=student.school) == 1  # the home card's figure
    client.force_login(coordinator)
    assert "Doorverwijzing afgewezen" in client.get("/opp/taken/").content.decode()
    assert "Verwijzing afgewezen door de partner" in client.get("/taken/").content.decode()  # Mijn taken too
    client.get(f"/opp/doorverwijzingen/{referral.pk}/")
    assert "Verwijzing afgewezen door de partner" not in client.get("/taken/").content.decode()
    assert selectors.coordinator_tasks(school=student.school).declined == []
    # Declined is final: accepting now is refused with a message.
    with pytest.raises(ValidationError, match="al afgewezen"):
        services.external_referral_accept(referral=referral, actor=partner_user)


@pytest.mark.denies("external_referral.read")
def test_partner_without_consent_cannot_see_the_referral(client, referral, partner_user, coordinator, student):
    from carecoord import access

    consent_withdraw(consent=referral.consent, withdrawn_by="moeder", reason="Geen hulp meer", actor=coordinator)
    assert not access.can(partner_user, "external_referral.read", referral)
    client.force_login(partner_user)
    assert client.get(f"/opp/doorverwijzingen/{referral.pk}/").status_code == 404
    assert "Daan" not in client.get("/opp/doorverwijzingen/").content.decode()


@pytest.mark.denies("external_referral.respond")
def test_coordinator_cannot_accept_for_the_partner(client, referral, coordinator):
    client.force_login(coordinator)
    assert client.post(f"/opp/doorverwijzingen/{referral.pk}/accepteren/", {}).status_code == 403
    assert ExternalReferral.objects.get(pk=referral.pk).state == ExternalState.SENT


@pytest.mark.denies("student.refer_external")
def test_mentor_cannot_refer(client, mentor, student):
    client.force_login(mentor)
    assert client.get(f"/opp/leerling/{student.pk}/doorverwijzen/").status_code == 403


@pytest.mark.denies("school.list_external_referrals")
def test_mentor_has_no_referral_list(client, mentor):
    client.force_login(mentor)
    assert client.get("/opp/doorverwijzingen/").status_code == 403


def test_another_organisations_partner_gets_404(client, referral, school, coordinator, student):
    from accounts.models import OrganisationKind
    from accounts.tests.factories import OrganisationFactory, partner

    smw = OrganisationFactory(name="SMW", kind=OrganisationKind.SMW, schools=[school])
    ConsentFactory(student=student, organisation=smw, recorded_by=coordinator)
    client.force_login(partner(smw, email="smw@a.test"))
    assert client.get(f"/opp/doorverwijzingen/{referral.pk}/").status_code == 404


def test_the_referral_list_shows_the_partner_only_their_own(client, referral, partner_user):
    client.force_login(partner_user)
    text = client.get("/opp/doorverwijzingen/").content.decode()
    assert "Daan Jansen" in text
    assert timezone.localdate().strftime("%d-%m-%Y") in text
