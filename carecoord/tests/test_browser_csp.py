"""The Content-Security-Policy in a real browser (issue 15): the watch every browser test runs
under can fail, and the behaviours moved out of inline scripts and on*= handlers still work
under the policy (confirm, auto-submit, print, select, passkeys, the board's refresh)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carecoord import testing
from carecoord.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_csp_watch_catches_a_violation_and_a_page_without_the_header(page):
    """Self-test of the watch in conftest: an inline script and an inline style under a policy
    that forbids them are reported, and so is a page without the header."""
    html = "<!doctype html><p>x</p><script>document.title = 'ran';</script><p style='color:red'>y</p>"
    page.route(
        "http://csp.test/strict",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'; style-src 'self'"},
            body=html,
        ),
    )
    page.route("http://csp.test/none", lambda route: route.fulfill(status=200, content_type="text/html", body="<p>"))
    page.goto("http://csp.test/strict")
    page.wait_for_timeout(200)
    assert page.title() != "ran"
    page.goto("http://csp.test/none")
    watch = testing.CSP_WATCH
    assert any("script-src" in v for v in watch.violations), watch.violations
    assert any("style-src" in v for v in watch.violations), watch.violations
    assert watch.without_header == ["200 http://csp.test/none"]
    watch.reset()  # what this test provoked on purpose must not fail it


def test_every_app_page_sends_the_policy_without_unsafe_inline(page, coordinator, student):
    browser_login(page, "zc@a.test")
    response = page.goto(page.base_url + f"/leerlingen/{student.pk}/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "no-store" in response.headers["cache-control"]


def test_moved_behaviours_work_under_the_policy(page, coordinator, school, student):
    """Confirm before cancelling a meeting, the printable minutes' print button, the list
    filter that sends itself, the feed link that selects itself."""
    from meetings.tests.factories import MeetingFactory
    from referrals.tests.factories import FacilityFactory, ReferralFactory

    meeting = MeetingFactory(school=school, organiser=coordinator, participants=[coordinator])
    viproom = FacilityFactory(school=school, name="Viproom")
    ReferralFactory(student=student, facility=viproom, created_by=coordinator)
    FacilityFactory(school=school, name="Andere ruimte")
    browser_login(page, "zc@a.test")

    # data-confirm: "no" keeps the meeting, "yes" cancels it.
    page.goto(page.base_url + meeting.get_absolute_url())
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Annuleren").first.click()
    page.wait_for_timeout(300)
    meeting.refresh_from_db()
    assert not meeting.is_cancelled
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Annuleren").first.click()
    page.wait_for_load_state()
    meeting.refresh_from_db()
    assert meeting.is_cancelled

    # data-print: the minutes' button calls window.print().
    page.goto(page.base_url + f"/overleg/{meeting.pk}/verslag/")
    page.evaluate("window.print = function () { document.body.dataset.printed = 'yes'; }")
    page.get_by_role("button", name="Afdrukken").click()
    assert page.locator("body").get_attribute("data-printed") == "yes"

    # data-autosubmit: choosing a facility filters the referral list at once.
    page.goto(page.base_url + "/zorg/aanmeldingen/")
    page.locator("#f-facility").select_option(label="Andere ruimte")
    page.wait_for_url("**voorziening=*")
    assert "Daan" not in page.locator("main").inner_text()

    # data-select-on-click: the feed link is selected for copying.
    page.goto(page.base_url + "/overleg/agenda-abonnement/")
    page.get_by_role("button", name="Agendalink maken").click()
    page.wait_for_load_state()
    page.locator("#feed-url").click()
    selected = page.evaluate(
        "document.getSelection().toString() || (function (f) { return f.value.substring(f.selectionStart, f.selectionEnd); })(document.getElementById('feed-url'))"
    )
    assert selected.startswith("http")


def test_the_board_refreshes_itself_but_not_while_the_coach_types_a_note(page, coach, school, student, monkeypatch):
    from referrals.tests.factories import FacilityFactory, lesson_hours, placed, visit
    from referrals.views import board

    monkeypatch.setattr(board, "BOARD_REFRESH_SECONDS", 1)
    lesson_hours(school)
    viproom = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    placement = placed(student, viproom)
    the_visit = visit(student, viproom, by=coach, placement=placement, at=timezone.now() - timedelta(minutes=5))
    browser_login(page, "coach@a.test")
    page.goto(page.base_url + f"/zorg/bord/{viproom.pk}/")
    first = page.get_by_test_id("board-updated").inner_text()
    page.wait_for_function(
        "(first) => document.querySelector('[data-testid=board-updated]').textContent !== first", arg=first
    )
    # Typing a note: the refresh waits (htmx:beforeRequest guard in referrals.js).
    page.get_by_role("button", name="Notitie bij Daan Jansen").first.click()
    note = page.locator(f"#note-input-{the_visit.pk}")
    note.fill("Rustig binnengekomen")
    page.wait_for_timeout(2500)
    assert note.input_value() == "Rustig binnengekomen"


def test_passkey_page_loads_its_scripts_under_the_policy(page, coordinator):
    """allauth's passkey page: its scripts are static files and its JSON blocks are data."""
    browser_login(page, "zc@a.test")
    page.goto(page.base_url + "/account/2fa/webauthn/add/")
    if "reauthenticate" in page.url:  # allauth asks the password again before adding a key
        from accounts.tests.factories import PASSWORD

        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Bevestigen").click()
        page.wait_for_load_state()
    assert "/account/2fa/webauthn/add/" in page.url
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.allauth !== 'undefined'")


def test_the_django_admin_works_under_the_policy(page, django_user_model, school):
    """The admin is not in the journeys but is a page a superuser opens: its scripts and
    styles are static files, so the strict policy holds there too."""
    from accounts.tests.factories import PASSWORD

    root = django_user_model.objects.create_superuser(email="root@a.test", password=PASSWORD, name="Root")
    browser_login(page, "root@a.test")
    for path in (
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{root.pk}/change/",
        "/admin/accounts/school/add/",
    ):
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
