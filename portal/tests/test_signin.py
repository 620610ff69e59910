"""Signing in: the invitation link once, then e-mail address plus a one-time code."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from accounts.tests.factories import link_secret
from carecoord.testing import idle_time_passes_for_cached_session
from portal import services
from portal.models import LoginCode
from portal.tests.conftest import invitation_link, mailed_code, open_invitation, use_invitation
from students.models import FileAccess, TimelineEvent

pytestmark = pytest.mark.django_db


def _path(link):
    """The path and query of a mailed link (its secret is in the query: carecoord.links)."""
    return urlparse(link)._replace(scheme="", netloc="").geturl()


def test_invitation_link_signs_in_once(client, participant, parent):
    path = _path(invitation_link(parent))
    assert open_invitation(client, path).status_code == 200  # a mail scanner opening it uses nothing
    response = use_invitation(client, path)
    assert response.status_code == 302
    assert response["Location"] == f"/ouders/kind/{participant.student_id}/"
    assert client.get(response["Location"]).status_code == 200
    participant.refresh_from_db()
    assert participant.activated_at is not None
    assert TimelineEvent.objects.filter(kind="portal.signed_in", actor=parent).exists()

    client.logout()
    reused = use_invitation(client, path)
    assert reused.status_code == 410
    assert "werkt niet (meer)" in reused.content.decode()
    assert "_auth_user_id" not in client.session


def test_link_opened_in_another_browser_after_use_fails(client, participant, parent):
    from django.test import Client

    path = _path(invitation_link(parent))
    use_invitation(client, path)
    other = Client()
    assert open_invitation(other, path).status_code == 410
    assert other.post("/ouders/uitnodiging/welkom/").status_code == 410


def test_expired_invitation_fails(client, participant, parent):
    path = _path(invitation_link(parent))
    participant.invitations.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert use_invitation(client, path).status_code == 410
    assert "_auth_user_id" not in client.session


def test_a_new_invitation_replaces_the_old_link(client, participant, parent, coordinator, guardian):
    old = _path(invitation_link(parent))
    services.participant_invite(student=participant.student, actor=coordinator, guardian=guardian)
    new = _path(invitation_link(parent))
    assert old != new
    assert use_invitation(client, old).status_code == 410
    assert use_invitation(client, new).status_code == 302


def test_invitation_token_leaves_the_address_before_the_button(client, participant, parent):
    """Access logs and Referer headers hold paths: the token goes to the session, the page
    and its POST have an address without it (carecoord.links)."""
    path = _path(invitation_link(parent))
    token = link_secret(path)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == "/ouders/uitnodiging/welkom/"
    assert response["Referrer-Policy"] == "no-referrer"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Verder naar het ouderportaal" in page.text
    assert token not in page.text and "no-store" in page["Cache-Control"]
    done = client.post(response["Location"], {"invitation": page.context["invitation"].pk})
    assert done.status_code == 302 and done["Location"] == f"/ouders/kind/{participant.student_id}/"
    assert client.session["_auth_user_id"] == str(parent.pk)
    assert "portal_invitation_token" not in client.session  # used: gone from the session


def test_a_post_to_the_links_own_address_uses_nothing(client, participant, parent):
    response = client.post(_path(invitation_link(parent)))
    assert response.status_code == 302 and response["Location"] == "/ouders/uitnodiging/welkom/"
    assert "_auth_user_id" not in client.session
    assert participant.invitations.get().used_at is None


def test_parent_can_open_the_link_twice(client, participant, parent):
    path = _path(invitation_link(parent))
    assert open_invitation(client, path).status_code == 200
    assert use_invitation(client, path).status_code == 302  # opened again, then used
    assert client.session["_auth_user_id"] == str(parent.pk)


def test_a_page_of_an_invitation_replaced_in_the_session_signs_in_nobody(
    client, participant, parent, student, coordinator
):
    """Two invitations opened in one browser (a family computer): the session holds the last
    one; the page of the first must not sign in as the second parent."""
    from students.models import GuardianRelation
    from students.tests.factories import GuardianFactory

    father = GuardianFactory(student=student, email="vader@thuis.test", relation=GuardianRelation.VADER)
    second = services.participant_invite(student=student, actor=coordinator, guardian=father)
    first_page = open_invitation(client, _path(invitation_link(parent)))
    second_page = open_invitation(client, _path(invitation_link(second.user)))
    response = client.post("/ouders/uitnodiging/welkom/", {"invitation": first_page.context["invitation"].pk})
    assert response.status_code == 410 and "Open de link uit je e-mail opnieuw" in response.text
    assert "_auth_user_id" not in client.session
    assert second.invitations.get().used_at is None and participant.invitations.get().used_at is None
    client.post("/ouders/uitnodiging/welkom/", {"invitation": second_page.context["invitation"].pk})
    assert client.session["_auth_user_id"] == str(second.user.pk)


def test_a_page_whose_session_ended_asks_to_open_the_link_again(client, participant, parent, settings):
    path = _path(invitation_link(parent))
    page = open_invitation(client, path)
    client.cookies.pop(settings.SESSION_COOKIE_NAME)  # the browser was closed
    response = client.post("/ouders/uitnodiging/welkom/", {"invitation": page.context["invitation"].pk})
    assert response.status_code == 410 and "Open de link uit je e-mail opnieuw" in response.text
    assert "_auth_user_id" not in client.session and participant.invitations.get().used_at is None


def test_signed_in_colleague_who_opens_the_link_is_signed_in_as_the_parent(client, participant, parent, mentor):
    """The invitation signs in its own participant, whoever was signed in on the browser; the
    colleague's session ends and they get no access to the portal."""
    from carecoord.access.portal import is_participant

    client.force_login(mentor)
    response = use_invitation(client, _path(invitation_link(parent)))
    assert response.status_code == 302 and response["Location"] == f"/ouders/kind/{participant.student_id}/"
    assert client.session["_auth_user_id"] == str(parent.pk)
    assert "portal_invitation_token" not in client.session
    assert not is_participant(mentor)


def _request_code(client, email="ouder@thuis.test"):
    return client.post("/ouders/inloggen/", {"email": email})


def test_code_signs_in(client, parent):
    response = _request_code(client)
    assert response.status_code == 302 and response["Location"] == "/ouders/inloggen/code/"
    stored = LoginCode.objects.get(user=parent)
    code = mailed_code(parent)
    assert code not in stored.code_hash and len(stored.code_hash) == 64  # stored hashed only
    response = client.post("/ouders/inloggen/code/", {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(parent.pk)
    # The code works once.
    client.logout()
    _request_code(client)
    assert client.post("/ouders/inloggen/code/", {"code": code}).status_code == 200


def test_unknown_address_gets_the_same_answer_and_no_mail(client, parent):
    from notifications.models import Notification

    known = _request_code(client)
    unknown = _request_code(client, "niemand@nergens.test")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page = client.get("/ouders/inloggen/code/").content.decode()
    assert "Als niemand@nergens.test bij ons bekend is" in page
    assert not Notification.objects.filter(to_email="niemand@nergens.test").exists()


def test_staff_address_gets_no_code(client, coordinator):
    _request_code(client, coordinator.email)
    assert not LoginCode.objects.filter(user=coordinator).exists()


def test_code_expires_after_ten_minutes(client, parent):
    _request_code(client)
    code = mailed_code(parent)
    LoginCode.objects.filter(user=parent).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/ouders/inloggen/code/", {"code": code})
    assert response.status_code == 200
    assert "klopt niet of is verlopen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_code_is_valid_for_ten_minutes(parent):
    services.login_code_request(email=parent.email, ip="10.0.0.1")
    stored = LoginCode.objects.get(user=parent)
    assert stored.expires_at - stored.created_at == timedelta(minutes=10)


def test_code_locks_after_five_wrong_tries(client, parent):
    _request_code(client)
    code = mailed_code(parent)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        assert "klopt niet" in client.post("/ouders/inloggen/code/", {"code": wrong}).content.decode()
    fifth = client.post("/ouders/inloggen/code/", {"code": wrong}).content.decode()
    assert "Te vaak een verkeerde code" in fifth
    # Now even the right code no longer works.
    assert client.post("/ouders/inloggen/code/", {"code": code}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_code_for_another_address_does_not_work(client, parent, student, coordinator):
    from students.tests.factories import GuardianFactory

    other = GuardianFactory(student=student, name="Tweede Ouder", email="tweede@thuis.test")
    services.participant_invite(student=student, actor=coordinator, guardian=other)
    services.login_code_request(email="tweede@thuis.test", ip="10.0.0.2")
    second_code = mailed_code(other.participants.get().user)
    _request_code(client)  # this browser waits for the first parent's code
    assert client.post("/ouders/inloggen/code/", {"code": second_code}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_code_requests_are_limited_per_address(client, parent):
    for _ in range(services.CODE_REQUESTS_PER_ADDRESS):
        assert _request_code(client).status_code == 302
    response = _request_code(client)
    assert response.status_code == 200
    assert "te vaak een code aangevraagd" in response.content.decode()
    assert LoginCode.objects.filter(user=parent).count() == services.CODE_REQUESTS_PER_ADDRESS


def test_code_requests_are_limited_per_ip(client, parent):
    for n in range(services.CODE_REQUESTS_PER_IP):
        assert _request_code(client, f"iemand{n}@nergens.test").status_code == 302
    response = _request_code(client)
    assert response.status_code == 200
    assert not LoginCode.objects.filter(user=parent).exists()


def test_session_ends_after_fifteen_idle_minutes(client, parent, monkeypatch):
    _request_code(client)
    client.post("/ouders/inloggen/code/", {"code": mailed_code(parent)})
    assert client.get("/ouders/").status_code == 302  # one child: to the child's page
    assert client.session.get_expiry_age() == 15 * 60
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr("django.contrib.sessions.backends.db.timezone.now", lambda: later)
    idle_time_passes_for_cached_session(client)
    response = client.get(f"/ouders/kind/{parent.participations.get().student_id}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ouders/inloggen/")


def test_sign_in_and_pages_are_in_the_read_log_and_timeline(parent_client, parent, student):
    parent_client.get(f"/ouders/kind/{student.pk}/")
    row = FileAccess.objects.get(user=parent)
    assert row.student == student and row.section == "ouderportaal" and row.page == "portal:child"


def test_portal_pages_are_never_stored(client, participant, parent, student):
    for path in ("/ouders/inloggen/", _path(invitation_link(parent)), "/ouders/uitnodiging/welkom/"):
        assert "no-store" in client.get(path)["Cache-Control"]
    client.force_login(parent)
    assert "no-store" in client.get(f"/ouders/kind/{student.pk}/")["Cache-Control"]


def test_the_code_leaves_the_outbox_once_used(client, parent):
    from notifications.models import DeliveryState, Notification

    _request_code(client)
    code = mailed_code(parent)
    row = Notification.objects.get(recipient=parent, kind="portal.code")
    assert code not in row.subject
    Notification.objects.filter(pk=row.pk).update(state=DeliveryState.SENT)  # the worker sent it
    client.post("/ouders/inloggen/code/", {"code": code})
    row.refresh_from_db()
    assert code not in row.body and row.body == services.CODE_MAIL_REDACTED
