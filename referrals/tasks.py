"""Celery tasks of the referrals app (thin: they call a service)."""

from celery import shared_task

from carecoord.celery import app

from . import services


@shared_task(acks_late=True)
def visits_end_of_day():
    """Close visits left open after the school day (flagged for correction) and write the
    per-day visit summaries on the pupils' timelines. Idempotent; safe to run often."""
    return services.visits_end_of_day()


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    # Every quarter of an hour: a visit is closed at most 15 minutes after the school day.
    sender.add_periodic_task(900.0, visits_end_of_day.s(), name="referrals: close visits after the school day")
