"""Reference school calendars and helpers for the tests of the pure signal rule
(absence/signals.py): the holidays of region midden and noord for 2024–2026 as the
Rijksoverheid publishes them, and registrations written the way a coordinator reads them."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from absence.models import AbsenceKind
from absence.signals import Calendar


def d(text: str) -> date:
    """'dd-mm-jjjj', as the app shows dates."""
    return datetime.strptime(text, "%d-%m-%Y").date()


def days_between(first: str, last: str) -> list[date]:
    start, end = d(first), d(last)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _holidays(*periods: tuple[str, str]) -> set[date]:
    return {day for first, last in periods for day in days_between(first, last)}


_SHARED = [
    ("21-12-2024", "05-01-2025"),  # kerstvakantie 2024-2025
    ("18-04-2025", "18-04-2025"),  # Goede Vrijdag
    ("21-04-2025", "21-04-2025"),  # Tweede Paasdag
    ("26-04-2025", "04-05-2025"),  # meivakantie
    ("29-05-2025", "30-05-2025"),  # Hemelvaart
    ("09-06-2025", "09-06-2025"),  # Tweede Pinksterdag
    ("18-10-2025", "26-10-2025"),  # herfstvakantie 2025 (midden and noord)
    ("20-12-2025", "04-01-2026"),  # kerstvakantie 2025-2026
    ("14-02-2026", "22-02-2026"),  # voorjaarsvakantie
    ("03-04-2026", "03-04-2026"),  # Goede Vrijdag
    ("06-04-2026", "06-04-2026"),  # Tweede Paasdag
    ("25-04-2026", "03-05-2026"),  # meivakantie
    ("14-05-2026", "15-05-2026"),  # Hemelvaart
    ("25-05-2026", "25-05-2026"),  # Tweede Pinksterdag
]

MIDDEN_PERIODS = [
    ("20-07-2024", "01-09-2024"),  # zomervakantie 2024
    ("19-10-2024", "27-10-2024"),  # herfstvakantie 2024
    ("22-02-2025", "02-03-2025"),  # voorjaarsvakantie 2025
    ("19-07-2025", "31-08-2025"),  # zomervakantie 2025
    ("18-07-2026", "30-08-2026"),  # zomervakantie 2026
    *_SHARED,
]
MIDDEN = _holidays(*MIDDEN_PERIODS)
NOORD = _holidays(
    ("13-07-2024", "25-08-2024"),
    ("19-10-2024", "27-10-2024"),
    ("15-02-2025", "23-02-2025"),
    ("12-07-2025", "24-08-2025"),  # zomervakantie 2025: 7-10 July and 25-29 August are school days
    ("04-07-2026", "16-08-2026"),
    *_SHARED,
)


def calendar(holidays: set[date] = MIDDEN) -> Calendar:
    return Calendar(start=date(2023, 1, 2), end=date(2026, 12, 31), holidays=holidays)


KINDS = {
    "o": AbsenceKind.UNAUTHORISED,
    "g": AbsenceKind.AUTHORISED,
    "tl": AbsenceKind.LATE,
    "v": AbsenceKind.SENT_OUT,
}


def daily(registrations) -> list[tuple]:
    """Registrations (date, minutes, kind: o/g/tl/v) as the database adds them up per day:
    (date, unauthorised minutes, authorised minutes, times late, times sent out)."""
    totals = defaultdict(lambda: [0, 0, 0, 0])
    for day, minutes, kind in registrations:
        day = d(day) if isinstance(day, str) else day
        kind = KINDS.get(kind, kind)
        if kind == AbsenceKind.UNAUTHORISED:
            totals[day][0] += minutes
        elif kind == AbsenceKind.AUTHORISED:
            totals[day][1] += minutes
        elif kind == AbsenceKind.LATE:
            totals[day][2] += 1
        else:
            totals[day][3] += 1
    return [(day, *values) for day, values in sorted(totals.items())]
