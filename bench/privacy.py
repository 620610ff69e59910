"""Speed of retention and the inzage export (issue 15): the nightly removal of N former
pupils' care data with their versions, and the inzage export of one pupil with a full file.

    DATABASE_URL=postgres://… .venv/bin/python bench/privacy.py [--pupils 300] [--notes 200]

Creates its own throwaway test database (test_<name> of DATABASE_URL) and a temporary
folder for the documents, fills them, prints figures and drops the database. Figures, not
assertions.
"""

import argparse
import logging
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ["DOCUMENTS_ROOT"] = tempfile.mkdtemp(prefix="carecoord-bench-documents-")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def build(pupils: int, notes: int, documents: int):
    from django.core.files.base import ContentFile

    from accounts.models import Membership, Role, School, User
    from concerns.tests.factories import ConcernFactory, route
    from records.services import document_add, note_add, note_update
    from records.tests.factories import pdf_bytes
    from students.models import FileAccess, SchoolClass, Student, TimelineEvent

    school = School.objects.create(name="Bench College", brin_code="99PV")
    coordinator = User.objects.create_user("zc@bench.test", "x", name="Zorg Bench")
    Membership.objects.create(user=coordinator, school=school, role=Role.ZORGCOORDINATOR)
    klas = SchoolClass.objects.create(school=school, name="4K1", year=4, level="vmbo-k")
    categories = route(school)
    left_on = date.today().replace(year=date.today().year - 3)
    former = Student.objects.bulk_create(
        [
            Student(
                school=school,
                school_class=klas,
                student_number=str(300000 + i),
                first_name="Oud",
                last_name=f"Leerling{i}",
                date_of_birth=date(2006, 1, 1),
                left_on=left_on,
            )
            for i in range(pupils)
        ]
    )
    for pupil in former:
        concern = ConcernFactory(student=pupil, category=categories["gedrag"], raised_by=coordinator)
        concern.observation += " (aangevuld)"
        concern.save()
        note = note_add(
            student=pupil,
            actor=coordinator,
            occurred_at=timezone.now(),
            kind="observatie",
            text="Notitie",
            section="zorg",
        )
        note_update(
            note=note,
            actor=coordinator,
            occurred_at=note.occurred_at,
            kind="observatie",
            text="Notitie 2",
            section="zorg",
        )
    TimelineEvent.objects.bulk_create(
        [TimelineEvent(student=p, kind="concerns.raised", section="zorg", params={}) for p in former for _ in range(20)]
    )
    # One pupil still at school, with a full file, for the inzage export.
    pupil = Student.objects.create(
        school=school,
        school_class=klas,
        student_number="399999",
        first_name="Volle",
        last_name="Map",
        date_of_birth=date(2011, 5, 5),
    )
    for i in range(notes):
        note = note_add(
            student=pupil,
            actor=coordinator,
            occurred_at=timezone.now(),
            kind="observatie",
            text=f"Notitie {i}",
            section="zorg",
        )
        note_update(
            note=note,
            actor=coordinator,
            occurred_at=note.occurred_at,
            kind="observatie",
            text=f"Notitie {i} v2",
            section="zorg",
        )
    content = pdf_bytes("Verslag " * 200)
    for i in range(documents):
        upload = ContentFile(content, name=f"verslag-{i}.pdf")
        document_add(
            student=pupil, actor=coordinator, upload=upload, title=f"Verslag {i}", kind="verslag", section="zorg"
        )
    FileAccess.objects.bulk_create(
        [
            FileAccess(user=coordinator, student=pupil, school=school, section="dossier", request_id=str(i))
            for i in range(2000)
        ]
    )
    return school, coordinator, pupil


def timed(func):
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    start, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        result = func()
    return result, (time.perf_counter() - start), (time.process_time() - cpu), len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=300, help="former pupils whose care data is due")
    parser.add_argument("--notes", type=int, default=200, help="notes (two versions each) of the exported pupil")
    parser.add_argument("--documents", type=int, default=20)
    args = parser.parse_args()

    from privacy.models import InzageExport
    from privacy.services import inzage_build, retention_run

    logging.disable(logging.CRITICAL)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        start = time.perf_counter()
        school, coordinator, pupil = build(args.pupils, args.notes, args.documents)
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"database: {connection.vendor}; set up in {time.perf_counter() - start:.1f} s")
        run, wall, cpu, queries = timed(lambda: retention_run(school=school, dry_run=True))
        print(
            f"dry run, {args.pupils} former pupils: {wall * 1000:.0f} ms ({cpu * 1000:.0f} ms CPU), {queries} queries, "
            f"{sum(c.number for c in run.counts.all())} rows due"
        )
        today = timezone.localdate() + timedelta(days=8)
        run, wall, cpu, queries = timed(lambda: retention_run(school=school, dry_run=False, today=today))
        counts = list(run.counts.all())
        print(
            f"removal, {args.pupils} former pupils: {wall:.1f} s ({cpu:.1f} s CPU), {queries} queries, "
            f"{sum(c.number for c in counts)} rows and {sum(c.versions for c in counts)} versions removed"
        )
        from privacy.services import inzage as inzage_module

        pdf_seconds = []
        make_pdf = inzage_module._pdf

        def timed_pdf(*args):
            start = time.perf_counter()
            try:
                return make_pdf(*args)
            finally:
                pdf_seconds.append(time.perf_counter() - start)

        inzage_module._pdf = timed_pdf
        export = InzageExport.objects.create(school=school, student=pupil, requested_by=coordinator)
        _status, wall, cpu, queries = timed(lambda: inzage_build(export_id=export.pk))
        export.refresh_from_db()
        print(
            f"inzage export, {args.notes} notes x 2 versions, {args.documents} documents, 2,000 reads: "
            f"{wall:.1f} s ({cpu:.1f} s CPU; the PDF {pdf_seconds[0]:.1f} s), {queries} queries, "
            f"ZIP {export.size / 1024 / 1024:.1f} MB"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
