"""Speed of the care record (issue 13): a pupil file with 2,000 timeline entries, 200 notes
and 50 documents (first page of the timeline < 150 ms), and a 30-page PDF of a file (< 5 s).

    DATABASE_URL=postgres://… .venv/bin/python bench/records.py [--runs 20]

Creates its own throwaway test database (test_<name> of DATABASE_URL; SQLite in memory by
default) and a temporary folder for the documents, fills them, times the pages through
the Django test client, prints figures and drops the database. Figures, not assertions.
"""

import argparse
import io
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ["DOCUMENTS_ROOT"] = tempfile.mkdtemp(prefix="carecoord-bench-documents-")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

SECTIONS = ["administratie", "zorg", "traject", "overleg", "verzuim", "toestemming", "netwerk"]
KINDS = {
    "administratie": "students.updated",
    "zorg": "concerns.raised",
    "traject": "referrals.placement_plan",
    "overleg": "meetings.discussed",
    "verzuim": "absence.recorded",
    "toestemming": "students.consent_withdrawn",
    "netwerk": "students.partner_linked",
}


def build(events: int, notes: int, documents: int):
    from django.core.files.base import ContentFile

    from accounts.models import Membership, Role, School, User
    from records.services import document_add, note_add
    from records.tests.factories import pdf_bytes
    from students.models import Guardian, SchoolClass, Student, TimelineEvent

    school = School.objects.create(name="Bench College", brin_code="99RC")
    coordinator = User.objects.create_user("zc@bench.test", "x", name="Zorg Bench")
    Membership.objects.create(user=coordinator, school=school, role=Role.ZORGCOORDINATOR)
    klas = SchoolClass.objects.create(school=school, name="3K1", year=3, level="vmbo-k")
    student = Student.objects.create(
        school=school,
        student_number="400001",
        first_name="Daan",
        last_name="Bench",
        date_of_birth=timezone.localdate() - timedelta(days=14 * 365),
        school_class=klas,
    )
    Guardian.objects.create(student=student, name="Moeder Bench", relation="moeder", phone="0612345678")
    now = timezone.now()
    params = {
        "students.updated": {"fields": ["klas"]},
        "concerns.raised": {"category": "Gedrag", "raised_by": "Mentor", "concern_id": None},
        "referrals.placement_plan": {"facility": "Viproom", "placement_id": 1, "plan": "full_time"},
        "meetings.discussed": {"meeting": "OT", "date": "2026-01-01", "meeting_id": 1},
        "absence.recorded": {"absence_kind": "ongeoorloofd", "date": "2026-01-12", "minutes": 50},
        "students.consent_withdrawn": {"scope": "Jeugdteam", "by": "moeder"},
        "students.partner_linked": {"partner": "Jeugdteam", "role": "casusregisseur"},
    }
    TimelineEvent.objects.bulk_create(
        [
            TimelineEvent(
                student=student,
                kind=KINDS[SECTIONS[i % len(SECTIONS)]],
                section=SECTIONS[i % len(SECTIONS)],
                actor=coordinator,
                occurred_at=now - timedelta(hours=3 * i + 1),
                params=params[KINDS[SECTIONS[i % len(SECTIONS)]]],
            )
            for i in range(events - notes - documents)
        ],
        batch_size=1000,
    )
    for i in range(notes):
        note_add(
            student=student,
            actor=coordinator,
            occurred_at=now - timedelta(hours=7 * i + 2),
            kind=["telefoongesprek", "gesprek_ouders", "huisbezoek", "observatie"][i % 4],
            text=("Gesprek met moeder over slapen, huiswerk en de weg naar school. " * 10) + f"Notitie {i}.",
            section=["zorg", "overleg", "vertrouwelijk", "traject"][i % 4],
        )
    pdf = pdf_bytes("Bench-verslag")
    for i in range(documents):
        document_add(
            student=student,
            actor=coordinator,
            upload=ContentFile(pdf, name=f"verslag-{i}.pdf"),
            title=f"Verslag {i}",
            kind="verslag",
            section=["zorg", "traject"][i % 2],
        )
    return student, coordinator


CPU_TIMES: list[float] = []


def timed(client, url, runs):
    """(median ms, p95 ms, queries, last response); the median CPU time of this process is
    kept in CPU_TIMES (on a shared, loaded machine the wall clock also counts waiting)."""
    times, cpu, queries, response = [], [], 0, None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    times.sort()
    CPU_TIMES.append(statistics.median(cpu))
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)], queries, response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--events", type=int, default=2000, help="timeline entries in all (notes and documents included)"
    )
    parser.add_argument("--notes", type=int, default=200)
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="print a profile of the pupil file page")
    args = parser.parse_args()

    from carecoord.testing import mark_second_factor

    logging.disable(logging.CRITICAL)  # the figures, not the request log
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        start = time.perf_counter()
        student, coordinator = build(args.events, args.notes, args.documents)
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(
            f"database: {connection.vendor}; one pupil with {args.events} timeline entries "
            f"({args.notes} notes, {args.documents} documents), set up in {time.perf_counter() - start:.1f} s; "
            f"{args.runs} runs per page"
        )
        client = Client()
        client.force_login(coordinator)
        mark_second_factor(client, "bench")
        from records.models import Document, Note

        note = Note.objects.filter(student=student).first()
        document = Document.objects.filter(student=student).first()
        # Page 40 of the timeline: its "Ouder" link (keyset pagination, students/timeline.py)
        # carries the last event of page 39.
        from students.models import TimelineEvent
        from students.timeline import cursor_of

        last_of_39 = TimelineEvent.objects.filter(student=student).order_by("-occurred_at", "-pk")[39 * 25 - 1]
        rows = [
            ("pupil file (first timeline page)", f"/leerlingen/{student.pk}/"),
            ("pupil file (timeline page 40)", f"/leerlingen/{student.pk}/?voor={cursor_of(last_of_39)}"),
            ("note", f"/dossier/notities/{note.pk}/"),
            ("documents (all 50)", f"/dossier/leerling/{student.pk}/documenten/"),
            ("document download", f"/dossier/documenten/{document.pk}/downloaden/"),
            ("history of the pupil's data", f"/dossier/geschiedenis/leerling/{student.pk}/"),
        ]
        print(f"{'page':36} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'cpu ms':>8}")
        for label, url in rows:
            median, p95, queries, _response = timed(client, url, args.runs)
            print(f"{label:36} {median:10.1f} {p95:8.1f} {queries:8d} {CPU_TIMES[-1]:8.1f}")
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get(f"/leerlingen/{student.pk}/")
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(
                "carecoord/access|panels|selectors|timeline|records/", 40
            )
            return

        from pypdf import PdfReader

        sections = "&".join(f"sections={s}" for s in ["administratie", "zorg", "overleg", "traject", "vertrouwelijk"])
        for label, query in (
            ("PDF: zorg, overleg, traject, vertrouwelijk", sections),
            ("PDF: everything", sections + "&sections=verzuim&sections=toestemming&sections=netwerk"),
        ):
            url = f"/dossier/leerling/{student.pk}/afdrukken/?uitvoer=pdf&{query}"
            median, p95, queries, response = timed(client, url, max(3, args.runs // 5))
            pages = len(PdfReader(io.BytesIO(response.content)).pages)
            print(
                f"{label:36} {median:10.1f} {p95:8.1f} {queries:8d} {CPU_TIMES[-1]:8.1f}   "
                f"{pages} pages, {len(response.content) // 1024} KB"
            )
        # The goal's size: a file of about 30 pages (every section, the last weeks).
        everything = sections + "&sections=verzuim&sections=toestemming&sections=netwerk"
        for days in (21, 28):
            since = (timezone.localdate() - timedelta(days=days)).isoformat()
            url = f"/dossier/leerling/{student.pk}/afdrukken/?uitvoer=pdf&{everything}&since={since}"
            median, p95, queries, response = timed(client, url, max(3, args.runs // 5))
            pages = len(PdfReader(io.BytesIO(response.content)).pages)
            label = f"PDF: everything, last {days} days"
            print(f"{label:36} {median:10.1f} {p95:8.1f} {queries:8d} {CPU_TIMES[-1]:8.1f}   {pages} pages")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
