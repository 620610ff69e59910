"""The beheerder in a browser: unticking every role of a colleague is leaving the school, so
the page asks first (review of 29-11-2026), as "Uitschakelen" does."""

import pytest

from accounts.models import Role
from accounts.tests.factories import staff
from carecoord.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_saving_no_role_at_all_asks_first(page, beheerder, school):
    colleague = staff(school, Role.MENTOR, Role.COACH, email="twee@a.test", name="Twee Rollen")
    browser_login(page, beheerder.email)
    page.goto(f"{page.base_url}/beheer/medewerkers/{colleague.pk}/")
    for role in ("Mentor", "Coach (voorziening)"):
        page.get_by_label(role, exact=True).uncheck()
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_timeout(300)
    assert "gaat van deze school af" in questions[0]
    assert colleague.memberships.count() == 2  # "Annuleren": nothing happened
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/beheer/medewerkers/")
    assert not colleague.memberships.exists()
    # Changing roles while one stays ticked asks nothing.
    other = staff(school, Role.MENTOR, email="een@a.test", name="Een Rol")
    page.goto(f"{page.base_url}/beheer/medewerkers/{other.pk}/")
    page.get_by_label("Coach (voorziening)", exact=True).check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/beheer/medewerkers/")
    assert len(questions) == 2 and other.memberships.count() == 2
