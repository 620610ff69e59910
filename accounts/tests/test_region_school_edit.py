"""Applicatiebeheer corrects a school it added (`/regio/scholen/<id>/bewerken/`): a mistyped
name or BRIN code, the wrong holiday region, a new type. Before, only the school's own
functioneel beheerder could change a school, never its BRIN code, and a new school has none
yet. The checks are those of adding a school; the change is in the onboarding log; after a
type change applicatiebeheer hears what the beheerder would (roles that no longer count)."""

import pytest

from accounts import services
from accounts.models import Membership, Role, SchoolType
from accounts.tests.factories import SchoolFactory, staff
from audit.models import Change

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_admin(app_admin, client):
    """accounts/tests/conftest.py's applicatiebeheerder, signed in: every test here starts so."""
    client.force_login(app_admin)
    return app_admin


def _url(school) -> str:
    return f"/regio/scholen/{school.pk}/bewerken/"


def _fields(school, **changed) -> dict:
    data = {
        "name": school.name,
        "school_type": school.school_type,
        "brin_code": school.brin_code,
        "region": school.region,
        "holiday_region": school.holiday_region,
    }
    return {**data, **changed}


def _stored(school) -> tuple:
    school.refresh_from_db()
    return (school.name, school.school_type, school.brin_code, school.region, school.holiday_region)


def test_app_admin_opens_the_edit_page_from_the_schools_page(client, app_admin, school):
    page = client.get(f"/regio/scholen/{school.pk}/").text
    assert f'href="{_url(school)}"' in page and "Gegevens wijzigen" in page
    response = client.get(_url(school))
    assert response.status_code == 200
    assert "<h1" in response.text and "Gegevens van School A wijzigen" in response.text
    assert 'value="School A"' in response.text and 'value="11AA"' in response.text
    assert f'<a href="/regio/scholen/{school.pk}/">School A</a>' in response.text  # the breadcrumb


def test_app_admin_corrects_a_school_and_the_log_says_what_changed(client, app_admin, school):
    response = client.post(
        _url(school), _fields(school, name="School Aa ", brin_code="12ab00", holiday_region="zuid", region="Koers VO")
    )
    assert response.status_code == 302 and response["Location"] == f"/regio/scholen/{school.pk}/"
    assert _stored(school) == ("School Aa", SchoolType.VO, "12AB00", "Koers VO", "zuid")
    change = Change.objects.get(kind="region.school_updated")
    assert (change.school_id, change.actor, change.object_id) == (school.pk, app_admin, school.pk)
    assert change.changes == {
        "brin_code": ["11AA", "12AB00"],
        "holiday_region": ["midden", "zuid"],
        "name": ["School A", "School Aa"],
        "region": ["Testregio", "Koers VO"],
    }
    log = client.get("/regio/logboek/").text
    assert "School gewijzigd" in log
    assert "<strong>BRIN-code</strong>: 11AA → 12AB00" in log
    assert "<strong>vakantieregio</strong>: Midden → Zuid" in log


def test_saving_a_school_unchanged_keeps_its_own_brin_code(client, app_admin, school):
    # Its own BRIN code is no duplicate, also typed in lower case.
    response = client.post(_url(school), _fields(school, brin_code="11aa"))
    assert response.status_code == 302
    assert _stored(school)[2] == "11AA"
    assert not Change.objects.filter(kind="region.school_updated").exists()  # nothing changed


def test_a_brin_code_of_another_school_is_refused_and_what_was_typed_stays(client, app_admin, school, other_school):
    response = client.post(_url(school), _fields(school, name="Nieuwe naam", brin_code="22bb", holiday_region="noord"))
    assert response.status_code == 200
    assert "Er is al een school met BRIN-code 22BB." in response.text
    assert 'value="Nieuwe naam"' in response.text and 'value="22bb"' in response.text
    assert '<option value="noord" selected>' in response.text
    assert "Gegevens van School A wijzigen" in response.text  # the name as stored, not as typed
    assert _stored(school) == ("School A", SchoolType.VO, "11AA", "Testregio", "midden")
    assert not Change.objects.filter(kind="region.school_updated").exists()


@pytest.mark.parametrize("brin", ["ABC", "12ABC", "12AB0"])
def test_a_brin_code_not_as_duo_writes_it_is_refused_as_when_adding(client, app_admin, school, brin):
    response = client.post(_url(school), _fields(school, brin_code=brin, name="Andere naam"))
    assert response.status_code == 200
    assert "twee cijfers en twee letters" in response.text
    assert f'value="{brin}"' in response.text and 'value="Andere naam"' in response.text
    assert _stored(school)[:3] == ("School A", SchoolType.VO, "11AA")


def test_a_school_without_a_name_or_type_is_refused(client, app_admin, school):
    response = client.post(_url(school), _fields(school, name="", school_type="", brin_code="12AB"))
    assert response.status_code == 200
    assert {"name", "school_type"} <= set(response.context["form"].errors)
    assert 'value="12AB"' in response.text
    assert _stored(school)[:3] == ("School A", SchoolType.VO, "11AA")


def test_a_brin_code_saved_by_someone_else_meanwhile_is_refused_with_the_message(
    client, app_admin, school, monkeypatch
):
    from accounts.services import region

    # Another request saves 33CC after this one's check: the database's unique constraint
    # refuses this save, and the page says so as the check would have.
    answers = iter([False, True])
    monkeypatch.setattr(region, "_brin_taken", lambda brin_code, school: next(answers))
    SchoolFactory(name="Tegelijk", brin_code="33CC")
    response = client.post(_url(school), _fields(school, brin_code="33CC"))
    assert response.status_code == 200
    assert "Er is al een school met BRIN-code 33CC." in response.text
    assert _stored(school)[2] == "11AA"


def test_a_type_change_tells_app_admin_who_holds_a_role_that_no_longer_counts(client, app_admin):
    primary = SchoolFactory(name="OBS De Aanloop", brin_code="33PO", school_type=SchoolType.PO)
    beheerder = staff(primary, Role.BEHEERDER, email="beheer@po.test", name="Beheer PO")
    staff(primary, Role.INTERN_BEGELEIDER, email="ib@po.test", name="Intern Begeleider")
    services.invitation_create(
        actor=beheerder, school=primary, email="nieuwe-ib@po.test", name="Nieuwe IB", roles=[Role.INTERN_BEGELEIDER]
    )
    response = client.post(_url(primary), _fields(primary, school_type=SchoolType.VO), follow=True)
    assert response.redirect_chain == [(f"/regio/scholen/{primary.pk}/", 302)]
    text = response.text
    assert "De gegevens van OBS De Aanloop zijn opgeslagen." in text
    # The beheerder's own words (accounts.views.people.warn_roles_that_do_not_count) ...
    assert (
        "1 medewerker heeft een rol die bij OBS De Aanloop niet past en daar niets opent: "
        "Intern Begeleider (ib@po.test: Intern begeleider (IB&#x27;er))." in text
    )
    assert (
        "1 open uitnodiging noemt een rol die bij OBS De Aanloop niet past: "
        "nieuwe-ib@po.test (Intern begeleider (IB&#x27;er))." in text
    )
    # ... and whom to tell, as applicatiebeheer gives no roles at a school.
    assert "Geef dit door aan de functioneel beheerder van OBS De Aanloop" in text
    assert Membership.objects.filter(school=primary, role=Role.INTERN_BEGELEIDER).count() == 1  # nothing taken
    change = Change.objects.get(kind="region.school_updated")
    assert change.changes == {"school_type": [SchoolType.PO, SchoolType.VO]}


def test_a_type_change_where_every_role_still_counts_warns_nothing(client, app_admin, school, mentor):
    response = client.post(_url(school), _fields(school, school_type=SchoolType.VSO), follow=True)
    assert "De gegevens van School A zijn opgeslagen." in response.text
    assert "niet past" not in response.text and "Geef dit door" not in response.text


def test_the_schools_own_settings_page_still_works_and_never_changes_the_brin_code(client, beheerder, school):
    client.force_login(beheerder)
    fields = {
        "school-name": "School A (vestiging)",
        "school-school_type": SchoolType.VO,
        "school-holiday_region": "noord",
        "school-brin_code": "99ZZ",  # not a field of this form: ignored
    }
    response = client.post("/beheer/school/", fields, follow=True)
    assert response.redirect_chain == [("/beheer/school/", 302)]
    assert "De instellingen zijn opgeslagen." in response.text
    assert _stored(school)[0::2] == ("School A (vestiging)", "11AA", "noord")
    change = Change.objects.get(kind="accounts.school_updated")
    assert change.actor == beheerder and change.changes["holiday_region"] == ["midden", "noord"]


# --- Who may not -------------------------------------------------------------------------------


def _refused(client, user, school, status=403):
    if user is not None:
        client.force_login(user)
    assert client.get(_url(school)).status_code == status
    response = client.post(_url(school), _fields(school, name="Overgenomen", brin_code="99ZZ"))
    assert response.status_code == status
    assert _stored(school)[:3] == ("School A", SchoolType.VO, "11AA")
    assert not Change.objects.filter(kind="region.school_updated").exists()
    return response


@pytest.mark.denies("region.edit_school")
def test_the_schools_own_beheerder_cannot_edit_it_here(client, beheerder, school):
    _refused(client, beheerder, school)


@pytest.mark.denies("region.edit_school")
def test_a_zorgcoordinator_cannot_edit_a_school(client, coordinator, school):
    _refused(client, coordinator, school)


@pytest.mark.denies("region.edit_school")
def test_someone_refused_learns_nothing_of_which_school_ids_exist(client, app_admin, coordinator, school):
    missing = f"/regio/scholen/{school.pk + 1000}/bewerken/"
    client.force_login(coordinator)
    assert client.get(missing).status_code == 403  # as for an existing school
    client.force_login(app_admin)
    assert client.get(missing).status_code == 404


@pytest.mark.denies("region.edit_school")
def test_a_partner_cannot_edit_a_school(client, partner_user, school):
    _refused(client, partner_user, school)


def test_an_anonymous_visitor_is_sent_to_sign_in(client, school):
    from django.urls import reverse

    response = _refused(client, None, school, status=302)
    assert response["Location"].startswith(reverse("account_login"))
