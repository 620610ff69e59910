"""The home page "Vandaag" in a browser: each block loads on its own (htmx, /vandaag/<block>/),
a block with nothing for the user leaves the page, and a task is ticked off in place."""

import pytest
from django.utils import timezone

from carecoord.testing import browser_login, screenshot
from concerns.models import ConcernAction
from concerns.services import concern_action_add
from concerns.tests.factories import ConcernFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_opens_vandaag_and_ticks_a_task_off_in_place(page, school, coordinator, mentor, student):
    concern = ConcernFactory(student=student, raised_by=mentor)
    action = concern_action_add(
        concern=concern,
        description="Bel ouders over verzuim",
        actor=coordinator,
        owner=coordinator,
        due_on=timezone.localdate(),
    )
    ConcernFactory(student=student, raised_by=mentor)  # new: waits for triage
    loaded = []
    page.on("request", lambda request: loaded.append(request.url) if "/vandaag/" in request.url else None)

    browser_login(page, "zc@a.test")
    page.goto(page.base_url + "/")
    tasks = page.get_by_test_id("today-taken")
    tasks.get_by_role("link", name="Bel ouders over verzuim").wait_for()
    new = page.get_by_test_id("today-zorgmeldingen")
    new.get_by_text("Daan Jansen").wait_for()
    # Each block came by its own request; the coordinator coaches no room: that block is gone.
    assert {url.rsplit("/vandaag/", 1)[1] for url in loaded} >= {"taken/", "zorgmeldingen/", "viproom/"}
    page.wait_for_function("!document.querySelector('#today-viproom-h')")
    assert page.get_by_text("Laden…").count() == 0
    screenshot(page, "vandaag-coordinator")

    page.evaluate("window.__sameDocument = true")
    tasks.get_by_role("button", name="Gedaan").click()
    tasks.get_by_text("Afgerond: Bel ouders over verzuim").wait_for()
    assert page.evaluate("window.__sameDocument") is True  # in place, no reload
    assert ConcernAction.objects.get(pk=action.pk).done_at is not None
