"""The journeys in a real browser: a mentor writes a note after a phone call; the
coordinator attaches a report and opens the history of a changed note."""

import pytest

from carecoord.testing import browser_login, screenshot

from .factories import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mentor_writes_a_note_that_lands_on_the_timeline(page, mentor, student):
    browser_login(page, "mentor@a.test")
    page.goto(page.base_url + student.get_absolute_url())
    page.get_by_role("link", name="Notitie toevoegen").click()
    page.get_by_label("Soort contact").select_option("telefoongesprek")
    page.get_by_label("Ouder Jansen (moeder)").check()
    page.get_by_label("Notitie").fill("Moeder belde: Daan is ziek en blijft de hele week thuis.")
    page.get_by_label("Wie mag dit lezen").select_option("administratie")
    page.get_by_role("button", name="Notitie opslaan").click()
    page.wait_for_load_state()
    assert "De notitie is opgeslagen." in page.content()
    page.get_by_role("link", name="Daan Jansen").first.click()
    assert "Telefoongesprek: Moeder belde: Daan is ziek" in page.locator("#timeline").inner_text()
    screenshot(page, "records-note-on-timeline-mentor")


def test_coordinator_attaches_a_report_and_reads_a_notes_history(page, coordinator, student, tmp_path):
    report = tmp_path / "verslag-psycholoog.pdf"
    report.write_bytes(pdf_bytes("Verslag"))
    browser_login(page, "zc@a.test")
    page.goto(page.base_url + student.get_absolute_url())
    page.get_by_role("link", name="Document toevoegen").first.click()
    page.get_by_label("Bestand").set_input_files(str(report))
    page.get_by_label("Titel").fill("Verslag psycholoog")
    page.get_by_label("Soort document").select_option("verslag")
    page.get_by_role("button", name="Document toevoegen").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Verslag psycholoog").first.is_visible()

    page.get_by_role("link", name="Notitie toevoegen").click()
    page.get_by_label("Notitie").fill("Eerste versie van het gesprek.")
    page.get_by_role("button", name="Notitie opslaan").click()
    page.get_by_role("link", name="Wijzigen").click()
    page.get_by_label("Notitie").fill("Tweede versie van het gesprek.")
    page.get_by_role("button", name="Wijziging opslaan").click()
    page.get_by_role("link", name="Geschiedenis").click()
    body = page.content()
    assert "Eerste versie van het gesprek." in body and "Tweede versie van het gesprek." in body
    screenshot(page, "records-note-history")
