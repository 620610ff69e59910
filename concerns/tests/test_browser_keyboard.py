"""Keyboard only (issue 17): raise a concern, pick the pupil with the arrow keys in the
combobox, submit with an error, fix it from the error summary, submit."""

import pytest

from carecoord.testing import axe_violations, browser_login, screenshot
from concerns.models import Concern

from .factories import route

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector)


def test_mentor_raises_a_concern_with_the_keyboard_only(page, school, student, mentor):
    route(school)
    browser_login(page, "mentor@a.test")
    page.goto(page.base_url + "/zorg/meldingen/nieuw/")
    page.wait_for_load_state()

    combobox = page.get_by_role("combobox", name="Zoek de leerling")
    combobox.focus()
    page.keyboard.type("Daa")
    option = page.get_by_role("option", name="Daan Jansen")
    option.wait_for()
    assert combobox.get_attribute("aria-expanded") == "true"
    assert combobox.get_attribute("aria-activedescendant") is None
    page.keyboard.press("ArrowDown")
    assert combobox.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert option.get_attribute("aria-selected") == "true"
    assert not axe_violations(page), "the open combobox"
    page.keyboard.press("Enter")  # picks; never sends the form
    assert page.url.endswith("/zorg/meldingen/nieuw/") and Concern.objects.count() == 0
    assert page.get_by_text("Daan Jansen (2K1)").is_visible()
    assert page.locator("input[name=student]").input_value() == str(student.pk)

    # Escape closes an open list without picking.
    page.get_by_role("button", name="Andere leerling").press("Enter")
    assert _focused(page, "[role=combobox]")
    page.keyboard.type("Daa")
    option.wait_for()
    page.keyboard.press("Escape")
    assert combobox.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("input[name=student]").input_value() == str(student.pk)

    # The category and the urgency with the keyboard; "what you saw" left empty.
    page.get_by_label("Gedrag").focus()
    page.keyboard.press("Space")
    page.get_by_test_id("concern-guidance").wait_for()
    page.locator("input[name=urgency]").first.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Melding versturen").focus()
    page.keyboard.press("Enter")
    page.locator("[data-error-summary]").wait_for()
    page.wait_for_load_state()

    # The error summary: focused, "Fout:" in the title, each error a link to its field.
    assert page.title().startswith("Fout:")
    assert _focused(page, "[data-error-summary]")
    summary = page.locator("[data-error-summary]")
    assert "Er is een probleem" in summary.inner_text()
    assert page.get_by_text("Daan Jansen (2K1)").is_visible()  # the pick survived the error
    assert not axe_violations(page), "the form with errors"
    screenshot(page, "a11y-concern-form-errors")
    page.keyboard.press("Tab")  # the first (only) error link
    assert _focused(page, "[data-error-summary] a")
    page.keyboard.press("Enter")
    assert _focused(page, "textarea[name=observation]")
    observation = page.locator("textarea[name=observation]")
    assert observation.get_attribute("aria-invalid") == "true"
    assert "id_observation_error" in observation.get_attribute("aria-describedby")
    page.keyboard.type("Daan valt in slaap in de les en zegt dat het thuis onrustig is.")
    page.get_by_role("button", name="Melding versturen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/zorg/meldingen/mijn/")
    assert Concern.objects.count() == 1
    assert Concern.objects.get().student == student
