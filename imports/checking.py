"""Checking the lines of a file against an import's row rules.

An import's row rules are named steps: functions `step(line, context)` that read cells
with `line.get(column)`, store what they found in `line.values` and add a problem with
`line.problem(message)`. Every step runs on every line, so one line reports all its
problems at once; a line with problems becomes an error with its line number, a good
line becomes a row (`kind.row(line)`). Nothing is written here.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .columns import ColumnMap, resolve
from .reading import ImportFileError, Table


class Line:
    """One line of the file while the steps run."""

    __slots__ = ("number", "cells", "index", "values", "problems")

    def __init__(self, number: int, cells: list[str], index: dict[str, int]):
        self.number = number
        self.cells = cells
        self.index = index
        self.values: dict = {}
        self.problems: list[str] = []

    def get(self, name: str) -> str:
        position = self.index.get(name)
        return self.cells[position] if position is not None and position < len(self.cells) else ""

    def has(self, name: str) -> bool:
        """Whether the file has this column at all (not whether this line filled it)."""
        return name in self.index

    def problem(self, message) -> None:
        self.problems.append(str(message))


@dataclass
class Checked:
    """The outcome of checking a file: good rows, bad lines, and what the preview shows."""

    rows: list
    errors: list[tuple[int, str]]
    columns: ColumnMap
    source: str
    notes: dict = field(default_factory=dict)  # what the kind's steps noted for the preview (e.g. unmapped codes)

    @property
    def ignored_columns(self) -> list[str]:
        return self.columns.ignored


def title_line(kind, table: Table) -> int | None:
    """The line the column names are really on, when lines above them hold a title (a
    heading typed in Excel above the export)."""
    for number, cells in table.rows[:10]:
        if resolve(cells, kind.columns).complete:
            return number
    filled = [cell for cell in table.header if cell]
    if len(filled) <= 1 and table.rows and sum(1 for cell in table.rows[0][1] if cell) >= 3:
        return table.rows[0][0]
    return None


def find_columns(kind, table: Table, *, mapping: dict | None = None) -> ColumnMap:
    """Our columns on the file's header line (a saved mapping first, then the aliases). The
    result may miss required columns: then the school maps them (the column-mapping step).
    A title above the header refuses the file (ImportFileError): we do not guess which
    lines to skip."""
    columns = resolve(table.header, kind.columns, mapping)
    if not columns.complete:
        real = title_line(kind, table)
        if real is not None:
            raise ImportFileError(
                _(
                    "Op regel %(first)s staat '%(title)s' en de kolomnamen staan pas op regel %(line)s. "
                    "Haal de regel(s) boven de kolomnamen weg (in Excel: de rij(en) verwijderen), sla het "
                    "bestand op en lees het opnieuw in."
                )
                % {"first": table.header_line, "title": " ".join(c for c in table.header if c)[:60], "line": real}
            )
    return columns


def check_lines(kind, table: Table, columns: ColumnMap, *, school, actor=None, progress=None) -> Checked:
    """Run the kind's steps on every line (a fixed number of queries: the kind's context,
    and `kind.prepare` for what depends on the file's own lines, load what the steps look
    up). `actor`: who uploads or confirms (`kind.context`)."""
    context = kind.context(school=school, actor=actor)
    lines = [Line(number, cells, columns.index) for number, cells in table.rows]
    kind.prepare(context, lines)
    rows, errors = [], list(table.errors)
    for done, line in enumerate(lines, start=1):
        number = line.number
        for step in kind.steps:
            step(line, context)
        if line.problems:
            errors.append((number, "; ".join(line.problems)))
        elif not line.values.get("skip"):
            rows.append(kind.row(line))
        if progress and done % 500 == 0:
            progress(done)
    errors.sort(key=lambda error: error[0])
    checked = Checked(rows, errors, columns, table.source, getattr(context, "notes", {}))
    if not rows and not errors and not any(checked.notes.values()):
        raise ImportFileError(kind.empty_message)
    return checked


def check(kind, table: Table, *, school, actor=None, mapping: dict | None = None, progress=None) -> Checked:
    """Find the columns, then check every line; missing columns refuse the file."""
    kind.check_table(table, school=school)
    columns = find_columns(kind, table, mapping=mapping)
    if columns.missing:
        raise ImportFileError(kind.missing_message % {"columns": ", ".join(c.name for c in columns.missing)})
    return check_lines(kind, table, columns, school=school, actor=actor, progress=progress)


def error_messages(errors) -> list[str]:
    return [_("Regel %(line)s: %(reason)s") % {"line": line, "reason": reason} for line, reason in errors]
