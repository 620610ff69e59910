#!/usr/bin/env python
"""Benchmark: the absence signal computation and the absence overview, on PostgreSQL.

Goals (issue 8), on this machine:
- computing the signals of 50,000 pupils with a school year of registrations (about
  2 million rows) takes under 60 s;
- the overview page of a school of 2,000 pupils renders in under 200 ms.

Creates its own throwaway database on the PostgreSQL server of DATABASE_URL (its name plus
`_absence_bench`; without a PostgreSQL DATABASE_URL: cc_absence_bench on 127.0.0.1:5432 as user
postgres, or BENCH_PG), fills it, measures, prints the figures and drops it:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/carecoord .venv/bin/python bench/absence_signals.py
    # --keep leaves the database; --one-year fills only 2026-2027 (no history before it)

The computation reads registrations from 16 weeks before 1 August of the previous school
year (an unreported crossing of last year still counts, issue 24), so by default the
database also holds the school year 2025-2026 at the same density: what a region has in
its second year.
"""

import io
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_URL = os.environ.get("DATABASE_URL", "")
if _URL.startswith("postgres"):
    PG, _, _NAME = _URL.rpartition("/")
    DB_NAME = f"{_NAME}_absence_bench"
else:
    PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    DB_NAME = "cc_absence_bench"
SCHOOLS = 25
PUPILS_PER_SCHOOL = 2_000
FIRST_DAY = date(2026, 8, 31)  # first school day of 2026-2027 (region midden)
AS_OF = date(2027, 6, 25)  # a Friday near the end of the school year
# The school year before (region midden): its registrations are the history the
# computation reads (crossings of last school year, windows across the summer).
PREVIOUS_YEAR = (date(2025, 9, 1), date(2026, 7, 17))
PREVIOUS_HOLIDAYS = [
    ("Herfstvakantie", "2025-10-18", "2025-10-26"),
    ("Kerstvakantie", "2025-12-20", "2026-01-04"),
    ("Voorjaarsvakantie", "2026-02-14", "2026-02-22"),
    ("Goede Vrijdag", "2026-04-03", "2026-04-03"),
    ("Tweede Paasdag", "2026-04-06", "2026-04-06"),
    ("Meivakantie", "2026-04-25", "2026-05-03"),
    ("Hemelvaart", "2026-05-14", "2026-05-15"),
    ("Tweede Pinksterdag", "2026-05-25", "2026-05-25"),
    ("Zomervakantie", "2026-07-18", "2026-08-30"),
]
ONE_YEAR = "--one-year" in sys.argv

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "carecoord.settings",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "EMAIL_URL": "memorymail://",
        "CELERY_BROKER_URL": "memory://",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
)


def admin_sql(statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"  {label:<58} {elapsed:7.2f} s")
    return result, elapsed


def setup_data():
    from django.db import connection

    from accounts.demo import HOLIDAYS
    from accounts.models import HolidayPeriod, Membership, Organisation, OrganisationKind, Role, School, User
    from accounts.selectors import holiday_dates
    from students.models import SchoolClass, Student

    rng = random.Random(8)
    for name, per_region in HOLIDAYS:
        start, end = per_region["midden"]
        HolidayPeriod.objects.create(
            name=name, region="midden", start=date.fromisoformat(start), end=date.fromisoformat(end)
        )
    for name, start, end in PREVIOUS_HOLIDAYS:
        HolidayPeriod.objects.get_or_create(
            name=name, region="midden", start=date.fromisoformat(start), end=date.fromisoformat(end)
        )
    leerplicht = Organisation.objects.create(name="Leerplicht Bench", kind=OrganisationKind.LEERPLICHT)
    schools = School.objects.bulk_create(
        [School(name=f"Benchschool {n}", brin_code=f"{n:02d}BE", holiday_region="midden") for n in range(SCHOOLS)]
    )
    leerplicht.schools.add(*schools)
    users = []
    for school in schools:
        for role in (Role.ZORGCOORDINATOR, Role.VERZUIMCOORDINATOR):
            user = User.objects.create_user(
                email=f"{role}.{school.brin_code}@bench.test".lower(), name=f"{role} {school.pk}"
            )
            Membership.objects.create(user=user, school=school, role=role)
            users.append(user)
    User.objects.create_user(email="leerplicht@bench.test", name="Leerplicht", organisation=leerplicht)

    students = []
    for school in schools:
        classes = SchoolClass.objects.bulk_create(
            [
                SchoolClass(school=school, name=f"{y}K{n}", year=y, level="vmbo-k")
                for y in range(1, 5)
                for n in range(1, 11)
            ]
        )
        students += [
            Student(
                school=school,
                student_number=str(100000 + i),
                first_name=f"Voornaam{i}",
                last_name=f"Achternaam{i:05d}",
                date_of_birth=date(2012, 1, 1) + timedelta(days=i % 1400),
                school_class=classes[i % len(classes)],
            )
            for i in range(PUPILS_PER_SCHOOL)
        ]
    Student.objects.bulk_create(students, batch_size=5000)
    pupils = list(Student.objects.values_list("pk", "school_id").order_by("pk"))

    years = [(FIRST_DAY, AS_OF)] if ONE_YEAR else [PREVIOUS_YEAR, (FIRST_DAY, AS_OF)]
    total = days = 0
    for first, last in years:
        days_off = holiday_dates(school=schools[0], start=first, end=last)
        school_days = [
            first + timedelta(days=i)
            for i in range((last - first).days + 1)
            if (first + timedelta(days=i)).weekday() < 5 and first + timedelta(days=i) not in days_off
        ]
        total += _registrations(connection, rng, pupils, school_days)
        days += len(school_days)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return schools, total, days


def _registrations(connection, rng, pupils, school_days) -> int:
    """A school year of registrations for every pupil, COPYed in (returns how many)."""
    iso_days = [d.isoformat() for d in school_days]
    slots = len(school_days) * 8  # eight lessons a day
    kinds = ["ongeoorloofd", "geoorloofd", "te_laat", "verwijderd"]
    now = datetime.now().isoformat()
    total = 0
    buffer = io.StringIO()
    copy = (
        "COPY absence_absencerecord (student_id, school_id, date, lesson, kind, minutes, source, created_at) FROM STDIN"
    )
    with connection.cursor() as cursor:
        for pupil_id, school_id in pupils:
            # Most pupils are absent now and then; a quarter often; one in twenty a lot.
            roll = rng.random()
            base = 15 if roll < 0.70 else (75 if roll < 0.95 else 200)
            for slot in rng.sample(range(slots), int(base * rng.uniform(0.5, 1.5))):
                kind = rng.choices(kinds, weights=(30, 45, 20, 5))[0]
                minutes = rng.randrange(3, 25) if kind == "te_laat" else 50
                buffer.write(
                    f"{pupil_id}\t{school_id}\t{iso_days[slot // 8]}\t{slot % 8 + 1}\t{kind}\t{minutes}\timport\t{now}\n"
                )
                total += 1
            if buffer.tell() > 20_000_000:
                buffer.seek(0)
                cursor.copy_expert(copy, buffer)
                buffer = io.StringIO()
        buffer.seek(0)
        cursor.copy_expert(copy, buffer)
    return total


def bench_compute(schools):
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from absence.models import AbsenceSignal, SignalLevel
    from absence.services import signals_compute
    from notifications.models import Notification

    print(f"\nSignal computation, all {SCHOOLS * PUPILS_PER_SCHOOL:,} pupils at once, as of {AS_OF:%d-%m-%Y}:")
    with CaptureQueriesContext(connection) as queries:
        stats, first = timed("first run (every signal row new)", lambda: signals_compute(as_of=AS_OF))
    print(f"    {stats}; {len(queries)} queries; {Notification.objects.count()} e-mails queued")
    stats, again = timed("again, nothing changed", lambda: signals_compute(as_of=AS_OF))
    print(f"    {stats}")
    monday = AS_OF + timedelta(days=3)
    stats, moved = timed("next school day (the window moves on)", lambda: signals_compute(as_of=monday))
    print(f"    {stats}")
    levels = dict(AbsenceSignal.objects.values_list("level").annotate(n=Count("pk")).order_by("level"))
    print("    levels:", {SignalLevel(level).label: n for level, n in levels.items()})
    _, one_school = timed(
        "one school (2,000 pupils), as the nightly task does",
        lambda: signals_compute(school_ids=[schools[0].pk], as_of=monday),
    )
    return max(first, again, moved)


def bench_overview(schools):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from absence.models import AbsenceSignal, EscalationStep
    from accounts.models import User

    school = schools[0]
    signalled = list(AbsenceSignal.objects.filter(school=school).signalled().values_list("student_id", "episode_start"))
    coordinator = User.objects.get(email=f"zorgcoordinator.{school.brin_code}@bench.test".lower())
    EscalationStep.objects.bulk_create(
        [
            EscalationStep(
                student_id=student_id,
                school=school,
                step=1 + n % 3,
                on=episode_start + timedelta(days=3),
                who="Mentor",
                outcome="Ouders gebeld",
                recorded_by=coordinator,
            )
            for n, (student_id, episode_start) in enumerate(signalled)
            if n % 2 == 0 and episode_start
        ]
    )
    total = AbsenceSignal.objects.filter(school=school).count()
    print(
        f"\nOverview of one school: {PUPILS_PER_SCHOOL:,} pupils, {total:,} with absence, {len(signalled):,} signalled:"
    )
    leerplicht = User.objects.get(email="leerplicht@bench.test")
    results = []
    for who, user, url in [
        ("coordinator, signalled pupils (default)", coordinator, "/verzuim/"),
        ("coordinator, everyone with absence", coordinator, "/verzuim/?show=all"),
        ("coordinator, everyone, page 20", coordinator, "/verzuim/?show=all&page=20"),
        ("coordinator, search + class + overdue", coordinator, "/verzuim/?q=Achternaam01&overdue=on&show=all"),
        ("leerplicht (legal basis)", leerplicht, "/verzuim/"),
    ]:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200  # warm up
        timings = []
        for _ in range(20):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        median = statistics.median(timings)
        results.append(median)
        print(f"  {who:<44} median {median:6.1f} ms   max {max(timings):6.1f} ms   {len(queries)} queries")
    return max(results)


def main():
    keep = "--keep" in sys.argv
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        print(f"PostgreSQL {connection.pg_version // 10000}, database {DB_NAME}")
        (schools, rows, days), _ = timed(
            f"setup: {SCHOOLS} schools x {PUPILS_PER_SCHOOL:,} pupils, registrations", setup_data
        )
        first = FIRST_DAY if ONE_YEAR else PREVIOUS_YEAR[0]
        print(f"    {rows:,} registrations over {days} school days ({first:%d-%m-%Y} – {AS_OF:%d-%m-%Y})")
        compute = bench_compute(schools)
        overview = bench_overview(schools)
        print("\nGoals:")
        print(
            f"  signals for 50,000 pupils under 60 s:  slowest run {compute:5.1f} s  {'OK' if compute < 60 else 'MISSED'}"
        )
        print(
            f"  overview of 2,000 pupils under 200 ms: slowest median {overview:5.1f} ms  {'OK' if overview < 200 else 'MISSED'}"
        )
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    main()
