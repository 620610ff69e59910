"""Celery tasks of the meetings app: thin wrappers around the reminder service."""

from celery import shared_task
from django.conf import settings

from carecoord.celery import app

from . import reminders

# How often the scheduler looks for due messages (settings.MEETINGS_REMINDER_SECONDS, 5
# minutes). A reminder is at most this late.
REMINDER_EVERY_SECONDS = 300.0


@shared_task(acks_late=True)
def meetings_send_reminders():
    """Queue every due invitation, reminder and nudge. Idempotent: running it twice, or in
    two beat/worker processes at once, sends each message once (unique outbox key)."""
    return reminders.reminders_send_due()


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    every = getattr(settings, "MEETINGS_REMINDER_SECONDS", REMINDER_EVERY_SECONDS)
    sender.add_periodic_task(every, meetings_send_reminders.s(), name="meetings: reminders")
