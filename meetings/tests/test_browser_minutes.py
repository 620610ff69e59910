"""Never lose typed text on the meeting page (issue 17): each agenda item is saved on its
own (htmx swaps only that item), leaving the page with unsaved changes asks first, and the
text typed is kept in the browser as a draft until it is saved."""

import pytest

from carecoord.testing import axe_violations, browser_login
from meetings.models import AgendaItem
from meetings.tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_saving_one_agenda_item_keeps_the_text_typed_in_another(
    page, coordinator, student, unconsented_student, school
):
    meeting = MeetingFactory(school=school, organiser=coordinator)
    first = AgendaItemFactory(meeting=meeting, student=student)
    second = AgendaItemFactory(meeting=meeting, student=unconsented_student)
    browser_login(page, "zc@a.test")
    page.goto(page.base_url + meeting.get_absolute_url())
    page.wait_for_load_state()

    page.locator(f"#minutes-{first.pk}").get_by_label("Bespreking").fill("Daan gaat naar de kansencoach.")
    other = page.locator(f"#minutes-{second.pk}").get_by_label("Bespreking")
    other.fill("Sanne: nog niet besproken, volgende keer.")
    page.locator(f"#minutes-{first.pk}").get_by_role("button", name="Verslag opslaan").click()
    page.locator(f"#minutes-{first.pk}").get_by_role("status").get_by_text("is opgeslagen").wait_for()

    assert other.input_value() == "Sanne: nog niet besproken, volgende keer."
    assert AgendaItem.objects.get(pk=first.pk).notes == "Daan gaat naar de kansencoach."
    assert AgendaItem.objects.get(pk=second.pk).notes == ""
    assert not axe_violations(page)

    # The second item is still unsaved: reloading asks first; after a reload anyway the
    # draft is back (local storage), and saving it clears the draft.
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    page.reload()
    page.wait_for_load_state()
    assert dialogs == ["beforeunload"]
    other = page.locator(f"#minutes-{second.pk}").get_by_label("Bespreking")
    assert other.input_value() == "Sanne: nog niet besproken, volgende keer."
    assert page.get_by_text("Je niet opgeslagen tekst van de vorige keer staat er weer.").is_visible()
    page.locator(f"#minutes-{second.pk}").get_by_role("button", name="Verslag opslaan").click()
    page.locator(f"#minutes-{second.pk}").get_by_role("status").get_by_text("is opgeslagen").wait_for()
    assert AgendaItem.objects.get(pk=second.pk).notes == "Sanne: nog niet besproken, volgende keer."
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('draft:')).length") == 0
    page.reload()
    assert dialogs == ["beforeunload"]  # nothing unsaved any more: no question
