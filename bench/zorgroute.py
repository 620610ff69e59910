"""Speed of the zorgroute pages with a realistic school's worth of concerns (issue 5).

    .venv/bin/python bench/zorgroute.py [--concerns 5000] [--runs 20]

Creates its own throwaway test database (test_<name> of DATABASE_URL; SQLite in memory
by default), fills it, times the pages through the Django test client, prints figures
and drops the database. Figures, not assertions: the tests check behaviour, this checks
that the inbox, the figures and raising a concern stay quick as a school's history grows.
"""

import argparse
import logging
import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def build(n_concerns: int):
    from accounts.models import Membership, Role, School, User
    from concerns.models import Concern, ConcernCategory, ConcernStatus
    from students.models import SchoolClass, Student

    school = School.objects.create(name="Bench College", brin_code="99BE")
    coordinator = User.objects.create_user("zc@bench.test", "x", name="Zorg Bench")
    mentor = User.objects.create_user("mentor@bench.test", "x", name="Mentor Bench")
    Membership.objects.create(user=coordinator, school=school, role=Role.ZORGCOORDINATOR)
    Membership.objects.create(user=mentor, school=school, role=Role.MENTOR)
    classes = [
        SchoolClass.objects.create(school=school, name=f"{y}K{i}", year=y, level="vmbo-k")
        for y in range(1, 5)
        for i in range(1, 6)
    ]
    for c in classes:
        c.mentors.add(mentor)
    Student.objects.bulk_create(
        Student(
            school=school,
            student_number=str(300000 + i),
            first_name=f"Voornaam{i}",
            last_name=f"Achternaam{i:04d}",
            date_of_birth=timezone.localdate() - timedelta(days=14 * 365),
            school_class=classes[i % len(classes)],
        )
        for i in range(1200)
    )
    pupils = list(Student.objects.filter(school=school).order_by("pk"))
    categories = [
        ConcernCategory.objects.create(
            school=school, name=name, handler_kind="rol", handler_role=Role.ZORGCOORDINATOR, position=i
        )
        for i, name in enumerate(["Leren", "Gedrag", "Sociaal-emotioneel", "Thuissituatie", "Verzuim", "Medisch"])
    ]
    now = timezone.now()
    concerns = []
    for i in range(n_concerns):
        created = now - timedelta(hours=7 * i % (24 * 365))
        status = [ConcernStatus.NEW, ConcernStatus.IN_PROGRESS, ConcernStatus.CLOSED][i % 3]
        concerns.append(
            Concern(
                school=school,
                student=pupils[i % len(pupils)],
                category=categories[i % len(categories)],
                raised_by=mentor,
                observation="Observatie " * 20,
                urgency=1 + i % 3,
                status=status,
                handler_role=Role.ZORGCOORDINATOR,
                home_situation=i % 3 == 0,
                submission_key=uuid.uuid4(),
                created_at=created,
                first_action_at=None if status == ConcernStatus.NEW else created + timedelta(hours=5 + i % 50),
                closed_at=created + timedelta(days=3 + i % 20) if status == ConcernStatus.CLOSED else None,
                feedback="Dank je." if status == ConcernStatus.CLOSED else "",
            )
        )
    Concern.objects.bulk_create(concerns, batch_size=1000)
    return school, coordinator, mentor, pupils, categories


def timed(client, method, url, runs, data_fn=None):
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.post(url, data_fn()) if method == "post" else client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 302), (url, response.status_code)
        queries = len(ctx.captured_queries)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--concerns", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    logging.disable(logging.CRITICAL)  # the figures, not the request log
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        start = time.perf_counter()
        school, coordinator, mentor, pupils, categories = build(args.concerns)
        print(
            f"database: {connection.vendor}; {args.concerns} concerns, {len(pupils)} pupils, set up in "
            f"{time.perf_counter() - start:.1f} s; {args.runs} runs per page"
        )
        client = Client()
        client.force_login(coordinator)
        rows = [
            ("inbox (open, first page)", "get", "/zorg/meldingen/", None),
            (
                "inbox (4 filters combined)",
                "get",
                f"/zorg/meldingen/?urgency=3&age=14&category={categories[1].pk}"
                f"&school_class={pupils[0].school_class_id}",
                None,
            ),
            ("inbox (afgerond, page 5)", "get", "/zorg/meldingen/?status=afgerond&page=5", None),
            ("figures (school year)", "get", "/zorg/meldingen/cijfers/", None),
        ]
        mentor_client = Client()
        mentor_client.force_login(mentor)
        print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for label, method, url, data_fn in rows:
            median, p95, queries = timed(client, method, url, args.runs, data_fn)
            print(f"{label:34} {median:10.1f} {p95:8.1f} {queries:8d}")
        median, p95, queries = timed(mentor_client, "get", "/zorg/meldingen/mijn/", args.runs)
        print(f"{'mijn meldingen (mentor)':34} {median:10.1f} {p95:8.1f} {queries:8d}")
        median, p95, queries = timed(mentor_client, "get", "/zorg/meldingen/nieuw/", args.runs)
        print(f"{'zorg melden (form)':34} {median:10.1f} {p95:8.1f} {queries:8d}")

        def submission():
            return {
                "submission_key": str(uuid.uuid4()),
                "student": pupils[7].pk,
                "category": categories[1].pk,
                "observation": "Bench: zit stil achterin.",
                "urgency": 2,
            }

        median, p95, queries = timed(mentor_client, "post", "/zorg/meldingen/nieuw/", args.runs, submission)
        print(f"{'zorg melden (submit + mail)':34} {median:10.1f} {p95:8.1f} {queries:8d}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
