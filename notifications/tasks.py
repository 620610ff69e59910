"""Celery tasks of the outbox: send one message, and the sweep every minute."""

import smtplib

from celery import shared_task
from django.utils import timezone

from carecoord.celery import app
from jobs.services import DATABASE_ERRORS

from . import services

# Mail servers fail in passing (greylisting, restarts): retry with growing pauses.
RETRY_ON = (smtplib.SMTPException, OSError)
SWEEP_EVERY_SECONDS = 60.0


def _database_pause(retries: int) -> int:
    """1, 2, 4, 8, 16, 30, 30 … seconds: a restarting database is back within these."""
    return min(2**retries, 30)


@shared_task(bind=True, acks_late=True, max_retries=services.MAX_ATTEMPTS + 10)
def notification_send(self, notification_id: int):
    try:
        services.notification_send(notification_id=notification_id)
    except DATABASE_ERRORS as exc:
        # Nothing was sent (the claim did not get through): try again soon, not fail.
        raise self.retry(exc=exc, countdown=_database_pause(self.request.retries)) from exc
    except RETRY_ON as exc:
        # Recorded on the row (back to pending with a pause, or given up).
        notification = services.Notification.objects.filter(pk=notification_id).first()
        if notification is not None and notification.state == services.PENDING:
            countdown = (notification.next_attempt_at - timezone.now()).total_seconds()
            raise self.retry(exc=exc, countdown=max(int(countdown), 1)) from exc


@shared_task(bind=True, acks_late=True, max_retries=5)
def notifications_sweep(self):
    try:
        return services.notifications_sweep()
    except DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=_database_pause(self.request.retries)) from exc


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    sender.add_periodic_task(SWEEP_EVERY_SECONDS, notifications_sweep.s(), name="notifications: sweep the outbox")
