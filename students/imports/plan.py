"""What a pupil import would do, computed for the preview and again when applied (three
queries, any number of rows)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import Guardian, Student
from .matching import NumberIndex, excel_lost_letters, name_key
from .rules import Row

# Fields compared on re-import.
STUDENT_FIELDS = ["student_number", "first_name", "tussenvoegsel", "last_name", "date_of_birth", "school_class_id"]
NAME_FIELDS = ["first_name", "tussenvoegsel", "last_name"]


@dataclass
class Update:
    row: Row
    student: Student
    changed: list[str]  # field names
    values: dict  # the pupil's fields after the import


@dataclass
class Plan:
    creates: list[Row]
    updates: list[Update]
    guardian_changes: list[tuple[Row, Student]]
    unchanged: int
    missing: list[Student]  # active pupils of the school not in the file
    matched: list[tuple[Row, Student]] = field(default_factory=list)  # found once leading zeros were restored
    duplicates: list[tuple[Row, list[Student]]] = field(default_factory=list)  # unresolved possible duplicates
    flags: list[tuple[int, str]] = field(default_factory=list)  # line, what to look at

    def summary(self) -> dict:
        return {
            "new": len(self.creates),
            "updated": len(self.updates),
            "guardians": len(self.guardian_changes),
            "unchanged": self.unchanged,
            "missing": len(self.missing),
        }

    @property
    def blockers(self) -> list[str]:
        return [
            _("Regel %(line)s: %(name)s lijkt op een leerling die er al is; kies of het dezelfde leerling is.")
            % {"line": row.line, "name": " ".join(p for p in (row.first_name, row.tussenvoegsel, row.last_name) if p)}
            for row, _candidates in self.duplicates
        ]


def _guardian_key(g: dict):
    return (g["import_position"], g["name"], g["relation"], g["phone"], g["email"], g["has_authority"])


def _wanted(row: Row, student: Student, flags: list) -> dict:
    # A number that lost its leading zeros keeps the stored one; one that has more than the
    # stored number (stored after an earlier round trip) brings them back.
    number = row.student_number if len(row.student_number) > len(student.student_number) else student.student_number
    values = {
        "student_number": number,
        "first_name": row.first_name,
        "tussenvoegsel": row.tussenvoegsel,
        "last_name": row.last_name,
        "date_of_birth": row.date_of_birth,
        "school_class_id": row.school_class.pk,
    }
    for name in NAME_FIELDS:
        stored = getattr(student, name)
        if excel_lost_letters(values[name], stored):
            flags.append(
                (
                    row.line,
                    _("'%(file)s': Excel kon een letter niet opslaan; de naam blijft '%(stored)s'.")
                    % {"file": values[name], "stored": stored},
                )
            )
            values[name] = stored
    return values


def plan(*, school, rows: list[Row], duplicates: dict | None = None) -> Plan:
    """Compare the rows with the school's pupils. `duplicates` resolves possible duplicates:
    {leerlingnummer in the file: "new" or the pk of the pupil it is}."""
    duplicates = duplicates or {}
    students = {s.student_number: s for s in Student.objects.filter(school=school)}
    index = NumberIndex(students)
    imported_guardians: dict[int, set] = {}
    for g in Guardian.objects.filter(student__school=school, import_position__isnull=False).values(
        "student_id", "import_position", "name", "relation", "phone", "email", "has_authority"
    ):
        imported_guardians.setdefault(g.pop("student_id"), set()).add(_guardian_key(g))

    found: dict[int, Student] = {}  # row line -> pupil
    for row in rows:
        number = index.find(row.student_number)
        if number is not None:
            found[row.line] = students[number]
    in_file = {s.pk for s in found.values()}
    # Possible duplicates: a new number with the name and date of birth of a pupil whom no
    # line of the file is about (an Excel round trip, or a number changed in the LVS).
    by_person: dict[tuple, list[Student]] = {}
    for student in students.values():
        if student.pk not in in_file:
            key = (name_key(student.first_name, student.tussenvoegsel, student.last_name), student.date_of_birth)
            by_person.setdefault(key, []).append(student)

    the_plan = Plan([], [], [], 0, [])
    for row in rows:
        student = found.get(row.line)
        if student is None:
            key = (name_key(row.first_name, row.tussenvoegsel, row.last_name), row.date_of_birth)
            candidates = by_person.get(key, [])
            choice = str(duplicates.get(row.student_number, ""))
            if candidates and choice not in {"new", *(str(c.pk) for c in candidates)}:
                the_plan.duplicates.append((row, candidates))
                continue
            if not candidates or choice == "new":
                the_plan.creates.append(row)
                if "?" in row.first_name + row.tussenvoegsel + row.last_name:
                    the_plan.flags.append(
                        (row.line, _("de naam bevat een '?': controleer of Excel een letter niet kon opslaan."))
                    )
                continue
            student = next(c for c in candidates if str(c.pk) == choice)
            values = _wanted(row, student, the_plan.flags)
            values["student_number"] = row.student_number  # the same pupil, with the LVS's number now
        else:
            values = _wanted(row, student, the_plan.flags)
            if len(row.student_number) < len(student.student_number):
                the_plan.matched.append((row, student))
        changed = [name for name in STUDENT_FIELDS if getattr(student, name) != values[name]]
        if student.left_on is not None:
            changed.append("left_on")
        guardians_changed = {_guardian_key(g) for g in row.guardians} != imported_guardians.get(student.pk, set())
        if changed:
            the_plan.updates.append(Update(row, student, changed, values))
        if guardians_changed:
            the_plan.guardian_changes.append((row, student))
        if not changed and not guardians_changed:
            the_plan.unchanged += 1
    resolved = {the_update.student.pk for the_update in the_plan.updates} | {
        s.pk for _r, s in the_plan.guardian_changes
    }
    the_plan.missing = sorted(
        (s for s in students.values() if s.pk not in in_file and s.pk not in resolved and s.left_on is None),
        key=lambda s: (s.last_name.lower(), s.first_name.lower()),
    )
    # A pupil who is a possible duplicate of a line is not "missing" until that is resolved.
    waiting = {c.pk for _row, candidates in the_plan.duplicates for c in candidates}
    the_plan.missing = [s for s in the_plan.missing if s.pk not in waiting]
    return the_plan
