"""Pupil import from the school's LVS (a CSV export).

Columns (first line; case and surrounding spaces do not matter):

    leerlingnummer  voornaam  tussenvoegsel  achternaam  geboortedatum  klas  niveau  leerjaar
    ouder1_naam  ouder1_relatie  ouder1_telefoon  ouder1_email  ouder1_gezag
    ouder2_naam  ouder2_relatie  ouder2_telefoon  ouder2_email  ouder2_gezag

Required: leerlingnummer, voornaam, achternaam, geboortedatum (dd-mm-jjjj), klas (must
exist at the school). niveau and leerjaar, when filled, must match the class. UTF-8 with
or without BOM (Windows-1252 is read too), comma or semicolon.

Every line is checked before anything is written; one bad line stops the whole import
and every bad line is reported with its line number. A re-import updates pupils by
leerlingnummer and never duplicates them. Pupils missing from the file are only marked
as left when the person importing confirms it.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Guardian, GuardianRelation, SchoolClass, Student
from .timeline import timeline_add_many

REQUIRED = ["leerlingnummer", "voornaam", "achternaam", "geboortedatum", "klas"]
OPTIONAL = ["tussenvoegsel", "niveau", "leerjaar"]
GUARDIAN_FIELDS = ["naam", "relatie", "telefoon", "email", "gezag"]
GUARDIAN_COLUMNS = [f"ouder{n}_{f}" for n in (1, 2) for f in GUARDIAN_FIELDS]
COLUMNS = REQUIRED + OPTIONAL + GUARDIAN_COLUMNS

YES = {"ja", "j", "1", "true", "waar", "yes", "y", "x"}
NO = {"nee", "n", "0", "false", "onwaar", "no"}
LEVEL_ALIASES = {
    "mavo": "vmbo-t",
    "vmbo-tl": "vmbo-t",
    "vmbo-gl": "vmbo-g",
    "vmbo-kb": "vmbo-k",
    "vmbo-bb": "vmbo-b",
    "praktijkonderwijs": "pro",
}

# Fields compared on re-import, with the label shown on the timeline.
STUDENT_FIELDS = ["first_name", "tussenvoegsel", "last_name", "date_of_birth", "school_class_id"]


class ImportFileError(Exception):
    """The file as a whole cannot be read (not text, no header, missing columns)."""


@dataclass
class Row:
    line: int
    student_number: str
    first_name: str
    tussenvoegsel: str
    last_name: str
    date_of_birth: date
    school_class: SchoolClass
    guardians: list[dict] = field(default_factory=list)  # each with "import_position"


@dataclass
class Parsed:
    rows: list[Row]
    errors: list[tuple[int, str]]
    encoding: str
    ignored_columns: list[str]


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read with. Raises ImportFileError."""
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
        raise ImportFileError(_("Dit bestand is geen leesbare tekst. Sla de export op als CSV (UTF-8).")) from exc


def _parse_date(value: str) -> date:
    value = value.strip()
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError


class CsvTable:
    """The lines of an LVS export (pupils, absence): finds the delimiter, reads the column
    names on the first line (case, spaces, '-' and '_' do not matter) and refuses the file
    when a required column is missing. `records(errors)` yields (line number, get) for every
    non-empty line; a line that is not valid CSV is added to `errors` and ends the reading."""

    def __init__(self, text: str, *, required, columns, missing_message):
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = next(self._reader)
        except (StopIteration, csv.Error) as exc:
            raise ImportFileError(_("Het bestand is leeg.")) from exc
        header = [re.sub(r"[\s_-]+", "_", h.lstrip("\ufeff").strip().lower()) for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            raise ImportFileError(missing_message % {"columns": ", ".join(missing)})
        self.index = {name: header.index(name) for name in columns if name in header}
        self.ignored = [h for h in header if h and h not in columns]

    def records(self, errors: list):
        try:
            for record in self._reader:
                if not any(cell.strip() for cell in record):
                    continue

                def get(name, record=record):
                    position = self.index.get(name)
                    return record[position].strip() if position is not None and position < len(record) else ""

                yield self._reader.line_num, get
        except csv.Error as exc:
            errors.append((self._reader.line_num, _("deze regel is geen geldige CSV (%(error)s)") % {"error": exc}))


def parse(text: str, *, school, encoding: str = "UTF-8") -> Parsed:
    """Check every line against the school's classes. Raises ImportFileError when the file
    as a whole is unusable; bad lines are collected in `errors` (line number, reason)."""
    table = CsvTable(
        text,
        required=REQUIRED,
        columns=COLUMNS,
        missing_message=_(
            "De eerste regel mist de kolom(men): %(columns)s. Is dit een export van leerlingen, met kolomnamen op de eerste regel?"
        ),
    )
    classes = {c.name.strip().lower(): c for c in SchoolClass.objects.filter(school=school)}
    today = timezone.localdate()

    rows: list[Row] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for line, get in table.records(errors):
        problems = []
        number = get("leerlingnummer")
        if not number:
            problems.append(_("leerlingnummer ontbreekt"))
        elif len(number) > 20:
            problems.append(_("leerlingnummer is langer dan 20 tekens"))
        elif number in seen:
            problems.append(_("leerlingnummer %(n)s staat ook op regel %(line)s") % {"n": number, "line": seen[number]})
        else:
            seen[number] = line
        first, last, tussen = get("voornaam"), get("achternaam"), get("tussenvoegsel")
        if not first:
            problems.append(_("voornaam ontbreekt"))
        if not last:
            problems.append(_("achternaam ontbreekt"))
        if len(first) > 100 or len(last) > 100 or len(tussen) > 20:
            problems.append(_("een naam is te lang"))
        born = None
        raw_born = get("geboortedatum")
        try:
            born = _parse_date(raw_born)
        except ValueError:
            problems.append(
                _("geboortedatum '%(value)s' is geen bestaande datum (verwacht dd-mm-jjjj)") % {"value": raw_born}
                if raw_born
                else _("geboortedatum ontbreekt")
            )
        else:
            age = today.year - born.year
            if born > today or age > 30 or age < 3:
                problems.append(_("geboortedatum %(value)s kan niet kloppen voor een leerling") % {"value": raw_born})
        class_name = get("klas")
        school_class = classes.get(class_name.lower())
        if not class_name:
            problems.append(_("klas ontbreekt"))
        elif school_class is None:
            problems.append(
                _("klas '%(name)s' bestaat niet op deze school (maak hem eerst aan onder Beheer, Klassen)")
                % {"name": class_name}
            )
        else:
            level = get("niveau").lower()
            level = LEVEL_ALIASES.get(level, level)
            if level and level != school_class.level:
                problems.append(
                    _("niveau '%(level)s' past niet bij klas %(klas)s (%(expected)s)")
                    % {
                        "level": get("niveau"),
                        "klas": school_class.name,
                        "expected": school_class.get_level_display(),
                    }
                )
            year = get("leerjaar")
            if year and year != str(school_class.year):
                problems.append(
                    _("leerjaar '%(year)s' past niet bij klas %(klas)s (leerjaar %(expected)s)")
                    % {"year": year, "klas": school_class.name, "expected": school_class.year}
                )
        guardians = []
        for n in (1, 2):
            guardian, guardian_problems = _guardian(get, n)
            problems.extend(guardian_problems)
            if guardian:
                guardians.append(guardian)
        if problems:
            errors.append((line, "; ".join(problems)))
        else:
            rows.append(Row(line, number, first, tussen, last, born, school_class, guardians))
    if not rows and not errors:
        raise ImportFileError(_("Het bestand bevat geen leerlingen (alleen een kopregel)."))
    return Parsed(rows, errors, encoding, table.ignored)


def _guardian(get, n):
    name = get(f"ouder{n}_naam")
    if not name:
        return None, []
    problems = []
    relation = get(f"ouder{n}_relatie").lower() or GuardianRelation.OUDER
    if relation not in GuardianRelation.values:
        problems.append(
            _("ouder%(n)s_relatie '%(value)s' is onbekend (kies uit: %(choices)s)")
            % {"n": n, "value": relation, "choices": ", ".join(GuardianRelation.values)}
        )
    email = get(f"ouder{n}_email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("ouder%(n)s_email '%(value)s' is geen e-mailadres") % {"n": n, "value": email})
    authority = get(f"ouder{n}_gezag").lower()
    if authority and authority not in YES | NO:
        problems.append(_("ouder%(n)s_gezag '%(value)s': vul ja of nee in") % {"n": n, "value": authority})
    if len(name) > 200 or len(get(f"ouder{n}_telefoon")) > 30:
        problems.append(_("gegevens van ouder%(n)s zijn te lang") % {"n": n})
    guardian = {
        "import_position": n,
        "name": name,
        "relation": relation,
        "phone": get(f"ouder{n}_telefoon"),
        "email": email,
        "has_authority": authority not in NO,
    }
    return guardian, problems


@dataclass
class Plan:
    """What an import would do: computed for the preview and again when applied."""

    creates: list[Row]
    updates: list[tuple[Row, Student, list[str]]]  # row, pupil, changed field names
    guardian_changes: list[tuple[Row, Student]]
    unchanged: int
    missing: list[Student]  # active pupils of the school not in the file

    def summary(self) -> dict:
        return {
            "new": len(self.creates),
            "updated": len(self.updates),
            "guardians": len(self.guardian_changes),
            "unchanged": self.unchanged,
            "missing": len(self.missing),
        }


def _guardian_key(g: dict):
    return (g["import_position"], g["name"], g["relation"], g["phone"], g["email"], g["has_authority"])


def plan(*, school, rows: list[Row]) -> Plan:
    """Compare the rows with the school's pupils (three queries, any number of rows)."""
    existing = {s.student_number: s for s in Student.objects.filter(school=school)}
    imported_guardians: dict[int, set] = {}
    for g in Guardian.objects.filter(student__school=school, import_position__isnull=False).values(
        "student_id", "import_position", "name", "relation", "phone", "email", "has_authority"
    ):
        imported_guardians.setdefault(g.pop("student_id"), set()).add(_guardian_key(g))
    creates, updates, guardian_changes, unchanged = [], [], [], 0
    numbers = set()
    for row in rows:
        numbers.add(row.student_number)
        student = existing.get(row.student_number)
        if student is None:
            creates.append(row)
            continue
        wanted = {
            "first_name": row.first_name,
            "tussenvoegsel": row.tussenvoegsel,
            "last_name": row.last_name,
            "date_of_birth": row.date_of_birth,
            "school_class_id": row.school_class.pk,
        }
        changed = [name for name in STUDENT_FIELDS if getattr(student, name) != wanted[name]]
        if student.left_on is not None:
            changed.append("left_on")
        guardians_changed = {_guardian_key(g) for g in row.guardians} != imported_guardians.get(student.pk, set())
        if changed:
            updates.append((row, student, changed))
        if guardians_changed:
            guardian_changes.append((row, student))
        if not changed and not guardians_changed:
            unchanged += 1
    missing = [s for n, s in existing.items() if n not in numbers and s.left_on is None]
    missing.sort(key=lambda s: (s.last_name.lower(), s.first_name.lower()))
    return Plan(creates, updates, guardian_changes, unchanged, missing)


def _label(name: str) -> str:
    field_name = "school_class" if name == "school_class_id" else name
    return str(Student._meta.get_field(field_name).verbose_name)


def apply(*, school, rows: list[Row], actor, mark_missing_left: bool) -> dict:
    """Write the import in one transaction: all of it or nothing. Returns the summary."""
    with transaction.atomic():
        the_plan = plan(school=school, rows=rows)
        today = timezone.localdate()
        events = []

        new_students = [
            Student(
                school=school,
                student_number=row.student_number,
                first_name=row.first_name,
                tussenvoegsel=row.tussenvoegsel,
                last_name=row.last_name,
                date_of_birth=row.date_of_birth,
                school_class=row.school_class,
            )
            for row in the_plan.creates
        ]
        Student.objects.bulk_create(new_students, batch_size=1000)
        if new_students and new_students[0].pk is None:  # a database that does not return ids
            by_number = dict(
                Student.objects.filter(
                    school=school, student_number__in=[s.student_number for s in new_students]
                ).values_list("student_number", "pk")
            )
            for student in new_students:
                student.pk = by_number[student.student_number]
        for row, student in zip(the_plan.creates, new_students, strict=True):
            events.append(
                {
                    "student": student,
                    "kind": "students.imported",
                    "actor": actor,
                    "params": {"klas": row.school_class.name},
                }
            )

        now = timezone.now()  # bulk_update does not fill auto_now fields
        changed_students = []
        for row, student, changed in the_plan.updates:
            student.first_name, student.tussenvoegsel, student.last_name = (
                row.first_name,
                row.tussenvoegsel,
                row.last_name,
            )
            student.date_of_birth, student.school_class = row.date_of_birth, row.school_class
            student.left_on = None
            student.updated_at = now
            changed_students.append(student)
            labels = [_label(name) for name in changed if name != "left_on"]
            if "left_on" in changed:
                labels.append(str(_("weer ingeschreven")))
            events.append(
                {"student": student, "kind": "students.import_updated", "actor": actor, "params": {"fields": labels}}
            )
        Student.objects.bulk_update(
            changed_students,
            ["first_name", "tussenvoegsel", "last_name", "date_of_birth", "school_class", "left_on", "updated_at"],
            batch_size=1000,
        )

        # Guardians from the file replace the previously imported ones; hand-entered stay.
        guardian_rows = [(row, student) for row, student in zip(the_plan.creates, new_students, strict=True)]
        guardian_rows += the_plan.guardian_changes
        Guardian.objects.filter(
            student__in=[student for _row, student in the_plan.guardian_changes], import_position__isnull=False
        ).delete()
        Guardian.objects.bulk_create(
            [Guardian(student=student, **g) for row, student in guardian_rows for g in row.guardians], batch_size=1000
        )

        if mark_missing_left and the_plan.missing:
            for student in the_plan.missing:
                student.left_on, student.updated_at = today, now
                events.append({"student": student, "kind": "students.left", "actor": actor, "params": {"date": today}})
            Student.objects.bulk_update(the_plan.missing, ["left_on", "updated_at"], batch_size=1000)

        timeline_add_many(events)
    summary = the_plan.summary()
    summary["marked_left"] = len(the_plan.missing) if mark_missing_left else 0
    return summary
