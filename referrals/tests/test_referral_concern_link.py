"""A referral made for a concern (integration of the zorgroute and the referrals)."""

import pytest

from concerns.tests.factories import ConcernFactory
from referrals.models import Referral
from referrals.tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db


def test_coordinator_can_refer_from_a_concern_and_the_link_shows_both_ways(client, coordinator, student, school):
    concern = ConcernFactory(student=student, school=school, raised_by=coordinator)
    facility = FacilityFactory(school=school, name="Viproom")
    client.force_login(coordinator)
    page = client.get(concern.get_absolute_url())
    assert f"?zorgmelding={concern.pk}" in page.text
    form = client.get(f"/zorg/aanmeldingen/nieuw/?zorgmelding={concern.pk}")
    assert form.context["form"].initial["concerns"] == [concern.pk]
    response = client.post(
        "/zorg/aanmeldingen/nieuw/",
        {"student": student.pk, "facility": facility.pk, "question": "Rust en structuur", "concerns": [concern.pk]},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert list(referral.concerns.all()) == [concern]
    assert "Viproom" in client.get(concern.get_absolute_url()).text
    assert concern.category.name in client.get(referral.get_absolute_url()).text


def test_a_concern_of_another_pupil_cannot_be_linked(client, coordinator, student, school, school_class):
    from students.tests.factories import StudentFactory

    other_pupil = StudentFactory(school_class=school_class)
    concern = ConcernFactory(student=other_pupil, school=school, raised_by=coordinator)
    facility = FacilityFactory(school=school)
    client.force_login(coordinator)
    response = client.post(
        "/zorg/aanmeldingen/nieuw/",
        {"student": student.pk, "facility": facility.pk, "question": "Vraag", "concerns": [concern.pk]},
    )
    assert response.status_code == 200
    assert Referral.objects.count() == 0
    assert 'value="Vraag"' in response.text or "Vraag" in response.text
