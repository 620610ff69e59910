"""Reads of the import pipeline."""

from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from carecoord.access.imports import batches_q

from .models import ImportBatch
from .services.jobs import progress_key


def batch_of_uploader(*, request, kind, pk: int) -> ImportBatch:
    """A batch is seen only by the person who uploaded it, at the school they work in
    (404 for everyone else: the preview holds pupil data from outside the app's rules)."""
    return get_object_or_404(ImportBatch.objects.filter(batches_q(request.user, request.school)), pk=pk, kind=kind.code)


def recent_batches(*, request, kind, limit: int = 5) -> list[ImportBatch]:
    """The person's last uploads of this kind (to find a job back after leaving its page)."""
    return list(
        ImportBatch.objects.filter(batches_q(request.user, request.school), kind=kind.code).defer(
            "content", "preview", "errors", "options", "columns"
        )[:limit]
    )


def job_progress(batch: ImportBatch) -> dict:
    """How far a job is: checking the lines counts for the first half, writing for the
    second (its progress comes through the cache, since the writing transaction is not
    visible until it commits)."""
    total = max(batch.rows_total, 1)
    if batch.status == ImportBatch.Status.QUEUED:
        return {"percent": 0, "text": _("In de wachtrij: het inlezen begint zo.")}
    if batch.stage == "apply":
        stage, done, of = cache.get(progress_key(batch.pk)) or ("", 0, 1)
        percent = 50 + int(50 * min(done / max(of, 1), 1)) if stage else 50
        return {"percent": min(percent, 99), "text": _("Opslaan: alles in één keer, of niets.")}
    percent = int(50 * min(batch.rows_done / total, 1))
    return {
        "percent": percent,
        "text": _("Regels controleren: %(done)s van %(total)s.") % {"done": batch.rows_done, "total": batch.rows_total},
    }
