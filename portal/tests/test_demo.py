"""The portal's part of the demo: per school a guardian who signed in and gave consent online,
an open invitation, and a pupil of 16+ with their own access; the parent signs in with a code."""

import re

import pytest
from django.core.management import call_command

from notifications.models import Notification
from portal.models import Participant
from students.models import Consent

pytestmark = pytest.mark.django_db


def test_demo_parents_and_pupils(client, capsys):
    call_command("seed_demo", "--pupils", "40")
    out = capsys.readouterr().out
    # Pupils of 16+ are in the upper years of Het Rivierlyceum (havo/vwo 1-6); SG De Waard's
    # vmbo pupils are younger.
    assert "ouder.waard@thuis.test" in out and "leerling.rivier@thuis.test" in out
    pupil = Participant.objects.get(user__email="leerling.rivier@thuis.test")
    assert pupil.is_pupil and pupil.student.is_16_or_older()
    for key in ("waard", "rivier"):
        signed_in = Participant.objects.get(user__email=f"ouder.{key}@thuis.test")
        assert signed_in.activated_at is not None
        assert Consent.objects.filter(student=signed_in.student, recorded_by=signed_in.user).exists()
        assert Participant.objects.get(user__email=f"ouder2.{key}@thuis.test").activated_at is None
    # The documented way in: the address, then the code from the (console) mail.
    client.post("/ouders/inloggen/", {"email": "ouder.waard@thuis.test"})
    body = Notification.objects.filter(to_email="ouder.waard@thuis.test", kind="portal.code").get().body
    client.post("/ouders/inloggen/code/", {"code": re.search(r"\b(\d{6})\b", body).group(1)})
    waard = Participant.objects.get(user__email="ouder.waard@thuis.test")
    assert client.get(f"/ouders/kind/{waard.student_id}/").status_code == 200
