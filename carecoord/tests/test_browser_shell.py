import re

import pytest
from playwright.sync_api import expect

from accounts.models import Membership, Role
from carecoord.testing import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_logs_in_sees_dutch_home_and_switches_school(page, coordinator, school, other_school):
    Membership.objects.create(user=coordinator, school=other_school, role=Role.MENTOR)

    browser_login(page, "zc@a.test")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", name=re.compile(r"^Goede(morgen|middag|navond), Zorg$")).is_visible()
    assert page.get_by_text("School A · Zorgcoördinator").is_visible()
    screenshot(page, "shell-home-coordinator")

    page.get_by_test_id("school-switcher").get_by_role("button", name="School A").click()
    page.get_by_role("button", name="School B").click()
    # The switch is a form post: wait for the page it leads to (a loaded machine is slow).
    expect(page.get_by_text("School B · Mentor")).to_be_visible()
    screenshot(page, "shell-home-after-switch")


def test_wrong_password_in_the_browser_shows_the_dutch_message(page, coordinator):
    browser_login(page, "zc@a.test", "niet-het-wachtwoord")
    assert page.get_by_text("Deze combinatie van e-mailadres en wachtwoord kennen we niet").is_visible()
    assert page.get_by_label("E-mailadres").input_value() == "zc@a.test"


def test_the_menu_works_on_a_phone(browser, live_server, mentor):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    phone = context.new_page()
    phone.base_url = live_server.url
    browser_login(phone, "mentor@a.test")
    phone.get_by_role("button", name="Menu openen").click()
    # The menu slides open: wait until it is open, as a person does, before tapping in it.
    expect(phone.locator("#mainnav")).to_have_class(re.compile(r"\bcollapse show\b"))
    account = phone.get_by_role("button", name="Mentor")
    account.click()
    expect(account).to_have_attribute("aria-expanded", "true")
    expect(phone.get_by_role("button", name="Uitloggen")).to_be_visible()
    screenshot(phone, "shell-phone")
    context.close()
