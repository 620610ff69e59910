"""Reading an LVS export into a table: a header line and numbered lines of cells, whatever
the format. `read_table` recognises the format from the bytes (not the file name, which
schools rename) and gives one `Table`; a file that cannot be read raises ImportFileError
with a message that says what to do."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


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


def read_table(data: bytes, *, filename: str = "") -> Table:
    from . import text

    if not data.strip():
        raise ImportFileError(_("Het bestand is leeg."))
    return text.read(data)
