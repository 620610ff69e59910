"""Small numbers are not shown: the one place where figures for school leaders and the
samenwerkingsverband are made safe to show (AVG art. 9; CBS and the onderwijsinspectie
publish counts under 5 as "< 5" for the same reason: a count of 1 in "Meldcode" names a
pupil to anyone who knows the school).

The rules, in order:

1. *Primary*: a count of 1 to 4 pupils is shown as "< 5". Zero is shown: it names no one.
2. *Percentages and medians* built on a suppressed count are suppressed, and so is a
   percentage whose complement is a small number (17 of 20 back in class shows that 3 did
   not go back, and the outcome table would show "< 5" for them).
3. *Complementary*: in a group of counts shown with its total (a row, a column of a table),
   one suppressed cell could be computed as total minus the others. When exactly one cell
   of a group is suppressed, the smallest other non-zero cell is suppressed too; if there
   is none, the total is. Tables repeat this over rows and columns until nothing changes.
4. *Differences* (this year against last, a school against the region's median) are
   suppressed when either side is.

Figures are built as `Cell`s by the selectors and shown through `{{ cell }}` / `str(cell)`;
a suppressed cell never carries its value to a template or an export (`value` is None).
Shared machinery (like carecoord/charts.py): the outcomes app and the zorgroute's figures
page (for readers who may not see the concerns themselves) both use it; who sees figures
unsuppressed is one rule, `school.view_unsuppressed_figures` (carecoord/access/outcomes.py).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

THRESHOLD = 5
SMALL = _("< 5")
WHY = _("minder dan 5 leerlingen: niet getoond")


def is_small(n) -> bool:
    return n is not None and 0 < n < THRESHOLD


@dataclass(frozen=True)
class Cell:
    """One figure as shown: a value, or "< 5" (`suppressed`), or "—" (no value at all)."""

    value: float | int | None
    suppressed: bool = False
    unit: str = ""
    decimals: int = 0

    def __str__(self) -> str:
        if self.suppressed:
            return str(SMALL)
        if self.value is None:
            return "—"
        decimals = 0 if float(self.value).is_integer() else self.decimals
        return number_format(self.value, decimals) + self.unit

    def __html__(self) -> str:
        """In a template `{{ cell }}`: a suppressed figure says why on hover and to screen
        readers (no include per cell: a dashboard has a few hundred)."""
        if self.suppressed:
            return f'<abbr title="{escape(str(WHY))}">{escape(str(SMALL))}</abbr>'
        return escape(str(self))

    @property
    def shown(self):
        """The value an export may write (None when suppressed or empty)."""
        return None if self.suppressed else self.value


HIDDEN = Cell(None, suppressed=True)


def count(n: int | None) -> Cell:
    """A count of pupils (rule 1)."""
    if n is None:
        return Cell(None)
    return HIDDEN if is_small(n) else Cell(n)


def _raw(cell_or_int):
    if isinstance(cell_or_int, Cell):
        return None if cell_or_int.suppressed else cell_or_int.value
    return cell_or_int


def percentage(part: int | None, whole: int | None) -> Cell:
    """`part` of `whole` as a rounded percentage (rule 2): suppressed when either count or
    the complement (`whole - part`) is a small number; "—" when `whole` is 0."""
    if not whole:
        return Cell(None)
    if is_small(whole) or is_small(part) or is_small(whole - (part or 0)):
        return HIDDEN
    return Cell(round(100 * (part or 0) / whole), unit="%")


def statistic(values: Sequence[float], *, decimals: int = 1, unit: str = "", how=statistics.median) -> Cell:
    """A median (or mean) over one value per pupil: suppressed under five pupils, where it
    is (almost) one pupil's own figure (rule 2)."""
    values = [v for v in values if v is not None]
    if not values:
        return Cell(None)
    if is_small(len(values)):
        return HIDDEN
    return Cell(round(how(values), decimals), unit=unit, decimals=decimals)


def difference(a: Cell, b: Cell, *, unit: str = "") -> Cell:
    """a - b, suppressed when either side is (rule 4)."""
    if a.suppressed or b.suppressed:
        return HIDDEN
    if a.value is None or b.value is None:
        return Cell(None)
    return Cell(a.value - b.value, unit=unit or a.unit, decimals=max(a.decimals, b.decimals))


def _protect(values: list[int], hidden: list[bool], total_hidden: bool) -> tuple[bool, bool]:
    """One pass of rule 3 over one group; changes `hidden` in place. Returns (changed, total hidden)."""
    shown_total = not total_hidden
    n_hidden = sum(1 for v, h in zip(values, hidden, strict=True) if h and v)
    if not shown_total or n_hidden != 1:
        return False, total_hidden
    candidates = [i for i, v in enumerate(values) if v and not hidden[i]]
    if candidates:
        hidden[min(candidates, key=lambda i: (values[i], i))] = True
        return True, total_hidden
    return True, True


def group(values: Sequence[int]) -> tuple[list[Cell], Cell]:
    """Counts that add up to a total shown beside them: (cells, total) with rules 1 and 3."""
    rows, totals, _col_totals, _grand = table([list(values)])
    return list(rows[0]), totals[0]


def table(matrix: Sequence[Sequence[int]]) -> tuple[list[list[Cell]], list[Cell], list[Cell], Cell]:
    """A table of counts with row totals, column totals and a grand total, all shown:
    returns (cells, row totals, column totals, grand total) with rules 1 and 3 applied over
    rows and columns until nothing changes (a simple form of the hypercube method)."""
    matrix = [list(row) for row in matrix]
    n_rows = len(matrix)
    n_cols = max((len(r) for r in matrix), default=0)
    for row in matrix:
        row.extend([0] * (n_cols - len(row)))
    row_totals = [sum(row) for row in matrix]
    col_totals = [sum(matrix[r][c] for r in range(n_rows)) for c in range(n_cols)]
    grand = sum(row_totals)
    hidden = [[is_small(v) for v in row] for row in matrix]
    row_hidden = [is_small(t) for t in row_totals]
    col_hidden = [is_small(t) for t in col_totals]
    grand_hidden = is_small(grand)
    changed = True
    while changed:
        changed = False
        for r in range(n_rows):
            step, row_hidden[r] = _protect(matrix[r], hidden[r], row_hidden[r])
            changed |= step
        for c in range(n_cols):
            column = [hidden[r][c] for r in range(n_rows)]
            step, col_hidden[c] = _protect([matrix[r][c] for r in range(n_rows)], column, col_hidden[c])
            for r in range(n_rows):
                hidden[r][c] = column[r]
            changed |= step
        # The totals form groups too: the row totals add up to the grand total, and so do
        # the column totals.
        for totals, flags in ((row_totals, row_hidden), (col_totals, col_hidden)):
            if len(totals) > 1:
                step, grand_hidden = _protect(totals, flags, grand_hidden)
                changed |= step
    # A hidden zero protects nothing and confuses the reader: keep zeros shown.
    cells = [
        [HIDDEN if hidden[r][c] and matrix[r][c] else Cell(matrix[r][c]) for c in range(n_cols)] for r in range(n_rows)
    ]
    return (
        cells,
        [HIDDEN if row_hidden[r] else Cell(row_totals[r]) for r in range(n_rows)],
        [HIDDEN if col_hidden[c] else Cell(col_totals[c]) for c in range(n_cols)],
        HIDDEN if grand_hidden else Cell(grand),
    )


def series(values: Sequence[int | None]) -> list[Cell]:
    """Counts over time (one per week or month): each shown or "< 5" on its own. A series
    has no total shown beside it; when a caller shows one, use `group`."""
    return [count(v) for v in values]
