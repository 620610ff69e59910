"""What an absence import would do (the preview) and writing it."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.selectors import holiday_dates
from imports.copy import copy_insert

from ..models import AbsenceRecord, AbsenceSource
from .rules import Row


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


def apply(*, school, rows: list[Row], actor, complete: bool = False, progress=None) -> dict:
    """Write the import in one transaction: all of it or nothing. Returns the summary.

    Changed registrations are replaced (delete and insert), which is one statement per
    thousand rows instead of one per row; new ones go in with one COPY on PostgreSQL.
    """
    with transaction.atomic():
        the_plan = plan(school=school, rows=rows, complete=complete)
        stale = the_plan.removes + [pk for _row, pk in the_plan.changes]
        for start in range(0, len(stale), 1000):
            AbsenceRecord.objects.filter(pk__in=stale[start : start + 1000]).delete()
        if progress:
            progress("records", 1, 2)
        now = timezone.now()
        copy_insert(
            AbsenceRecord,
            ["student_id", "school_id", "date", "lesson", "kind", "minutes", "source", "recorded_by_id", "created_at"],
            [
                (
                    row.student_id,
                    school.pk,
                    row.date,
                    row.lesson,
                    row.kind,
                    row.minutes,
                    AbsenceSource.IMPORT,
                    actor.pk if actor else None,
                    now,
                )
                for row in the_plan.creates + [row for row, _pk in the_plan.changes]
            ],
        )
    return the_plan.summary()
