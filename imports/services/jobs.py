"""A confirmed import is a job: stored first (status QUEUED), then run all-or-nothing.

Small files run at once, in the request; larger ones (more than IMPORT_BACKGROUND_ROWS
lines) by a Celery worker, while the page shows the progress. Queueing happens after
commit and never fails the request (a broker that is down only delays the job): the
periodic sweep queues every job that waits too long, including one whose worker died.
Running twice is harmless: the apply transaction locks the batch row and does nothing when
the batch is applied already, so a job is applied exactly once.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from carecoord.access import imports as import_access

from .. import checking, kinds, reading
from ..columns import resolve
from ..models import ImportBatch

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a job whose worker died this often is given up (and says so)
PREVIEW_HOURS = 24  # unconfirmed previews hold personal data: purged after this
Status = ImportBatch.Status


def import_confirm(*, batch: ImportBatch, actor, options: dict) -> ImportBatch:
    """Store the confirmed import as a job and start it: at once for a small file, by the
    worker for a large one. Returns the batch as it is now (APPLIED or FAILED for a small
    file; QUEUED or RUNNING for a large one)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status in (Status.QUEUED, Status.RUNNING):
            raise ValidationError(_("Dit bestand wordt al ingelezen."))
        if batch.status != Status.PREVIEW:
            raise ValidationError(_("Dit bestand is al ingelezen."))
        batch.status = Status.QUEUED
        batch.options = options
        batch.confirmed_by = actor
        batch.queued_at = timezone.now()
        batch.rows_done, batch.stage, batch.errors = 0, "", []
        batch.save(update_fields=["status", "options", "confirmed_by", "queued_at", "rows_done", "stage", "errors"])
        background = batch.rows_total > settings.IMPORT_BACKGROUND_ROWS
        if background:
            transaction.on_commit(partial(queue_run, batch.pk), robust=True)
    if not background:
        try:
            import_run(batch_id=batch.pk)
        except Exception:
            # Stored as a job: the sweep tries again. The person gets the job page, not an error.
            log.exception("import %s failed while running in the request; left for the sweep", batch.pk)
    batch.refresh_from_db()
    return batch


def queue_run(batch_id: int) -> bool:
    """Queue the job on the broker. A broker that is down is logged, not raised: the job is
    stored and the sweep queues it again."""
    from carecoord.celery import app

    from .. import tasks

    try:
        # One quick attempt: the person is waiting for the page.
        with app.connection_for_write(transport_options={"max_retries": 1}) as connection:
            tasks.import_run.apply_async((batch_id,), connection=connection, retry=False)
    except (OperationalError, OSError) as exc:
        log.warning("import %s not queued (%s); the sweep will queue it", batch_id, exc.__class__.__name__)
        return False
    return True


def _claim(batch_id: int):
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).select_related("school").first()
        if batch is None or batch.status not in (Status.QUEUED, Status.RUNNING):
            return None
        if batch.attempts >= MAX_ATTEMPTS:
            _failed(
                batch,
                [
                    _(
                        "Het inlezen is %(n)s keer afgebroken. Er is niets ingelezen. Lees het bestand opnieuw in; "
                        "gebeurt dit weer, neem dan contact op met de beheerder."
                    )
                    % {"n": batch.attempts}
                ],
            )
            return None
        now = timezone.now()
        batch.status, batch.stage, batch.rows_done = Status.RUNNING, "check", 0
        batch.attempts += 1
        batch.started_at = batch.heartbeat_at = now
        batch.save(update_fields=["status", "stage", "rows_done", "attempts", "started_at", "heartbeat_at"])
        return batch


def _failed(batch: ImportBatch, messages: list[str]) -> None:
    """Mark a locked batch failed: nothing was written; its file is deleted."""
    batch.status = Status.FAILED
    batch.errors = [str(m) for m in messages[:200]]
    batch.content, batch.preview = b"", {}
    batch.finished_at, batch.stage = timezone.now(), ""
    batch.save(update_fields=["status", "errors", "content", "preview", "finished_at", "stage"])


def _fail(batch_id: int, messages: list[str]) -> str:
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == Status.RUNNING:
            _failed(batch, messages)
        return batch.status


def _lines_checked(batch_id: int, done: int) -> None:
    # Outside the apply transaction: the progress page sees it; also the job's heartbeat.
    ImportBatch.objects.filter(pk=batch_id).update(rows_done=done, heartbeat_at=timezone.now())


def progress_key(batch_id: int) -> str:
    return f"imports:{batch_id}:apply"


def _applied_part(batch_id: int, stage: str, done: int, total: int) -> None:
    # Inside the apply transaction the batch row is locked and its changes unseen: the
    # writing progress goes through the cache (Redis in production).
    cache.set(progress_key(batch_id), [stage, done, total], 3600)


def _actor_still_allowed(batch: ImportBatch, kind):
    """The person in whose name the job writes: who confirmed it (else who uploaded it),
    read again inside the apply transaction and locked, so a switch-off in the meantime is
    seen and one that comes now waits until the import is written. Raises ValidationError
    (the batch fails, nothing is written) when they were switched off or lost the right to
    this import since they confirmed it."""
    from accounts.models import User

    actor = User.objects.select_for_update().get(pk=batch.confirmed_by_id or batch.uploaded_by_id)
    if not import_access.may_still_apply(actor, permission=kind.permission, school=batch.school):
        raise ValidationError(
            _("%(name)s mag dit niet meer inlezen (uitgeschakeld of zonder de rol); er is niets ingelezen.")
            % {"name": actor.name}
        )
    return actor


def import_run(*, batch_id: int) -> str | None:
    """Run a confirmed import: check every line again (the progress shows it), then apply
    all of it in one transaction, or nothing. Safe to call twice or concurrently."""
    batch = _claim(batch_id)
    if batch is None:
        return None
    kind = kinds.get(batch.kind)
    try:
        table = reading.read_table(bytes(batch.content), filename=batch.filename)
        kind.check_table(table, school=batch.school)
        columns = resolve(table.header, kind.columns, batch.columns or None)
        if columns.missing:
            raise reading.ImportFileError(
                kind.missing_message % {"columns": ", ".join(c.name for c in columns.missing)}
            )
        checked = checking.check_lines(
            kind,
            table,
            columns,
            school=batch.school,
            actor=batch.confirmed_by or batch.uploaded_by,
            progress=partial(_lines_checked, batch_id),
        )
    except reading.ImportFileError as exc:
        return _fail(batch_id, [str(exc)])
    if checked.errors:
        return _fail(batch_id, checking.error_messages(checked.errors))
    blockers = kind.blockers(checked=checked, options=batch.options)
    if blockers:
        return _fail(batch_id, blockers)
    ImportBatch.objects.filter(pk=batch_id).update(
        stage="apply", rows_done=len(table.rows), heartbeat_at=timezone.now()
    )
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch_id)
            if locked.status != Status.RUNNING:
                return locked.status  # applied (or given up) by another run meanwhile
            actor = _actor_still_allowed(locked, kind)
            summary = kind.apply(
                school=batch.school,
                rows=checked.rows,
                actor=actor,
                options=batch.options,
                progress=partial(_applied_part, batch_id),
            )
            locked.status, locked.summary = Status.APPLIED, summary
            # Personal data: not kept once it is in the records.
            locked.content, locked.preview = b"", {}
            locked.finished_at, locked.stage = timezone.now(), ""
            locked.save(update_fields=["status", "summary", "content", "preview", "finished_at", "stage"])
            kind.after_apply(batch=locked)
    except ValidationError as exc:
        # Something the preview resolved no longer holds (e.g. a new possible duplicate).
        return _fail(batch_id, exc.messages)
    finally:
        cache.delete(progress_key(batch_id))
    log.info("import %s (%s) applied", batch_id, batch.kind)
    return Status.APPLIED


def imports_sweep(*, waiting=timedelta(minutes=2), silent=timedelta(minutes=10)) -> int:
    """Queue again every job that waits too long: QUEUED for `waiting` (a lost message, a
    broker that was down) or RUNNING without a heartbeat for `silent` (a dead worker)."""
    now = timezone.now()
    due = list(
        ImportBatch.objects.filter(
            Q(status=Status.QUEUED, queued_at__lt=now - waiting)
            | Q(status=Status.RUNNING, heartbeat_at__lt=now - silent)
        ).values_list("pk", flat=True)[:100]
    )
    for batch_id in due:
        queue_run(batch_id)
    if due:
        log.info("imports sweep: %s job(s) queued again", len(due))
    return len(due)


def import_previews_purge(*, now=None) -> int:
    """Delete the personal data of previews nobody confirmed within PREVIEW_HOURS (the file
    and what the preview shows) and of failed jobs' line errors. The batch row stays, so its
    link says what happened."""
    cutoff = (now or timezone.now()) - timedelta(hours=PREVIEW_HOURS)
    expired = ImportBatch.objects.filter(status__in=[Status.MAPPING, Status.PREVIEW], uploaded_at__lt=cutoff).update(
        status=Status.EXPIRED, content=b"", preview={}, errors=[]
    )
    ImportBatch.objects.filter(status=Status.FAILED, uploaded_at__lt=cutoff).exclude(errors=[]).update(
        errors=[], content=b"", preview={}
    )
    if expired:
        log.info("imports purge: %s preview(s) expired", expired)
    return expired
