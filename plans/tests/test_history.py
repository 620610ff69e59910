"""The "Geschiedenis" pages (records app) of an OPP version, a request and a referral: every
step kept with who and when; read by whoever may read the object, not by others."""

import pytest
from django.utils import timezone

from plans import services

from .factories import adoptable_draft, sent_request, swv_organisation, swv_user

pytestmark = pytest.mark.django_db


def test_the_history_of_an_opp_version_shows_each_step(client, coordinator, mentor, student):
    _plan, draft = adoptable_draft(student, coordinator)
    services.plan_adopt(version=draft, actor=coordinator)
    client.force_login(coordinator)
    response = client.get(f"/dossier/geschiedenis/opp-versie/{draft.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Elke dag de lessen Nederlands volgen." in text and "vastgesteld" in text
    # The mentor reads the OPP, so its history too.
    client.force_login(mentor)
    assert client.get(f"/dossier/geschiedenis/opp-versie/{draft.pk}/").status_code == 200


def test_partner_with_consent_cannot_read_an_opp_versions_history(client, consented_partner, coordinator, student):
    draft = services.plan_start(
        student=student, actor=coordinator, support_started_on=timezone.localdate()
    ).versions.get()
    client.force_login(consented_partner)
    assert client.get(f"/dossier/geschiedenis/opp-versie/{draft.pk}/").status_code in (403, 404)


def test_the_requests_history_is_the_schools_not_the_swvs(client, coordinator, student, school):
    swv = swv_organisation(school)
    request = sent_request(student, coordinator, swv)
    services.request_withdraw(request=request, actor=coordinator, reason="Ouders willen eerst praten.")
    client.force_login(coordinator)
    text = client.get(f"/dossier/geschiedenis/aanvraag-swv/{request.pk}/").content.decode()
    assert "ingetrokken" in text
    client.force_login(swv_user(swv))
    assert client.get(f"/dossier/geschiedenis/aanvraag-swv/{request.pk}/").status_code in (403, 404)
