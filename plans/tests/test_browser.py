"""The journey in a real browser: the coordinator drafts the groeidocument, records the
parents' talk and instemming, adopts it and sends an arrangement request; the SWV asks a
question, the coordinator answers, the SWV grants; the grant is on the pupil's timeline."""

import pytest
from django.utils import timezone

from carecoord.testing import browser_login, browser_switch, screenshot
from students.tests.factories import ConsentFactory

from .factories import swv_organisation, swv_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_groeidocument_request_question_answer_and_grant(page, coordinator, student, school):
    swv = swv_organisation(school)
    swv_user(swv)
    ConsentFactory(student=student, organisation=swv, recorded_by=coordinator)
    today = timezone.localdate().isoformat()
    page.on("dialog", lambda dialog: dialog.accept())

    browser_login(page, "zc@a.test")
    page.goto(page.base_url + student.get_absolute_url())
    page.get_by_role("link", name="Naar het groeidocument").click()
    page.get_by_label("Extra ondersteuning gestart op").fill(today)
    page.get_by_role("button", name="OPP starten").click()
    page.wait_for_load_state()
    assert "Vaststellen vóór" in page.content()
    with page.expect_navigation():  # the next click is on the page this link opens
        page.get_by_role("link", name="Versie 1 (concept)").click()
    page.get_by_role("link", name="Bewerken").click()
    page.get_by_label("Onderwijsbehoeften").fill("Rust, structuur en korte instructie.")
    page.get_by_label("Doelen voor deze periode").fill("Elke dag vier lessen in de klas.")
    page.get_by_label("Afgesproken ondersteuning").fill("Viproom twee keer per week; jeugdteam thuis.")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    page.get_by_label("Besproken op").fill(today)
    page.get_by_label("Met wie").fill("moeder en Daan")
    page.get_by_role("button", name="Gesprek vastleggen").click()
    page.wait_for_load_state()
    assert "Het gesprek met de ouders is vastgelegd." in page.content()
    page.get_by_label("Wie stemt in").select_option(label="Ouder Jansen (moeder)")
    page.get_by_label("Instemming gegeven op").fill(today)
    page.get_by_role("button", name="Instemming vastleggen").click()
    page.wait_for_load_state()
    assert "De instemming met het handelingsdeel is vastgelegd." in page.content()
    page.get_by_role("button", name="Vaststellen").click()
    page.wait_for_load_state()
    assert "kan niet meer veranderen" in page.content()
    screenshot(page, "plans-opp-adopted")

    with page.expect_navigation():  # the next click is on the page this link opens
        page.get_by_role("link", name="Alle versies").click()
    page.get_by_role("link", name="Aanvraag indienen").click()
    page.locator("#id_organisation").select_option(label="SWV Koers")
    page.get_by_label("Soort aanvraag").select_option("arrangement")
    page.get_by_label("Vraag aan het samenwerkingsverband").fill("Graag 4 uur begeleiding per week.")
    page.get_by_role("button", name="Aanvraag indienen").click()
    page.wait_for_load_state()
    assert "De aanvraag is ingediend" in page.content()
    request_url = page.url

    browser_switch(page, "swv@koers.test")
    page.goto(request_url)
    assert "Rust, structuur en korte instructie." in page.content()
    page.get_by_label("Bericht").fill("Is er een verslag van de psycholoog?")
    page.get_by_role("button", name="Vraag stellen").click()
    page.wait_for_load_state()
    assert "aanvullende informatie gevraagd" in page.content()

    browser_switch(page, "zc@a.test")
    page.goto(request_url)
    page.get_by_label("Bericht").fill("Ja, van maart; het volgt per post.")
    page.get_by_role("button", name="Antwoorden").click()
    page.wait_for_load_state()

    browser_switch(page, "swv@koers.test")
    page.goto(request_url)
    assert "Ja, van maart" in page.content()
    page.get_by_label("toekennen").check()
    page.get_by_label("Uren per week").fill("4")
    page.get_by_label("Ingangsdatum").fill(today)
    page.get_by_label("Einddatum").fill(timezone.localdate().replace(year=timezone.localdate().year + 1).isoformat())
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.wait_for_load_state()
    assert "Het besluit is vastgelegd" in page.content()

    browser_switch(page, "zc@a.test")
    page.goto(page.base_url + student.get_absolute_url())
    assert "Arrangement toegekend door SWV Koers" in page.locator("#timeline").inner_text()
    screenshot(page, "plans-grant-on-timeline")
