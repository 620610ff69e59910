"""The zorgroute journey in a real browser (issue 5): a mentor on a phone raises a concern
in a handful of actions, the coordinator triages and closes it with feedback, and the
mentor sees the feedback."""

import pytest

from carecoord.testing import browser_login, screenshot
from concerns.models import Concern, ConcernStatus

from .factories import route

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL", is_mobile=True)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()


def test_mentor_raises_coordinator_triages_and_closes_mentor_sees_feedback(
    phone, page, school, student, mentor, coordinator
):
    route(school)

    # The mentor, on a phone: six actions from the home page to a sent concern.
    browser_login(phone, "mentor@a.test")
    phone.get_by_role("link", name="Zorg melden").first.click()  # 1
    phone.wait_for_load_state()  # htmx binds the type-ahead once the page has loaded
    phone.get_by_label("Zoek de leerling").fill("Daan")  # 2
    phone.get_by_role("option", name="Daan Jansen").click()  # 3
    assert phone.get_by_text("Daan Jansen (2K1)").is_visible()
    phone.get_by_label("Gedrag").check()  # 4: the guidance appears at once (htmx)
    guidance = phone.get_by_test_id("concern-guidance")
    guidance.wait_for()
    assert "Eerst een mentorgesprek." in guidance.inner_text()
    assert "Zorgcoördinator" in guidance.inner_text()
    phone.get_by_label("Wat heb je gezien of gehoord?").fill(  # 5
        "Daan zit al twee weken stil achterin, maakt geen huiswerk en zegt dat hij slecht slaapt."
    )
    screenshot(phone, "zorgroute-1-mentor-form-phone")
    phone.get_by_role("button", name="Melding versturen").click()  # 6
    phone.wait_for_url("**/zorg/meldingen/mijn/")
    assert phone.get_by_text("Je zorgmelding is verstuurd.").is_visible()
    assert phone.get_by_test_id("my-concern").get_by_text("nieuw").is_visible()
    screenshot(phone, "zorgroute-2-mentor-mine-phone")
    assert Concern.objects.count() == 1

    # The coordinator, on a laptop: the inbox, then triage in place.
    browser_login(page, "zc@a.test")
    page.locator("#mainnav .me-auto").get_by_role("button", name="Zorg", exact=True).click()  # the Zorg menu
    page.get_by_role("link", name="Te behandelen", exact=True).first.click()
    row = page.get_by_test_id("concern-row")
    assert "Jansen, Daan" in row.inner_text()
    screenshot(page, "zorgroute-3-coordinator-inbox")
    row.get_by_role("link", name="Jansen, Daan").click()
    page.get_by_label("Behandelaar").select_option(label="Zorg Coördinator")
    page.get_by_role("button", name="Behandelaar opslaan").click()
    page.get_by_text("De behandelaar is opgeslagen.").wait_for()
    assert page.get_by_test_id("concern-status").inner_text() == "in behandeling"
    page.get_by_role("textbox", name="Actie").fill("Gesprek met Daan en zijn ouders")
    page.get_by_role("button", name="Actie toevoegen").click()
    page.get_by_test_id("concern-action").get_by_text("Gesprek met Daan en zijn ouders").wait_for()
    page.get_by_label("Terugkoppeling aan de melder").fill(
        "Dank je! Ik heb met Daan en zijn ouders gesproken; hij krijgt hulp. Let jij op zijn huiswerk?"
    )
    screenshot(page, "zorgroute-4-coordinator-triage")
    # The action is still open: closing asks to close it with the feedback as reason (issue 16).
    page.locator("input[name$='close_open_actions']").check()
    page.get_by_role("button", name="Afronden").click()
    page.get_by_text("De melding is afgerond; de melder ziet je terugkoppeling.").wait_for()
    screenshot(page, "zorgroute-5-coordinator-closed")
    assert Concern.objects.get().status == ConcernStatus.CLOSED

    # The mentor sees the feedback, not the care file.
    phone.reload()
    mine = phone.get_by_test_id("my-concern")
    assert "afgerond" in mine.inner_text()
    assert "Let jij op zijn huiswerk?" in mine.inner_text()
    assert "Gesprek met Daan en zijn ouders" not in phone.content()
    screenshot(phone, "zorgroute-6-mentor-feedback-phone")


def test_meldcode_guidance_warns_on_the_phone(phone, school, student, mentor):
    route(school)
    browser_login(phone, "mentor@a.test")
    phone.goto(phone.base_url + "/zorg/meldingen/nieuw/")
    phone.get_by_label("Veiligheid").check()
    phone.get_by_text("Acuut gevaar? Bel 112.").wait_for()
    # The category's default urgency is taken over ("vandaag").
    assert phone.get_by_label("vandaag").is_checked()
    phone.wait_for_timeout(300)  # let the button colours finish their transition before the picture
    screenshot(phone, "zorgroute-7-meldcode-guidance-phone")
