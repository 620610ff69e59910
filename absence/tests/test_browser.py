"""Key journey in a real browser: the coordinator sees a statutory signal in the overview,
opens the pupil and records the report to leerplicht; leerplicht then sees the step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from absence.models import AbsenceSignal, SignalLevel
from absence.services import signals_compute
from carecoord.testing import browser_login, browser_switch, screenshot
from students.tests.factories import StudentFactory

from .factories import absent, school_days_back

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_records_the_report_and_leerplicht_sees_it(
    page, coordinator, leerplicht_user, student, school_class
):
    days = school_days_back(timezone.localdate() - timedelta(days=1), 4)
    for day in days:
        absent(student, day, 250)  # 16.7 hours in the last school days
    for n, pupil in enumerate(StudentFactory.create_batch(3, school_class=school_class)):
        absent(pupil, days[-1], 500 + 60 * n)
    signals_compute(notify=False)
    assert AbsenceSignal.objects.get(student=student).level == SignalLevel.REPORT_DUE

    browser_login(page, coordinator.email)
    page.get_by_role("link", name="Verzuim").first.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("count-report").inner_text() == "1"
    screenshot(page, "absence-overview")
    page.get_by_role("link", name="Jansen, Daan").click()
    page.wait_for_load_state()
    assert "16 uur ongeoorloofd verzuim" in page.content()
    page.get_by_role("link", name="MAS-stap vastleggen").click()
    page.get_by_label("Stap").select_option(label="Melding bij leerplicht (DUO-verzuimregister)")
    page.get_by_label("Uitkomst").fill("Gemeld in het verzuimregister, zaaknummer 123.")
    page.get_by_role("button", name="Stap vastleggen").click()
    page.wait_for_load_state()
    assert "De stap is vastgelegd." in page.content()
    screenshot(page, "absence-pupil-after-report")
    assert AbsenceSignal.objects.get(student=student).crossed_on is None

    browser_switch(page, leerplicht_user.email)
    page.goto(page.base_url + "/verzuim/")
    screenshot(page, "absence-overview-leerplicht")
    page.get_by_role("link", name="Jansen, Daan").click()
    page.wait_for_load_state()
    assert "Gemeld in het verzuimregister" in page.content()
    assert page.get_by_role("link", name="MAS-stap vastleggen").count() == 0
