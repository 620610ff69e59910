"""Finding the pupil a line of the file is about, after an Excel round trip.

Excel reads a leerlingnummer as a number: 0012345 comes back as 12345. A number that
matches an existing pupil once its leading zeros are restored is that pupil (never a
second one). Excel also writes characters it cannot store as '?': 'Dani?lle' for a pupil
stored as 'Daniëlle' keeps the stored name.
"""

import re


def without_zeros(number: str) -> str:
    return number.lstrip("0") or "0" if number.isdigit() else number


class NumberIndex:
    """The school's leerlingnummers, looked up as written or without leading zeros."""

    def __init__(self, numbers):
        self.exact = set(numbers)
        self.stripped: dict[str, list[str]] = {}
        for number in self.exact:
            if number.isdigit():
                self.stripped.setdefault(without_zeros(number), []).append(number)

    def find(self, number: str) -> str | None:
        """The stored number this file's number stands for (itself, or with its zeros
        restored), or None for a new pupil. Two stored numbers that differ only in leading
        zeros are ambiguous: no match."""
        if number in self.exact:
            return number
        found = self.stripped.get(without_zeros(number), []) if number.isdigit() else []
        return found[0] if len(found) == 1 else None


def excel_lost_letters(from_file: str, stored: str) -> bool:
    """'Dani?lle' against 'Daniëlle': the same name with '?' where Excel could not store a
    letter."""
    if "?" not in from_file or "?" in stored or len(from_file) != len(stored):
        return False
    return all(a == b or (a == "?" and b.isalpha()) for a, b in zip(from_file, stored, strict=True))


def name_key(first: str, tussenvoegsel: str, last: str) -> str:
    """A name as compared for possible duplicates: case, accents and spacing do not matter."""
    import unicodedata

    text = " ".join((first, tussenvoegsel, last))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"\s+", " ", text).strip()
