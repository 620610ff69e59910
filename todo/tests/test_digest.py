"""The daily digest: once per user per day (also with two schedulers), not on a weekend or
a holiday, not for a user who switched it off; kept in the outbox when the mail server is down."""

import contextlib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import HolidayPeriod
from notifications.models import DeliveryState, MailPreference, Notification
from notifications.services import notifications_sweep
from todo.digest import digest_queue
from todo.models import Task


def _school_day(offset=0):
    day = timezone.localdate() + timedelta(days=offset)
    while day.weekday() > 4:
        day += timedelta(days=1)
    return day


def _task(school, user, day, key="d1"):
    return Task.objects.create(school=school, assignee=user, title="Bellen", due_on=day, key=key)


@pytest.mark.django_db(transaction=True)
def test_exactly_one_digest_per_user_per_day_with_two_schedulers(school, mentor, coordinator):
    day = _school_day()
    _task(school, mentor, day)
    _task(school, coordinator, day - timedelta(days=3), key="d2")  # overdue
    barrier = threading.Barrier(2)

    def scheduler():
        try:
            barrier.wait()
            digest_queue(day=day)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    digests = Notification.objects.filter(kind="todo.digest")
    assert sorted(digests.values_list("recipient__email", flat=True)) == sorted([mentor.email, coordinator.email])
    assert digest_queue(day=day) == 0
    body = digests.get(recipient=coordinator).body
    assert "1 taak is te laat" in body and "/taken/" in body and "Bellen" not in body


def test_no_digest_on_a_weekend(school, mentor):
    saturday = timezone.localdate() + timedelta(days=(5 - timezone.localdate().weekday()) % 7)
    _task(school, mentor, saturday)
    assert digest_queue(day=saturday) == 0
    assert not Notification.objects.filter(kind="todo.digest").exists()


def test_no_digest_on_a_holiday(school, mentor):
    day = _school_day()
    HolidayPeriod.objects.create(school=school, name="Kerstvakantie", start=day, end=day)
    _task(school, mentor, day)
    assert digest_queue(day=day) == 0


def test_no_digest_for_a_user_who_switched_it_off(client, school, mentor, coordinator):
    day = _school_day()
    _task(school, mentor, day)
    _task(school, coordinator, day, key="d2")
    client.force_login(mentor)
    response = client.post("/meldingen/", {"assigned": "on", "concerns": "on", "reminders": "on", "absence": "on"})
    assert response.status_code == 302
    assert MailPreference.objects.filter(user=mentor, group="digest").exists()
    assert digest_queue(day=day) == 1
    assert list(Notification.objects.filter(kind="todo.digest").values_list("recipient", flat=True)) == [coordinator.pk]
    page = client.get("/meldingen/").text
    assert 'name="digest" id="mail-digest">' in page  # shown unchecked


class DownBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError("mail server down")

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_digest_while_the_mail_server_is_down_is_kept_and_sent_once_later(
    school, mentor, settings, django_capture_on_commit_callbacks
):
    day = _school_day()
    _task(school, mentor, day)
    settings.EMAIL_BACKEND = "todo.tests.test_digest.DownBackend"
    # The eager send's retry may surface here; the stored row is what counts.
    with django_capture_on_commit_callbacks(execute=True), contextlib.suppress(Exception):
        digest_queue(day=day)
    row = Notification.objects.get(kind="todo.digest")
    assert row.state in (DeliveryState.PENDING, DeliveryState.SENDING) and row.sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=row.pk).update(
        next_attempt_at=None, created_at=timezone.now() - timedelta(minutes=5)
    )
    notifications_sweep()
    notifications_sweep()
    row.refresh_from_db()
    assert row.state == DeliveryState.SENT
    assert len([m for m in mail.outbox if m.to == [mentor.email]]) == 1
