"""Absence import from the school's LVS (a CSV export of absence registrations).

Columns (first line; case, spaces and underscores do not matter):

    leerlingnummer  datum  soort  lesuur  minuten  uren

Required: leerlingnummer (a pupil of this school), datum (dd-mm-jjjj, not in the future),
soort. Optional: lesuur (1-20; empty: not per lesson), minuten (whole minutes) or uren
(e.g. 1,5; minuten wins when both are filled). Without minuten and uren a line with a
lesuur counts one lesson (the school's lesson length, default 50 minutes); a late arrival
may have no minutes at all.

soort (the usual LVS names are understood):
    ongeoorloofd  ongeoorloofd afwezig, spijbelen, o
    geoorloofd    geoorloofd afwezig, ziek, dokter, tandarts, (bijzonder) verlof, g
    te laat       te_laat, laat, tl
    verwijderd    uitgestuurd, uit de les verwijderd, v

The same rules as the pupil import (students/imports.py): UTF-8 with or without BOM, or
Windows-1252; comma or semicolon. Every line is checked before anything is written; one
bad line stops the whole import and every bad line is reported with its line number.

Re-import is idempotent: for every pupil and date in the file, that pupil's imported
registrations of that day become exactly the file's lines (keyed by pupil, date, lesuur and
soort). So importing the same file twice changes nothing, a corrected export (spijbelen
changed into ziek) replaces the old registration, and days not in the file are left
alone — unless the person importing confirms that the file holds all of the school's
absence of its period (first to last date in the file): then imported registrations of
that period that are not in the file are removed as well. Registrations entered by hand
are never touched by an import.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import holiday_dates
from students.imports import CsvTable, ImportFileError, decode  # noqa: F401  (the same file rules)
from students.models import Student

from .models import AbsenceKind, AbsencePolicy, AbsenceRecord, AbsenceSource

REQUIRED = ["leerlingnummer", "datum", "soort"]
OPTIONAL = ["lesuur", "minuten", "uren"]
COLUMNS = REQUIRED + OPTIONAL

KIND_ALIASES = {
    "ongeoorloofd": AbsenceKind.UNAUTHORISED,
    "ongeoorloofd afwezig": AbsenceKind.UNAUTHORISED,
    "ongeoorloofd verzuim": AbsenceKind.UNAUTHORISED,
    "spijbelen": AbsenceKind.UNAUTHORISED,
    "o": AbsenceKind.UNAUTHORISED,
    "geoorloofd": AbsenceKind.AUTHORISED,
    "geoorloofd afwezig": AbsenceKind.AUTHORISED,
    "geoorloofd verzuim": AbsenceKind.AUTHORISED,
    "ziek": AbsenceKind.AUTHORISED,
    "ziekte": AbsenceKind.AUTHORISED,
    "dokter": AbsenceKind.AUTHORISED,
    "huisarts": AbsenceKind.AUTHORISED,
    "tandarts": AbsenceKind.AUTHORISED,
    "verlof": AbsenceKind.AUTHORISED,
    "bijzonder verlof": AbsenceKind.AUTHORISED,
    "g": AbsenceKind.AUTHORISED,
    "te laat": AbsenceKind.LATE,
    "telaat": AbsenceKind.LATE,
    "laat": AbsenceKind.LATE,
    "tl": AbsenceKind.LATE,
    "verwijderd": AbsenceKind.SENT_OUT,
    "uitgestuurd": AbsenceKind.SENT_OUT,
    "uit de les verwijderd": AbsenceKind.SENT_OUT,
    "v": AbsenceKind.SENT_OUT,
}

# How far back an export may go: this school year and the one before.
OLDEST_DAYS = 2 * 366


def _normal(value: str) -> str:
    return re.sub(r"[\s_-]+", " ", value.strip().lower())


def parse_date(value: str) -> date:
    value = value.strip()
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError


def parse_hours(value: str) -> int:
    """'1,5' or '1.5' hours as whole minutes. Raises ValueError."""
    try:
        amount = Decimal(value.strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError from exc
    if not amount.is_finite() or amount < 0:
        raise ValueError
    return int((amount * 60).to_integral_value())


@dataclass(frozen=True)
class Row:
    line: int
    student_id: int
    date: date
    lesson: int
    kind: str
    minutes: int

    @property
    def key(self):
        return (self.student_id, self.date, self.lesson, self.kind)


@dataclass
class Parsed:
    rows: list[Row]
    errors: list[tuple[int, str]]
    encoding: str
    ignored_columns: list[str]


def parse(text: str, *, school, encoding: str = "UTF-8") -> Parsed:
    """Check every line against the school's pupils (two queries). Raises ImportFileError
    when the file as a whole is unusable; bad lines are collected in `errors`."""
    table = CsvTable(
        text,
        required=REQUIRED,
        columns=COLUMNS,
        missing_message=_(
            "De eerste regel mist de kolom(men): %(columns)s. Is dit een verzuimexport, met kolomnamen op de eerste regel?"
        ),
    )
    students = dict(Student.objects.filter(school=school).values_list("student_number", "pk"))
    lesson_minutes = AbsencePolicy.for_school(school).lesson_minutes
    today = timezone.localdate()
    oldest = today - timedelta(days=OLDEST_DAYS)

    rows: list[Row] = []
    errors: list[tuple[int, str]] = []
    seen: dict[tuple, int] = {}
    for line, get in table.records(errors):
        problems = []
        number = get("leerlingnummer")
        student_id = students.get(number)
        if not number:
            problems.append(_("leerlingnummer ontbreekt"))
        elif student_id is None:
            problems.append(
                _("leerlingnummer %(n)s is geen leerling van deze school (lees eerst de leerlingen in)") % {"n": number}
            )
        day = None
        raw_date = get("datum")
        try:
            day = parse_date(raw_date)
        except ValueError:
            problems.append(
                _("datum '%(value)s' is geen bestaande datum (verwacht dd-mm-jjjj)") % {"value": raw_date}
                if raw_date
                else _("datum ontbreekt")
            )
        else:
            if day > today:
                problems.append(_("datum %(value)s ligt in de toekomst") % {"value": raw_date})
            elif day < oldest:
                problems.append(_("datum %(value)s ligt meer dan twee schooljaren terug") % {"value": raw_date})
        raw_kind = get("soort")
        kind = KIND_ALIASES.get(_normal(raw_kind))
        if not raw_kind:
            problems.append(_("soort ontbreekt"))
        elif kind is None:
            problems.append(
                _("soort '%(value)s' is onbekend (gebruik ongeoorloofd, geoorloofd, te laat of verwijderd)")
                % {"value": raw_kind}
            )
        lesson = 0
        raw_lesson = get("lesuur")
        if raw_lesson:
            if raw_lesson.isdigit() and 1 <= int(raw_lesson) <= 20:
                lesson = int(raw_lesson)
            else:
                problems.append(_("lesuur '%(value)s' moet een getal van 1 tot en met 20 zijn") % {"value": raw_lesson})
        minutes = None
        raw_minutes, raw_hours = get("minuten"), get("uren")
        if raw_minutes:
            if raw_minutes.isdigit() and int(raw_minutes) <= 24 * 60:
                minutes = int(raw_minutes)
            else:
                problems.append(_("minuten '%(value)s' is geen aantal minuten") % {"value": raw_minutes})
        elif raw_hours:
            try:
                minutes = parse_hours(raw_hours)
            except ValueError:
                problems.append(_("uren '%(value)s' is geen aantal uren (bijv. 1,5)") % {"value": raw_hours})
            else:
                if minutes > 24 * 60:
                    problems.append(_("uren '%(value)s' is meer dan een dag") % {"value": raw_hours})
        elif kind == AbsenceKind.LATE:
            minutes = 0  # a late arrival is counted, not added to the hours
        elif lesson:
            minutes = lesson_minutes
        elif kind is not None:
            problems.append(_("minuten of uren ontbreekt (of vul het lesuur in)"))
        if minutes == 0 and kind in (AbsenceKind.UNAUTHORISED, AbsenceKind.AUTHORISED):
            problems.append(_("afwezig voor 0 minuten"))
        if not problems:
            key = (student_id, day, lesson, kind)
            if key in seen:
                problems.append(
                    _("dezelfde leerling, datum, lesuur en soort staan ook op regel %(line)s") % {"line": seen[key]}
                )
            else:
                seen[key] = line
        if problems:
            errors.append((line, "; ".join(str(p) for p in problems)))
        else:
            rows.append(Row(line, student_id, day, lesson, str(kind), minutes))
    if not rows and not errors:
        raise ImportFileError(_("Het bestand bevat geen verzuimregels (alleen een kopregel)."))
    return Parsed(rows, errors, encoding, table.ignored)


@dataclass
class Plan:
    """What an import would do: computed for the preview and again when applied."""

    creates: list[Row]
    changes: list[tuple[Row, int]]  # row, id of the registration it replaces
    removes: list[int]  # ids of imported registrations of the file's pupil-days not in the file
    unchanged: int
    elsewhere: list[int]  # imported registrations in the file's period on other pupil-days
    pupils: int
    first: date | None
    last: date | None
    not_school_days: int

    def summary(self) -> dict:
        return {
            "new": len(self.creates),
            "changed": len(self.changes),
            "removed": len(self.removes),
            "unchanged": self.unchanged,
            "elsewhere": len(self.elsewhere),
            "pupils": self.pupils,
            "first": self.first.isoformat() if self.first else "",
            "last": self.last.isoformat() if self.last else "",
            "not_school_days": self.not_school_days,
        }


def plan(*, school, rows: list[Row], complete: bool = False) -> Plan:
    """Compare the rows with the school's imported registrations of the same pupil-days
    (two queries, any number of rows). With `complete` (the file holds *all* of the school's
    absence of its period) imported registrations of other pupil-days in that period are
    removed too: the LVS no longer has them."""
    if not rows:
        return Plan([], [], [], 0, [], 0, None, None, 0)
    first = min(r.date for r in rows)
    last = max(r.date for r in rows)
    pupil_days = {(r.student_id, r.date) for r in rows}
    existing, elsewhere = {}, []
    for pk, student_id, day, lesson, kind, minutes in AbsenceRecord.objects.filter(
        school=school, source=AbsenceSource.IMPORT, date__gte=first, date__lte=last
    ).values_list("pk", "student_id", "date", "lesson", "kind", "minutes"):
        if (student_id, day) in pupil_days:
            existing[(student_id, day, lesson, kind)] = (pk, minutes)
        else:
            elsewhere.append(pk)
    creates, changes, unchanged = [], [], 0
    for row in rows:
        found = existing.pop(row.key, None)
        if found is None:
            creates.append(row)
        elif found[1] != row.minutes:
            changes.append((row, found[0]))
        else:
            unchanged += 1
    days_off = holiday_dates(school=school, start=first, end=last)
    not_school_days = sum(1 for r in rows if r.date.weekday() >= 5 or r.date in days_off)
    removes = [pk for pk, _minutes in existing.values()]
    return Plan(
        creates,
        changes,
        removes + elsewhere if complete else removes,
        unchanged,
        elsewhere,
        len({r.student_id for r in rows}),
        first,
        last,
        not_school_days,
    )


def apply(*, school, rows: list[Row], actor, complete: bool = False) -> dict:
    """Write the import in one transaction: all of it or nothing. Returns the summary.

    Changed registrations are replaced (delete and insert), which is one statement per
    thousand rows instead of one per row.
    """
    with transaction.atomic():
        the_plan = plan(school=school, rows=rows, complete=complete)
        stale = the_plan.removes + [pk for _row, pk in the_plan.changes]
        for start in range(0, len(stale), 1000):
            AbsenceRecord.objects.filter(pk__in=stale[start : start + 1000]).delete()
        AbsenceRecord.objects.bulk_create(
            [
                AbsenceRecord(
                    student_id=row.student_id,
                    school=school,
                    date=row.date,
                    lesson=row.lesson,
                    kind=row.kind,
                    minutes=row.minutes,
                    source=AbsenceSource.IMPORT,
                    recorded_by=actor,
                )
                for row in the_plan.creates + [row for row, _pk in the_plan.changes]
            ],
            batch_size=2000,
        )
    return the_plan.summary()
