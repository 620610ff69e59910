"""A concern with an open action is never closed silently (issue 16)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from concerns.models import ConcernAction, ConcernStatus
from concerns.services import concern_action_add

from .factories import ConcernFactory, route


@pytest.fixture
def concern(student, mentor, school):
    return ConcernFactory(student=student, category=route(school)["gedrag"], raised_by=mentor)


@pytest.fixture
def open_action(concern, coordinator, mentor):
    return concern_action_add(
        concern=concern,
        description="Bel ouders over verzuim",
        actor=coordinator,
        owner=mentor,
        due_on=timezone.localdate() + timedelta(days=5),
    )


def test_closing_with_an_open_action_is_refused_and_keeps_the_feedback(client, coordinator, concern, open_action):
    client.force_login(coordinator)
    response = client.post(f"/zorg/meldingen/{concern.pk}/afronden/", {"feedback": "Opgelost met ouders."})
    assert response.status_code == 200
    assert "Er staat nog 1 actie open" in response.text
    assert "Opgelost met ouders." in response.text  # what was typed stays
    concern.refresh_from_db()
    assert concern.status != ConcernStatus.CLOSED
    assert ConcernAction.objects.get(pk=open_action.pk).done_at is None


def test_closing_with_consent_closes_the_open_actions_with_the_reason(
    client, coordinator, mentor, concern, open_action
):
    client.force_login(coordinator)
    response = client.post(
        f"/zorg/meldingen/{concern.pk}/afronden/", {"feedback": "Opgelost met ouders.", "close_open_actions": "on"}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    action = ConcernAction.objects.get(pk=open_action.pk)
    assert concern.status == ConcernStatus.CLOSED
    assert action.done_at is not None and action.closed_reason == "Opgelost met ouders."
    client.force_login(mentor)
    assert "Bel ouders over verzuim" not in client.get("/taken/").text


def test_closing_without_open_actions_needs_no_extra_step(client, coordinator, concern):
    client.force_login(coordinator)
    response = client.post(f"/zorg/meldingen/{concern.pk}/afronden/", {"feedback": "Klaar."})
    assert response.status_code == 302
