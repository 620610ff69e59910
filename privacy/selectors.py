"""Reads of the privacy app."""

from django.shortcuts import get_object_or_404

from .models import InzageExport, RetentionRun, RightsRequest

RUNS_SHOWN = 10


def retention_report(*, school) -> dict:
    """The last dry run (what is due now), the last removals that removed something, with their
    counts, and the last removal run: a fixed number of queries."""
    from django.db.models import Prefetch

    from .models import RetentionCount

    counts = Prefetch("counts", queryset=RetentionCount.objects.order_by("pk"))
    dry = RetentionRun.objects.filter(school=school, dry_run=True).prefetch_related(counts).first()
    runs = RetentionRun.objects.filter(school=school, dry_run=False)
    # Most nights remove nothing: those runs show only as "last run", not as a list of empty tables.
    removals = list(runs.filter(counts__isnull=False).distinct().prefetch_related(counts)[:RUNS_SHOWN])
    return {"dry_run": dry, "removals": removals, "last_run": runs.first()}


def exports_of(*, student):
    return InzageExport.objects.filter(student=student).select_related("requested_by")


def requests_of(*, student):
    return RightsRequest.objects.filter(student=student).select_related("recorded_by", "handled_by")


def export_of_school(*, pk, school_ids):
    """An export at one of the user's schools (404 otherwise: existence does not leak)."""
    return get_object_or_404(
        InzageExport.objects.select_related("student", "requested_by"), pk=pk, school_id__in=school_ids
    )
