"""Queue and send e-mail exactly once.

Callers never send mail themselves: they call `notification_queue` inside their own
transaction with a key that names the message (what, for whom, which kind, which
moment). The row is written with the caller's data and the send is queued after
commit; sending locks the row and skips it when it was already sent.
"""

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def notification_queue(
    *,
    key: str,
    recipient,
    kind: str,
    template: str,
    context: dict | None = None,
    school=None,
    attachment: tuple[str, str, str] | None = None,
) -> Notification | None:
    """Store a message for `recipient` once per `key` and send it after commit.

    `template` names two templates, `<template>_subject.txt` and `<template>_body.txt`,
    rendered in the recipient's language. Rules for their content: no pupil names and no
    care details, only a link that requires login (the mail may be read anywhere).
    `attachment` is (filename, content, mimetype), e.g. an .ics invite.

    Returns the new Notification, or None when this key was queued before.
    """
    from . import tasks

    if not recipient.email or not recipient.is_active:
        return None
    ctx = {"recipient": recipient, **(context or {})}
    with translation.override(recipient.language or "nl"):
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        body = render_to_string(f"{template}_body.txt", ctx)
    name, content, mimetype = attachment or ("", "", "")
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            key=key[:250],
            defaults={
                "school": school,
                "recipient": recipient,
                "to_email": recipient.email,
                "kind": kind,
                "subject": subject[:250],
                "body": body,
                "attachment_name": name,
                "attachment_content": content,
                "attachment_mimetype": mimetype,
            },
        )
        if created:
            tasks.notification_send.delay_on_commit(notification.pk)
    return notification if created else None


def notification_send(*, notification_id: int) -> bool:
    """Send one stored message unless it was sent already. Returns True if sent now.

    The row stays locked while the mail goes out, so a second worker with the same id
    waits and then finds `sent_at` set.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.sent_at or notification.gave_up_at:
            return False
        message = EmailMessage(notification.subject, notification.body, to=[notification.to_email])
        if notification.attachment_name:
            message.attach(
                notification.attachment_name,
                notification.attachment_content,
                notification.attachment_mimetype or "application/octet-stream",
            )
        message.send()
        notification.sent_at = timezone.now()
        notification.attempts += 1
        notification.last_error = ""
        notification.save(update_fields=["sent_at", "attempts", "last_error"])
    log.info("notification %s sent (%s)", notification.pk, notification.kind)
    return True


def notification_record_failure(*, notification_id: int, error: str) -> Notification | None:
    """Note a failed attempt; after MAX_ATTEMPTS give up (shown in the delivery log)."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.sent_at:
            return notification
        notification.attempts += 1
        notification.last_error = error[:2000]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.gave_up_at = timezone.now()
        notification.save(update_fields=["attempts", "last_error", "gave_up_at"])
    log.warning("notification %s failed (attempt %s)", notification.pk, notification.attempts)
    return notification


def notification_requeue_stale(*, older_than_minutes: int = 10) -> int:
    """Queue again what was stored but not sent (lost broker message, worker crash).

    Sending is idempotent, so queueing a message twice never mails it twice.
    """
    from . import tasks

    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    ids = list(Notification.objects.unsent().filter(created_at__lt=cutoff).values_list("pk", flat=True)[:1000])
    for pk in ids:
        tasks.notification_send.delay(pk)
    return len(ids)
