"""Background work of the absence app: the signal computation after an import or a change
of thresholds, and nightly for every school (the window moves on even without new data)."""

from celery import shared_task
from celery.schedules import crontab

from carecoord.celery import app

from . import services


@shared_task(acks_late=True)
def signals_compute_school(school_id: int):
    # Idempotent: a second run finds nothing changed and sends nothing.
    return services.signals_compute_school(school_id=school_id)


@shared_task(acks_late=True)
def signals_compute_nightly():
    """One task per school: small transactions, and schools run in parallel. Each is stored
    as deferred work first, so a broker that is away delays a school, never skips it."""
    from accounts.models import School
    from jobs.services import job_defer

    for school_id in School.objects.values_list("pk", flat=True):
        job_defer(signals_compute_school, school_id)


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    # 05:30 Europe/Amsterdam: after the LVS's nightly export, before the first lesson.
    sender.add_periodic_task(
        crontab(hour=5, minute=30), signals_compute_nightly.s(), name="absence: nightly signal computation"
    )
