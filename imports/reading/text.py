"""CSV and other delimited text, as LVSs and Excel save it. Named steps: decode (which
encoding), delimiter (which separator), lines (cells per line, numbered as in the file)."""

import codecs
import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import ImportFileError, Table

DELIMITERS = {";": gettext_lazy("puntkomma"), ",": gettext_lazy("komma"), "\t": gettext_lazy("tab")}


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read with. Raises ImportFileError.

    Excel's "Unicode-tekst (*.txt)" is UTF-16 with a byte order mark (and tabs): read as is.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise ImportFileError(_unreadable()) from exc
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            _(
                "Dit bestand is geen CSV-bestand (het lijkt een Excel- of ander binair bestand). Sla de export uit het LVS op als CSV."
            )
        )
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows saves "CSV (gescheiden door lijstscheidingsteken)" in Windows-1252.
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise ImportFileError(_unreadable()) from exc


def _unreadable():
    return _("Dit bestand is geen leesbare tekst. Sla de export op als CSV (UTF-8).")


def delimiter(first_line: str) -> str:
    """The separator the header line uses most (Dutch Excel writes ';', others ',', Excel's
    Unicode text a tab)."""
    return max(DELIMITERS, key=first_line.count)


def lines(text: str, separator: str) -> tuple[list[list[str]], list[int], list[tuple[int, str]]]:
    """Every non-empty line's cells and line number. A line that is not valid CSV ends the
    reading and is reported with its number."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    records, numbers, errors = [], [], []
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append([cell.strip() for cell in record])
                numbers.append(reader.line_num)
    except csv.Error as exc:
        errors.append((reader.line_num, _("deze regel is geen geldige CSV (%(error)s)") % {"error": exc}))
    return records, numbers, errors


def read(data: bytes) -> Table:
    text, encoding = decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    separator = delimiter(first_line)
    records, numbers, errors = lines(text, separator)
    if not records:
        raise ImportFileError(_("Het bestand is leeg."))
    header = [cell.lstrip("\ufeff") for cell in records[0]]
    rows = list(zip(numbers[1:], records[1:], strict=True))
    source = _("CSV, %(encoding)s, gescheiden door %(separator)s") % {
        "encoding": encoding,
        "separator": DELIMITERS[separator],
    }
    return Table(header, rows, source, errors, header_line=numbers[0])
