#!/usr/bin/env python
"""Benchmark: the pupil import from an LVS CSV export, through the import pipeline
(read, check every line, plan, apply in one transaction).

Goals:
- issue 4:  10,000 pupils (with two guardians each) imported < 10 s
- issue 12: 10,000 rows where every pupil changes class and name (the September class
            move) applied < 10 s; 50,000 new pupils < 20 s

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
MANY = 50_000
HEADER = "leerlingnummer;voornaam;tussenvoegsel;achternaam;geboortedatum;klas;niveau;leerjaar;ouder1_naam;ouder1_relatie;ouder1_telefoon;ouder1_email;ouder1_gezag;ouder2_naam;ouder2_relatie;ouder2_telefoon;ouder2_email;ouder2_gezag"


def build_csv(classes, rows, *, variant=0, start=300000, shift=0):
    """`variant` 1: 10% of the first names changed; 2: every pupil another class and name."""
    lines = [HEADER]
    for i in range(rows):
        klas = classes[(i + shift) % len(classes)]
        born = date(2010, 1, 1) + timedelta(days=(i * 7) % 1400)
        first = f"Voornaam{i}"
        if variant == 1 and i % 10 == 0:
            first = f"Nieuw{i}"
        elif variant == 2:
            first = f"Verhuisd{i}"
        last = f"Achternaam{i}" if variant != 2 else f"Anders{i}"
        lines.append(
            f"{start + i};{first};van;{last};{born:%d-%m-%Y};{klas.name};{klas.level};{klas.year};"
            f"Moeder {i};moeder;06-{10000000 + i};ouder{i}@example.nl;ja;Vader {i};vader;;;nee"
        )
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"  {label:<52} {elapsed:6.2f} s")
    return result, elapsed


def main():
    from django.db import transaction

    from accounts.models import School, User
    from imports import checking, reading
    from students.imports import PUPILS
    from students.models import Guardian, SchoolClass, Student, TimelineEvent

    user = User.objects.create_user(email="bench@example.nl", password=None, name="Bench")

    def new_school(code):
        school = School.objects.create(name=f"Benchschool {code}", brin_code=code)
        classes = [
            SchoolClass.objects.create(school=school, name=f"{year}{letter}{n}", year=year, level=level)
            for year in range(1, 5)
            for letter, level in (("B", "vmbo-b"), ("K", "vmbo-k"), ("T", "vmbo-t"), ("H", "havo"), ("V", "vwo"))
            for n in (1, 2)
        ]
        return school, classes

    def check(school, payload):
        checked = checking.check(PUPILS, reading.read_table(payload), school=school)
        assert not checked.errors, checked.errors[:3]
        return checked

    def apply(school, checked):
        with transaction.atomic():  # as the job does
            return PUPILS.apply(school=school, rows=checked.rows, actor=user, options={})

    school, classes = new_school("00BE")
    data = build_csv(classes, ROWS)
    print(f"Pupil import on {connection.vendor}: {ROWS:,} pupils ({len(data) / 1e6:.1f} MB CSV)")

    def full_import(payload):
        return apply(school, check(school, payload))

    summary, first = timed("first import (check + write everything)", lambda: full_import(data))
    print(f"    {summary}")
    assert Student.objects.filter(school=school).count() == ROWS and Guardian.objects.count() == 2 * ROWS
    summary, _again = timed("re-import, nothing changed", lambda: full_import(data))
    summary, _some = timed(
        "re-import, 10% of the first names changed", lambda: full_import(build_csv(classes, ROWS, variant=1))
    )
    print(f"    {summary}")

    moved = build_csv(classes, ROWS, variant=2, shift=3)
    checked, move_check = timed("class move: check 10,000 lines", lambda: check(school, moved))
    summary, move_apply = timed("class move: apply (every pupil: class and name)", lambda: apply(school, checked))
    print(f"    {summary}")
    assert summary["updated"] == ROWS
    assert Student.objects.filter(school=school, first_name__startswith="Verhuisd").count() == ROWS

    big_school, big_classes = new_school("00BF")
    big = build_csv(big_classes, MANY, start=900000)
    print(f"  ({MANY:,} new pupils: {len(big) / 1e6:.1f} MB CSV)")
    checked, many_check = timed(f"{MANY:,} new pupils: check", lambda: check(big_school, big))
    summary, many_apply = timed(f"{MANY:,} new pupils: apply", lambda: apply(big_school, checked))
    assert Student.objects.filter(school=big_school).count() == MANY
    print(f"  timeline events: {TimelineEvent.objects.count():,}; guardians: {Guardian.objects.count():,}")

    def verdict(seconds, goal):
        return "OK" if seconds < goal else "TOO SLOW"

    print(f"RESULT ({connection.vendor}) first import {first:.2f} s (goal < 10 s): {verdict(first, 10)}")
    print(
        f"RESULT ({connection.vendor}) class move of {ROWS:,}: apply {move_apply:.2f} s, with checking {move_check + move_apply:.2f} s "
        f"(goal < 10 s): {verdict(move_check + move_apply, 10)}"
    )
    print(
        f"RESULT ({connection.vendor}) {MANY:,} new pupils: apply {many_apply:.2f} s, with checking {many_check + many_apply:.2f} s "
        f"(goal < 20 s): {verdict(many_check + many_apply, 20)}"
    )


if __name__ == "__main__":
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
