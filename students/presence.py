"""What a pupil's file holds: which of the registered tables have any row about the pupil,
asked in one statement for the whole file.

Most panels of most files are empty (no documents, no handover, no plan, no portal access,
no agreements…), yet each empty panel's query cost about half a millisecond of Django's
time (building the SQL, reading the answer) before PostgreSQL answered "nothing" in a few
microseconds. The file asks once which tables hold a row for the pupil, in a statement
written once from the registered tables (no ORM work per request), and a panel whose table
holds nothing for the pupil shows its empty state without its query.

Only "no row at all" is trusted. When the table does hold rows, the panel runs its own
query with its own rules (what the reader may see, which status): skipping a query can
never make a panel show more, or less, than its query would have.

An app registers its tables beside its panel (`track(Document)`, or the columns that name
the pupil: `track(FamilyLink, "student_a", "student_b")`); a panel asks
`holds(student, Document)`. The answer is kept on the pupil object, which lives for one
request: a view that writes a row and then draws the file again must use a new object.
"""

from django.db import connections, router

_TRACKED: dict[type, tuple[str, ...]] = {}
_statements: dict[str, str] = {}  # by database vendor, built on first use


def track(model, *fields: str) -> None:
    """Let `holds` answer for `model`: rows whose `fields` (foreign keys to the pupil;
    default "student") name the pupil. Called when an app is ready."""
    _TRACKED[model] = fields or ("student",)
    _statements.clear()


def _statement(connection) -> str:
    """SELECT EXISTS(…) per tracked table, one column each, in the order of `_TRACKED`.
    Each EXISTS is one index probe on the pupil's foreign key."""
    statement = _statements.get(connection.vendor)
    if statement is None:
        quote = connection.ops.quote_name
        columns = []
        for model, fields in _TRACKED.items():
            table = quote(model._meta.db_table)
            probes = [
                f"EXISTS (SELECT 1 FROM {table} WHERE {quote(model._meta.get_field(f).column)} = %s)" for f in fields
            ]
            columns.append(f"({' OR '.join(probes)})")
        statement = _statements[connection.vendor] = f"SELECT {', '.join(columns)}"
    return statement


def holds(student, model) -> bool:
    """Does `model`'s table hold any row about `student`? The first call of a request asks
    for every tracked table at once (one query); a table nobody tracked answers True (ask)."""
    if model not in _TRACKED:
        return True
    found = getattr(student, "_file_holds", None)
    if found is None:
        connection = connections[router.db_for_read(type(student), instance=student)]
        params = [student.pk for fields in _TRACKED.values() for _field in fields]
        with connection.cursor() as cursor:
            cursor.execute(_statement(connection), params)
            answers = cursor.fetchone()
        found = student._file_holds = {m: bool(answer) for m, answer in zip(_TRACKED, answers, strict=True)}
    return found.get(model, True)
