"""Celery tasks of the referrals app (thin: they call a service)."""

from celery import shared_task

from carecoord.celery import app

from . import services


@shared_task(acks_late=True)
def visits_end_of_day():
    """Close visits left open after the school day (flagged for correction) and write the
    per-day visit summaries on the pupils' timelines. Idempotent; safe to run often."""
    return services.visits_end_of_day()


@shared_task(acks_late=True)
def visits_record_no_shows():
    """Record no-shows (expected, not checked in 15 minutes after the hour began) and give
    the mentor and the verzuimcoördinator their task. Idempotent; safe to run often."""
    return services.no_shows_record()


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    # Every quarter of an hour: a visit is closed at most 15 minutes after the school day.
    sender.add_periodic_task(900.0, visits_end_of_day.s(), name="referrals: close visits after the school day")
    # Every 5 minutes: a no-show reaches the mentor at most 20 minutes after the hour began.
    sender.add_periodic_task(300.0, visits_record_no_shows.s(), name="referrals: record no-shows")
