"""Every export of pupil data goes through here: CSV for Dutch Excel and the same table as
an Excel workbook (.xlsx), so the safety rules live in one place.

- **Formula injection** (OWASP "CSV Injection"): a text cell that starts with `=`, `+`,
  `-`, `@`, a tab or a carriage return is what a spreadsheet runs as a formula (a pupil
  named `=HYPERLINK(...)`). In CSV such a cell gets a leading `'`, and every cell is quoted.
  In the workbook every text cell is typed as text (never a formula) and such a cell also
  carries Excel's own quote prefix, so editing it keeps it text.
- **Leerlingnummers stay text**: a column marked `text` is written as a string in CSV
  (`0012345` exactly) and typed as text (`@`) in the workbook, so Excel keeps the leading
  zeros. Excel drops them when it *opens a CSV*: the .xlsx is the file for Excel users (and
  the LVS import recognises a number that lost its zeros anyway).
- **No copies on shared PCs**: every export answers `Cache-Control: no-store`.

The caller writes the read log (`students.selectors.log_read`, one row per exported pupil)
before it builds the response.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.http import HttpResponse

# OWASP: cells starting with these are interpreted as formulas by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    title: str
    text: bool = False  # always text, never a number (leerlingnummer: leading zeros)


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value):
    """A CSV cell that no spreadsheet will run as a formula."""
    return "'" + value if is_formula_like(value) else value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    return neutralise(str(value))


def csv_bytes(columns: Sequence[Column], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a BOM (Excel reads it as UTF-8) and `;` (Dutch Excel's separator)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([_csv_cell(c.title) for c in columns])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(columns: Sequence[Column], rows: Iterable[Sequence], *, sheet_title: str = "Export") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)

    def cell(value, *, text=False, header=False):
        if value is None:
            value = ""
        if text and not isinstance(value, str):
            value = str(value)
        made = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            made.data_type = "s"  # text, never a formula (openpyxl makes "=..." a formula)
            if is_formula_like(value):
                made.quotePrefix = True  # Excel's own "this is text" mark, kept after editing
        if isinstance(value, date):
            made.number_format = "dd-mm-yyyy"
        if text:
            made.number_format = "@"
        if header:
            made.font = bold
        return made

    sheet.append([cell(c.title, text=True, header=True) for c in columns])
    for row in rows:
        sheet.append([cell(value, text=column.text) for column, value in zip(columns, row, strict=True)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(
    fmt: str, *, filename: str, columns: Sequence[Column], rows: Iterable[Sequence], sheet_title: str = "Export"
) -> HttpResponse:
    """The export as a download: `fmt` is "csv" or "xlsx"; `filename` without extension."""
    if fmt == XLSX:
        response = HttpResponse(xlsx_bytes(columns, list(rows), sheet_title=sheet_title), content_type=XLSX_TYPE)
    elif fmt == CSV:
        response = HttpResponse(csv_bytes(columns, rows), content_type="text/csv; charset=utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
