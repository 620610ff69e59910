"""Reading an LVS export into a table: a header line and numbered lines of cells, whatever
the format. `read_table` recognises the format from the bytes (not the file name, which
schools rename): CSV or other delimited text (text.py), an Excel workbook (xlsx.py) or an
Edexml file (edexml.py). A file that cannot be read raises ImportFileError with a message
that says what to do."""

import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# The first bytes of an old Excel workbook (.xls, OLE2 compound file).
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportFileError(Exception):
    """The file as a whole cannot be read (not text, no header, missing columns).
    The message is for the person importing: what is wrong and what to do."""


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)
    source: str  # how it was read, e.g. "CSV, UTF-8, puntkomma" (shown in the preview)
    errors: list[tuple[int, str]] = field(default_factory=list)  # lines that could not be read
    header_line: int = 1
    format: str = "csv"  # csv, xlsx, edexml
    meta: dict = field(default_factory=dict)  # what the file says about itself (Edexml: the BRIN code)


def file_format(data: bytes) -> str:
    """csv, xlsx, xls, zip (another zipped document) or xml."""
    if data.startswith(OLE2):
        return "xls"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "zip"
        return "xlsx" if "xl/workbook.xml" in names else "zip"
    start = data[:200].lstrip(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"<?xml") or start.startswith(b"<EDEX") or start.startswith(b"<"):
        return "xml"
    return "csv"


def read_table(data: bytes, *, filename: str = "") -> Table:
    from . import edexml, text, xlsx

    if not data.strip():
        raise ImportFileError(_("Het bestand is leeg."))
    found = file_format(data)
    if found == "xls":
        raise ImportFileError(
            _(
                "Dit is een oud Excel-bestand (.xls). Open het in Excel, kies Bestand > Opslaan als en sla het op als "
                "Excel-werkmap (.xlsx) of als CSV UTF-8; lees dat bestand in."
            )
        )
    if found == "zip":
        raise ImportFileError(
            _(
                "Dit bestand is geen CSV-bestand en geen Excel-werkmap (.xlsx) die we kunnen lezen. Sla de export uit het LVS op als CSV of als .xlsx."
            )
        )
    if found == "xlsx":
        return xlsx.read(data)
    if found == "xml":
        return edexml.read(data)
    return text.read(data)
