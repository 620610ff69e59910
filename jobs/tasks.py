"""Celery tasks of the deferred-work store: run one job, and the sweep every minute."""

import logging

from celery import shared_task

from carecoord.celery import app

from . import schedule as _schedule_runs  # noqa: F401  (records the runs of periodic tasks)
from . import services

log = logging.getLogger(__name__)

SWEEP_EVERY_SECONDS = 60.0


@shared_task(bind=True, acks_late=True, max_retries=8)
def job_run(self, key: str):
    try:
        return services.job_run(key=key)
    except services.DATABASE_ERRORS as exc:
        # The database is restarting: try again soon instead of failing (the sweep would too).
        raise self.retry(exc=exc, countdown=min(2**self.request.retries, 30)) from exc
    except Exception as exc:
        # Recorded on the job (type only) and retried by the sweep; the message stays out of the log.
        log.warning("deferred job %s failed (%s)", key, type(exc).__name__)
        return 0


@shared_task(bind=True, acks_late=True, max_retries=5)
def jobs_sweep(self):
    try:
        return services.jobs_sweep()
    except services.DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=min(2**self.request.retries, 30)) from exc


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    sender.add_periodic_task(SWEEP_EVERY_SECONDS, jobs_sweep.s(), name="jobs: run what is still needed")
