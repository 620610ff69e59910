"""The coach's board on a tablet (1024x768, touch): check a pupil in and out with taps,
add a note, and watch the board refresh itself, all without a page reload."""

import pytest

from carecoord.testing import browser_login, screenshot
from referrals import services
from referrals.models import PlacementKind, Visit
from referrals.tests.factories import FacilityFactory, lesson_hours, placed
from students.tests.factories import StudentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tablet(browser, live_server):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="nl-NL", has_touch=True)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()


def _tap_check_in(page, name):
    button = page.get_by_role("button", name=f"{name} inchecken")
    if not button.is_visible():  # a weekend or holiday: placed pupils are listed folded
        page.locator("#board details summary").tap()
    button.tap()


def test_coach_checks_a_pupil_in_and_out_with_taps_without_reload(tablet, monkeypatch, school, coach, student):
    monkeypatch.setattr("referrals.views.board.BOARD_REFRESH_SECONDS", 2)
    lesson_hours(school)
    room = FacilityFactory(school=school, name="Viproom", capacity=10, coaches=[coach])
    placed(student, room, kind=PlacementKind.FULL_TIME)
    other = StudentFactory(school_class=student.school_class, first_name="Sem", last_name="de Boer")
    placed(other, room, kind=PlacementKind.CHECK_IN_OUT, slots=[(d, 1) for d in range(5)])

    page = tablet
    browser_login(page, "coach@a.test")
    page.get_by_role("link", name="Bord Viproom").tap()
    page.wait_for_selector("#board")
    page.evaluate("window.__sameDocument = true")
    assert page.get_by_test_id("free-places").inner_text() == "10"
    screenshot(page, "board-tablet-start")

    _tap_check_in(page, "Daan Jansen")
    page.get_by_test_id(f"present-{student.pk}").wait_for()
    assert page.get_by_test_id("present-count").inner_text().startswith("1")
    assert page.get_by_test_id("free-places").inner_text() == "9"
    assert page.get_by_text("Daan Jansen is ingecheckt.").is_visible()
    screenshot(page, "board-tablet-checked-in")

    page.get_by_role("button", name="Notitie bij Daan Jansen").first.tap()
    page.get_by_label("Notitie", exact=True).fill("Rustig gewerkt aan wiskunde")
    page.get_by_role("button", name="Opslaan").tap()
    page.get_by_text("Rustig gewerkt aan wiskunde").wait_for()

    # Another tablet checks Sem in: this board shows it by itself within a few seconds.
    services.visit_check_in(facility=room, student=other, actor=coach)
    page.get_by_test_id(f"present-{other.pk}").wait_for(timeout=15_000)
    screenshot(page, "board-tablet-two-present")

    page.get_by_role("button", name="Daan Jansen uitchecken").tap()
    page.get_by_test_id(f"present-{student.pk}").wait_for(state="detached")
    assert page.get_by_test_id("present-count").inner_text().startswith("1")
    assert page.locator("#done-h + ul").get_by_text("Daan Jansen").is_visible()
    screenshot(page, "board-tablet-checked-out")

    assert page.evaluate("window.__sameDocument") is True  # never reloaded
    visit = Visit.objects.get(student=student)
    assert visit.checked_out_at is not None and visit.note == "Rustig gewerkt aan wiskunde"


def test_coordinator_refers_a_pupil_with_the_search_field(tablet, school, coordinator, student, coach):
    FacilityFactory(school=school, name="Viproom", coaches=[coach])
    page = tablet
    browser_login(page, "zc@a.test")
    page.goto(page.base_url + "/zorg/aanmeldingen/nieuw/")
    page.get_by_role("combobox", name="Leerling").fill("Jans")
    page.get_by_role("option", name="Daan Jansen").click()
    page.get_by_label("Voorziening").select_option(label="Viproom")
    page.get_by_label("Hulpvraag").fill("Durft de klas niet in.")
    screenshot(page, "referral-create")
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_text("De aanmelding is vastgelegd.").wait_for()
    assert page.get_by_role("link", name="Intake plannen").is_visible()
    screenshot(page, "referral-detail")


def test_board_shows_who_has_not_arrived_in_red(tablet, monkeypatch, school, coach, student):
    """On a Monday at 10:45: lesson 3 began at 10:30, so a pupil expected then is late."""
    from datetime import datetime, time, timedelta
    from functools import partial

    from django.utils import timezone

    from referrals import selectors

    today = timezone.localdate()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    at = timezone.make_aware(datetime.combine(monday, time(10, 45)))
    monkeypatch.setattr("referrals.selectors.facility_board", partial(selectors.facility_board, now=at))
    lesson_hours(school)
    room = FacilityFactory(school=school, name="Viproom", capacity=10, coaches=[coach])
    placed(student, room, kind=PlacementKind.HOURS, slots=[(0, 3), (0, 4)], start_on=today - timedelta(days=7))
    later = StudentFactory(school_class=student.school_class, first_name="Noor", last_name="Visser")
    placed(later, room, kind=PlacementKind.HOURS, slots=[(0, 6)], start_on=today - timedelta(days=7))

    browser_login(tablet, "coach@a.test")
    tablet.goto(f"{tablet.base_url}/zorg/bord/{room.pk}/")
    late = tablet.get_by_test_id(f"expected-{student.pk}")
    assert "Niet aangekomen: lesuur 3–4 begon 10:30" in late.inner_text()
    assert "Lesuur 6, 13:30" in tablet.get_by_test_id(f"expected-{later.pk}").inner_text()
    screenshot(tablet, "board-tablet-late")
