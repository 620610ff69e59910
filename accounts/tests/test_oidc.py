"""Sign in with the school's account, against a real OpenID Connect provider started locally
(panva/oidc-provider, tests/oidc/provider.mjs): discovery, authorisation, token exchange and
userinfo all go over HTTP to it. The browser's part (following redirects) is done with
`requests` on the provider's side and the Django test client on ours."""

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.conf import settings as django_settings

from accounts.models import Role, User
from accounts.tests.factories import accept_invitation, staff
from carecoord.testing import IN_CI, give_totp
from students.models import FileAccess

pytestmark = pytest.mark.django_db

PROVIDER_DIR = Path(django_settings.BASE_DIR) / "tests" / "oidc"
CLIENT_ID, CLIENT_SECRET = "carecoord-test", "test-only-client-secret"
CALLBACK = "http://testserver/account/oidc/school-idp/login/callback/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_server():
    """The local identity provider's base URL. Installs it with `npm ci` when missing."""
    node = shutil.which("node")
    if node is None:
        if IN_CI:
            pytest.fail("CI=true but node is missing (the OIDC tests need Node 20+)")
        pytest.skip("node is not installed: the OIDC sign-in tests run against a local oidc-provider (Node 20+)")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True, timeout=300)
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": CALLBACK,
    }
    process = subprocess.Popen(
        [node, "provider.mjs"], cwd=PROVIDER_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the OIDC provider did not start: {process.stdout.read().decode()}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def idp(oidc_server, settings):
    """Configure the provider as one school's identity provider; returns its settings to vary."""
    app_settings = {"server_url": oidc_server, "schools": [], "email_domains": [], "second_factor": "carecoord"}
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **django_settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [
                {
                    "provider_id": "school-idp",
                    "name": "Microsoft (School A)",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": app_settings,
                }
            ],
        }
    }
    app_settings["base"] = oidc_server
    return app_settings


def oidc_sign_in(client, login_hint, *, change_request=None):
    """Press "Inloggen met …", let the identity provider sign in `login_hint`, come back.

    `change_request(params)` may alter the authorisation request on its way to the provider
    (as an attacker between browser and provider could)."""
    start = client.post("/account/oidc/school-idp/login/?" + urlencode({"auth_params": f"login_hint={login_hint}"}))
    assert start.status_code == 302, start.content
    url = start["Location"]
    if change_request:
        parts = urlparse(url)
        params = {key: values[0] for key, values in parse_qs(parts.query).items()}
        change_request(params)
        url = urlunparse(parts._replace(query=urlencode(params)))
    browser = requests.Session()
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=5)
        assert response.status_code in (302, 303), response.text
        url = requests.compat.urljoin(url, response.headers["Location"])
        if url.startswith("http://testserver/"):
            break
    assert url.startswith(CALLBACK), url
    return client.get(url.removeprefix("http://testserver"))


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_a_known_address_signs_in(client, idp, mentor, student):
    assert "Inloggen met Microsoft (School A)" in client.get("/account/login/").text
    response = oidc_sign_in(client, "mentor@a.test")
    assert response.status_code == 302
    assert signed_in_as(client) == str(mentor.pk)
    assert client.get(student.get_absolute_url()).status_code == 200
    # Matched, not linked: nothing is stored about the school account.
    assert not SocialAccount.objects.exists()


def test_an_unknown_address_gets_no_access_and_no_account(client, idp, mentor):
    users_before = User.objects.count()
    response = oidc_sign_in(client, "nieuw@a.test")
    assert response.status_code == 403
    assert "Met dit account kun je niet inloggen bij Carecoord" in response.text
    assert signed_in_as(client) is None
    assert User.objects.count() == users_before
    assert client.get("/").status_code == 302


def test_an_address_the_school_did_not_verify_gets_no_access(client, idp, mentor):
    response = oidc_sign_in(client, "unverified:mentor@a.test")
    assert response.status_code == 403
    assert signed_in_as(client) is None


def test_a_provider_for_one_school_does_not_let_in_staff_of_another(client, idp, mentor, other_coordinator):
    idp["schools"] = ["11AA"]  # School A
    assert oidc_sign_in(client, "zc@b.test").status_code == 403
    assert signed_in_as(client) is None
    assert oidc_sign_in(client, "mentor@a.test").status_code == 302


def test_an_address_outside_the_schools_domains_gets_no_access(client, idp, mentor):
    idp["email_domains"] = ["school-a.nl"]
    assert oidc_sign_in(client, "mentor@a.test").status_code == 403
    assert signed_in_as(client) is None


def test_a_wrong_nonce_is_refused(client, idp, mentor):
    def swap_nonce(params):
        params["nonce"] = "a-nonce-from-another-sign-in"

    response = oidc_sign_in(client, "mentor@a.test", change_request=swap_nonce)
    assert response.status_code == 403
    assert "de controlecode klopt niet" in response.text
    assert signed_in_as(client) is None


def test_an_id_token_for_another_audience_is_refused(client, idp, mentor):
    requests.post(f"{idp['base']}/_test/tamper", data=json.dumps({"aud": "another-application"}), timeout=5)
    response = oidc_sign_in(client, "mentor@a.test")
    assert "Inloggen met je schoolaccount is mislukt" in response.text
    assert signed_in_as(client) is None


def test_by_default_the_school_account_is_one_factor(client, idp, coordinator, student):
    give_totp(coordinator)
    response = oidc_sign_in(client, "zc@a.test")
    assert response["Location"] == "/account/2fa/authenticate/"
    assert signed_in_as(client) is None


def test_without_a_device_a_required_role_must_enrol_after_school_sign_in(client, idp, coordinator, student):
    oidc_sign_in(client, "zc@a.test")
    assert signed_in_as(client) == str(coordinator.pk)
    assert client.get(student.get_absolute_url())["Location"].startswith("/account/tweestapsverificatie/")
    assert not FileAccess.objects.exists()


def test_a_provider_that_enforces_mfa_can_count_as_the_second_factor(client, idp, coordinator, student):
    idp["second_factor"] = "idp"
    give_totp(coordinator)
    oidc_sign_in(client, "zc@a.test")
    assert signed_in_as(client) == str(coordinator.pk)
    assert client.get(student.get_absolute_url()).status_code == 200


def test_amr_mode_counts_only_a_sign_in_that_used_mfa(client, idp, coordinator, student):
    idp["second_factor"] = "idp_amr"
    give_totp(coordinator)
    from django.test import Client

    assert oidc_sign_in(Client(), "zc@a.test")["Location"] == "/account/2fa/authenticate/"
    oidc_sign_in(client, "mfa:zc@a.test")
    assert signed_in_as(client) == str(coordinator.pk)
    assert client.get(student.get_absolute_url()).status_code == 200


def test_an_inactive_user_does_not_get_in(client, idp, school):
    person = staff(school, Role.MENTOR, email="weg@a.test")
    person.is_active = False
    person.save()
    assert oidc_sign_in(client, "weg@a.test").status_code == 403
    assert signed_in_as(client) is None


def test_someone_still_waiting_for_their_invitation_does_not_get_in(client, idp, organisation, partner_user):
    # A professional's account is active from the invitation on; the invitation (7 days, once,
    # withdrawable) is the way in, not the school's sign-in. Accepted, they are let in as before.
    from accounts.models import Organisation
    from accounts.services import invitation_create

    # The organisation's contact person invites (an invitation counts while its sender may send it).
    Organisation.objects.filter(pk=organisation.pk).update(contact=partner_user)
    organisation.refresh_from_db()

    professional, invitation = invitation_create(
        actor=partner_user, email="pro@a.test", name="Pro Fessional", organisation=organisation
    )
    response = oidc_sign_in(client, "pro@a.test")
    assert response.status_code == 403
    assert "nog niet aangenomen" in response.text
    assert signed_in_as(client) is None
    accept_invitation(invitation)
    assert oidc_sign_in(client, "pro@a.test").status_code == 302
    assert signed_in_as(client) == str(professional.pk)
