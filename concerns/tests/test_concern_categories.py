"""The zorgroute is managed per school, not hard-coded (issue 5)."""

import pytest

from accounts.models import OrganisationKind, Role
from accounts.tests.factories import OrganisationFactory, staff
from concerns.models import ConcernCategory, HandlerKind

from .factories import ConcernCategoryFactory

pytestmark = pytest.mark.django_db

NEW = "/zorg/zorgroute/nieuw/"


def data(**extra):
    return {
        "name": "Verzuim",
        "guidance_when": "Bij veel ziekmeldingen.",
        "guidance_what": "Het patroon.",
        "guidance_first": "Bel ouders.",
        "handler_kind": HandlerKind.ROLE,
        "handler_role": Role.ZORGCOORDINATOR,
        "default_urgency": 2,
        "position": 10,
        "is_active": "on",
        **extra,
    }


def test_coordinator_adds_a_category(client, school, coordinator):
    client.force_login(coordinator)
    assert client.post(NEW, data()).status_code == 302
    category = ConcernCategory.objects.get()
    assert (category.school, category.handler_role) == (school, Role.ZORGCOORDINATOR)


def test_functional_administrator_routes_a_category_to_a_partner(client, school, beheerder):
    leerplicht = OrganisationFactory(kind=OrganisationKind.LEERPLICHT, schools=[school])
    client.force_login(beheerder)
    response = client.post(
        NEW,
        data(
            handler_kind=HandlerKind.ORGANISATION, handler_organisation=leerplicht.pk, handler_role="verzuimcoordinator"
        ),
    )
    assert response.status_code == 302
    category = ConcernCategory.objects.get()
    assert (category.handler_organisation, category.handler_role) == (leerplicht, "")  # the stray role is dropped


def test_mentor_cannot_manage_the_route(client, mentor):
    client.force_login(mentor)
    assert client.get("/zorg/zorgroute/").status_code == 403
    assert client.post(NEW, data()).status_code == 403


def test_category_of_another_school_gets_404(client, coordinator, other_school):
    foreign = ConcernCategoryFactory(school=other_school)
    client.force_login(coordinator)
    assert client.get(f"/zorg/zorgroute/{foreign.pk}/").status_code == 404


def test_a_meldcode_category_cannot_go_to_a_partner_or_a_mentor(client, school, coordinator, mentor):
    leerplicht = OrganisationFactory(kind=OrganisationKind.LEERPLICHT, schools=[school])
    client.force_login(coordinator)
    to_partner = client.post(
        NEW, data(follows_meldcode="on", handler_kind=HandlerKind.ORGANISATION, handler_organisation=leerplicht.pk)
    )
    assert "niet naar een partner" in to_partner.text
    to_verzuim_role = client.post(NEW, data(follows_meldcode="on", handler_role=Role.VERZUIMCOORDINATOR))
    assert "aandachtsfunctionaris of de zorgcoördinator" in to_verzuim_role.text
    to_mentor = client.post(NEW, data(follows_meldcode="on", handler_kind=HandlerKind.PERSON, handler_user=mentor.pk))
    assert "kies de aandachtsfunctionaris of een zorgcoördinator" in to_mentor.text
    assert ConcernCategory.objects.count() == 0


def test_a_person_handler_must_work_at_the_school(client, coordinator, other_coordinator):
    client.force_login(coordinator)
    response = client.post(NEW, data(handler_kind=HandlerKind.PERSON, handler_user=other_coordinator.pk))
    assert response.status_code == 200
    assert ConcernCategory.objects.count() == 0


def test_a_missing_handler_is_named_under_the_field(client, coordinator):
    client.force_login(coordinator)
    response = client.post(NEW, data(handler_kind=HandlerKind.PERSON))
    assert "Kies wie deze meldingen behandelt." in response.text
    assert 'value="Verzuim"' in response.text


def test_a_duplicate_name_is_refused(client, school, coordinator):
    ConcernCategoryFactory(school=school, name="verzuim")
    client.force_login(coordinator)
    response = client.post(NEW, data())
    assert "al een categorie met deze naam" in response.text


def test_the_same_name_at_another_school_is_fine(client, coordinator, other_school):
    ConcernCategoryFactory(school=other_school, name="Verzuim")
    client.force_login(coordinator)
    assert client.post(NEW, data()).status_code == 302


def test_a_person_of_the_school_may_handle_a_category(client, school, coordinator):
    person = staff(school, Role.VERZUIMCOORDINATOR)
    client.force_login(coordinator)
    assert client.post(NEW, data(handler_kind=HandlerKind.PERSON, handler_user=person.pk)).status_code == 302


@pytest.mark.parametrize("role", [Role.MENTOR, Role.SCHOOLLEIDER, Role.COACH, Role.BEHEERDER])
def test_a_category_cannot_go_to_everyone_with_a_non_care_role(client, coordinator, role):
    """Routing to a role lets every holder read the concern: only care roles qualify."""
    client.force_login(coordinator)
    response = client.post(NEW, data(handler_role=role))
    assert response.status_code == 200
    assert ConcernCategory.objects.count() == 0
