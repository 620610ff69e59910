"""Celery tasks of the plans app: thin, a service does the work."""

from celery import shared_task

from carecoord.celery import app


@shared_task(acks_late=True)
def requests_flag_overdue():
    from .services import requests_flag_overdue as flag

    return flag()


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    # Hourly: a request is flagged at most an hour after it has been open six weeks.
    sender.add_periodic_task(3600.0, requests_flag_overdue.s(), name="plans: flag requests open six weeks")
