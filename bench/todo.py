"""Speed of the task list and the daily digest (issue 16).

    .venv/bin/python bench/todo.py [--schools 50] [--staff 100] [--tasks-per-user 10] [--runs 20]

Goals: the digest for 50 schools x 100 staff (5,000 users, 50,000 open tasks) computed and
queued in under 60 s; a user's task list with 500 tasks renders its first page in under
100 ms. Creates its own throwaway test database (test_<name> of DATABASE_URL), fills it,
prints figures and drops the database. Figures, not assertions.
"""

import argparse
import logging
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def school_day():
    day = timezone.localdate()
    while day.weekday() > 4:
        day += timedelta(days=1)
    return day


def build(n_schools, n_staff, per_user, day):
    from accounts.models import Membership, Role, School, User
    from todo.models import Task

    password = make_password("bench-only-password")
    schools = School.objects.bulk_create(School(name=f"Bench {i}", brin_code=f"{i:02d}BE") for i in range(n_schools))
    users = User.objects.bulk_create(
        User(email=f"staff{s.pk}-{j}@bench.test", name=f"Staff {j}", password=password)
        for s in schools
        for j in range(n_staff)
    )
    Membership.objects.bulk_create(
        Membership(user=u, school=schools[i // n_staff], role=Role.MENTOR) for i, u in enumerate(users)
    )
    rows = []
    for i, user in enumerate(users):
        school = schools[i // n_staff]
        for k in range(per_user):
            rows.append(
                Task(
                    school=school,
                    assignee=user,
                    title=f"Taak {k}",
                    due_on=day + timedelta(days=(k % 15) - 5),
                    key=f"bench:{user.pk}:{k}",
                )
            )
    Task.objects.bulk_create(rows, batch_size=5000)
    return schools, users


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--staff", type=int, default=100)
    parser.add_argument("--tasks-per-user", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    logging.disable(logging.CRITICAL)
    setup_test_environment()
    # Queue, do not send: the goal is "computed and queued" (an in-memory broker, not eager).
    from carecoord.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from notifications.models import Notification
        from todo.digest import digest_queue
        from todo.models import Task

        day = school_day()
        start = time.perf_counter()
        schools, users = build(args.schools, args.staff, args.tasks_per_user, day)
        print(
            f"database: {connection.vendor}; {len(schools)} schools, {len(users)} users, "
            f"{Task.objects.count()} open tasks; set up in {time.perf_counter() - start:.1f} s"
        )
        start = time.perf_counter()
        queued = digest_queue(day=day)
        first = time.perf_counter() - start
        start = time.perf_counter()
        again = digest_queue(day=day)
        second = time.perf_counter() - start
        print(
            f"digest: {queued} mails computed and queued in {first:.1f} s (goal < 60 s); second run {again} in {second:.1f} s"
        )
        print(f"outbox rows: {Notification.objects.filter(kind='todo.digest').count()}")

        # One user with 500 tasks: the first page of "Mijn taken".
        user = users[0]
        Task.objects.bulk_create(
            Task(
                school=schools[0],
                assignee=user,
                title=f"Extra {k}",
                due_on=day + timedelta(days=k % 30 - 10),
                key=f"extra:{k}",
            )
            for k in range(500 - args.tasks_per_user)
        )
        client = Client()
        client.force_login(user)
        client.get("/taken/")
        times, cpu, queries = [], [], 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get("/taken/")
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            assert response.status_code == 200
            queries = len(ctx.captured_queries)
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(10):
                client.get("/taken/")
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats(os.environ["BENCH_PROFILE"])
            if os.environ.get("BENCH_PROFILE_CALLERS"):
                stats.print_callers(os.environ["BENCH_PROFILE_CALLERS"])
            stats.print_stats(os.environ.get("BENCH_PROFILE_FILTER", ""), 40)
        times.sort()
        print(
            f"task list, 500 tasks, first page: median {statistics.median(times):.1f} ms, "
            f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, {queries} queries (goal < 100 ms); "
            # CPU time of this process (Django, templates; not the database's): on a machine
            # shared with other work the wall-clock figure moves with the load, this one less.
            f"CPU median {statistics.median(cpu):.1f} ms; fastest {times[0]:.1f} ms; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
