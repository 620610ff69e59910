"""Background work of the privacy app: the inzage export, and retention every night."""

from celery import shared_task
from celery.schedules import crontab

from carecoord.celery import app

from . import services


@shared_task(acks_late=True)
def inzage_build(export_id: int):
    # Run through jobs.job_run (deferred job): idempotent, a finished export is left alone.
    return services.inzage_build(export_id=export_id)


@shared_task(acks_late=True)
def retention_nightly():
    return services.retention_nightly()


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    # At night (Europe/Amsterdam, CELERY_TIMEZONE): the dry-run report, then the removal.
    sender.add_periodic_task(
        crontab(hour=2, minute=30), retention_nightly.s(), name="privacy: retention (dry run, then removal)"
    )
