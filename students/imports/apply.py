"""Writing a checked pupil import: all of it or nothing, fast enough for a region's
September class move (10,000 pupils changing class and name).

Updates do not go through Django's bulk_update (one CASE expression per field, which grows
with the number of rows): on PostgreSQL the new values are copied (COPY) into a temporary
table and applied with one UPDATE … FROM; elsewhere (SQLite) in batches of plain UPDATEs.
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imports.copy import copy_insert

from ..models import Guardian, Student, TimelineEvent
from ..signals import pupils_imported
from ..timeline import KINDS
from .plan import Update, plan
from .rules import Row

BATCH = 2000
UPDATED_COLUMNS = ["student_number", "first_name", "tussenvoegsel", "last_name", "date_of_birth", "school_class_id"]


def _label(name: str) -> str:
    if name == "left_on":
        return str(_("weer ingeschreven"))
    field_name = "school_class" if name == "school_class_id" else name
    return str(Student._meta.get_field(field_name).verbose_name)


def _update_postgresql(updates: list[Update], now) -> None:
    """COPY the new values into a temporary table, then one UPDATE … FROM."""
    table = connection.ops.quote_name(Student._meta.db_table)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)  # quoted: an empty tussenvoegsel is '', not NULL
    for update in updates:
        writer.writerow([update.student.pk, *(update.values[c] for c in UPDATED_COLUMNS)])
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE import_student_update (id bigint PRIMARY KEY, student_number varchar(20), "
            "first_name varchar(100), tussenvoegsel varchar(20), last_name varchar(100), date_of_birth date, "
            "school_class_id bigint) ON COMMIT DROP"
        )
        cursor.copy_expert("COPY import_student_update FROM STDIN WITH (FORMAT csv)", buffer)
        assignments = ", ".join(f"{c} = u.{c}" for c in UPDATED_COLUMNS)
        cursor.execute(
            f"UPDATE {table} AS s SET {assignments}, left_on = NULL, updated_at = %s "  # noqa: S608 (names are ours)
            "FROM import_student_update AS u WHERE s.id = u.id",
            [now],
        )
        cursor.execute("DROP TABLE import_student_update")


def _update_in_batches(updates: list[Update], now) -> None:
    table = connection.ops.quote_name(Student._meta.db_table)
    assignments = ", ".join(f"{c} = %s" for c in UPDATED_COLUMNS)
    sql = f"UPDATE {table} SET {assignments}, left_on = NULL, updated_at = %s WHERE id = %s"  # noqa: S608
    params = [[*(u.values[c] for c in UPDATED_COLUMNS), now, u.student.pk] for u in updates]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start : start + BATCH])


def _report(progress, stage, done, total):
    if progress:
        progress(stage, done, total)


def _events(events: list[tuple], actor, now) -> list[tuple]:
    """Timeline rows for copy_insert: (student id, kind, params) -> the table's fields."""
    actor_id = actor.pk if actor else None
    return [(student_id, kind, KINDS[kind].section, actor_id, now, params) for student_id, kind, params in events]


EVENT_FIELDS = ["student_id", "kind", "section", "actor_id", "occurred_at", "params"]
GUARDIAN_FIELDS = ["student_id", "import_position", "name", "relation", "phone", "email", "has_authority"]


def _create_students(school, rows: list[Row], now) -> list[int]:
    """Insert the new pupils; returns their ids in the order of `rows`."""
    copy_insert(
        Student,
        [
            "school_id",
            "student_number",
            "first_name",
            "tussenvoegsel",
            "last_name",
            "date_of_birth",
            "school_class_id",
            "support_status",
            "created_at",
            "updated_at",
        ],
        [
            (
                school.pk,
                row.student_number,
                row.first_name,
                row.tussenvoegsel,
                row.last_name,
                row.date_of_birth,
                row.school_class.pk,
                "",
                now,
                now,
            )
            for row in rows
        ],
    )
    ids = dict(Student.objects.filter(school=school).values_list("student_number", "pk"))
    return [ids[row.student_number] for row in rows]


HISTORY_OWN = {"history_id", "history_date", "history_type", "history_user_id", "history_change_reason"}


def _record_versions(model, ids, *, actor, update: bool) -> None:
    """A version (django-simple-history) of each pupil or guardian the import wrote.

    The COPY and UPDATE … FROM above bypass save(), so the versions are written here: one
    INSERT … SELECT per batch, copying the stored row into its history table (the history
    table has the same columns, plus who, when and why), with no Python object per row,
    so a 10,000-pupil class move stays within its time."""
    history = model.history.model
    columns = [f.column for f in history._meta.concrete_fields if f.attname not in HISTORY_OWN]
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({names}, history_date, history_type, "  # noqa: S608 (names are ours)
                f"history_user_id, history_change_reason) SELECT {names}, %s, %s, %s, %s "
                f"FROM {quote(model._meta.db_table)} WHERE id IN ({', '.join(['%s'] * len(batch))})",
                [timezone.now(), "~" if update else "+", getattr(actor, "pk", None), str(_("LVS-import")), *batch],
            )


def apply(
    *, school, rows: list[Row], actor, mark_missing_left: bool, duplicates: dict | None = None, progress=None
) -> dict:
    """Write the import in one transaction: all of it or nothing. Returns the summary.
    Refuses (ValidationError) while a possible duplicate is not resolved."""
    with transaction.atomic():
        the_plan = plan(school=school, rows=rows, duplicates=duplicates)
        if the_plan.blockers:
            raise ValidationError(the_plan.blockers)
        today, now = timezone.localdate(), timezone.now()
        total = len(the_plan.creates) + len(the_plan.updates)
        events = []  # (student id, kind, params)

        new_ids = _create_students(school, the_plan.creates, now)
        _report(progress, "students", len(new_ids), total)
        events += [
            (student_id, "students.imported", {"klas": row.school_class.name})
            for row, student_id in zip(the_plan.creates, new_ids, strict=True)
        ]

        if the_plan.updates:
            if connection.vendor == "postgresql":
                _update_postgresql(the_plan.updates, now)
            else:
                _update_in_batches(the_plan.updates, now)
        _report(progress, "students", total, total)
        events += [
            (u.student.pk, "students.import_updated", {"fields": [_label(name) for name in u.changed]})
            for u in the_plan.updates
        ]

        # Guardians from the file replace the previously imported ones; hand-entered stay.
        changed_ids = [student.pk for _row, student in the_plan.guardian_changes]
        for start in range(0, len(changed_ids), BATCH):
            Guardian.objects.filter(
                student_id__in=changed_ids[start : start + BATCH], import_position__isnull=False
            ).delete()
        guardian_rows = list(zip(the_plan.creates, new_ids, strict=True))
        guardian_rows += [(row, student.pk) for row, student in the_plan.guardian_changes]
        copy_insert(
            Guardian,
            GUARDIAN_FIELDS,
            [
                (student_id, g["import_position"], g["name"], g["relation"], g["phone"], g["email"], g["has_authority"])
                for row, student_id in guardian_rows
                for g in row.guardians
            ],
        )
        _report(progress, "guardians", 1, 1)
        _record_versions(Student, new_ids, actor=actor, update=False)
        _record_versions(Student, [u.student.pk for u in the_plan.updates], actor=actor, update=True)
        with_guardians = [student_id for _row, student_id in guardian_rows]
        for start in range(0, len(with_guardians), BATCH):
            batch = with_guardians[start : start + BATCH]
            ids = list(
                Guardian.objects.filter(student_id__in=batch, import_position__isnull=False).values_list(
                    "pk", flat=True
                )
            )
            _record_versions(Guardian, ids, actor=actor, update=False)

        if mark_missing_left and the_plan.missing:
            missing_ids = [student.pk for student in the_plan.missing]
            for start in range(0, len(missing_ids), BATCH):
                Student.objects.filter(pk__in=missing_ids[start : start + BATCH]).update(left_on=today, updated_at=now)
            events += [(student_id, "students.left", {"date": today.isoformat()}) for student_id in missing_ids]
            _record_versions(Student, missing_ids, actor=actor, update=True)

        copy_insert(TimelineEvent, EVENT_FIELDS, _events(events, actor, now))
        _report(progress, "timeline", 1, 1)
        pupils_imported.send(sender=Student, school=school)
    summary = the_plan.summary()
    summary["marked_left"] = len(the_plan.missing) if mark_missing_left else 0
    return summary
