"""Benchmark: the coach's check-in round trip (request -> response, server time).

Sets up its own throwaway database (`<name>_bench`, removed afterwards) with 10 facilities
x 30 active placements and a term (12 weeks) of visits, then taps "Inchecken" and
"Uitchecken" on the board through the whole Django stack (middleware, session, access
checks, the row lock, the board partial that comes back) and prints the figures.
Goal: check-in under 50 ms.

    .venv/bin/python bench/checkin.py                       # SQLite (in memory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/carecoord .venv/bin/python bench/checkin.py
"""

import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

FACILITIES = 10
PLACEMENTS = 30
WEEKS = 12
TAPS = 200


def build():
    """10 facilities x 30 placements at one school, and a term of visits (bulk)."""
    from accounts.models import Membership, Role, School, User
    from referrals.models import (
        Facility,
        LessonHour,
        Placement,
        PlacementKind,
        PlacementSlot,
        Referral,
        ReferralState,
        Visit,
    )
    from referrals.services import DEFAULT_LESSON_HOURS
    from students.models import Level, SchoolClass, Student

    rng = random.Random(6)
    school = School.objects.create(name="Benchschool", brin_code="99BB")
    for n, (s, e) in enumerate(DEFAULT_LESSON_HOURS, start=1):
        LessonHour.objects.create(
            school=school,
            number=n,
            starts_at=datetime.strptime(s, "%H:%M").time(),
            ends_at=datetime.strptime(e, "%H:%M").time(),
        )
    coordinator = User.objects.create(email="zc@bench.test", name="ZC")
    Membership.objects.create(user=coordinator, school=school, role=Role.ZORGCOORDINATOR)
    klas = SchoolClass.objects.create(school=school, name="3B", year=3, level=Level.VMBO_B)
    pupils = Student.objects.bulk_create(
        Student(
            school=school,
            school_class=klas,
            student_number=str(300000 + n),
            first_name=f"Leerling{n}",
            last_name=f"Achternaam{n:04d}",
            date_of_birth=timezone.localdate() - timedelta(days=14 * 365),
        )
        for n in range(FACILITIES * PLACEMENTS)
    )
    pupils = list(Student.objects.filter(school=school).order_by("pk"))
    facilities, coaches = [], []
    for f in range(FACILITIES):
        coach = User.objects.create(email=f"coach{f}@bench.test", name=f"Coach {f}")
        Membership.objects.create(user=coach, school=school, role=Role.COACH)
        facility = Facility.objects.create(school=school, name=f"Viproom {f}", capacity=PLACEMENTS)
        facility.coaches.add(coach)
        facilities.append(facility)
        coaches.append(coach)
    start = timezone.localdate() - timedelta(weeks=WEEKS)
    kinds = [PlacementKind.FULL_TIME, PlacementKind.CHECK_IN_OUT, PlacementKind.HOURS]
    referrals, placements = [], []
    for f, facility in enumerate(facilities):
        for p in range(PLACEMENTS):
            pupil = pupils[f * PLACEMENTS + p]
            referrals.append(
                Referral(
                    school=school,
                    student=pupil,
                    facility=facility,
                    question="-",
                    state=ReferralState.PLACED,
                    created_by=coordinator,
                )
            )
    Referral.objects.bulk_create(referrals, batch_size=1000)
    for referral in Referral.objects.filter(school=school).order_by("pk"):
        placements.append(
            Placement(
                school=school,
                student_id=referral.student_id,
                facility_id=referral.facility_id,
                referral=referral,
                # Full-time places never exceed the capacity: at most a third full-time.
                kind=kinds[len(placements) % 3],
                start_on=start,
                created_by=coordinator,
            )
        )
    Placement.objects.bulk_create(placements, batch_size=1000)
    placements = list(Placement.objects.filter(school=school).order_by("pk"))
    PlacementSlot.objects.bulk_create(
        [
            PlacementSlot(placement=p, weekday=d, hour=1 + (p.pk + d) % 8)
            for p in placements
            if p.kind != PlacementKind.FULL_TIME
            for d in range(5)
        ],
        batch_size=2000,
    )
    visits = []
    day = start
    while day < timezone.localdate():
        if day.weekday() < 5:
            for p in placements:
                if rng.random() < 0.85:
                    begin = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
                        hours=8, minutes=rng.randrange(30, 400)
                    )
                    visits.append(
                        Visit(
                            facility_id=p.facility_id,
                            student_id=p.student_id,
                            placement=p,
                            checked_in_at=begin,
                            checked_out_at=begin + timedelta(minutes=rng.randrange(10, 200)),
                            checked_in_by=coaches[
                                facilities.index(next(f for f in facilities if f.pk == p.facility_id))
                            ],
                        )
                    )
        day += timedelta(days=1)
    Visit.objects.bulk_create(visits, batch_size=5000)
    return facilities, coaches, placements, len(visits)


def tap(client, url, student_id):
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.post(url, {"student": student_id}, HTTP_HX_REQUEST="true")
        elapsed = (time.perf_counter() - began) * 1000
    assert response.status_code == 200 and "is vol" not in response.text, response.status_code
    return elapsed, len(queries.captured_queries)


def figures(name, rows):
    times = sorted(ms for ms, _q in rows)
    p95 = times[int(len(times) * 0.95) - 1]
    queries = sorted({q for _ms, q in rows})
    print(
        f"{name:<10} n={len(times):<4} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   "
        f"max {times[-1]:6.1f} ms   queries {queries}"
    )
    return statistics.median(times), p95


def main():
    setup_test_environment()
    db = settings.DATABASES["default"]
    db.setdefault("TEST", {})["NAME"] = f"{db['NAME']}_bench" if connection.vendor == "postgresql" else None
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        began = time.perf_counter()
        facilities, coaches, placements, n_visits = build()
        print(
            f"{connection.vendor}: {len(facilities)} facilities x {PLACEMENTS} placements, "
            f"{n_visits} visits over {WEEKS} weeks (set up in {time.perf_counter() - began:.1f} s)"
        )
        clients = []
        for coach in coaches:
            client = Client()
            client.force_login(coach)
            clients.append(client)
        by_facility = {}
        for p in placements:
            by_facility.setdefault(p.facility_id, []).append(p.student_id)
        # Warm up (first request per client loads templates, translations, the session).
        for client, facility in zip(clients, facilities, strict=True):
            student = by_facility[facility.pk][0]
            tap(client, f"/zorg/bord/{facility.pk}/inchecken/", student)
            tap(client, f"/zorg/bord/{facility.pk}/uitchecken/", student)
        check_ins, check_outs = [], []
        rng = random.Random(1)
        for n in range(TAPS):
            f = n % len(facilities)
            facility, client = facilities[f], clients[f]
            student = rng.choice(by_facility[facility.pk])
            check_ins.append(tap(client, f"/zorg/bord/{facility.pk}/inchecken/", student))
            check_outs.append(tap(client, f"/zorg/bord/{facility.pk}/uitchecken/", student))
        boards = []
        for n in range(50):
            f = n % len(facilities)
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                clients[f].get(f"/zorg/bord/{facilities[f].pk}/", HTTP_HX_REQUEST="true")
                boards.append(((time.perf_counter() - began) * 1000, len(queries.captured_queries)))
        print("round trip (Django test client, whole stack, board partial in the response):")
        median, _p95 = figures("check-in", check_ins)
        figures("check-out", check_outs)
        figures("board", boards)
        print(f"goal: check-in under 50 ms -> {'met' if median < 50 else 'NOT met'} (median)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
