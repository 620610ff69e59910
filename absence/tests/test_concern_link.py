"""A MAS step can follow from a zorgmelding about the same pupil (zorgroute × absence)."""

import pytest

from absence.models import EscalationStep
from concerns.tests.factories import ConcernFactory

pytestmark = pytest.mark.django_db


def test_coordinator_links_a_step_to_the_pupils_concern(client, coordinator, student, school):
    concern = ConcernFactory(student=student, school=school, raised_by=coordinator)
    client.force_login(coordinator)
    response = client.post(
        f"/verzuim/leerling/{student.pk}/stap/",
        {"step": 1, "on": "01-11-2026", "who": "mentor", "outcome": "Ouders gebeld", "concern": concern.pk},
    )
    assert response.status_code == 302, response.content[:500]
    assert EscalationStep.objects.get().concern == concern
    assert f"/zorg/meldingen/{concern.pk}/" in client.get(f"/verzuim/leerling/{student.pk}/").text


def test_a_concern_about_another_pupil_cannot_be_linked(client, coordinator, student, school, school_class):
    from students.tests.factories import StudentFactory

    other = ConcernFactory(student=StudentFactory(school_class=school_class), school=school, raised_by=coordinator)
    client.force_login(coordinator)
    response = client.post(
        f"/verzuim/leerling/{student.pk}/stap/",
        {"step": 1, "on": "01-11-2026", "who": "mentor", "outcome": "Ouders gebeld", "concern": other.pk},
    )
    assert response.status_code == 200
    assert "Ouders gebeld" in response.text
    assert not EscalationStep.objects.exists()
