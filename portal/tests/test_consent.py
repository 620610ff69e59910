"""Consent online: through the students services, with the 16-year rule, counting for
partners from the next request."""

import pytest

from portal import services
from students.models import Consent, ConsentPurpose, TimelineEvent
from students.tests.factories import PartnerLinkFactory, StudentFactory, born_years_ago

pytestmark = pytest.mark.django_db


def test_parent_gives_and_withdraws_consent_and_partner_follows_on_the_next_request(
    parent_client, parent, guardian, student, organisation, partner_user, coordinator, client
):
    from django.test import Client

    PartnerLinkFactory(student=student, organisation=organisation, linked_by=coordinator)
    partner = Client()
    partner.force_login(partner_user)
    assert partner.get(f"/leerlingen/{student.pk}/").status_code == 404

    response = parent_client.post(f"/ouders/kind/{student.pk}/toestemming/", {"organisation": organisation.pk})
    assert response.status_code == 302
    consent = Consent.objects.get(student=student, organisation=organisation)
    assert consent.given_by_guardian == guardian and consent.recorded_by == parent
    assert partner.get(f"/leerlingen/{student.pk}/").status_code == 200

    # A double submit does not give a second consent.
    parent_client.post(f"/ouders/kind/{student.pk}/toestemming/", {"organisation": organisation.pk})
    assert Consent.objects.filter(student=student, organisation=organisation).count() == 1

    parent_client.post(f"/ouders/kind/{student.pk}/toestemming/{consent.pk}/intrekken/")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and "ouderportaal" in consent.withdrawn_by
    assert partner.get(f"/leerlingen/{student.pk}/").status_code == 404
    # Staff see the parent's actions on the timeline, with the parent as actor.
    kinds = set(TimelineEvent.objects.filter(student=student, actor=parent).values_list("kind", flat=True))
    assert {"students.consent_given", "students.consent_withdrawn"} <= kinds


def test_parent_gives_consent_for_a_purpose(parent_client, student):
    parent_client.post(f"/ouders/kind/{student.pk}/toestemming/", {"purpose": ConsentPurpose.OT_BESPREKING})
    assert Consent.objects.active().filter(student=student, purpose=ConsentPurpose.OT_BESPREKING).exists()


@pytest.mark.denies("participant.change_consent")
def test_parent_cannot_change_consent_once_the_pupil_is_16(parent_client, student, organisation):
    student.date_of_birth = born_years_ago(16)
    student.save()
    page = parent_client.get(f"/ouders/kind/{student.pk}/").content.decode()
    assert "beslist nu zelf" in page and "Toestemming geven" not in page
    response = parent_client.post(f"/ouders/kind/{student.pk}/toestemming/", {"purpose": ConsentPurpose.OT_BESPREKING})
    assert response.status_code == 403
    assert not Consent.objects.filter(student=student).exists()


def test_pupil_of_16_changes_their_own_consent(client, coordinator, school_class):
    pupil = StudentFactory(school_class=school_class, date_of_birth=born_years_ago(16, 1))
    participant = services.participant_invite(student=pupil, actor=coordinator, email="zelf@thuis.test")
    client.force_login(participant.user)
    client.post(f"/ouders/kind/{pupil.pk}/toestemming/", {"purpose": ConsentPurpose.KANSENCOACH})
    consent = Consent.objects.get(student=pupil)
    assert consent.given_by_student and consent.given_by_guardian is None


@pytest.mark.denies("participant.change_consent")
def test_parent_cannot_withdraw_another_childs_consent(parent_client, student, school_class, coordinator):
    from students.tests.factories import ConsentFactory

    other = StudentFactory(school_class=school_class)
    consent = ConsentFactory(student=other, purpose=ConsentPurpose.KANSENCOACH, recorded_by=coordinator)
    assert parent_client.post(f"/ouders/kind/{student.pk}/toestemming/{consent.pk}/intrekken/").status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    # And the rule itself refuses a participant's access for a pupil of 16+ (the same action).
    student.date_of_birth = born_years_ago(17)
    student.save()
    assert parent_client.post(f"/ouders/kind/{student.pk}/toestemming/{consent.pk}/intrekken/").status_code == 403
