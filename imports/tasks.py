"""Background work of the import pipeline: run a confirmed import, sweep up jobs that wait
too long, and purge previews nobody confirmed."""

from celery import shared_task

from carecoord.celery import app

from . import services

SWEEP_EVERY_SECONDS = 120.0
PURGE_EVERY_SECONDS = 3600.0


@shared_task(acks_late=True)
def import_run(batch_id: int):
    # Idempotent: the job is applied once whoever runs it (row lock, status checked).
    return services.import_run(batch_id=batch_id)


@shared_task(acks_late=True)
def imports_sweep():
    return services.imports_sweep()


@shared_task(acks_late=True)
def import_previews_purge():
    return services.import_previews_purge()


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    sender.add_periodic_task(SWEEP_EVERY_SECONDS, imports_sweep.s(), name="imports: queue jobs that wait too long")
    # Unconfirmed previews hold personal data (the file, the names in the preview): gone after 24 hours.
    sender.add_periodic_task(
        PURGE_EVERY_SECONDS, import_previews_purge.s(), name="imports: purge previews after 24 hours"
    )
