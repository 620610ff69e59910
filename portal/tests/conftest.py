"""The portal's world: Daan (14) of School A with his guardian Ouder Jansen (gezag) invited."""

import re

import pytest

from notifications.models import Notification
from portal import services


def mailed(user, kind):
    """The body of the latest mail of `kind` to `user` (the outbox row)."""
    return Notification.objects.filter(recipient=user, kind=kind).order_by("-pk").first().body


def invitation_link(user) -> str:
    return re.search(r"http\S+/ouders/uitnodiging/\S+", mailed(user, "portal.invitation")).group(0)


def open_invitation(client, path: str):
    """Open a mailed invitation link as a browser does: the token goes to the session and the
    redirect is followed to the page without it (carecoord.links)."""
    return client.get(path, follow=True)


def use_invitation(client, path: str):
    """Open the mailed link and press the button on the page it shows (the response to the
    POST); the page of a link that does not work is returned as it is."""
    page = open_invitation(client, path)
    if page.status_code != 200:
        return page
    return client.post(page.request["PATH_INFO"], {"invitation": page.context["invitation"].pk})


def mailed_code(user) -> str:
    return re.search(r"\b(\d{6})\b", mailed(user, "portal.code")).group(1)


@pytest.fixture
def guardian(student):
    guardian = student.guardians.get()
    guardian.email = "ouder@thuis.test"
    guardian.save()
    return guardian


@pytest.fixture
def participant(guardian, coordinator):
    return services.participant_invite(student=guardian.student, actor=coordinator, guardian=guardian)


@pytest.fixture
def parent(participant):
    return participant.user


@pytest.fixture
def parent_client(client, parent):
    client.force_login(parent)
    return client
