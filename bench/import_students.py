#!/usr/bin/env python
"""Benchmark: import 10,000 pupils (with two guardians each) from an LVS CSV export.

Goal (issue 4): under 10 s on this machine, checking every line and writing everything.
Runs on a throwaway test database of the configured backend (SQLite by default; set
DATABASE_URL=postgres://... to measure PostgreSQL):

    .venv/bin/python bench/import_students.py
"""

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

ROWS = 10_000
HEADER = "leerlingnummer;voornaam;tussenvoegsel;achternaam;geboortedatum;klas;niveau;leerjaar;ouder1_naam;ouder1_relatie;ouder1_telefoon;ouder1_email;ouder1_gezag;ouder2_naam;ouder2_relatie;ouder2_telefoon;ouder2_email;ouder2_gezag"


def build_csv(classes, rows, variant=0):
    lines = [HEADER]
    for i in range(rows):
        klas = classes[i % len(classes)]
        born = date(2010, 1, 1) + timedelta(days=(i * 7) % 1400)
        first = f"Voornaam{i}" if not (variant and i % 10 == 0) else f"Nieuw{i}"
        lines.append(
            f"{300000 + i};{first};van;Achternaam{i};{born:%d-%m-%Y};{klas.name};{klas.level};{klas.year};"
            f"Moeder {i};moeder;06-{10000000 + i};ouder{i}@example.nl;ja;Vader {i};vader;;;nee"
        )
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"  {label:<44} {elapsed:6.2f} s")
    return result, elapsed


def main():
    from accounts.models import School, User
    from imports import checking, reading
    from students.imports import PUPILS
    from students.models import Guardian, SchoolClass, Student, TimelineEvent

    school = School.objects.create(name="Benchschool", brin_code="00BE")
    user = User.objects.create_user(email="bench@example.nl", password=None, name="Bench")
    classes = [
        SchoolClass.objects.create(school=school, name=f"{year}{letter}{n}", year=year, level=level)
        for year in range(1, 5)
        for letter, level in (("B", "vmbo-b"), ("K", "vmbo-k"), ("T", "vmbo-t"), ("H", "havo"), ("V", "vwo"))
        for n in (1, 2)
    ]
    data = build_csv(classes, ROWS)
    print(f"Import of {ROWS:,} pupils ({len(data) / 1e6:.1f} MB CSV) on {connection.vendor}")

    def full_import(payload):
        checked = checking.check(PUPILS, reading.read_table(payload), school=school)
        assert not checked.errors, checked.errors[:3]
        return PUPILS.apply(school=school, rows=checked.rows, actor=user, options={})

    summary, first = timed("first import (check + write everything)", lambda: full_import(data))
    print(f"    {summary}")
    assert Student.objects.count() == ROWS and Guardian.objects.count() == 2 * ROWS
    summary, again = timed("re-import, nothing changed", lambda: full_import(data))
    print(f"    {summary}")
    summary, changed = timed("re-import, 10% of the names changed", lambda: full_import(build_csv(classes, ROWS, 1)))
    print(f"    {summary}")
    assert Student.objects.count() == ROWS
    print(f"  rows/s (first import): {ROWS / first:,.0f}; timeline events: {TimelineEvent.objects.count():,}")
    print(f"RESULT first import {first:.2f} s (goal < 10 s): {'OK' if first < 10 else 'TOO SLOW'}")


if __name__ == "__main__":
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
