"""Speed of the outcome figures (issue 21): the school leader's dashboard of a 2,000-pupil
school with a school year of data (goal < 300 ms) and the samenwerkingsverband's view over
50 schools (goal < 1 s).

    DATABASE_URL=postgres://… .venv/bin/python bench/outcomes.py [--runs 15] [--schools 50]

Creates its own throwaway test database (test_<name> of DATABASE_URL), fills it with bulk
inserts, times the pages through the Django test client (the whole request: middleware,
queries, template) and the selectors alone, prints figures and the load average, and drops
the database. Figures, not assertions.
"""

import argparse
import logging
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def fill_school(school, *, pupils: int, staff, rng: random.Random, today: date):
    """A school year of data: concerns, referrals, placements with outcomes, absence
    signals and their changes on the timeline, OPPs."""
    from absence.models import AbsenceSignal
    from concerns.models import Concern, ConcernCategory, ConcernStatus
    from plans.models import Plan
    from referrals.models import Facility, Outcome, Placement, Referral, ReferralState
    from students.models import SchoolClass, Student, TimelineEvent

    year_start = date(today.year if today.month >= 8 else today.year - 1, 8, 20)
    days = max((today - year_start).days, 1)
    classes = [
        SchoolClass.objects.create(school=school, name=f"{y}K{i}", year=y, level="vmbo-k")
        for y in range(1, 5)
        for i in range(1, 8)
    ]
    Student.objects.bulk_create(
        Student(
            school=school,
            student_number=f"{school.pk:03d}{i:05d}",
            first_name=f"Voornaam{i}",
            last_name=f"Achternaam{i:05d}",
            date_of_birth=today - timedelta(days=14 * 365),
            school_class=classes[i % len(classes)],
        )
        for i in range(pupils)
    )
    kids = list(Student.objects.filter(school=school).order_by("pk"))
    categories = [
        ConcernCategory.objects.create(school=school, name=name, handler_kind="rol", handler_role=role, position=i)
        for i, (name, role) in enumerate(
            [
                ("Leren", "zorgcoordinator"),
                ("Gedrag", "zorgcoordinator"),
                ("Thuissituatie", "zorgcoordinator"),
                ("Verzuim", "verzuimcoordinator"),
                ("Meldcode", "aandachtsfunctionaris"),
                ("Sociaal", "mentor"),
            ]
        )
    ]
    concerns = []
    for i in range(int(pupils * 1.5)):
        created = _aware(year_start + timedelta(days=rng.randrange(days)))
        status = rng.choice([ConcernStatus.NEW, ConcernStatus.IN_PROGRESS, ConcernStatus.CLOSED, ConcernStatus.CLOSED])
        concerns.append(
            Concern(
                school=school,
                student=rng.choice(kids),
                category=categories[i % len(categories)],
                raised_by=staff,
                observation="Observatie",
                status=status,
                handler_role=categories[i % len(categories)].handler_role,
                submission_key=uuid.uuid4(),
                created_at=created,
                first_action_at=None
                if status == ConcernStatus.NEW
                else created + timedelta(hours=rng.randrange(2, 200)),
                closed_at=created + timedelta(days=rng.randrange(2, 40)) if status == ConcernStatus.CLOSED else None,
            )
        )
    Concern.objects.bulk_create(concerns, batch_size=2000)
    facilities = [
        Facility.objects.create(school=school, name=f"Voorziening {n}", capacity=10 + 2 * n) for n in range(1, 7)
    ]
    referrals, placements = [], []
    placed_kids = rng.sample(kids, min(len(kids), pupils // 8))
    for n, kid in enumerate(placed_kids):
        created = _aware(year_start + timedelta(days=rng.randrange(days)))
        state = rng.choice([ReferralState.PLACED] * 4 + [ReferralState.WAITING, ReferralState.DECLINED])
        referrals.append(
            Referral(
                school=school,
                student=kid,
                facility=facilities[n % 6],
                question="Vraag",
                state=state,
                created_by=staff,
                created_at=created,
                decided_at=created + timedelta(days=rng.randrange(3, 30)) if state != ReferralState.WAITING else None,
            )
        )
    Referral.objects.bulk_create(referrals, batch_size=2000)
    outcomes = [o for o, _l in Outcome.choices]
    for referral in referrals:
        if referral.state != ReferralState.PLACED:
            continue
        start = timezone.localtime(referral.decided_at).date()
        ended = start + timedelta(days=rng.randrange(20, 120))
        ended = ended if ended < today and rng.random() < 0.7 else None
        placements.append(
            Placement(
                school=school,
                student_id=referral.student_id,
                facility_id=referral.facility_id,
                referral=referral,
                kind="full_time",
                start_on=start,
                ended_on=ended,
                outcome=rng.choice(outcomes) if ended else "",
                created_by=staff,
            )
        )
    Placement.objects.bulk_create(placements, batch_size=2000)
    signalled = rng.sample(kids, pupils // 7)
    events, signals = [], []
    for kid in signalled:
        first = year_start + timedelta(days=rng.randrange(days))
        level = rng.choice([1, 1, 2, 3])
        events.append(
            TimelineEvent(
                student=kid,
                kind="absence.signal",
                section="verzuim",
                occurred_at=_aware(first, 6),
                params={"level": 1, "previous": 0},
            )
        )
        if level > 1:
            events.append(
                TimelineEvent(
                    student=kid,
                    kind="absence.signal",
                    section="verzuim",
                    occurred_at=_aware(min(first + timedelta(days=21), today), 6),
                    params={"level": level, "previous": 1},
                )
            )
        signals.append(
            AbsenceSignal(
                student=kid,
                school=school,
                level=level,
                level_since=first,
                absent_since=first if level == 3 else None,
                next_step_due=first + timedelta(days=7),
            )
        )
    TimelineEvent.objects.bulk_create(events, batch_size=2000)
    AbsenceSignal.objects.bulk_create(signals, batch_size=2000)
    Plan.objects.bulk_create(
        Plan(
            school=school,
            student=kid,
            support_started_on=year_start + timedelta(days=rng.randrange(days)),
            created_by=staff,
        )
        for kid in rng.sample(kids, pupils // 20)
    )
    return len(concerns), len(referrals), len(placements), len(events)


def timed(fn, runs):
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    times.sort()
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)], queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--pupils", type=int, default=2000)
    parser.add_argument("--other-pupils", type=int, default=600)
    parser.add_argument("--profile", action="store_true", help="profile the dashboard's selector once")
    parser.add_argument("--keepdb", action="store_true", help="keep (and reuse) the filled database")
    args = parser.parse_args()

    logging.disable(logging.CRITICAL)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb)
    try:
        from accounts.models import Membership, Organisation, OrganisationKind, Role, School, User
        from outcomes.selectors.leader import leader_dashboard
        from outcomes.selectors.region import region_figures

        rng = random.Random(21)
        today = timezone.localdate()
        started = time.perf_counter()
        if args.keepdb and School.objects.exists():
            schools = list(School.objects.order_by("name"))
            leader, swv_user = User.objects.get(email="leider@bench.test"), User.objects.get(email="swv@bench.test")
            swv = swv_user.organisation
            made = ("?", "?", "?", "?")
        else:
            schools = [
                School.objects.create(name=f"School {n:02d}", brin_code=f"{n:02d}XX") for n in range(args.schools)
            ]
            leader = User.objects.create_user("leider@bench.test", "x", name="Leider Bench")
            Membership.objects.create(user=leader, school=schools[0], role=Role.SCHOOLLEIDER)
            staff = User.objects.create_user("zc@bench.test", "x", name="Zorg Bench")
            swv = Organisation.objects.create(name="SWV Bench", kind=OrganisationKind.SWV)
            swv.schools.set(schools)
            swv_user = User.objects.create_user("swv@bench.test", "x", name="SWV Bench", organisation=swv)
            made = fill_school(schools[0], pupils=args.pupils, staff=staff, rng=rng, today=today)
            for school in schools[1:]:
                fill_school(school, pupils=args.other_pupils, staff=staff, rng=rng, today=today)
        print(
            f"database: {connection.vendor}; school 00: {args.pupils} pupils, {made[0]} concerns, {made[1]} referrals, "
            f"{made[2]} placements, {made[3]} signal changes; {args.schools} schools "
            f"({args.other_pupils} pupils each besides); set up in {time.perf_counter() - started:.0f} s; "
            f"{args.runs} runs"
        )
        leader_client = Client()
        leader_client.force_login(leader)
        swv_client = Client()
        swv_client.force_login(swv_user)
        from carecoord.testing import mark_second_factor

        mark_second_factor(leader_client, "bench")
        mark_second_factor(swv_client, "bench")
        if args.profile:
            import cProfile
            import pstats

            cProfile.runctx("leader_dashboard(school=schools[0])", globals(), locals(), "/tmp/outcomes.prof")
            pstats.Stats("/tmp/outcomes.prof").sort_stats("cumulative").print_stats(25)
            with CaptureQueriesContext(connection) as ctx:
                leader_dashboard(school=schools[0])
            for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:6]:
                print(q["time"], q["sql"][:300])

        def get(client, url):
            def run():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return run

        rows = [
            ("leader dashboard (page)", get(leader_client, "/uitkomsten/"), 300),
            ("leader dashboard (selector)", lambda: leader_dashboard(school=schools[0]), 300),
            ("leader dashboard XLSX", get(leader_client, "/uitkomsten/cijfers.xlsx"), None),
            ("school-year funnel (page)", get(leader_client, "/uitkomsten/schooljaar/"), None),
            ("region compare (page)", get(leader_client, "/uitkomsten/regio/vergelijk/"), 1000),
            (f"SWV view, {args.schools} schools (page)", get(swv_client, "/uitkomsten/regio/"), 1000),
            (
                f"SWV view, {args.schools} schools (selector)",
                lambda: region_figures(organisation=swv, schools=list(swv.schools.order_by("name"))),
                1000,
            ),
        ]
        print(f"{'what':40} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'goal ms':>8}")
        for label, fn, goal in rows:
            fn()  # warm up (templates, translations)
            median, p95, queries = timed(fn, args.runs)
            print(f"{label:40} {median:10.1f} {p95:8.1f} {queries:8d} {goal or '':>8}")
        print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()), f"({os.cpu_count()} cores)")
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
