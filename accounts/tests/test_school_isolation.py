"""School isolation and role checks for the foundation's pages.

Other school's objects: 404 (existence does not leak). Wrong role here: 403.
"""

import pytest

from accounts.models import HolidayPeriod, Role
from accounts.tests.factories import staff

pytestmark = pytest.mark.django_db

ROLES = [
    Role.ZORGCOORDINATOR,
    Role.MENTOR,
    Role.COACH,
    Role.SCHOOLLEIDER,
    Role.BEHEERDER,
    Role.AANDACHTSFUNCTIONARIS,
    Role.VERZUIMCOORDINATOR,
    "partner",
]

SCHOOL_PAGES = ["/beheer/medewerkers/", "/beheer/medewerkers/nieuw/", "/beheer/school/", "/berichten/"]


@pytest.fixture
def user_with(school, organisation):
    from accounts.tests.factories import partner

    def make(role):
        if role == "partner":
            return partner(organisation)
        return staff(school, role)

    return make


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_its_home_page(client, user_with, role):
    client.force_login(user_with(role))
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["greeting"].startswith("Goede")


@pytest.mark.parametrize("url", SCHOOL_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_functional_administrator_can_open_management_pages(client, user_with, role, url):
    client.force_login(user_with(role))
    expected = 200 if role == Role.BEHEERDER else 403
    assert client.get(url).status_code == expected


@pytest.mark.denies("school.manage_settings")
def test_coordinator_cannot_change_the_school_settings(client, coordinator, school):
    client.force_login(coordinator)
    response = client.post("/beheer/school/", {"school-name": "Overgenomen", "school-region": "midden"})
    assert response.status_code == 403
    school.refresh_from_db()
    assert school.name == "School A"


@pytest.mark.denies("school.manage_users")
def test_coordinator_cannot_add_staff(client, coordinator, school):
    client.force_login(coordinator)
    response = client.post(
        "/beheer/medewerkers/nieuw/", {"email": "nieuw@a.test", "name": "Nieuw", "roles": ["mentor"]}
    )
    assert response.status_code == 403
    assert not school.memberships.filter(user__email="nieuw@a.test").exists()


@pytest.mark.denies("school.view_delivery_log")
def test_coordinator_cannot_read_the_delivery_log(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/berichten/").status_code == 403


def test_beheerder_cannot_see_staff_of_another_school(client, beheerder, other_school, other_coordinator):
    client.force_login(beheerder)
    assert client.get(f"/beheer/medewerkers/{other_coordinator.pk}/").status_code == 404
    assert other_coordinator.email not in client.get("/beheer/medewerkers/").text


def test_beheerder_cannot_change_roles_at_another_school(client, beheerder, other_coordinator, other_school):
    client.force_login(beheerder)
    response = client.post(f"/beheer/medewerkers/{other_coordinator.pk}/", {"roles": []})
    assert response.status_code == 404
    assert other_coordinator.memberships.filter(school=other_school).exists()


def test_beheerder_cannot_remove_a_day_off_of_another_school(client, beheerder, other_school):
    holiday = HolidayPeriod.objects.create(school=other_school, name="Studiedag", start="2027-01-11", end="2027-01-11")
    client.force_login(beheerder)
    assert client.post(f"/beheer/vrije-dagen/{holiday.pk}/verwijderen/").status_code == 404
    assert HolidayPeriod.objects.filter(pk=holiday.pk).exists()


def test_beheerder_cannot_remove_a_national_holiday(client, beheerder):
    holiday = HolidayPeriod.objects.create(region="midden", name="Kerst", start="2026-12-19", end="2027-01-03")
    client.force_login(beheerder)
    assert client.post(f"/beheer/vrije-dagen/{holiday.pk}/verwijderen/").status_code == 404


def test_beheerder_of_another_school_sees_nothing_of_this_school(client, other_beheerder, coordinator, school):
    client.force_login(other_beheerder)
    assert client.get(f"/beheer/medewerkers/{coordinator.pk}/").status_code == 404
    response = client.post("/school/wisselen/", {"school": school.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_nobody_can_switch_to_a_school_without_a_role_there(client, user_with, role, other_school):
    client.force_login(user_with(role))
    assert client.post("/school/wisselen/", {"school": other_school.pk}).status_code == 404
    assert client.post("/school/wisselen/", {"school": "not-a-number"}).status_code == 404


def test_user_with_roles_at_two_schools_switches_between_them(client, school, other_school):
    person = staff(school, Role.MENTOR)
    staff_b = Role.ZORGCOORDINATOR
    from accounts.models import Membership

    Membership.objects.create(user=person, school=other_school, role=staff_b)
    client.force_login(person)
    home = client.get("/")
    assert home.context["current_school"] == school
    assert home.context["current_role_labels"] == ["Mentor"]

    response = client.post("/school/wisselen/", {"school": other_school.pk, "next": "https://evil.test/"})
    assert response["Location"] == "/"  # no open redirect
    home = client.get("/")
    assert home.context["current_school"] == other_school
    assert home.context["current_role_labels"] == ["Zorgcoördinator"]


def test_partner_works_at_the_schools_of_their_organisation(client, partner_user, school):
    client.force_login(partner_user)
    home = client.get("/")
    assert home.context["current_school"] == school
    assert home.context["current_role_labels"] == ["Jeugdteam A"]


def test_user_without_any_role_is_told_so(client, db):
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/")
    assert "Je hebt nog geen rol op een school" in response.text
    assert client.get("/beheer/medewerkers/").status_code == 403


def test_superuser_without_a_school_role_sees_no_school_data(client, db, school):
    from accounts.models import User

    admin = User.objects.create_superuser(email="root@test.nl", password="x", name="Root")
    client.force_login(admin)
    assert client.get("/beheer/medewerkers/").status_code == 403
    assert client.get("/admin/").status_code == 200


def test_403_and_404_pages_are_in_the_house_style(client, mentor, other_school):
    client.force_login(mentor)
    forbidden = client.get("/beheer/medewerkers/")
    assert "Geen toegang" in forbidden.text
    missing = client.post("/school/wisselen/", {"school": other_school.pk})
    assert "Niet gevonden" in missing.text
