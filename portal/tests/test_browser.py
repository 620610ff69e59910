"""The parent's journey on a phone (390×844): open the invitation, sign in again with a code,
withdraw a consent, write their view for the next OT."""

import re

import pytest

from carecoord.testing import screenshot
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from notifications.models import Notification
from portal import services
from students.models import Consent, ConsentPurpose
from students.tests.factories import ConsentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="nl-NL", is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.base_url = live_server.url
    tab.on("dialog", lambda dialog: dialog.accept())
    yield tab
    context.close()


def _mail(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind).order_by("-pk").first().body


def test_parent_journey_on_a_phone(phone, student, coordinator, school):
    guardian = student.guardians.get()
    guardian.email = "ouder@thuis.test"
    guardian.save()
    consent = ConsentFactory(
        student=student, given_by_guardian=guardian, purpose=ConsentPurpose.OT_BESPREKING, recorded_by=coordinator
    )
    meeting = MeetingFactory(school=school, organiser=coordinator, title="OT december")
    item = AgendaItemFactory(meeting=meeting, student=student, question="Hoe krijgen we Daan weer in de klas?")
    services.share_set(item=item, student=student, section="", shared=True, actor=coordinator)
    participant = services.participant_invite(student=student, actor=coordinator, guardian=guardian)
    link = re.search(r"http\S+/ouders/uitnodiging/\S+/", _mail(participant.user, "portal.invitation")).group(0)
    path = link.split("testserver", 1)[1]

    # The invitation, once.
    phone.goto(phone.base_url + path)
    phone.get_by_role("button", name="Verder naar het ouderportaal").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", name="Daan Jansen").is_visible()
    phone.get_by_role("button", name="Uitloggen").click()
    phone.wait_for_load_state()

    # Next time: e-mail address and a code.
    phone.goto(phone.base_url + "/ouders/inloggen/")
    phone.get_by_label("E-mailadres").fill("ouder@thuis.test")
    phone.get_by_role("button", name="Stuur mij een code").click()
    phone.wait_for_load_state()
    code = re.search(r"\b(\d{6})\b", _mail(participant.user, "portal.code")).group(1)
    phone.get_by_label("Code uit de e-mail").fill(code)
    phone.get_by_role("button", name="Inloggen").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", name="Toestemmingen").is_visible()
    screenshot(phone, "portal-child-phone")

    # Withdraw the consent for the OT.
    phone.get_by_role("button", name=re.compile("^Intrekken")).click()
    phone.wait_for_load_state()
    assert "Je toestemming is ingetrokken" in phone.content()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not Consent.objects.active().filter(student=student, purpose=ConsentPurpose.OT_BESPREKING).exists()

    # Write our view for the next OT.
    phone.get_by_role("link", name="Onze kijk geven").click()
    phone.get_by_label("Onze kijk").fill("Daan slaapt slecht sinds de zomer; thuis gaat het beter als hij sport.")
    phone.get_by_role("button", name="Opslaan").click()
    phone.wait_for_load_state()
    assert "Je kijk is opgeslagen" in phone.content()
    assert item.parent_views.get().text.startswith("Daan slaapt slecht")
    screenshot(phone, "portal-view-saved-phone")
