"""The columns of an import: our fields, the header spellings the LVSs use for them, and
finding them on the header line of a file."""

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """One of our fields. `name` is also its header in our own template; `aliases` are the
    spellings of Magister, SOMtoday, ParnasSys and others (compared after `normal()`)."""

    name: str
    label: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()

    def spellings(self) -> list[str]:
        return [normal(self.name), *(normal(a) for a in self.aliases)]


def normal(header: str) -> str:
    """A header as compared: lower case, without accents, spaces, dots, dashes or
    underscores ('Geb. datum', 'geb.datum' and 'GEB_DATUM' are the same column)."""
    text = unicodedata.normalize("NFKD", header.lstrip("\ufeff")).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", "", text.lower())


@dataclass
class ColumnMap:
    """Where each of our fields is in the file."""

    index: dict[str, int]
    missing: list[Column]  # required fields not found
    ignored: list[str]  # the file's headers we do not use
    headers: dict[str, str] = field(default_factory=dict)  # our field -> the file's header

    @property
    def complete(self) -> bool:
        return not self.missing


def resolve(header: list[str], columns: list[Column], mapping: dict[str, str] | None = None) -> ColumnMap:
    """Find our columns on the header line. A saved `mapping` (our field -> the normal()
    of their header, "" for "not in this file") wins when every header it names is in this
    file; aliases find the rest. When two of their columns fit one field, the earlier spelling wins (so
    'Roepnaam' beats 'Voornamen')."""
    positions = {}
    for position, text in enumerate(header):
        positions.setdefault(normal(text), position)
    index: dict[str, int] = {}
    use_mapping = bool(mapping) and all(theirs in positions for theirs in mapping.values() if theirs)
    if use_mapping:
        index.update({ours: positions[theirs] for ours, theirs in mapping.items() if theirs})
    taken = set(index.values())
    for column in columns:
        # A field the mapping says is not in the file ("") is not looked for by alias either.
        if column.name in index or (use_mapping and column.name in mapping):
            continue
        for spelling in column.spellings():
            position = positions.get(spelling)
            if position is not None and position not in taken:
                index[column.name] = position
                taken.add(position)
                break
    known = {c.name for c in columns}
    index = {name: position for name, position in index.items() if name in known}
    missing = [c for c in columns if c.required and c.name not in index]
    ignored = [text.lstrip("\ufeff").strip() for p, text in enumerate(header) if p not in taken and text.strip()]
    headers = {name: header[position].lstrip("\ufeff").strip() for name, position in index.items()}
    return ColumnMap(index, missing, ignored, headers)
