"""What applicatiebeheer types when adding a school or a partner organisation (review of
29-11-2026): a BRIN code as DUO writes it, the kind of school (its words and its day), one
partner organisation per name. Refused with a message at the field; what was typed stays."""

import pytest

from accounts.models import Organisation, OrganisationKind, School, SchoolType

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_admin(app_admin, client):
    """accounts/tests/conftest.py's applicatiebeheerder, signed in: every test here starts so."""
    client.force_login(app_admin)
    return app_admin


def _school(client, **fields):
    data = {"name": "Basisschool De Wilg", "school_type": "po", "brin_code": "12ab", "holiday_region": "zuid"}
    return client.post("/regio/scholen/nieuw/", {**data, **fields})


@pytest.mark.parametrize("brin", ["ABC", "1234", "12ABC", "12AB0"])
def test_a_brin_code_not_as_duo_writes_it_is_refused(client, app_admin, brin):
    response = _school(client, brin_code=brin)
    assert response.status_code == 200
    assert "twee cijfers en twee letters" in response.text
    assert f'value="{brin}"' in response.text and 'value="Basisschool De Wilg"' in response.text
    assert not School.objects.filter(name="Basisschool De Wilg").exists()


def test_a_primary_school_is_added_as_one_with_a_branch_number(client, app_admin):
    assert _school(client, brin_code="12ab00").status_code == 302
    school = School.objects.get(name="Basisschool De Wilg")
    assert (school.brin_code, school.school_type) == ("12AB00", SchoolType.PO)


@pytest.mark.parametrize("typed", ["jeugdteam zwijndrecht ", " Jeugdteam  Zwijndrecht"])
def test_a_second_partner_organisation_with_the_same_name_is_refused(client, app_admin, school, typed):
    Organisation.objects.create(name="Jeugdteam Zwijndrecht", kind=OrganisationKind.JEUGDTEAM)
    response = client.post(
        "/regio/partners/nieuw/", {"name": typed, "kind": OrganisationKind.JEUGDTEAM, "schools": [school.pk]}
    )
    assert response.status_code == 200
    assert "Er is al een partnerorganisatie met de naam" in response.text
    assert Organisation.objects.count() == 1


def test_the_kind_of_school_is_chosen_not_assumed(client, app_admin):
    response = _school(client, school_type="")
    assert response.status_code == 200 and "school_type" in response.context["form"].errors
    assert 'value="Basisschool De Wilg"' in response.text
    assert not School.objects.filter(name="Basisschool De Wilg").exists()
