"""The home cards "Mijn overleggen" (the next planned meeting this user may open, with its
title and time) and "Mijn afspraken" (their open agreements at this school)."""

from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone

from meetings.models import MeetingStatus

from .factories import AgreementFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _cards(client, user):
    client.force_login(user)
    return {card.title: card for card in client.get("/").context["cards"]}


def test_coordinator_sees_the_next_planned_meeting_and_their_open_agreements(
    client, coordinator, mentor, school, other_school
):
    now = timezone.now()
    soon = now + timedelta(days=2)
    meeting = partial(MeetingFactory, school=school, organiser=coordinator)
    meeting(title="Later overleg", starts_at=now + timedelta(days=9))
    next_one = meeting(title="Ondersteuningsteam januari", starts_at=soon)
    meeting(title="Afgelast", starts_at=now + timedelta(days=1), status=MeetingStatus.CANCELLED)
    meeting(title="Voorbij", starts_at=now - timedelta(days=1))
    meeting(school=other_school, title="Elders", starts_at=now + timedelta(hours=3))
    AgreementFactory(meeting=next_one, owner=coordinator)
    AgreementFactory(meeting=next_one, owner=coordinator, done_at=now)
    AgreementFactory(meeting=next_one, owner=mentor)

    cards = _cards(client, coordinator)
    when = timezone.localtime(soon).strftime("%d-%m-%Y %H:%M")
    assert cards["Mijn overleggen"].text == f"Volgende: Ondersteuningsteam januari op {when}"
    assert cards["Mijn afspraken"].figure == 1


def test_mentor_sees_only_a_meeting_they_take_part_in(client, coordinator, mentor, school):
    now = timezone.now()
    meeting = partial(MeetingFactory, school=school, organiser=coordinator)
    meeting(title="Zonder mentor", starts_at=now + timedelta(days=1))
    assert _cards(client, mentor)["Mijn overleggen"].text == "Geen overleggen gepland."
    meeting(title="Met mentor", starts_at=now + timedelta(days=3), participants=[mentor])
    assert _cards(client, mentor)["Mijn overleggen"].text.startswith("Volgende: Met mentor op ")
