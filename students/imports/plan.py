"""What a pupil import would do, computed for the preview and again when applied."""

from dataclasses import dataclass

from ..models import Guardian, Student
from .rules import Row

# Fields compared on re-import.
STUDENT_FIELDS = ["first_name", "tussenvoegsel", "last_name", "date_of_birth", "school_class_id"]


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
