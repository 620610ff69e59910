from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import PASSWORD, accept_invitation, staff
from carecoord.testing import idle_time_passes_for_cached_session

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
HERE = "192.0.2.10"  # the school's network
ELSEWHERE = "203.0.113.66"  # an outsider's


def login(client, email, password=PASSWORD, ip=HERE):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_login_page_is_dutch(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'lang="nl"' in response.text
    assert "Wachtwoord" in response.text


def test_the_old_login_address_still_leads_to_the_login_page(client):
    response = client.get("/login/?next=/leerlingen/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/leerlingen/"


def test_the_admin_login_is_the_one_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == "/account/login/?next=/admin/"


def test_nobody_can_sign_up(client):
    response = client.post("/account/signup/", {"email": "new@a.test", "password1": "Een-lang-wachtwoord-1"})
    assert "Je kunt hier zelf geen account aanmaken" in response.text
    from accounts.models import User

    assert not User.objects.filter(email="new@a.test").exists()


def test_allauths_own_address_and_reset_pages_are_switched_off(client, coordinator):
    assert client.get("/account/password/reset/")["Location"] == "/wachtwoord-vergeten/"
    client.force_login(coordinator)
    assert client.get("/account/email/").status_code == 404


def test_browser_language_does_not_switch_the_interface(client):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="nl"' in response.text


@pytest.mark.parametrize("url", ["/", "/beheer/medewerkers/", "/beheer/school/", "/berichten/"])
def test_anonymous_user_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_anonymous_htmx_request_gets_a_full_page_redirect(client):
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(LOGIN)


def test_coordinator_can_log_in_with_email_in_any_case(client, coordinator):
    response = login(client, "  ZC@A.test ")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator.pk)


def test_wrong_password_gets_a_clear_message_and_keeps_the_email(client, coordinator):
    response = login(client, "zc@a.test", "wrong-password")
    assert response.status_code == 200
    assert "Deze combinatie van e-mailadres en wachtwoord kennen we niet" in response.text
    assert 'value="zc@a.test"' in response.text


def test_unknown_email_gets_the_same_message(client, coordinator):
    response = login(client, "nobody@a.test", "whatever-password")
    assert response.status_code == 200
    assert "Deze combinatie van e-mailadres en wachtwoord kennen we niet" in response.text


def test_inactive_user_cannot_log_in(client, coordinator):
    coordinator.is_active = False
    coordinator.save()
    response = client.post(LOGIN, {"login": "zc@a.test", "password": PASSWORD}, follow=True)
    assert "Dit account is uitgeschakeld" in response.text
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_address_from_that_place(client, coordinator):
    for _ in range(4):
        assert login(client, "zc@a.test", "wrong-password").status_code == 200
    response = login(client, "zc@a.test", "wrong-password")
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.text
    # Locked: even the right password is refused now, from here.
    response = login(client, "zc@a.test")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_says_until_when(client, coordinator, settings):
    from django.utils import timezone

    for _ in range(5):
        response = login(client, "zc@a.test", "wrong-password")
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    assert response.status_code == 429
    assert f"geblokkeerd tot {until:%H:%M} uur" in response.text or (
        f"geblokkeerd tot {until - timedelta(minutes=1):%H:%M} uur" in response.text
    )
    assert "nog 15 minuten" in response.text


def test_an_outsider_cannot_lock_a_colleague_out(client, coordinator):
    """Lockout is per address *and* IP address: wrong passwords typed elsewhere lock only
    that place, and the coordinator at school still gets in."""
    for _ in range(6):
        login(client, "zc@a.test", "wrong-password", ip=ELSEWHERE)
    assert login(client, "zc@a.test", ip=ELSEWHERE).status_code == 429
    assert login(client, "zc@a.test", ip=HERE).status_code == 302


def test_lockout_counts_the_address_whatever_its_case(client, coordinator):
    for email in ["zc@a.test", "ZC@a.test", " zc@A.TEST", "Zc@a.test", "zc@a.test"]:
        response = login(client, email, "wrong-password")
    assert response.status_code == 429


def test_lockout_of_one_address_leaves_colleagues_on_the_same_network_alone(client, coordinator, mentor):
    for _ in range(5):
        login(client, "zc@a.test", "wrong-password")
    assert login(client, "mentor@a.test").status_code == 302


def test_password_reset_mails_a_link_that_sets_a_new_password(client, coordinator):
    response = client.post("/wachtwoord-vergeten/", {"email": "zc@a.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zc@a.test"]
    link = next(line for line in message.body.splitlines() if "/wachtwoord-instellen/" in line).strip()
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Nieuw wachtwoord kiezen" in form_page.text
    new = "Een-nieuw-wachtwoord-42"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    client.logout()
    assert login(client, "zc@a.test", new).status_code == 302


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(client, coordinator):
    response = client.post("/wachtwoord-vergeten/", {"email": "nobody@a.test"}, follow=True)
    assert "Als dit e-mailadres bij ons bekend is" in response.text
    assert mail.outbox == []


def test_expired_reset_link_gets_a_clear_message(client, coordinator):
    response = client.get("/wachtwoord-instellen/MQ/abc-123/", follow=True)
    assert response.status_code == 200
    assert "Deze link werkt niet meer" in response.text


def test_weak_new_password_is_refused_with_a_message(client, coordinator):
    client.post("/wachtwoord-vergeten/", {"email": "zc@a.test"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/wachtwoord-instellen/" in line)
    form_page = client.get(link.split("testserver", 1)[1], follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_logout_ends_the_session(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/").status_code == 200
    # A link cannot log you out: GET only shows a confirmation page with a button.
    assert client.get("/account/logout/").status_code == 200
    assert client.get("/").status_code == 200
    client.post("/account/logout/")
    assert client.get("/").status_code == 302


def test_session_ends_after_inactivity(client, coordinator, settings):
    client.force_login(coordinator)
    client.get("/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 30 * 60
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    idle_time_passes_for_cached_session(client)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_each_request_extends_the_session(client, coordinator):
    client.force_login(coordinator)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get("/")
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=29)


def test_language_switch_changes_the_interface(client, coordinator):
    client.force_login(coordinator)
    assert "Uitloggen" in client.get("/").text
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert 'lang="en"' in page.text
    assert "Log out" in page.text
    assert "Uitloggen" not in page.text
    coordinator.refresh_from_db()
    assert coordinator.language == "en"


def test_dates_show_as_dd_mm_yyyy_in_both_languages(client, beheerder, school):
    from accounts.models import HolidayPeriod

    HolidayPeriod.objects.create(school=school, name="Studiedag", start="2027-03-04", end="2027-03-04")
    client.force_login(beheerder)
    assert "04-03-2027" in client.get("/beheer/school/").text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "04-03-2027" in client.get("/beheer/school/").text


def _reset_link(client, email):
    mail.outbox.clear()
    client.post("/wachtwoord-vergeten/", {"email": email})
    if not mail.outbox:
        return None
    body = mail.outbox[-1].body
    return (
        next(line for line in body.splitlines() if "/wachtwoord-instellen/" in line).strip().split("testserver", 1)[1]
    )


def _switched_on_again(school, beheerder, email, name):
    """A colleague who left and was switched on again by the beheerder (or the staff import):
    an active account without a password until they use the "welkom terug" link."""
    from accounts.services import staff_add
    from accounts.services.region import staff_deactivate

    colleague = staff(school, "mentor", email=email, name=name)
    staff_deactivate(school=school, user=colleague, actor=beheerder)
    return staff_add(school=school, user=colleague, roles=["mentor"], actor=beheerder)


def test_a_colleague_who_never_chose_a_password_can_ask_for_a_new_link(client, school, beheerder):
    # Switched on again, the one-day link of the "welkom terug" mail lost or expired. Without
    # this, "Wachtwoord vergeten?" sent nothing to an account without a password, and the
    # colleague was stuck.
    colleague = _switched_on_again(school, beheerder, "nieuw@a.test", "Nieuwe Collega")
    assert not colleague.has_usable_password()
    path = _reset_link(client, "Nieuw@A.test")
    assert path is not None
    form_page = client.get(path, follow=True)
    new = "Een-eigen-wachtwoord-42"
    assert client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}).status_code == 302
    client.logout()
    assert login(client, "nieuw@a.test", new).status_code == 302


def test_forgotten_password_is_no_way_around_an_invitation(client, partner_user, organisation):
    # An invited professional has an account (active, in the organisation) but no password
    # until they accept. "Wachtwoord vergeten" must not give them one instead: an invitation
    # that expired or was withdrawn would otherwise still let in whoever reads the mailbox.
    from accounts.models import Organisation
    from accounts.services import invitation_create, invitation_revoke

    # The organisation's contact person invites (an invitation counts while its sender may send it).
    Organisation.objects.filter(pk=organisation.pk).update(contact=partner_user)
    organisation.refresh_from_db()

    user, invitation = invitation_create(
        actor=partner_user, email="pim@jt.test", name="Pim Pro", organisation=organisation
    )
    assert user.is_active and not user.has_usable_password()
    assert _reset_link(client, "pim@jt.test") is None
    invitation_revoke(invitation=invitation, actor=partner_user)
    assert _reset_link(client, "pim@jt.test") is None
    # Accepted: from then on the usual way back in (so the refusals above are not a dead form).
    _other, accepted = invitation_create(
        actor=partner_user, email="lot@jt.test", name="Lot Pro", organisation=organisation
    )
    accept_invitation(accepted)
    assert _reset_link(client, "lot@jt.test") is not None


def test_a_look_alike_address_gets_no_link_to_a_colleague_without_a_password(school, beheerder):
    # PostgreSQL's case-insensitive match (UPPER) takes the dotless ı for an i; the address
    # must still match after Unicode case folding, as Django checks for accounts with a password.
    from accounts.forms import ResetForm

    colleague = _switched_on_again(school, beheerder, "mila@a.test", "Mila Nieuw")
    assert list(ResetForm().get_users("MILA@a.test")) == [colleague]
    assert list(ResetForm().get_users("m\u0131la@a.test")) == []


def test_no_reset_link_for_a_switched_off_account_or_a_parent_without_a_password(client, school, beheerder, student):
    from accounts.services.region import staff_deactivate
    from portal import services as portal_services

    leaver = staff(school, "mentor", email="weg@a.test", name="Vertrokken")
    staff_deactivate(school=school, user=leaver, actor=beheerder)
    assert _reset_link(client, "weg@a.test") is None
    guardian = student.guardians.first() or student.guardians.create(name="Ouder")
    guardian.email = "ouder@thuis.test"
    guardian.save()
    participant = portal_services.participant_invite(student=student, actor=beheerder, guardian=guardian)
    assert not participant.user.has_usable_password()
    assert _reset_link(client, "ouder@thuis.test") is None
