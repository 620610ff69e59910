import pytest

from carecoord.testing import browser_login, screenshot
from students.tests.factories import PartnerLinkFactory, StudentFactory
from students.timeline import timeline_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_searches_a_pupil_opens_the_file_and_sees_the_timeline(page, coordinator, student, school_class):
    StudentFactory.create_batch(30, school_class=school_class)
    timeline_add(student=student, kind="students.guardian_added", actor=coordinator, name="Ouder Jansen")
    browser_login(page, "zc@a.test")
    page.get_by_role("link", name="Leerlingen").first.click()
    page.wait_for_load_state()  # htmx binds the live search once the page has loaded
    page.get_by_role("searchbox", name="Zoek").fill("Jansen")
    # htmx replaces the results while typing; no submit needed.
    page.get_by_role("link", name="Jansen, Daan").click()
    assert page.get_by_role("heading", name="Daan Jansen").is_visible()
    timeline = page.locator("#timeline")
    assert "Ouder/verzorger toegevoegd: Ouder Jansen" in timeline.inner_text()
    assert "Zorg Coördinator" in timeline.inner_text()
    screenshot(page, "students-file-coordinator")


def test_partner_without_consent_gets_the_404_page(page, partner_user, organisation, student, coordinator):
    PartnerLinkFactory(student=student, organisation=organisation, linked_by=coordinator)  # linked, no consent
    browser_login(page, "partner@jeugdteam.test")
    response = page.goto(page.base_url + student.get_absolute_url())
    assert response.status == 404
    assert page.get_by_role("heading", name="Niet gevonden").is_visible()
    assert "Jansen" not in page.content()
    screenshot(page, "students-partner-404")


def test_pupil_list_on_a_phone(browser, live_server, mentor, student):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    phone = context.new_page()
    phone.base_url = live_server.url
    browser_login(phone, "mentor@a.test")
    phone.goto(live_server.url + "/leerlingen/")
    assert phone.get_by_role("link", name="Jansen, Daan").is_visible()
    screenshot(phone, "students-list-mentor-phone")
    context.close()
