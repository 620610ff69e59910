"""From an uploaded file to a preview: read it, find (or let the school map) its columns,
check every line, store what the preview shows. Nothing of the school's data is written."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import checking, reading
from ..checking import Checked
from ..columns import ColumnMap, normal, resolve
from ..models import ColumnMapping, ImportBatch

SAMPLE_ROWS = 3


@dataclass
class Upload:
    """The outcome of an upload: a stored batch (to map its columns, or to preview and
    confirm), or the lines that are wrong (nothing stored)."""

    batch: ImportBatch | None
    checked: Checked | None = None

    @property
    def errors(self):
        return self.checked.errors if self.checked else []


def _saved_mapping(kind, school) -> dict | None:
    saved = ColumnMapping.objects.filter(school=school, kind=kind.code).first()
    return saved.columns if saved else None


def _as_mapping(kind, table: reading.Table, columns: ColumnMap) -> dict:
    """The columns found, as stored on the batch (our field -> their header as compared, ""
    when not in the file), so the job reads the file exactly as the preview did."""
    return {
        c.name: normal(table.header[columns.index[c.name]]) if c.name in columns.index else "" for c in kind.columns
    }


def _fill_preview(kind, batch: ImportBatch, table: reading.Table, checked: Checked) -> None:
    the_plan = kind.plan(school=batch.school, rows=checked.rows, options={})
    batch.summary = the_plan.summary()
    batch.preview = {
        "source": checked.source,
        "ignored": checked.ignored_columns,
        "headers": checked.columns.headers,
        **kind.preview(school=batch.school, checked=checked, the_plan=the_plan),
        "blockers": kind.blockers(checked=checked, options={}),
    }
    batch.columns = _as_mapping(kind, table, checked.columns)
    batch.rows_total = len(table.rows)


def _mapping_preview(table: reading.Table, columns: ColumnMap) -> dict:
    return {
        "source": table.source,
        "header": table.header,
        "sample": [cells for _number, cells in table.rows[:SAMPLE_ROWS]],
        "missing": [c.name for c in columns.missing],
        "found": columns.index,
    }


def import_check(*, kind, school, data: bytes, filename: str, actor) -> Upload:
    """Read and check an uploaded export. Raises reading.ImportFileError when the file as a
    whole cannot be used (the message says what to do).

    - Columns not recognised (and no saved mapping fits): the file is stored for the
      column-mapping step (status MAPPING).
    - A bad line: nothing is stored; every bad line is returned with its number.
    - Every line good: the preview is stored (status PREVIEW) for the person who uploaded it.
    """
    table = reading.read_table(data, filename=filename)
    kind.check_table(table, school=school)
    columns = checking.find_columns(kind, table, mapping=_saved_mapping(kind, school))
    batch = ImportBatch(kind=kind.code, school=school, uploaded_by=actor, filename=filename[:200], content=data)
    if columns.missing:
        batch.status = ImportBatch.Status.MAPPING
        batch.preview = _mapping_preview(table, columns)
        batch.rows_total = len(table.rows)
        batch.save()
        return Upload(batch)
    checked = checking.check_lines(kind, table, columns, school=school, actor=actor)
    if checked.errors:
        return Upload(None, checked)
    _fill_preview(kind, batch, table, checked)
    batch.save()
    return Upload(batch, checked)


def import_map_columns(*, kind, batch: ImportBatch, actor, positions: dict[str, int | None]) -> Upload:
    """The column-mapping step: `positions` says which of their columns holds each of our
    fields (None: not in this file). Saved for the school, so the next upload of this export
    is recognised; then every line is checked. Two fields on one column are refused
    (ValidationError) and nothing is saved."""
    chosen = [p for p in positions.values() if p is not None]
    if len(chosen) != len(set(chosen)):
        raise ValidationError(_("Elke kolom van het bestand kan maar bij één veld horen."))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status not in (ImportBatch.Status.MAPPING, ImportBatch.Status.PREVIEW):
            raise ValidationError(_("Dit bestand is al ingelezen."))
        table = reading.read_table(bytes(batch.content), filename=batch.filename)
        mapping = {
            name: normal(table.header[p]) if p is not None and p < len(table.header) else ""
            for name, p in positions.items()
        }
        columns = resolve(table.header, kind.columns, mapping)
        if columns.missing:
            raise ValidationError(
                _("Kies een kolom voor: %(columns)s.") % {"columns": ", ".join(c.name for c in columns.missing)}
            )
        ColumnMapping.objects.update_or_create(
            school=batch.school, kind=kind.code, defaults={"columns": mapping, "updated_by": actor}
        )
        checked = checking.check_lines(kind, table, columns, school=batch.school, actor=actor)
        if checked.errors:
            # The lines are wrong, not the mapping: nothing of the file is kept.
            batch.delete()
            return Upload(None, checked)
        batch.status = ImportBatch.Status.PREVIEW
        _fill_preview(kind, batch, table, checked)
        batch.save()
    return Upload(batch, checked)


def import_recheck(*, kind, batch: ImportBatch) -> Upload:
    """Check a previewed file again and refresh its preview (after the school changed
    something the preview depends on, e.g. how an absence code is counted)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEW:
            return Upload(batch)
        table = reading.read_table(bytes(batch.content), filename=batch.filename)
        columns = resolve(table.header, kind.columns, batch.columns or None)
        checked = checking.check_lines(kind, table, columns, school=batch.school, actor=batch.uploaded_by)
        if checked.errors:
            batch.delete()
            return Upload(None, checked)
        _fill_preview(kind, batch, table, checked)
        batch.save()
    return Upload(batch, checked)
