"""Two-factor authentication: who needs it, enrolment, the code step, recovery codes, trust,
and the reset by the functioneel beheerder. Every test here signs in through the login form
(not force_login, which stands for a finished sign-in)."""

import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client

from accounts.models import Role, TwoFactorReset
from accounts.tests.factories import PASSWORD, staff
from carecoord.access.twofactor import two_factor_required
from carecoord.testing import TEST_TOTP_SECRET, give_totp, totp_code
from students.models import FileAccess

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
OTHER_PHONE_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"


def password_login(client, user):
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return response


def code_step(client, code):
    return client.post("/account/2fa/authenticate/", {"code": code})


def full_login(client, user, code=None):
    """Password, code, and "don't trust this browser"."""
    password_login(client, user)
    response = code_step(client, code or totp_code(TEST_TOTP_SECRET))
    assert response.status_code == 302 and response["Location"] == "/account/2fa/trust/", response.content
    return client.post("/account/2fa/trust/", {"action": "skip"})


# --- who must use it ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "required"),
    [
        (Role.ZORGCOORDINATOR, True),
        (Role.AANDACHTSFUNCTIONARIS, True),
        (Role.BEHEERDER, True),
        (Role.MENTOR, False),
        (Role.COACH, False),
        (Role.SCHOOLLEIDER, False),
        (Role.VERZUIMCOORDINATOR, False),
    ],
)
def test_two_factor_is_required_per_role(school, role, required):
    assert two_factor_required(staff(school, role)) is required


def test_partners_and_superusers_must_use_two_factor(partner_user, django_user_model):
    assert two_factor_required(partner_user)
    assert two_factor_required(django_user_model.objects.create_superuser(email="root@t.nl", name="Root"))


def test_a_school_can_require_it_for_everyone(school, other_school, mentor):
    other_mentor = staff(other_school, Role.MENTOR)
    school.require_two_factor = True
    school.save()
    assert two_factor_required(staff(school, Role.MENTOR))
    assert not two_factor_required(other_mentor)


def test_beheerder_sets_the_school_rule(client, beheerder, school):
    client.force_login(beheerder)
    client.post(
        "/beheer/school/",
        {"school-name": school.name, "school-holiday_region": "midden", "school-require_two_factor": "on"},
    )
    school.refresh_from_db()
    assert school.require_two_factor


# --- a session with only the password reaches no pupil data -----------------------------------


@pytest.mark.parametrize("path", ["file", "list", "export", "access_log", "admin"])
def test_password_only_session_reaches_no_pupil_data(client, coordinator, student, path):
    give_totp(coordinator)
    password_login(client, coordinator)  # the code step is skipped by going elsewhere
    url = {
        "file": student.get_absolute_url(),
        "list": "/leerlingen/",
        "export": "/leerlingen/export.csv",
        "access_log": f"/leerlingen/{student.pk}/ingezien/",
        "admin": "/admin/",
    }[path]
    response = client.get(url)
    # Not signed in yet (allauth keeps the user anonymous until the code step is done).
    assert response.status_code == 302
    assert "Jansen" not in response.text
    assert not FileAccess.objects.exists()


def test_required_role_without_a_device_is_sent_to_enrol_and_sees_no_pupil(client, coordinator, student):
    password_login(client, coordinator)  # no device: allauth has no code step to ask
    assert client.session["_auth_user_id"] == str(coordinator.pk)
    for url in (student.get_absolute_url(), "/leerlingen/", "/leerlingen/export.csv", "/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/tweestapsverificatie/?next=")
    assert not FileAccess.objects.exists()
    page = client.get("/account/tweestapsverificatie/")
    assert "Stel dat nu in" in page.text


def test_htmx_request_without_second_factor_loads_the_enrolment_as_a_whole_page(client, coordinator, student):
    password_login(client, coordinator)
    response = client.get("/leerlingen/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/account/tweestapsverificatie/")


def test_mentor_without_two_factor_works_as_before(client, mentor, student):
    password_login(client, mentor)
    assert client.get(student.get_absolute_url()).status_code == 200


def test_a_role_that_now_needs_it_asks_for_the_code_of_the_existing_device(client, mentor, school, student):
    give_totp(mentor)
    mentor.authenticator_set.update()  # device exists; the mentor signed in with the code before
    password_login(client, mentor)  # asked for the code (device exists) ...
    code_step(client, totp_code(TEST_TOTP_SECRET))
    client.post("/account/2fa/trust/", {"action": "skip"})
    assert client.get(student.get_absolute_url()).status_code == 200
    # ... a later session that skipped it (e.g. signed in before the role changed):
    other = Client()
    school.require_two_factor = True
    school.save()
    other.force_login(mentor)
    session = other.session
    session.pop("carecoord_second_factor")
    session.save()
    response = other.get(student.get_absolute_url())
    assert response["Location"].startswith("/account/2fa/reauthenticate/")


# --- enrolment ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # allauth signals the new device after commit
def test_enrolment_with_an_authenticator_app_opens_the_school(client, coordinator, student):
    password_login(client, coordinator)
    page = client.get("/account/2fa/totp/activate/")
    assert page.status_code == 200
    secret = re.search(r'id="authenticator_secret" type="text" value="([A-Z2-7]+)"', page.text).group(1)

    wrong = client.post("/account/2fa/totp/activate/", {"code": totp_code(OTHER_PHONE_SECRET)})
    assert wrong.status_code == 200
    assert "Deze code klopt niet of is al gebruikt" in wrong.text

    done = client.post("/account/2fa/totp/activate/", {"code": totp_code(secret)})
    assert done["Location"] == "/account/2fa/recovery-codes/"
    codes = client.get("/account/2fa/recovery-codes/")
    assert "Je hebt nog 10 van de 10 herstelcodes" in codes.text
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    assert client.get(student.get_absolute_url()).status_code == 200


def test_recovery_codes_of_an_existing_device_are_not_shown_after_the_password_alone(client, mentor, school):
    """Otherwise a password would be enough to get a code that passes the second step."""
    school.require_two_factor = True
    school.save()
    give_totp(mentor)
    RecoveryCodes.activate(mentor)
    client.force_login(mentor)
    session = client.session
    session.pop("carecoord_second_factor")
    session.save()
    response = client.get("/account/2fa/recovery-codes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/reauthenticate/")


def test_a_required_user_cannot_remove_their_only_device(client, coordinator):
    give_totp(coordinator)
    full_login(client, coordinator)
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    response = client.post("/account/2fa/totp/deactivate/", {})
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    assert "je kunt hem niet uitzetten" in response.text


# --- the code step -------------------------------------------------------------------------------


def test_sign_in_with_password_and_code(client, coordinator, student):
    give_totp(coordinator)
    response = password_login(client, coordinator)
    assert response["Location"] == "/account/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    full_login_response = code_step(client, totp_code(TEST_TOTP_SECRET))
    assert full_login_response["Location"] == "/account/2fa/trust/"
    client.post("/account/2fa/trust/", {"action": "skip"})
    assert client.session["_auth_user_id"] == str(coordinator.pk)
    assert client.get(student.get_absolute_url()).status_code == 200


def test_a_code_used_once_is_refused_the_second_time(client, coordinator):
    give_totp(coordinator)
    code = totp_code(TEST_TOTP_SECRET)
    full_login(client, coordinator, code)
    client.post("/account/logout/")

    password_login(client, coordinator)
    replay = code_step(client, code)
    assert replay.status_code == 200
    assert "Deze code klopt niet of is al gebruikt" in replay.text
    assert "_auth_user_id" not in client.session


def test_a_code_from_another_phone_is_refused(client, coordinator):
    give_totp(coordinator)
    password_login(client, coordinator)
    response = code_step(client, totp_code(OTHER_PHONE_SECRET))
    assert response.status_code == 200
    assert "Deze code klopt niet of is al gebruikt" in response.text
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_works_once(client, coordinator, student):
    give_totp(coordinator)
    recovery = RecoveryCodes.activate(coordinator)
    code = recovery.get_unused_codes()[0]

    password_login(client, coordinator)
    assert code_step(client, code)["Location"] == "/account/2fa/trust/"
    client.post("/account/2fa/trust/", {"action": "skip"})
    assert client.get(student.get_absolute_url()).status_code == 200
    client.post("/account/logout/")

    password_login(client, coordinator)
    again = code_step(client, code)
    assert again.status_code == 200
    assert "Deze code klopt niet of is al gebruikt" in again.text
    assert "_auth_user_id" not in client.session
    assert (
        code not in RecoveryCodes(Authenticator.objects.get(user=coordinator, type="recovery_codes")).get_unused_codes()
    )


def test_trusting_this_browser_skips_the_code_for_30_days_at_most(client, coordinator, student, monkeypatch):
    import time

    give_totp(coordinator)
    password_login(client, coordinator)
    code_step(client, totp_code(TEST_TOTP_SECRET))
    trusted = client.post("/account/2fa/trust/", {"action": "trust"})
    cookie = trusted.cookies["carecoord_trusted_browser"]
    assert int(cookie["max-age"]) == 30 * 24 * 60 * 60
    client.post("/account/logout/")

    # Same browser, next week: no code asked, and the pupil file opens.
    response = password_login(client, coordinator)
    assert response["Location"] == "/"
    assert client.get(student.get_absolute_url()).status_code == 200
    client.post("/account/logout/")

    # Another browser: the code is asked.
    assert password_login(Client(), coordinator)["Location"] == "/account/2fa/authenticate/"

    # After 31 days the trust has ended, even if the browser kept the cookie.
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + timedelta(days=31).total_seconds())
    assert password_login(client, coordinator)["Location"] == "/account/2fa/authenticate/"


# --- a lost device: the reset -------------------------------------------------------------------------


def test_beheerder_resets_a_lost_device_and_it_is_recorded(client, beheerder, coordinator, student):
    give_totp(coordinator)
    RecoveryCodes.activate(coordinator)
    client.force_login(beheerder)
    page = client.get(f"/beheer/medewerkers/{coordinator.pk}/")
    assert "Tweestapsverificatie resetten" in page.text
    response = client.post(f"/beheer/medewerkers/{coordinator.pk}/tweestapsverificatie-resetten/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=coordinator).exists()
    record = TwoFactorReset.objects.get()
    assert (record.user, record.reset_by, record.removed) == (coordinator, beheerder, ["recovery_codes", "totp"])
    assert "Laatst gereset door Functioneel Beheerder" in client.get(f"/beheer/medewerkers/{coordinator.pk}/").text

    # The coordinator's next sign-in asks to enrol again; no pupil data until then.
    other = Client()
    password_login(other, coordinator)
    assert other.get(student.get_absolute_url())["Location"].startswith("/account/tweestapsverificatie/")


def test_mentor_cannot_reset_someone_elses_second_factor(client, mentor, coordinator):
    give_totp(coordinator)
    client.force_login(mentor)
    assert client.post(f"/beheer/medewerkers/{coordinator.pk}/tweestapsverificatie-resetten/").status_code == 404
    assert Authenticator.objects.filter(user=coordinator).exists()


def test_beheerder_of_another_school_gets_404(client, other_beheerder, coordinator):
    give_totp(coordinator)
    client.force_login(other_beheerder)
    assert client.post(f"/beheer/medewerkers/{coordinator.pk}/tweestapsverificatie-resetten/").status_code == 404
    assert Authenticator.objects.filter(user=coordinator).exists()


@pytest.mark.denies("user.reset_two_factor")
def test_beheerder_cannot_reset_their_own(client, beheerder):
    give_totp(beheerder)
    client.force_login(beheerder)
    assert client.post(f"/beheer/medewerkers/{beheerder.pk}/tweestapsverificatie-resetten/").status_code == 403
    assert Authenticator.objects.filter(user=beheerder).exists()
    assert not TwoFactorReset.objects.exists()


def test_superuser_resets_a_partner_in_the_admin_but_not_school_staff(
    client, partner_user, coordinator, django_user_model
):
    root = django_user_model.objects.create_superuser(email="root@t.nl", password="x", name="Root")
    give_totp(partner_user)
    give_totp(coordinator)
    client.force_login(root)
    client.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [partner_user.pk, coordinator.pk]},
    )
    assert not Authenticator.objects.filter(user=partner_user).exists()
    assert Authenticator.objects.filter(user=coordinator).exists()  # the school's beheerder does that
    assert TwoFactorReset.objects.get().reset_by == root


@pytest.mark.parametrize(
    "url", ["/account/2fa/", "/account/2fa/webauthn/add/", "/account/logout/", "/account/password/change/"]
)
def test_allauths_other_pages_render_in_our_layout(client, coordinator, url):
    give_totp(coordinator)
    full_login(client, coordinator)
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    response = client.get(url)
    assert response.status_code == 200
    assert 'class="allauth-page"' in response.text
    assert "<h1" in response.text
    assert 'lang="nl"' in response.text
