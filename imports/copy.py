"""Writing many rows fast, for imports of a region's volume (50,000 pupils at once).

On PostgreSQL rows go in with COPY (one statement for any number of rows, none of the
per-row SQL that INSERT … VALUES builds); elsewhere (SQLite in `make run` and `make test`)
with bulk_create in batches.
"""

import io
import json
from datetime import date, datetime

from django.db import connection

BATCH = 2000


def _text(value) -> str:
    """A value in COPY's text format: \\N is NULL; backslash, tab and line breaks escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        value = value.isoformat()
    elif isinstance(value, dict | list):
        value = json.dumps(value, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v))
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Insert `rows` (tuples in the order of `fields`, model field names; foreign keys by
    their attname, e.g. "student_id") into `model`'s table. Fields not named must have a
    database default or be nullable: give every NOT NULL column explicitly."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    opts = model._meta
    columns = ", ".join(connection.ops.quote_name(opts.get_field(f).column) for f in fields)
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_text(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN", buffer)
