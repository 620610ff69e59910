"""Celery tasks of the task list: the daily digest (thin: the service does the work)."""

from celery import shared_task
from celery.schedules import crontab

from carecoord.celery import app

from . import digest


@shared_task(acks_late=True)
def todo_send_digest():
    """Queue today's digests. Idempotent: a second run, or a second beat, queues nothing more."""
    return digest.digest_queue()


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    # 07:00 (Europe/Amsterdam, CELERY_TIMEZONE) on weekdays; holidays are skipped per school.
    sender.add_periodic_task(
        crontab(hour=7, minute=0, day_of_week="mon-fri"), todo_send_digest.s(), name="todo: daily digest"
    )
