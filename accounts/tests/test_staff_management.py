import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Membership, Role, User
from accounts.tests.factories import staff
from carecoord.testing import query_count

pytestmark = pytest.mark.django_db


def test_beheerder_can_invite_a_new_colleague_who_gets_one_invitation_mail(
    client, beheerder, school, django_capture_on_commit_callbacks
):
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/beheer/medewerkers/nieuw/",
            {"name": "Nieuwe Mentor", "email": "Nieuw@A.test", "roles": [Role.MENTOR, Role.COACH]},
        )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@a.test")
    assert not user.has_usable_password()
    # The roles come with accepting the invitation (accounts/tests/test_onboarding.py).
    assert not user.memberships.exists()
    assert sorted(user.invitations.get().invited_roles) == sorted([Role.MENTOR, Role.COACH])
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "/uitnodiging/" in body and school.name in body
    # What the invitation is for and until when (dd-mm-jjjj, Amsterdam time).
    until = timezone.localtime(user.invitations.get().expires_at)
    assert "Je rollen daar: Coach (voorziening), Mentor." in body and f"tot {until:%d-%m-%Y %H:%M}:" in body


def test_adding_an_existing_address_adds_roles_and_keeps_the_account(
    client, beheerder, school, other_school, django_capture_on_commit_callbacks
):
    person = staff(other_school, Role.ZORGCOORDINATOR, email="dubbel@test.nl", name="Bestaand")
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/beheer/medewerkers/nieuw/", {"name": "Andere naam", "email": "dubbel@test.nl", "roles": [Role.MENTOR]}
        )
    person.refresh_from_db()
    assert person.name == "Bestaand"
    assert Membership.objects.filter(user=person, school=school, role=Role.MENTOR).exists()
    assert Membership.objects.filter(user=person, school=other_school, role=Role.ZORGCOORDINATOR).exists()
    # No invitation to accept, but they hear of it: what, where, from whom.
    [message] = mail.outbox
    assert message.to == ["dubbel@test.nl"] and message.subject == f"Je hebt een rol gekregen op {school.name}"
    assert f"{beheerder.name} heeft je in Carecoord deze rol gegeven op {school.name}: Mentor." in message.body


def test_bad_input_keeps_what_was_typed(client, beheerder):
    client.force_login(beheerder)
    response = client.post("/beheer/medewerkers/nieuw/", {"name": "Iemand", "email": "geen-adres", "roles": []})
    assert response.status_code == 200
    assert 'value="Iemand"' in response.text
    assert 'value="geen-adres"' in response.text
    assert response.context["form"].errors.keys() == {"email", "roles"}
    # Our Dutch messages, not the browser's pop-up: the form does not validate in the browser.
    assert re.search(r"<form[^>]*method=\"post\"[^>]*novalidate", response.text)
    assert not re.search(r"<div[^>]*novalidate", response.text)  # only a form may have it (Nu checker)


def test_an_accepted_invitation_shows_no_date_it_stops_working(client, beheerder, school):
    """On applicatiebeheer's page of the school, which lists every invitation of its beheerders."""
    from accounts import services
    from accounts.tests.factories import UserFactory, accept_invitation

    _user, invitation = services.invitation_create(
        actor=beheerder, school=school, email="al@a.test", name="Al Binnen", roles=[Role.BEHEERDER]
    )
    accept_invitation(invitation)
    client.force_login(UserFactory(email="regio@beheer.test", is_application_admin=True))
    rows = re.findall(r"<tr>(?:(?!</tr>).)*?</tr>", client.get(f"/regio/scholen/{school.pk}/").text, re.S)
    [row] = [r for r in rows if "al@a.test" in r and "aangenomen" in r]
    assert re.search(r"\d\d-\d\d-\d{4}", row) is None


def test_partner_address_cannot_be_added_as_staff(client, beheerder, partner_user):
    client.force_login(beheerder)
    response = client.post(
        "/beheer/medewerkers/nieuw/", {"name": "P", "email": partner_user.email, "roles": [Role.MENTOR]}
    )
    assert response.status_code == 200
    assert "externe partner" in response.text
    assert not partner_user.memberships.exists()


def test_beheerder_can_change_and_remove_roles(client, beheerder, mentor, school):
    client.force_login(beheerder)
    client.post(f"/beheer/medewerkers/{mentor.pk}/", {"roles": [Role.ZORGCOORDINATOR]})
    assert list(mentor.memberships.values_list("role", flat=True)) == [Role.ZORGCOORDINATOR]
    client.post(f"/beheer/medewerkers/{mentor.pk}/", {})
    assert not mentor.memberships.exists()
    assert client.get(f"/beheer/medewerkers/{mentor.pk}/").status_code == 404


def test_beheerder_cannot_remove_their_own_beheerder_role(client, beheerder, school):
    Membership.objects.create(user=beheerder, school=school, role=Role.MENTOR)
    client.force_login(beheerder)
    response = client.post(f"/beheer/medewerkers/{beheerder.pk}/", {"roles": [Role.MENTOR]})
    assert response.status_code == 200
    assert "eigen rol als functioneel beheerder" in response.text
    assert beheerder.memberships.filter(role=Role.BEHEERDER).exists()


def test_staff_list_query_count_does_not_grow_with_staff(client, beheerder, school):
    client.force_login(beheerder)
    for _ in range(3):
        staff(school, Role.MENTOR)
    few = query_count(client, "/beheer/medewerkers/")
    for _ in range(20):
        staff(school, Role.MENTOR, Role.COACH)
    assert query_count(client, "/beheer/medewerkers/") == few
    assert client.get("/beheer/medewerkers/").text.count("Rollen wijzigen") == 24


def test_school_settings_and_days_off(client, beheerder, school):
    client.force_login(beheerder)
    response = client.post(
        "/beheer/school/", {"school-name": "School A2", "school-region": "R", "school-holiday_region": "zuid"}
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.name, school.holiday_region) == ("School A2", "zuid")

    bad = client.post(
        "/beheer/school/", {"holiday-name": "Studiedag", "holiday-start": "12-03-2027", "holiday-end": "11-03-2027"}
    )
    assert bad.status_code == 200
    assert "De laatste dag ligt vóór de eerste dag" in bad.text
    assert 'value="Studiedag"' in bad.text

    ok = client.post(
        "/beheer/school/", {"holiday-name": "Studiedag", "holiday-start": "12-03-2027", "holiday-end": "12-03-2027"}
    )
    assert ok.status_code == 302
    assert school.holidays.get().start.isoformat() == "2027-03-12"


@pytest.mark.parametrize(
    "role",
    [Role.ZORGCOORDINATOR, Role.AANDACHTSFUNCTIONARIS, Role.VERZUIMCOORDINATOR, Role.MENTOR, Role.SCHOOLLEIDER],
)
def test_beheerder_cannot_give_themselves_any_role(client, beheerder, school, role):
    """Nobody grants themselves access: the verzuimcoördinator opens every pupil's absence, a
    mentor their class; only the widest roles were refused before."""
    client.force_login(beheerder)
    response = client.post(f"/beheer/medewerkers/{beheerder.pk}/", {"roles": [Role.BEHEERDER, role]})
    assert response.status_code == 200
    assert "een andere functioneel beheerder" in response.text
    again = client.post("/beheer/medewerkers/nieuw/", {"name": "Ik", "email": beheerder.email, "roles": [role]})
    assert again.status_code == 200
    assert not beheerder.memberships.filter(role=role).exists()


def test_beheerder_can_give_a_colleague_the_coordinator_role(client, beheerder, mentor):
    client.force_login(beheerder)
    client.post(f"/beheer/medewerkers/{mentor.pk}/", {"roles": [Role.MENTOR, Role.ZORGCOORDINATOR]})
    assert mentor.memberships.filter(role=Role.ZORGCOORDINATOR).exists()


def test_beheerder_sets_the_schools_reply_to_address(client, beheerder, school):
    client.force_login(beheerder)
    fields = {"school-name": "School A", "school-region": "", "school-holiday_region": "midden"}
    bad = client.post("/beheer/school/", {**fields, "school-reply_to_email": "zorg@"})
    assert bad.status_code == 200
    assert 'value="zorg@"' in bad.text  # what was typed stays
    response = client.post("/beheer/school/", {**fields, "school-reply_to_email": "zorg@school-a.nl"})
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.reply_to_email == "zorg@school-a.nl"


# --- "Uitschakelen" clicked twice (no JavaScript to stop the second click, or the back button) ---


def _switch_off_twice(client, person):
    url = f"/beheer/medewerkers/{person.pk}/uitschakelen/"
    assert client.post(url).status_code == 302
    return client.post(url, follow=True)


def test_beheerder_who_clicks_uitschakelen_twice_is_told_the_colleague_is_already_switched_off(
    client, beheerder, mentor
):
    from audit.models import Change

    client.force_login(beheerder)
    again = _switch_off_twice(client, mentor)
    assert again.redirect_chain == [("/beheer/medewerkers/", 302)]
    assert "Mentor Eén is al uitgeschakeld." in again.text
    assert Change.objects.filter(kind="accounts.staff_deactivated", object_id=mentor.pk).count() == 1


def test_beheerder_who_clicks_uitschakelen_twice_for_someone_of_two_schools_is_told_they_have_no_role_here(
    client, beheerder, school, other_school
):
    person = staff(school, Role.COACH, email="twee@a.test", name="Twee Scholen")
    Membership.objects.create(user=person, school=other_school, role=Role.COACH)
    client.force_login(beheerder)
    again = _switch_off_twice(client, person)
    assert again.redirect_chain == [("/beheer/medewerkers/", 302)]
    assert "Twee Scholen heeft al geen rol meer op deze school." in again.text


def test_beheerder_gets_404_switching_off_someone_who_never_worked_at_the_school(client, beheerder, other_coordinator):
    client.force_login(beheerder)
    assert client.post(f"/beheer/medewerkers/{other_coordinator.pk}/uitschakelen/").status_code == 404
    other_coordinator.refresh_from_db()
    assert other_coordinator.is_active and other_coordinator.memberships.exists()


def test_beheerder_of_another_school_gets_404_on_this_schools_leaver(client, beheerder, mentor, other_beheerder):
    client.force_login(beheerder)
    client.post(f"/beheer/medewerkers/{mentor.pk}/uitschakelen/")
    client.force_login(other_beheerder)
    response = client.post(f"/beheer/medewerkers/{mentor.pk}/uitschakelen/")
    assert response.status_code == 404
    assert "Mentor Eén" not in response.text


# --- Nothing ticked on the roles page, saved twice (the same leaving as "Uitschakelen") -------


def _save_no_roles_twice(client, person, school):
    url = f"/beheer/medewerkers/{person.pk}/"
    page = client.get(url)
    assert f'name="school" value="{school.pk}"' in page.text
    assert client.post(url, {"school": school.pk}).status_code == 302
    return client.post(url, {"school": school.pk}, follow=True)


def test_beheerder_who_saves_no_roles_twice_is_told_the_colleague_is_already_switched_off(
    client, beheerder, mentor, school
):
    from audit.models import Change

    client.force_login(beheerder)
    again = _save_no_roles_twice(client, mentor, school)
    assert again.redirect_chain == [("/beheer/medewerkers/", 302)]
    assert "Mentor Eén is al uitgeschakeld." in again.text
    assert Change.objects.filter(kind="accounts.staff_deactivated", object_id=mentor.pk).count() == 1


def test_beheerder_of_two_schools_who_saves_no_roles_twice_keeps_the_colleague_at_the_other_school(
    client, beheerder, school, other_school
):
    """The second save is of this school's page: it never takes the roles at the other school
    (which the page would show once this school's are gone)."""
    Membership.objects.create(user=beheerder, school=other_school, role=Role.BEHEERDER)
    person = staff(school, Role.COACH, email="twee@a.test", name="Twee Scholen")
    Membership.objects.create(user=person, school=other_school, role=Role.COACH)
    client.force_login(beheerder)
    again = _save_no_roles_twice(client, person, school)
    assert again.redirect_chain == [("/beheer/medewerkers/", 302)]
    assert "Twee Scholen heeft al geen rol meer op deze school." in again.text
    person.refresh_from_db()
    assert person.is_active
    assert list(person.memberships.values_list("school", "role")) == [(other_school.pk, Role.COACH)]


def test_beheerder_of_another_school_gets_404_saving_no_roles_for_this_schools_leaver(
    client, beheerder, mentor, school, other_beheerder, other_school
):
    client.force_login(beheerder)
    client.post(f"/beheer/medewerkers/{mentor.pk}/", {"school": school.pk})
    client.force_login(other_beheerder)
    for posted in ({"school": school.pk}, {"school": other_school.pk}, {}):
        response = client.post(f"/beheer/medewerkers/{mentor.pk}/", posted)
        assert response.status_code == 404
        assert "Mentor Eén" not in response.text
