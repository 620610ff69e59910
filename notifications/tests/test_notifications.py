import email
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.html import strip_tags

from notifications import services, tasks
from notifications.models import DeliveryState, Notification

pytestmark = pytest.mark.django_db


def queue(user, key="test:1", school=None):
    return services.notification_queue(
        key=key,
        recipient=user,
        kind="accounts.welcome_back",
        template="accounts/email/welcome_back",
        context={"school": school, "link": "http://testserver/x"},
        school=school,
    )


def age(minutes: float) -> None:
    """Make every row look `minutes` older (created and claimed): the clock moves on."""
    for n in Notification.objects.all():
        n.created_at -= timedelta(minutes=minutes)
        if n.claimed_at:
            n.claimed_at -= timedelta(minutes=minutes)
        n.save(update_fields=["created_at", "claimed_at"])


def test_a_message_is_sent_after_commit_exactly_once(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert queue(coordinator) is not None
        assert queue(coordinator) is None  # same key: nothing new, and no failing INSERT
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    notification = Notification.objects.get()
    assert notification.state == DeliveryState.SENT and notification.sent_at is not None


def test_a_retried_send_task_does_not_send_twice(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(coordinator)
    tasks.notification_send.delay(notification.pk)
    tasks.notification_send.apply(args=[notification.pk])
    assert len(mail.outbox) == 1
    assert Notification.objects.get().attempts == 1


def test_the_mail_has_a_stable_message_id_auto_submitted_reply_to_and_the_same_words_in_html(
    coordinator, school, django_capture_on_commit_callbacks
):
    school.reply_to_email = "zorg@school-a.nl"
    school.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(coordinator, school=school)
    sent = mail.outbox[0]
    parsed = email.message_from_bytes(sent.message().as_bytes())
    assert parsed["Message-ID"] == notification.message_id
    assert notification.message_id.endswith("@testserver>")  # the site's own domain (SITE_URL)
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Reply-To"] == "zorg@school-a.nl"
    assert parsed.get_content_type() == "multipart/alternative"
    text, html = (part.get_payload(decode=True).decode() for part in parsed.get_payload())
    assert " ".join(strip_tags(html).split()) == " ".join(text.split())
    assert "http://testserver/x" in html and 'href="http://testserver/x"' in html


def test_without_a_school_reply_to_there_is_no_reply_to(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue(coordinator)
    parsed = email.message_from_bytes(mail.outbox[0].message().as_bytes())
    assert parsed["Reply-To"] is None


# --- Claim, send, mark ---------------------------------------------------------------------------


def test_claim_send_mark_moves_pending_to_sending_to_sent(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notification = queue(coordinator)
    assert notification.state == DeliveryState.PENDING
    attempt = services.notification_claim(notification_id=notification.pk)
    notification.refresh_from_db()
    assert (notification.state, notification.attempt_id) == (DeliveryState.SENDING, attempt)
    assert notification.claimed_at is not None
    assert services.notification_claim(notification_id=notification.pk) is None  # a second worker gets nothing
    assert services.notification_mark_sent(notification_id=notification.pk, attempt_id=attempt)
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENT
    assert services.notification_claim(notification_id=notification.pk) is None


def test_a_crash_between_send_and_mark_resends_once_after_the_timeout_with_the_same_message_id(
    coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        notification = queue(coordinator)

    def worker_dies(**kwargs):
        raise SystemExit("worker killed between sending and recording")

    monkeypatch.setattr(services, "notification_mark_sent", worker_dies)
    with pytest.raises(SystemExit):
        services.notification_send(notification_id=notification.pk)
    assert len(mail.outbox) == 1  # the mail went out ...
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENDING  # ... but was not recorded

    assert services.notifications_sweep()["sent"] == 0  # within the timeout: it may still be on its way
    age(minutes=2)
    with pytest.raises(SystemExit):  # resent by the sweep, and the worker dies again
        services.notifications_sweep()
    notification.refresh_from_db()
    assert (notification.state, notification.resends) == (DeliveryState.SENDING, 1)
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [notification.message_id] * 2

    age(minutes=2)
    counts = services.notifications_sweep()
    assert counts["gave_up"] == 1  # stuck a second time: not sent a third time
    notification.refresh_from_db()
    assert notification.state == DeliveryState.FAILED
    assert len(mail.outbox) == 2


def test_a_stuck_message_resent_by_the_sweep_is_recorded_and_counted(
    coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        notification = queue(coordinator)
    services.notification_claim(notification_id=notification.pk)  # claimed, then the worker died
    age(minutes=2)
    counts = services.notifications_sweep()
    assert (counts["sent"], counts["resent"]) == (1, 1)
    notification.refresh_from_db()
    assert (notification.state, notification.resends) == (DeliveryState.SENT, 1)


class FlakyBackend:
    """A mail server that refuses the first attempt (greylisting), then accepts."""

    calls = 0

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls == 1:
            raise smtplib.SMTPServerDisconnected("try again later")
        mail.outbox.extend(messages)
        return len(messages)


def test_a_mail_error_is_recorded_and_retried_after_a_pause(coordinator, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "notifications.tests.test_notifications.FlakyBackend"
    FlakyBackend.calls = 0
    with django_capture_on_commit_callbacks(execute=True):  # the task asks for a retry; the save is fine
        queue(coordinator)
    notification = Notification.objects.get()
    assert (notification.state, notification.attempts) == (DeliveryState.PENDING, 1)
    assert "try again later" in notification.last_error
    assert notification.next_attempt_at > timezone.now()
    tasks.notification_send.apply(args=[notification.pk])  # too early: the pause is kept
    assert mail.outbox == []
    Notification.objects.update(next_attempt_at=timezone.now())
    tasks.notification_send.apply(args=[notification.pk])  # the retry arrives
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENT
    assert notification.attempts == 2  # one failure, one success
    assert len(mail.outbox) == 1


# --- The sweep -------------------------------------------------------------------------------------


def test_the_sweep_sends_what_waited_over_a_minute_in_batches_until_done(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the broker "lost" these: no callback runs
        for n in range(5):
            queue(coordinator, key=f"test:{n}")
    assert services.notifications_sweep(batch=2)["sent"] == 0  # younger than a minute: their task may come
    age(minutes=1.5)
    assert services.notifications_sweep(batch=2)["sent"] == 5  # three batches in one run
    assert len(mail.outbox) == 5
    assert services.notifications_sweep()["sent"] == 0


def test_the_sweeps_run_every_minute():
    import jobs.tasks

    class Beat:
        schedule = {}

        def add_periodic_task(self, every, signature, name):
            self.schedule[signature.task] = every

    beat = Beat()
    tasks._schedule(beat)
    jobs.tasks._schedule(beat)
    assert beat.schedule == {"notifications.tasks.notifications_sweep": 60.0, "jobs.tasks.jobs_sweep": 60.0}


# --- Queueing after commit never breaks a saved action ------------------------------------------------


def test_a_concern_posted_with_the_broker_down_shows_success_and_the_sweep_sends_its_mail(
    client, mentor, coordinator, student, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from concerns.models import Concern
    from concerns.tests.factories import form_data, route

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.notification_send, "apply_async", broker_down)
    client.force_login(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/zorg/meldingen/nieuw/", form_data(student, route(student.school)["gedrag"]), follow=True
        )
    assert response.status_code == 200
    assert "Je zorgmelding is verstuurd." in response.text
    assert Concern.objects.count() == 1
    notification = Notification.objects.get()
    assert (notification.state, notification.to_email) == (DeliveryState.PENDING, coordinator.email)
    assert "could not queue notifications.tasks.notification_send" in caplog.text
    assert "twee weken" not in caplog.text  # no care text in the log line
    assert notification.queue_failed  # so the next sweep takes it at once, not after a minute
    monkeypatch.undo()
    assert services.notifications_sweep()["sent"] == 1
    assert mail.outbox[0].to == [coordinator.email]


def test_delivery_log_shows_this_schools_messages_to_the_beheerder(client, beheerder, school, other_school):
    Notification.objects.create(
        key="a", school=school, recipient=beheerder, to_email="x@a.test", kind="k", subject="Hier", body=""
    )
    Notification.objects.create(
        key="b", school=other_school, recipient=beheerder, to_email="x@b.test", kind="k", subject="Daar", body=""
    )
    client.force_login(beheerder)
    page = client.get("/berichten/")
    assert "Hier" in page.text
    assert "Daar" not in page.text


@pytest.mark.worker
def test_a_real_worker_on_the_broker_sends_the_message(coordinator, celery_worker):
    from carecoord.testing import wait_until

    queue(coordinator)  # transactional test: committed at once, so the task is queued now
    sent = wait_until(lambda: Notification.objects.filter(state=DeliveryState.SENT).exists(), timeout=20)
    assert sent
    assert len(mail.outbox) == 1
