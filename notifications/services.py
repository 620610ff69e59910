"""Queue and send e-mail once, also across crashes.

Callers never send mail themselves: they call `notification_queue` inside their own
transaction with a key that names the message (what, for whom, which kind, which
moment). The row is written with the caller's data and the send is queued after commit.

Sending is three steps, each its own committed transaction, so no database lock is
held while a mail server is talked to:

1. claim: pending → sending, with a new attempt id and the time (skipped when someone
   else claimed it or it was sent);
2. send the mail, with the row's own Message-ID;
3. mark: sending → sent, for that attempt id only. When the database is away at this
   moment, marking is tried again for a while (the mail is out; it must not go twice).

A row stuck in "sending" longer than SENDING_TIMEOUT (its worker died between 2 and 3)
is sent again by the sweep, once, with the same Message-ID, and counted in `resends`;
stuck a second time it is marked failed, never sent a third time.
"""

import contextlib
import logging
import uuid
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Case, F, PositiveSmallIntegerField, Q, When
from django.template.loader import render_to_string
from django.utils import timezone, translation

from jobs.services import DATABASE_ERRORS, SWEEP_AFTER, queue_after_commit, with_database_retries

from .mail import build_message
from .models import DeliveryState, Notification, new_message_id
from .preferences import switched_off

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# Longer than a mail server may take (EMAIL_TIMEOUT) plus the time marking keeps trying
# (MARK_PATIENCE): before that, a row in "sending" may still be on its way.
SENDING_TIMEOUT = timedelta(seconds=90)
MARK_PATIENCE = 60.0
# The sweep stops early when this many sends in a row fail: the mail server is down.
SWEEP_MAX_FAILURES_IN_A_ROW = 3

SENT, SENDING, PENDING, FAILED = DeliveryState.SENT, DeliveryState.SENDING, DeliveryState.PENDING, DeliveryState.FAILED


def notification_queue(
    *,
    key: str,
    recipient,
    kind: str,
    template: str,
    context: dict | None = None,
    school=None,
    attachment: tuple[str, str, str] | None = None,
    to_switched_off: bool = False,
) -> Notification | None:
    """Store a message for `recipient` once per `key` and send it after commit.

    `template` names two templates, `<template>_subject.txt` and `<template>_body.txt`,
    rendered in the recipient's language; the HTML part is made from the same text.
    Rules for their content: no pupil names and no care details, only a link that
    requires login (the mail may be read anywhere). `attachment` is (filename, content,
    mimetype); a `text/calendar; method=…` attachment makes the mail a meeting request.

    The row is inserted with ON CONFLICT DO NOTHING: a key queued before is no error
    (and no failing statement in PostgreSQL's log). Returns the new Notification, or None
    when this key was queued before. A switched-off account gets nothing, unless
    `to_switched_off`: the invitation that brings a returning professional back.
    """
    from . import tasks

    if not recipient.email or not (recipient.is_active or to_switched_off):
        return None
    if switched_off(recipient, kind):
        return None  # the recipient switched this kind of mail off ("Meldingen")
    ctx = {"recipient": recipient, **(context or {})}
    with translation.override(recipient.language or "nl"):
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx, using="text").split())
        body = render_to_string(f"{template}_body.txt", ctx, using="text")
    name, content, mimetype = attachment or ("", "", "")
    message_id = new_message_id()
    key = key[:250]
    Notification.objects.bulk_create(
        [
            Notification(
                key=key,
                message_id=message_id,
                school=school,
                recipient=recipient,
                to_email=recipient.email,
                reply_to=getattr(school, "reply_to_email", "") or "",
                kind=kind,
                subject=subject[:250],
                body=body,
                attachment_name=name,
                attachment_content=content,
                attachment_mimetype=mimetype,
            )
        ],
        ignore_conflicts=True,
    )
    notification = Notification.objects.get(key=key)
    if notification.message_id != message_id:
        return None
    queue_after_commit(
        tasks.notification_send,
        notification.pk,
        on_failure=lambda: Notification.objects.filter(pk=notification.pk).update(queue_failed=True),
    )
    return notification


def notification_queue_many(*, kind: str, template: str, messages: list[tuple]) -> int:
    """`notification_queue` for many recipients at once (the daily digest): `messages` are
    (key, recipient, context, school). The same rules and the same exactly-once promise,
    with one preference query, one INSERT … ON CONFLICT DO NOTHING and one read per 1,000
    messages instead of three statements per message. Returns how many were new."""
    from . import tasks
    from .preferences import switched_off_users

    off = switched_off_users([recipient.pk for _key, recipient, _ctx, _school in messages], kind)
    rows = []
    for key, recipient, context, school in messages:
        if not recipient.email or not recipient.is_active or recipient.pk in off:
            continue
        ctx = {"recipient": recipient, **(context or {})}
        with translation.override(recipient.language or "nl"):
            subject = " ".join(render_to_string(f"{template}_subject.txt", ctx, using="text").split())
            body = render_to_string(f"{template}_body.txt", ctx, using="text")
        rows.append(
            Notification(
                key=key[:250],
                message_id=new_message_id(),
                school=school,
                recipient=recipient,
                to_email=recipient.email,
                reply_to=getattr(school, "reply_to_email", "") or "",
                kind=kind,
                subject=subject[:250],
                body=body,
            )
        )
    created = 0
    for start in range(0, len(rows), 1000):
        batch = rows[start : start + 1000]
        Notification.objects.bulk_create(batch, ignore_conflicts=True)
        # A key queued before keeps its own Message-ID: ours were not inserted.
        new = list(
            Notification.objects.filter(message_id__in=[r.message_id for r in batch]).values_list("pk", flat=True)
        )
        for pk in new:
            queue_after_commit(
                tasks.notification_send,
                pk,
                on_failure=lambda pk=pk: Notification.objects.filter(pk=pk).update(queue_failed=True),
            )
        created += len(new)
    return created


# --- Sending: claim, send, mark -------------------------------------------------------------


def notification_claim(*, notification_id: int, now=None) -> uuid.UUID | None:
    """Take a message for sending: pending (and not waiting for a retry), or stuck in
    "sending" past the timeout and not resent before. Returns the attempt id, or None.

    One UPDATE in its own transaction: of two workers, one gets the row."""
    now = now or timezone.now()
    attempt = uuid.uuid4()
    ready = Q(state=PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now + timedelta(seconds=5)))
    stuck = Q(state=SENDING, claimed_at__lt=now - SENDING_TIMEOUT, resends__lt=1)
    with transaction.atomic():
        claimed = (
            Notification.objects.filter(pk=notification_id)
            .filter(ready | stuck)
            .update(
                # A claim of a stuck row is a resend: counted (the CASE sees the old state).
                resends=Case(
                    When(state=SENDING, then=F("resends") + 1),
                    default=F("resends"),
                    output_field=PositiveSmallIntegerField(),
                ),
                state=SENDING,
                attempt_id=attempt,
                claimed_at=now,
                attempts=F("attempts") + 1,
            )
        )
    return attempt if claimed else None


def notification_mark_sent(*, notification_id: int, attempt_id, patience: float = MARK_PATIENCE) -> bool:
    """Record that attempt `attempt_id` went out. Keeps trying through a database outage
    of up to `patience` seconds; after that the row stays in "sending" (see the module doc)."""

    def mark():
        return bool(
            Notification.objects.filter(pk=notification_id, attempt_id=attempt_id, state=SENDING).update(
                state=SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
            )
        )

    return with_database_retries(mark, patience=patience)


def notification_record_failure(*, notification_id: int, attempt_id=None, error: str) -> Notification | None:
    """The mail server refused or was away: back to pending, tried again later with a
    growing pause; after MAX_ATTEMPTS it is given up (shown in the delivery log)."""
    now = timezone.now()
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.state == SENT:
            return notification
        if attempt_id is not None and notification.attempt_id != attempt_id:
            return notification  # another attempt owns the row now
        if attempt_id is None:
            notification.attempts += 1
        notification.last_error = error[:2000]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.state, notification.gave_up_at = FAILED, now
        else:
            notification.state = PENDING
            notification.next_attempt_at = now + retry_pause(notification.attempts)
        notification.save(update_fields=["state", "attempts", "last_error", "gave_up_at", "next_attempt_at"])
    log.warning("notification %s failed (attempt %s)", notification.pk, notification.attempts)
    return notification


def retry_pause(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … at most an hour: greylisting and restarts pass."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def notification_send(*, notification_id: int, connection=None) -> bool:
    """Send one stored message unless it was sent or is being sent. Returns True if sent now.

    Raises the mail error (after recording it) so the caller may retry; raises a database
    error when the claim could not be made (nothing was sent)."""
    # Read first (the row's content never changes), so that between the claim and the
    # mark nothing but the mail server is needed: a database gone in between costs no resend.
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.state in (SENT, FAILED):
        return False
    attempt = notification_claim(notification_id=notification_id)
    if attempt is None:
        return False
    try:
        build_message(notification, connection=connection).send()
    except Exception as exc:
        error = repr(exc)
        with_database_retries(
            lambda: notification_record_failure(notification_id=notification_id, attempt_id=attempt, error=error),
            patience=MARK_PATIENCE,
        )
        raise
    notification_mark_sent(notification_id=notification_id, attempt_id=attempt)
    log.info("notification %s sent (%s)", notification_id, notification.kind)
    return True


# --- The sweep --------------------------------------------------------------------------------


def _due_q(now):
    waiting = (
        Q(state=PENDING)
        & (Q(created_at__lt=now - SWEEP_AFTER) | Q(queue_failed=True))
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    )
    stuck = Q(state=SENDING, claimed_at__lt=now - SENDING_TIMEOUT)
    return waiting | stuck


def notifications_give_up_stuck(*, now=None) -> int:
    """Messages stuck in "sending" a second time are not sent a third time: failed, with
    the reason in the delivery log (the mail may well have arrived)."""
    now = now or timezone.now()
    return Notification.objects.filter(state=SENDING, claimed_at__lt=now - SENDING_TIMEOUT, resends__gte=1).update(
        state=FAILED,
        gave_up_at=now,
        last_error="Twee keer onderbroken tijdens verzenden; niet nog eens verstuurd (kan wel zijn aangekomen).",
    )


def notifications_sweep(*, batch: int = 200) -> dict:
    """Send what could not be queued (broker down), what waited longer than a minute for
    its queue message (message lost, worker killed), and resend, once, what is stuck in
    "sending". Loops in batches
    until nothing is due; stops early when the mail server keeps failing (next minute).
    Returns counts: sent, resent (of those, after being stuck), failed, gave_up."""
    counts = {"sent": 0, "resent": 0, "failed": 0, "gave_up": notifications_give_up_stuck()}
    seen: set[int] = set()
    failures_in_a_row = 0
    # One connection to the mail server for the whole run; when it breaks, a new one.
    connection = get_connection()
    _open_quietly(connection)
    try:
        while True:
            now = timezone.now()
            rows = list(
                Notification.objects.filter(_due_q(now))
                .exclude(pk__in=seen)
                .order_by("created_at", "pk")
                .values_list("pk", "state")[:batch]
            )
            if not rows:
                return counts
            for pk, state in rows:
                seen.add(pk)
                try:
                    sent = notification_send(notification_id=pk, connection=connection)
                except DATABASE_ERRORS:
                    raise
                except Exception:
                    counts["failed"] += 1
                    failures_in_a_row += 1
                    _close_quietly(connection)
                    _open_quietly(connection)
                    if failures_in_a_row >= SWEEP_MAX_FAILURES_IN_A_ROW:
                        log.warning("notifications sweep: the mail server keeps failing; the next run goes on")
                        return counts
                    continue
                failures_in_a_row = 0
                counts["sent"] += sent
                counts["resent"] += sent and state == SENDING
    finally:
        _close_quietly(connection)


def _open_quietly(connection) -> None:
    # The server is away: each send then tries (and records the failure) on its own.
    with contextlib.suppress(Exception):
        connection.open()


def _close_quietly(connection) -> None:
    with contextlib.suppress(Exception):  # closing a connection that already broke
        connection.close()


def from_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@carecoord.local"
