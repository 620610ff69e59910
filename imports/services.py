"""Writes of the import pipeline: check an upload and store its preview, then apply it
on confirmation, all of it or nothing. Each service owns its transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import checking, reading
from .models import ImportBatch


def import_check(*, kind, school, data: bytes, filename: str, actor):
    """Read and check an uploaded export. Returns (batch, checked): the stored preview to
    confirm when every line is good, else None and the lines that are wrong. Raises
    reading.ImportFileError when the file as a whole cannot be used."""
    table = reading.read_table(data, filename=filename)
    checked = checking.check(kind, table, school=school)
    if checked.errors:
        return None, checked
    the_plan = kind.plan(school=school, rows=checked.rows, options={})
    batch = ImportBatch.objects.create(
        kind=kind.code,
        school=school,
        uploaded_by=actor,
        filename=filename[:200],
        content=data,
        summary=the_plan.summary(),
        preview={
            "source": checked.source,
            "ignored": checked.ignored_columns,
            **kind.preview(school=school, checked=checked, the_plan=the_plan),
        },
    )
    return batch, checked


def import_confirm(*, kind, batch: ImportBatch, actor, options: dict) -> dict:
    """Apply a checked import, once, in one transaction. The file is checked again (the
    school's classes or pupils may have changed since the preview): any bad line now
    aborts the whole import (ValidationError) and nothing is written."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEW:
            raise ValidationError(_("Dit bestand is al ingelezen."))
        table = reading.read_table(bytes(batch.content), filename=batch.filename)
        checked = checking.check(kind, table, school=batch.school)
        if checked.errors:
            raise ValidationError(checking.error_messages(checked.errors))
        summary = kind.apply(school=batch.school, rows=checked.rows, actor=actor, options=options)
        batch.status = ImportBatch.Status.APPLIED
        batch.summary = summary
        batch.options = options
        # Personal data: not kept once it is in the records.
        batch.content = b""
        batch.preview = {}
        batch.save(update_fields=["status", "summary", "options", "content", "preview"])
        kind.after_apply(batch=batch)
    return summary
