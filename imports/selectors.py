"""Reads of the import pipeline."""

from django.shortcuts import get_object_or_404

from .models import ImportBatch


def batch_of_uploader(*, request, kind, pk: int) -> ImportBatch:
    """A batch is seen only by the person who uploaded it, at the school they work in
    (404 for everyone else: the preview holds pupil data from outside the app's rules)."""
    return get_object_or_404(ImportBatch, pk=pk, kind=kind.code, school=request.school, uploaded_by=request.user)
