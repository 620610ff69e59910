#!/usr/bin/env python
"""Benchmark: the absence import of a school week, through the import pipeline (read,
check every line with the school's LVS codes and the Geoorloofd column, plan, apply in
one transaction). The signal computation that follows is measured by
bench/absence_signals.py.

Goal (issue 12): a 2,000-pupil absence export of a school week imported < 5 s.

Runs on a throwaway test database of the configured backend (SQLite by default; set
DATABASE_URL=postgres://... to measure PostgreSQL):

    .venv/bin/python bench/import_absence.py
"""

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

PUPILS = 2_000
MONDAY = date(2026, 10, 5)
# A Magister-style export: the school's own codes, a Geoorloofd column, one line per lesson.
HEADER = "Stamnr;Leerling;Klas;Datum;Lesuur;Absentie;Geoorloofd;Afgehandeld"
PATTERN = [  # (day, first lesson, lessons, code, geoorloofd), chosen by pupil number
    [(0, 1, 2, "Absent", "Nee")],
    [(1, 1, 7, "Ziek", "Ja"), (2, 1, 7, "Ziek", "Ja")],
    [(0, 1, 1, "Te laat", "Nee"), (3, 1, 1, "Te laat", "Nee"), (4, 1, 1, "Te laat", "Nee")],
    [(2, 3, 2, "Medisch", "Ja")],
    [(4, 5, 3, "Absent", "Nee"), (4, 8, 1, "Verwijderd", "Nee")],
]


def build_csv(numbers, *, corrected=False) -> bytes:
    lines = [HEADER]
    for n, number in enumerate(numbers):
        for day, first, lessons, code, authorised in PATTERN[n % len(PATTERN)]:
            if corrected and code == "Absent" and n % 3 == 0:
                code, authorised = "Medisch", "Ja"  # a note from the doctor came in later
            for lesson in range(first, first + lessons):
                on = MONDAY + timedelta(days=day)
                lines.append(f"{number};Leerling {n};2K1;{on:%d-%m-%Y};{lesson};{code};{authorised};Ja")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252"), len(lines) - 1


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"  {label:<52} {elapsed:6.2f} s")
    return result, elapsed


def main():
    from django.db import transaction

    from absence.imports import ABSENCE
    from absence.models import AbsenceCodeMapping, AbsenceRecord
    from accounts.models import School, User
    from imports import checking, reading
    from students.models import SchoolClass, Student

    user = User.objects.create_user(email="bench@example.nl", password=None, name="Bench")
    school = School.objects.create(name="Benchschool", brin_code="00BE")
    klas = SchoolClass.objects.create(school=school, name="2K1", year=2, level="vmbo-k")
    Student.objects.bulk_create(
        Student(
            school=school,
            school_class=klas,
            student_number=f"{400000 + n}",
            first_name="Leerling",
            last_name=str(n),
            date_of_birth=date(2012, 1, 1),
        )
        for n in range(PUPILS)
    )
    for code, target in (("absent", "kolom"), ("medisch", "geoorloofd")):
        AbsenceCodeMapping.objects.create(school=school, code=code, label=code.title(), target=target, updated_by=user)
    numbers = [f"{400000 + n}" for n in range(PUPILS)]
    data, lines = build_csv(numbers)
    print(
        f"Absence import on {connection.vendor}: {PUPILS:,} pupils, one school week, {lines:,} lines ({len(data) / 1e6:.1f} MB)"
    )

    def full_import(payload):
        checked = checking.check(ABSENCE, reading.read_table(payload), school=school)
        assert not checked.errors, checked.errors[:3]
        assert not ABSENCE.blockers(checked=checked, options={})
        with transaction.atomic():
            return ABSENCE.apply(school=school, rows=checked.rows, actor=user, options={})

    summary, first = timed("first import (check + write)", lambda: full_import(data))
    print(f"    {summary}")
    assert AbsenceRecord.objects.count() == lines
    summary, again = timed("the same export again (nothing changes)", lambda: full_import(data))
    corrected, _n = build_csv(numbers, corrected=True)
    summary, fixed = timed("a corrected export (some Absent became Medisch)", lambda: full_import(corrected))
    print(f"    {summary}")
    print(
        f"RESULT ({connection.vendor}) school week of {PUPILS:,} pupils: {first:.2f} s (goal < 5 s): {'OK' if first < 5 else 'TOO SLOW'}"
    )


if __name__ == "__main__":
    # The export is of 5-9 October 2026; the import refuses future dates and dates more
    # than two school years back, so the clock is the Monday after.
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 10, 12)):
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            main()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
