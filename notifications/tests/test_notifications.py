import smtplib

import pytest
from celery.exceptions import Retry
from django.core import mail

from notifications import services, tasks
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def queue(user, key="test:1"):
    return services.notification_queue(
        key=key,
        recipient=user,
        kind="accounts.welcome",
        template="accounts/email/welcome",
        context={"school": None, "link": "http://testserver/x"},
    )


def test_a_message_is_sent_after_commit_exactly_once(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert queue(coordinator) is not None
        assert queue(coordinator) is None  # same key: nothing new
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert Notification.objects.get().sent_at is not None


def test_a_retried_send_task_does_not_send_twice(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(coordinator)
    tasks.notification_send.delay(notification.pk)
    tasks.notification_send.apply(args=[notification.pk])
    assert len(mail.outbox) == 1
    assert Notification.objects.get().attempts == 1


class FlakyBackend:
    """A mail server that refuses the first attempt (greylisting), then accepts."""

    calls = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls == 1:
            raise smtplib.SMTPServerDisconnected("try again later")
        mail.outbox.extend(messages)
        return len(messages)


def test_a_mail_error_is_recorded_and_retried(coordinator, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "notifications.tests.test_notifications.FlakyBackend"
    FlakyBackend.calls = 0
    with django_capture_on_commit_callbacks() as callbacks:
        queue(coordinator)
    with pytest.raises(Retry):  # the task asks Celery to run it again later
        callbacks[0]()
    notification = Notification.objects.get()
    assert (notification.sent_at, notification.attempts) == (None, 1)
    assert "try again later" in notification.last_error
    tasks.notification_send.apply(args=[notification.pk])  # the retry arrives
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.attempts == 2  # one failure, one success
    assert len(mail.outbox) == 1


def test_stale_unsent_messages_are_queued_again(coordinator, django_capture_on_commit_callbacks):
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):
        queue(coordinator)  # the broker "lost" this one: the callback never runs
    Notification.objects.update(created_at=timezone.now() - timezone.timedelta(hours=1))
    assert services.notification_requeue_stale() == 1
    assert len(mail.outbox) == 1
    assert services.notification_requeue_stale() == 0


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
    sent = wait_until(lambda: Notification.objects.filter(sent_at__isnull=False).exists(), timeout=20)
    assert sent
    assert len(mail.outbox) == 1
