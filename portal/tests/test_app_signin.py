"""Signing in with an authenticator app (TOTP) instead of a mailed code (issue 19)."""

import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.utils import timezone

from carecoord.testing import (
    TEST_TOTP_SECRET,
    give_totp,
    idle_time_passes_for_cached_session,
    totp_code,
    unused_totp_code,
)
from portal import services
from portal.models import LoginCode
from portal.views import SESSION_APP_SECRET
from students.models import TimelineEvent
from students.tests.factories import GuardianFactory, StudentFactory

pytestmark = pytest.mark.django_db

APP_PAGE = "/ouders/inloggen-met-een-app/"
SIGNIN = "/ouders/inloggen/"


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def _sign_in(client, code, email="ouder@thuis.test"):
    return client.post(SIGNIN, {"email": email, "app_code": code, "via_app": "1"})


# --- adding and removing the app ----------------------------------------------------------------


def test_parent_can_add_an_app_with_a_current_code(parent_client, parent, student):
    page = parent_client.get(APP_PAGE)
    assert page.status_code == 200
    secret = parent_client.session[SESSION_APP_SECRET]
    html = page.content.decode()
    assert secret[:4] in html and "data:image/svg+xml;base64," in html  # as text and as QR code
    response = parent_client.post(APP_PAGE, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=parent, type=Authenticator.Type.TOTP).count() == 1
    assert SESSION_APP_SECRET not in parent_client.session
    event = TimelineEvent.objects.get(kind="portal.app_added", student=student)
    assert event.actor == parent and event.params["who"] == "ouder"
    assert "gekoppeld" in parent_client.get(APP_PAGE).content.decode()


def test_parent_cannot_add_an_app_with_a_wrong_code_and_keeps_the_input(parent_client, parent):
    parent_client.get(APP_PAGE)
    secret = parent_client.session[SESSION_APP_SECRET]
    response = parent_client.post(APP_PAGE, {"code": _wrong(totp_code(secret)) + " "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Deze code klopt niet" in html and _wrong(totp_code(secret)) in html
    assert parent_client.session[SESSION_APP_SECRET] == secret  # the same secret: nothing to scan again
    assert not Authenticator.objects.filter(user=parent).exists()


def test_the_code_that_confirmed_the_app_cannot_sign_in(parent_client, parent, client):
    parent_client.get(APP_PAGE)
    code = totp_code(parent_client.session[SESSION_APP_SECRET])
    parent_client.post(APP_PAGE, {"code": code})
    other = Client()
    assert _sign_in(other, code).status_code == 200
    assert "_auth_user_id" not in other.session


def test_parent_can_remove_the_app(parent_client, parent, student):
    give_totp(parent)
    response = parent_client.post(APP_PAGE, {"remove": "1"})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=parent).exists()
    assert TimelineEvent.objects.filter(kind="portal.app_removed", student=student, actor=parent).exists()
    client = Client()
    assert _sign_in(client, totp_code(TEST_TOTP_SECRET)).status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.denies("participant.manage_app")
def test_revoked_parent_cannot_add_or_remove_an_app(parent_client, parent, participant, coordinator):
    give_totp(parent)
    services.participant_revoke(participant=participant, actor=coordinator)
    assert parent_client.get(APP_PAGE).status_code == 403
    assert parent_client.post(APP_PAGE, {"remove": "1"}).status_code == 403
    assert Authenticator.objects.filter(user=parent).exists()


def test_staff_get_404_on_the_app_page(client, coordinator):
    client.force_login(coordinator)
    assert client.get(APP_PAGE).status_code == 404


def test_anonymous_goes_to_the_portal_sign_in(client):
    response = client.get(APP_PAGE)
    assert response.status_code == 302 and response["Location"].startswith(SIGNIN)


# --- signing in with the app's code ---------------------------------------------------------------


def test_parent_signs_in_with_the_app_code(client, parent, student):
    give_totp(parent)
    response = _sign_in(client, unused_totp_code(parent))
    assert response.status_code == 302 and response["Location"] == "/ouders/"
    assert client.session["_auth_user_id"] == str(parent.pk)
    assert not LoginCode.objects.filter(user=parent).exists()  # no mail was needed
    event = TimelineEvent.objects.get(kind="portal.signed_in", student=student, actor=parent)
    assert event.params["how"] == "app"
    # The same 15-minute idle time as after a mailed code.
    assert client.get("/ouders/").status_code == 302
    assert client.session.get_expiry_age() == 15 * 60


def test_an_app_code_typed_without_the_app_button_also_signs_in(client, parent):
    give_totp(parent)
    client.post(SIGNIN, {"email": "ouder@thuis.test", "app_code": unused_totp_code(parent)})
    assert client.session["_auth_user_id"] == str(parent.pk)


def test_the_app_button_without_a_code_asks_for_it(client, parent):
    response = client.post(SIGNIN, {"email": "ouder@thuis.test", "via_app": "1"})
    assert response.status_code == 200 and "Vul de code uit je app in" in response.content.decode()
    assert not LoginCode.objects.filter(user=parent).exists()


def test_a_used_app_code_cannot_be_used_again(client, parent):
    give_totp(parent)
    code = unused_totp_code(parent)
    _sign_in(client, code)
    client.logout()
    response = _sign_in(client, code)
    assert response.status_code == 200 and "klopt niet, is al gebruikt" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_app_codes_lock_after_five_tries(client, parent):
    give_totp(parent)
    wrong = _wrong(totp_code(TEST_TOTP_SECRET))
    for _ in range(services.CODE_TRIES - 1):
        page = _sign_in(client, wrong).content.decode()
        assert "klopt niet" in page and "ouder@thuis.test" in page  # the address stays filled in
    assert "Te vaak een verkeerde code" in _sign_in(client, wrong).content.decode()
    # Now even the right code no longer works for this address (a mailed code still does).
    assert "Te vaak een verkeerde code" in _sign_in(client, unused_totp_code(parent)).content.decode()
    assert "_auth_user_id" not in client.session
    assert client.post(SIGNIN, {"email": "ouder@thuis.test"})["Location"] == "/ouders/inloggen/code/"


def test_unknown_address_and_address_without_app_get_the_same_answer(client, parent, student, coordinator):
    give_totp(parent)
    give_totp(coordinator)  # staff: their app is a second factor, never a way into the portal
    without_app = GuardianFactory(student=student, name="Tweede Ouder", email="tweede@thuis.test")
    services.participant_invite(student=student, actor=coordinator, guardian=without_app)
    wrong = _wrong(totp_code(TEST_TOTP_SECRET))
    answers = set()
    for email in ("ouder@thuis.test", "niemand@nergens.test", "tweede@thuis.test", coordinator.email):
        response = _sign_in(client, wrong, email)
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        answers.add((response.status_code, html.replace(email, "ADRES")))
    assert len(answers) == 1
    assert "_auth_user_id" not in client.session


def test_unknown_address_locks_after_five_tries_too(client):
    for _ in range(services.CODE_TRIES - 1):
        assert "klopt niet" in _sign_in(client, "123456", "niemand@nergens.test").content.decode()
    assert "Te vaak een verkeerde code" in _sign_in(client, "123456", "niemand@nergens.test").content.decode()


def test_staff_member_with_an_app_cannot_sign_in_to_the_portal(client, coordinator):
    give_totp(coordinator)
    response = _sign_in(client, unused_totp_code(coordinator), coordinator.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_parent_of_another_family_cannot_use_the_app_code(client, parent, student, coordinator):
    other_pupil = StudentFactory(school_class=student.school_class, first_name="Sara", last_name="Bakker")
    other = GuardianFactory(student=other_pupil, name="Ouder Bakker", email="bakker@thuis.test")
    services.participant_invite(student=other_pupil, actor=coordinator, guardian=other)
    give_totp(parent)
    response = _sign_in(client, unused_totp_code(parent), "bakker@thuis.test")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_revoked_parent_cannot_sign_in_with_the_app(client, parent, participant, coordinator):
    give_totp(parent)
    services.participant_revoke(participant=participant, actor=coordinator)
    assert _sign_in(client, unused_totp_code(parent)).status_code == 200
    assert "_auth_user_id" not in client.session


def test_app_sign_in_reaches_no_staff_page(client, parent):
    give_totp(parent)
    _sign_in(client, unused_totp_code(parent))
    assert client.get("/leerlingen/").status_code == 404
    assert client.get("/accounts/2fa/").status_code == 404
    assert client.get("/")["Location"] == "/ouders/"


def test_app_tries_count_in_the_per_ip_limit(client, parent):
    give_totp(parent)
    for n in range(services.CODE_REQUESTS_PER_IP):
        client.post(SIGNIN, {"email": f"iemand{n}@nergens.test"})
    response = _sign_in(client, unused_totp_code(parent))
    assert "te vaak een code aangevraagd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_session_of_an_app_sign_in_ends_after_fifteen_idle_minutes(client, parent, monkeypatch):
    give_totp(parent)
    _sign_in(client, unused_totp_code(parent))
    client.get("/ouders/")
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr("django.contrib.sessions.backends.db.timezone.now", lambda: later)
    idle_time_passes_for_cached_session(client)
    response = client.get(f"/ouders/kind/{parent.participations.get().student_id}/")
    assert response.status_code == 302 and response["Location"].startswith(SIGNIN)
