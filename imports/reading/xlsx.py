"""Excel workbooks (.xlsx) through openpyxl: the first sheet, values as Excel shows them
(dates as dd-mm-jjjj, whole numbers without ',0')."""

import io
import zipfile
from datetime import date, datetime

from django.utils.translation import gettext as _

from . import ImportFileError, Table


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        # A leerlingnummer typed as a number: 12345.0 is 12345 (its leading zeros are
        # already gone; the pupil import matches them back).
        return str(int(value))
    return str(value).strip()


def _unpacked_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def read(data: bytes) -> Table:
    from openpyxl import load_workbook  # reads through defusedxml when it is installed

    # A workbook is a zip file: refuse one that unpacks to far more than an export can be
    # (a "zip bomb" would fill the server's memory).
    if _unpacked_size(data) > 30 * max(len(data), 1024 * 1024):
        raise ImportFileError(
            _("Deze Excel-werkmap kunnen we niet lezen. Sla de export uit het LVS opnieuw op als .xlsx of als CSV.")
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(
            _("Deze Excel-werkmap kunnen we niet lezen. Sla de export uit het LVS opnieuw op als .xlsx of als CSV.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        header, rows = None, []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            if not any(cells):
                continue
            if header is None:
                header, header_line = cells, number
            else:
                rows.append((number, cells))
        title = sheet.title
    finally:
        workbook.close()
    if header is None:
        raise ImportFileError(_("Het bestand is leeg."))
    return Table(
        header, rows, _("Excel-werkmap, blad '%(sheet)s'") % {"sheet": title}, header_line=header_line, format="xlsx"
    )
