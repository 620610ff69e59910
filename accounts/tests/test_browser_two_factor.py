import pytest

from accounts.tests.factories import PASSWORD
from carecoord.testing import screenshot, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_enrols_an_authenticator_app_at_first_sign_in(page, coordinator, student):
    page.goto(page.base_url + "/account/login/")
    screenshot(page, "auth-login")
    page.get_by_label("E-mailadres").fill("zc@a.test")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    # Forced enrolment: no pupil data before the second factor.
    page.wait_for_url("**/account/tweestapsverificatie/**")
    heading = page.get_by_role("heading", name="Tweestapsverificatie instellen")
    heading.wait_for(timeout=5000)
    assert heading.is_visible()
    screenshot(page, "auth-2fa-enrol")
    page.goto(page.base_url + student.get_absolute_url())
    page.wait_for_url("**/account/tweestapsverificatie/**")

    page.get_by_role("link", name="Authenticator-app op je telefoon koppelen").click()
    assert page.get_by_role("img", name="QR-code voor je authenticator-app").is_visible()
    secret = page.get_by_label("Sleutel").input_value()
    page.get_by_label("Code uit de app").fill("000000")
    page.get_by_role("button", name="Koppelen").click()
    assert page.locator("strong", has_text="Deze code klopt niet of is al gebruikt").is_visible()
    screenshot(page, "auth-2fa-activate-wrong-code")
    page.get_by_label("Code uit de app").fill(totp_code(secret))
    page.get_by_role("button", name="Koppelen").click()

    page.wait_for_url("**/account/2fa/recovery-codes/")
    assert page.get_by_text("Je hebt nog 10 van de 10 herstelcodes").is_visible()
    screenshot(page, "auth-2fa-recovery-codes")
    page.goto(page.base_url + student.get_absolute_url())
    assert page.get_by_role("heading", name="Daan Jansen").is_visible()
    page.goto(page.base_url + "/account/2fa/")
    assert page.get_by_role("heading", level=1).is_visible()
    screenshot(page, "auth-2fa-overview")
