"""Benchmark: the daily point card (issue 20), on PostgreSQL.

Goals: one score saved in under 50 ms server time with a school year of cards for 300
pupils (300 x 190 days x 8 lesson hours x 4 expectations = 1.8 million scores, stored as
456,000 lesson-hour rows of four points each); the evaluation graph of one pupil over a
school year in under 100 ms.

Creates its own throwaway database (`<name>_bench`, removed afterwards), fills it with
COPY, then measures through the whole Django stack (test client: middleware, session,
access checks, the day row lock, the history row) and the selectors alone:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/carecoord .venv/bin/python bench/cico.py
"""

import io
import json
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from functools import partial
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

from carecoord import testing  # noqa: E402

PUPILS = 300
DAYS = 190
HOURS = 8
EXPECTATIONS = 4
SAVES = 200
GRAPHS = 30


def _copy(table, columns, rows):
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def build():
    from accounts.models import Membership, Role, School, User
    from cico.models import Card, CardDay, CardPeriod, Expectation, PeriodScore
    from referrals.models import Facility, LessonHour, Placement, PlacementKind, Referral, ReferralState
    from referrals.services import DEFAULT_LESSON_HOURS
    from students.models import Level, SchoolClass, Student

    rng = random.Random(20)
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
    teacher = User.objects.create(email="docent@bench.test", name="Docent")
    Membership.objects.create(user=teacher, school=school, role=Role.MENTOR)
    klas = SchoolClass.objects.create(school=school, name="2B", year=2, level=Level.VMBO_B)
    Student.objects.bulk_create(
        Student(
            school=school,
            school_class=klas,
            student_number=str(400000 + n),
            first_name=f"Leerling{n}",
            last_name=f"Achternaam{n:04d}",
            date_of_birth=timezone.localdate() - timedelta(days=13 * 365),
        )
        for n in range(PUPILS)
    )
    pupils = list(Student.objects.filter(school=school).order_by("pk"))
    facilities = [Facility.objects.create(school=school, name=f"Viproom {f}", capacity=50) for f in range(10)]
    Referral.objects.bulk_create(
        Referral(
            school=school,
            student=p,
            facility=facilities[i % 10],
            question="-",
            state=ReferralState.PLACED,
            created_by=coordinator,
        )
        for i, p in enumerate(pupils)
    )
    today = timezone.localdate()
    school_days = []
    day = today
    while len(school_days) < DAYS:
        if day.weekday() < 5:
            school_days.append(day)
        day -= timedelta(days=1)
    school_days.reverse()
    start = school_days[0]
    Placement.objects.bulk_create(
        Placement(
            school=school,
            student_id=r.student_id,
            facility_id=r.facility_id,
            referral=r,
            kind=PlacementKind.CHECK_IN_OUT,
            start_on=start,
            created_by=coordinator,
        )
        for r in Referral.objects.filter(school=school).order_by("pk")
    )
    placements = list(Placement.objects.filter(school=school).order_by("pk"))
    Card.objects.bulk_create(
        Card(placement=p, school=school, student_id=p.student_id, start_on=start, created_by=coordinator)
        for p in placements
    )
    cards = list(Card.objects.filter(school=school).order_by("pk"))
    Expectation.objects.bulk_create(
        Expectation(card=c, text=f"Verwachting {n + 1}", position=n) for c in cards for n in range(EXPECTATIONS)
    )
    CardPeriod.objects.bulk_create(
        CardPeriod(card=c, weekday=d, hour=h) for c in cards for d in range(5) for h in range(1, HOURS + 1)
    )
    expectation_ids = {}
    for e in Expectation.objects.filter(card__school=school).order_by("position"):
        expectation_ids.setdefault(e.card_id, []).append(str(e.pk))
    # The days, then the lesson hours (COPY: 57,000 and 456,000 rows).
    day_rows, totals = [], {}
    for c in cards:
        for d in school_days[:-1]:  # the last school day (today on a weekday) stays open for the measurement
            day_rows.append((c.pk, d.isoformat(), 0, 0, ""))
    _copy(CardDay._meta.db_table, ["card_id", "day", "points", "possible", "conclusion"], day_rows)
    days = CardDay.objects.filter(card__school=school).values_list("pk", "card_id")
    now = timezone.now().isoformat()
    score_rows = []
    for day_id, card_id in days:
        total = 0
        for h in range(1, HOURS + 1):
            points = {key: rng.choice((0, 1, 2, 2)) for key in expectation_ids[card_id]}
            total += sum(points.values())
            score_rows.append((day_id, h, "scored", json.dumps(points), "", teacher.pk, now))
        totals[day_id] = total
    _copy(
        PeriodScore._meta.db_table,
        ["day_id", "hour", "status", "points", "remark", "scored_by_id", "scored_at"],
        score_rows,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {CardDay._meta.db_table} SET possible = %s, points = LEAST(%s, (id %% 17) * 4)",
            [2 * EXPECTATIONS * HOURS, 2 * EXPECTATIONS * HOURS],
        )
        cursor.execute("ANALYZE")
    # On a weekend the last school day is Friday: a Saturday has no lesson hours on the card.
    return teacher, coordinator, cards, expectation_ids, len(score_rows), school_days[-1]


def figures(name, rows):
    times = sorted(ms for ms, _cpu, _q in rows)
    p95 = times[int(len(times) * 0.95) - 1]
    cpu = statistics.median(c for _ms, c, _q in rows)
    queries = sorted({q for _ms, _cpu, q in rows})
    print(
        f"{name:<31} n={len(times):<4} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   "
        f"max {times[-1]:6.1f} ms   (Python CPU {cpu:5.1f} ms)   queries {queries}"
    )
    return statistics.median(times)


def timed(fn):
    """Wall time (what the user waits for, inflated when the machine is loaded) and the
    CPU time of this process (Python and templates, without the database's own work)."""
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        began, cpu = time.perf_counter(), time.process_time()
        fn()
        elapsed = (time.perf_counter() - began) * 1000
        cpu = (time.process_time() - cpu) * 1000
    return elapsed, cpu, len(queries.captured_queries)


def main():
    from cico import selectors

    setup_test_environment()
    db = settings.DATABASES["default"]
    assert connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL)"
    db.setdefault("TEST", {})["NAME"] = f"{db['NAME']}_bench"
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        began = time.perf_counter()
        teacher, coordinator, cards, expectation_ids, n_scores, score_day = build()
        print(
            f"{PUPILS} cards x {DAYS} days x {HOURS} hours x {EXPECTATIONS} expectations: "
            f"{n_scores} lesson-hour rows = {n_scores * EXPECTATIONS} scores (set up in {time.perf_counter() - began:.0f} s)"
        )
        client = Client()
        client.force_login(teacher)
        rng = random.Random(1)

        def save(card):
            hour = rng.randrange(1, HOURS + 1)
            data = {"hour": hour, "status": "scored"}
            data.update({f"e{key}": rng.choice("012") for key in expectation_ids[card.pk]})
            response = client.post(f"/zorg/kaarten/{card.pk}/{score_day:%Y-%m-%d}/", data)
            assert response.status_code == 302, response.status_code

        save(cards[0])  # warm up
        if os.environ.get("BENCH_SHOW_QUERIES"):
            with CaptureQueriesContext(connection) as shown:
                save(cards[1])
            for q in shown.captured_queries:
                print(f"{q['time']:>6} {q['sql'][:230]}")
        saves = [timed(partial(save, rng.choice(cards))) for _ in range(SAVES)]
        boss = Client()
        boss.force_login(coordinator)
        testing.mark_second_factor(boss, "bench")
        boss.get(f"/zorg/kaarten/{cards[0].pk}/")
        pages = [timed(partial(boss.get, f"/zorg/kaarten/{rng.choice(cards).pk}/")) for _ in range(GRAPHS)]
        evaluation = [
            timed(partial(boss.get, f"/zorg/plaatsingen/{rng.choice(cards).placement_id}/evaluatie/"))
            for _ in range(GRAPHS)
        ]

        def evaluation_graph(card):
            # What the evaluation form draws, over a whole school year: the days, the
            # summary (average, trend) and the daily line with the goal, geometry and table.
            days = selectors.card_days(card)
            selectors.summarise(card, days)
            chart = selectors.daily_chart(card, days)
            chart.drawn, chart.rows  # noqa: B018

        def year_graphs(card):
            days = selectors.card_days(card)
            selectors.summarise(card, days)
            for chart in (
                selectors.daily_chart(card, days),
                selectors.weekly_chart(card, days),
                selectors.expectation_chart(card),
            ):
                chart.drawn, chart.rows  # noqa: B018  (compute the geometry and the table)

        evaluation_graphs = [timed(partial(evaluation_graph, rng.choice(cards))) for _ in range(GRAPHS)]
        graphs = [timed(partial(year_graphs, rng.choice(cards))) for _ in range(GRAPHS)]
        print(f"server time (Django test client, whole stack; selectors alone); load {os.getloadavg()[0]:.1f}:")
        median_save = figures("score saved (POST)", saves)
        median_graphs = figures("evaluation graph, a year", evaluation_graphs)
        figures("3 graphs of a year (selectors)", graphs)
        figures("card page, 3 graphs (GET)", pages)
        figures("evaluation form (GET)", evaluation)
        print(f"goal: a score saved under 50 ms -> {'met' if median_save < 50 else 'NOT met'} (median)")
        print(f"goal: a year's evaluation graph under 100 ms -> {'met' if median_graphs < 100 else 'NOT met'} (median)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
