"""The kansencoach's journey in the browser (seed 004): the teacher nominates a pupil with the
search field, the coach starts once the parents agreed, records a conversation (a typing
error first), and the pages pass axe-core."""

import pytest

from accounts.tests.factories import UserFactory
from carecoord.testing import axe_violations, browser_login, screenshot
from referrals.models import CoachingConversation, FacilityKind, Placement, PlacementKind
from referrals.tests.factories import FacilityFactory
from students.models import ConsentPurpose
from students.tests.factories import ConsentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_nominates_and_the_coach_starts_and_records_a_conversation(page, school, mentor, coach, student):
    facility = FacilityFactory(school=school, name="Kansencoach", kind=FacilityKind.KANSENCOACH, coaches=[coach])

    browser_login(page, "mentor@a.test")
    page.goto(page.base_url + "/zorg/kansencoach/voordragen/")
    page.get_by_role("combobox", name="Leerling").fill("Daan")
    page.get_by_role("option", name="Daan Jansen").click()
    page.get_by_label("Wat zie je, en waarom de kansencoach?").fill("Stil in de groep sinds de verhuizing.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Voordragen").click()
    page.get_by_text("Daan Jansen is voorgedragen bij de kansencoach.").wait_for()

    ConsentFactory(student=student, purpose=ConsentPurpose.KANSENCOACH, recorded_by=UserFactory())
    # The coach at a computer of their own: a new browser context, not the mentor's tab with
    # its cookies cleared (that tab's scripts — the unsaved-text guard, htmx — could still act
    # on the next navigation; the journey failed now and then on the coach's sign-in).
    base_url = page.base_url
    page = page.context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL").new_page()
    page.context.set_default_timeout(10_000)
    page.base_url = base_url
    browser_login(page, "coach@a.test")
    with page.expect_navigation():  # axe below checks the page this link opens
        page.get_by_role("link", name="Kansencoach: Kansencoach").first.click()
    assert axe_violations(page) == []
    screenshot(page, "kansencoach-caseload")
    with page.expect_navigation():  # the next click is on the page this link opens
        page.get_by_role("link", name="Jansen, Daan").click()
    page.get_by_role("button", name="Gesprekken starten").click()
    page.get_by_text("De gesprekken met Daan Jansen zijn gestart.").wait_for()
    placement = Placement.objects.get(facility=facility)
    assert placement.kind == PlacementKind.COACHING and placement.referral_id is None

    page.get_by_label("Minuten").fill("-30")
    page.get_by_label("Notitie").fill("Over de verhuizing gepraat.")
    page.get_by_role("button", name="Gesprek vastleggen").click()
    page.get_by_text("minstens 1").first.wait_for()
    assert page.get_by_label("Notitie").input_value() == "Over de verhuizing gepraat."
    assert axe_violations(page) == []
    page.get_by_label("Minuten").fill("30")
    page.get_by_role("button", name="Gesprek vastleggen").click()
    page.get_by_text("Het gesprek is vastgelegd.").wait_for()
    assert CoachingConversation.objects.get().minutes == 30
    screenshot(page, "kansencoach-conversations")
    page.context.close()
