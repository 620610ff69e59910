import smtplib

from celery import shared_task

from carecoord.celery import app

from . import services

# Mail servers fail in passing (greylisting, restarts): retry with growing pauses.
RETRY_ON = (smtplib.SMTPException, OSError)


@shared_task(bind=True, acks_late=True, max_retries=services.MAX_ATTEMPTS)
def notification_send(self, notification_id: int):
    try:
        services.notification_send(notification_id=notification_id)
    except RETRY_ON as exc:
        notification = services.notification_record_failure(notification_id=notification_id, error=repr(exc))
        if notification is not None and not notification.gave_up_at:
            raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 3600)) from exc


@shared_task(acks_late=True)
def notification_requeue_stale():
    return services.notification_requeue_stale()


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    sender.add_periodic_task(300.0, notification_requeue_stale.s(), name="notifications: requeue unsent")
