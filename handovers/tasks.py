"""Background work of the handover app: flag handovers that wait too long, every morning."""

from celery import shared_task
from celery.schedules import crontab

from carecoord.celery import app


@shared_task(acks_late=True)
def flag_late_handovers() -> int:
    # Idempotent: a handover is flagged once (flagged_at), its e-mails have a key each.
    from .services import handovers_flag_late

    return handovers_flag_late()


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    # 07:00 Europe/Amsterdam, before the school day.
    sender.add_periodic_task(crontab(hour=7, minute=0), flag_late_handovers.s(), name="handovers: flag late handovers")
