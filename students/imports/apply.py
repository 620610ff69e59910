"""Writing a checked pupil import: all of it or nothing."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Guardian, Student
from ..timeline import timeline_add_many
from .plan import plan
from .rules import Row


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
