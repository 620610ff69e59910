"""The parent's journey on a phone (390×844): open the invitation, sign in again with a code,
withdraw a consent, write their view for the next OT, then read the shared OPP, write
"onze kijk" on it and give instemming with its handelingsdeel. And: add an authenticator
app, then sign in with its code."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from carecoord.testing import screenshot
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from notifications.models import Notification
from plans import services as plan_services
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
    plan = plan_services.plan_start(
        student=student, actor=coordinator, support_started_on=timezone.localdate() - timedelta(days=10)
    )
    draft = plan_services.plan_update(
        version=plan.versions.get(), actor=coordinator, fields=("goals",), goals="Elke dag Nederlands volgen."
    )
    draft = plan_services.plan_discussion_record(
        version=draft, actor=coordinator, discussed_on=timezone.localdate(), discussed_with="moeder", parents_view=""
    )
    services.share_set(item=draft, student=student, section="", shared=True, actor=coordinator)
    participant = services.participant_invite(student=student, actor=coordinator, guardian=guardian)
    link = re.search(r"http\S+/ouders/uitnodiging/\S+", _mail(participant.user, "portal.invitation")).group(0)
    path = link.split("testserver", 1)[1]

    # The invitation, once; its token leaves the address before the button.
    phone.goto(phone.base_url + path)
    assert phone.url.endswith("/ouders/uitnodiging/welkom/")
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
    phone.get_by_role("link", name="Onze kijk geven", exact=True).click()
    phone.get_by_label("Onze kijk").fill("Daan slaapt slecht sinds de zomer; thuis gaat het beter als hij sport.")
    phone.get_by_role("button", name="Opslaan").click()
    phone.wait_for_load_state()
    assert "Je kijk is opgeslagen" in phone.content()
    assert item.parent_views.get().text.startswith("Daan slaapt slecht")
    screenshot(phone, "portal-view-saved-phone")

    # The shared groeidocument: our view on it, then instemming with the handelingsdeel.
    phone.goto(phone.base_url + f"/ouders/kind/{student.pk}/")
    phone.get_by_role("link", name="Lezen, onze kijk geven en instemmen").click()
    assert "Elke dag Nederlands volgen." in phone.content()
    phone.get_by_label("Onze kijk op het plan").fill("Goede doelen; thuis oefenen we lezen.")
    phone.get_by_role("button", name="Opslaan").click()
    phone.wait_for_load_state()
    assert "Je kijk op het plan is opgeslagen" in phone.content()
    phone.get_by_role("button", name="Ik stem in met het handelingsdeel").click()
    phone.wait_for_load_state()
    assert "Je instemming met het handelingsdeel is vastgelegd" in phone.content()
    draft.refresh_from_db()
    assert draft.consent_by_guardian == guardian and draft.consent_online
    assert draft.parent_views.get().text.startswith("Goede doelen")
    screenshot(phone, "portal-opp-phone")


def test_parent_adds_an_app_and_signs_in_with_it_on_a_phone(phone, student, coordinator):
    from allauth.mfa.models import Authenticator
    from playwright.sync_api import expect

    from carecoord.testing import totp_code, unused_totp_code

    guardian = student.guardians.get()
    guardian.email = "ouder@thuis.test"
    guardian.save()
    participant = services.participant_invite(student=student, actor=coordinator, guardian=guardian)
    link = re.search(r"http\S+/ouders/uitnodiging/\S+", _mail(participant.user, "portal.invitation")).group(0)
    phone.goto(phone.base_url + link.split("testserver", 1)[1])
    phone.get_by_role("button", name="Verder naar het ouderportaal").click()
    phone.get_by_role("link", name="Inloggen met een app").click()
    expect(phone.get_by_role("img", name="QR-code voor je authenticator-app")).to_be_visible()
    screenshot(phone, "portal-app-add")
    secret = phone.get_by_label("Sleutel").input_value().replace(" ", "")
    phone.get_by_label("Code uit de app").fill(totp_code(secret))
    phone.get_by_role("button", name="App koppelen").click()
    expect(phone.get_by_text("De app is gekoppeld.")).to_be_visible()
    assert Authenticator.objects.filter(user=participant.user).count() == 1
    phone.get_by_role("button", name="Uitloggen").click()

    phone.goto(phone.base_url + "/ouders/inloggen/")
    phone.get_by_label("E-mailadres").fill("ouder@thuis.test")
    phone.get_by_label("Of: code uit je authenticator-app").fill(unused_totp_code(participant.user, secret))
    screenshot(phone, "portal-signin-with-app")
    phone.get_by_role("button", name="Inloggen met mijn app").click()
    expect(phone.get_by_role("heading", name="Daan Jansen")).to_be_visible()
