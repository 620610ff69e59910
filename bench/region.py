"""Benchmark: the main pages at region scale, beside a bare Django view in the same run.

Needs a database built with `manage.py seed_region` (50 schools, 100,000 pupils). Starts
gunicorn (production settings: DEBUG off, the Redis cache when REDIS_URL is set) on that
database with the application's URLs plus `/bench/bare/` (bench/region_site: the whole
middleware stack, one indexed query), signs in as a zorgcoördinator of school R001 (the
board as its coach; the check-in as the coaches of 20 schools' viprooms), then:

1. server time, one request at a time: per page the median of N sequential requests (the
   time gunicorn's worker spends, as the client sees it on localhost), and the number of SQL
   queries of one request (Django's test client in this process, same database);
2. load: C concurrent users for S seconds per page (a small asyncio client, a new
   connection per request, as gunicorn's sync workers close it), printing requests/s, p50,
   p95, p99, errors, and the ratio of requests/s to the bare view measured in the same run
   (at the start and at the end, averaged). The users click again as soon as a page has
   arrived: a saturating load, what the issue's goals are measured with. `--think 1` makes
   each user read a page for 0.5–1.5 s first (20 staff at work rather than 20 robots): the
   latency a person then sees, not a capacity. `--mix` adds a load in which each user opens
   the coordinator's pages one after the other (home, pupil list, search, file, inbox,
   agenda, meetings, absence, tasks, agreements, timeline), as a morning's work mixes them.

    DATABASE_URL=postgres://…/carecoord_region REDIS_URL=redis://…/3 .venv/bin/python bench/region.py \
        [--seconds 30] [--users 20] [--workers 2] [--sequential 30] [--port 8765] [--think 0] [--mix]

The machine's load average is printed with the figures: on a shared machine the ratio is the
number to read, not the absolute throughput.
"""

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.region_site.settings"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault("DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

LOGIN = "zorgcoordinator1.r001@regio.test"
COACH = "coach1.r001@regio.test"


def coach_school():
    from accounts.models import School

    return School.objects.get(brin_code="R001").pk


def pages():
    from concerns.models import Concern
    from meetings.models import Meeting
    from referrals.models import Facility
    from students.models import Student

    student = Student.objects.filter(school__brin_code="R001").order_by("pk").first()
    concern_student = Concern.objects.filter(school__brin_code="R001").order_by("pk").first().student
    viproom = Facility.objects.get(school__brin_code="R001", name="Viproom")
    meeting = Meeting.objects.filter(school__brin_code="R001").order_by("-starts_at").first()
    return [
        ("bare view", "/bench/bare/"),
        ("signed-in empty", "/bench/signed-in/"),
        ("layout only", "/bench/layout/"),
        ("home", "/"),
        ("pupil list", "/leerlingen/"),
        ("pupil search", f"/leerlingen/?q={student.last_name[:8]}"),
        ("pupil file", f"/leerlingen/{concern_student.pk}/"),
        ("concern inbox", "/zorg/meldingen/"),
        ("board (coach)", f"/zorg/bord/{viproom.pk}/"),
        ("check-in (coach)", CHECK_IN),
        ("meeting agenda", f"/overleg/{meeting.pk}/"),
        ("meetings", "/overleg/"),
        ("absence overview", "/verzuim/"),
        ("task list", "/taken/"),
        ("agreements", "/overleg/afspraken/"),
        ("pupil file timeline", f"/leerlingen/{student.pk}/"),
    ]


# The measuring pages, not pages of the product: left out of --mix.
NOT_IN_THE_MIX = {"bare view", "signed-in empty", "layout only"}

# The coach's check-in: each simulated user is the coach of another school's viproom (20
# users, 20 schools, as on a real morning) and taps "Inchecken" then "Uitchecken" for one
# placed pupil, alternately, as htmx POSTs that return the board.
CHECK_IN = "check-in"


def coach_taps(n):
    """Per simulated coach: (cookie header, CSRF token, check-in path, check-out path, body)."""
    from referrals.models import Facility, Placement, PlacementKind

    taps = []
    facilities = Facility.objects.filter(name="Viproom", school__brin_code__startswith="R").order_by(
        "school__brin_code"
    )
    for facility in facilities[:n]:
        coach = facility.coaches.order_by("pk").first()
        placement = (
            Placement.objects.active().filter(facility=facility, kind=PlacementKind.CHECK_IN_OUT).order_by("pk").first()
        )
        client = signed_in_client(coach.email, facility.school_id)
        page = client.get(f"/zorg/bord/{facility.pk}/")
        assert page.status_code == 200, page.status_code
        token = page.content.decode().split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]
        cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
        body = f"student={placement.student_id}"
        taps.append(
            (cookie, token, f"/zorg/bord/{facility.pk}/inchecken/", f"/zorg/bord/{facility.pk}/uitchecken/", body)
        )
    return taps


def remove_bench_visits(taps, began):
    """The check-ins of a run leave visits of today on the coaches' boards ("Geweest
    vandaag" grows with each one): remove them, so the next run measures the same boards."""
    from referrals.models import Visit

    Visit.objects.filter(facility__in=[int(t[2].split("/")[3]) for t in taps], checked_in_at__gte=began).delete()


def signed_in_client(email=LOGIN, school_id=None):
    from accounts.models import School, User
    from carecoord.middleware import SESSION_SCHOOL_KEY
    from carecoord.testing import mark_second_factor

    client = Client()
    user = User.objects.get(email=email)
    client.force_login(user)
    mark_second_factor(client, "bench")
    session = client.session
    session[SESSION_SCHOOL_KEY] = school_id or School.objects.get(brin_code="R001").pk
    session.save()
    return client


def query_counts(client, coach, urls, taps, selects=None):
    """The number of SQL queries of one request per page; `selects` (a list) also gets
    (page, SQL) of every SELECT, for --plans."""
    counts = {}

    def reader(name):  # who opens the page: nobody for the bare view, the coach for theirs
        return Client() if name == "bare view" else coach if "(coach)" in name else client

    # Counted as most requests are served: with the menu bar and the drop-downs already kept
    # (carecoord.kept, in this process's memory), not as the first request of the minute.
    for name, url in urls:
        if url != CHECK_IN:
            reader(name).get(url)
    for name, url in urls:
        with CaptureQueriesContext(connection) as queries:
            if url == CHECK_IN:
                _cookie, token, check_in, check_out, body = taps[0]
                student = body.split("=")[1]
                response = coach.post(check_in, {"student": student}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
            else:
                response = reader(name).get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        assert "is al ingecheckt" not in response.content.decode(), "the bench pupil is checked in already"
        counts[name] = len(queries)
        if selects is not None:
            selects.extend((name, q["sql"]) for q in queries.captured_queries if q["sql"].startswith("SELECT"))
        if url == CHECK_IN:
            coach.post(check_out, {"student": student}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    return counts


def slowest_plans(selects, n):
    """EXPLAIN (ANALYZE, BUFFERS) of the n slowest SELECTs of all pages (each timed as the
    best of three runs, so one disturbed run does not pick it)."""
    timed = []
    with connection.cursor() as cursor:
        for name, sql in selects:
            best = float("inf")
            for _ in range(3):
                began = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                best = min(best, time.perf_counter() - began)
            timed.append((best, name, sql))
        timed.sort(reverse=True)
        for best, name, sql in timed[:n]:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"\n### {name}: {best * 1000:.1f} ms (best of 3)\n\n```sql\n{sql}\n```\n\n```\n{plan}\n```")


async def _get(port, path, cookie, post=None):
    """One request on a new connection. `post`: (CSRF token, form body) for an htmx POST.
    A POST counts as an error when the board answers with a refusal (role="alert")."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"Host: 127.0.0.1\r\nCookie: {cookie}\r\nConnection: close\r\n"
    if post is None:
        writer.write(f"GET {path} HTTP/1.1\r\n{head}\r\n".encode())
    else:
        token, body = post
        writer.write(
            f"POST {path} HTTP/1.1\r\n{head}HX-Request: true\r\nX-CSRFToken: {token}\r\n"
            f"Referer: http://127.0.0.1{path}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n{body}".encode()
        )
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
    if post is not None and status == 200 and b"alert-danger" in data:
        return 409
    return status


async def _load(port, path, cookie, users, seconds, taps=None, think=0.0):
    """`users` simulated users, each sending its next request when the last one is answered:
    at once (think 0, the saturating load the ratio to the bare view needs), or after a pause
    of 0.5–1.5 × `think` seconds, as a person reads a page before the next click."""
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds
    paths = path if isinstance(path, list) else [path]  # a list: each user opens them in turn
    pauses = random.Random(22)  # the same pauses in every run

    async def user(n):
        nonlocal errors
        taps_done = opened = 0
        if think:  # people do not all click in the same millisecond: start spread over one pause
            await asyncio.sleep(think * pauses.uniform(0, 1))
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                if taps:  # this user's coach: check in, then out, then in…
                    jar, token, check_in, check_out, body = taps[n]
                    status = await _get(port, (check_in, check_out)[taps_done % 2], jar, post=(token, body))
                    taps_done += 1
                else:
                    status = await _get(port, paths[(n + opened) % len(paths)], cookie)
                    opened += 1
            except OSError:
                status = 0
            if status == 200:
                latencies.append(time.perf_counter() - start)
            else:
                errors += 1
            if think:
                await asyncio.sleep(think * pauses.uniform(0.5, 1.5))
        if taps and taps_done % 2:  # leave the pupil checked out
            jar, token, _check_in, check_out, body = taps[n]
            await _get(port, check_out, jar, post=(token, body))

    if taps:  # one simulated coach per viproom: two tapping the same pupil would refuse each other
        users = min(users, len(taps))
    started = time.perf_counter()
    await asyncio.gather(*(user(n) for n in range(users)))
    elapsed = time.perf_counter() - started
    return latencies, errors, elapsed


def _pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000 if values else float("nan")


def sequential(port, path, cookie, n, taps=None):
    times = []
    for i in range(n + n % 2 if taps else n):
        start = time.perf_counter()
        if taps:
            jar, token, check_in, check_out, body = taps[0]
            status = asyncio.run(_get(port, (check_in, check_out)[i % 2], jar, post=(token, body)))
        else:
            status = asyncio.run(_get(port, path, cookie))
        if status == 200:
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000 if times else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sequential", type=int, default=30)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--mix",
        action="store_true",
        help="also a load in which each user opens the coordinator's pages in turn (a morning's mix)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds a user reads a page before the next click (0.5-1.5 x this; default 0: no pause)",
    )
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--plans", type=int, default=0, help="print the plans of the N slowest queries and stop")
    args = parser.parse_args()

    urls = pages()
    if args.only:
        wanted = {w.strip() for w in args.only.split(",")} | {"bare view"}
        urls = [(n, u) for n, u in urls if n in wanted]
    client = signed_in_client()
    from django.utils import timezone

    began = timezone.now()
    taps = coach_taps(args.users)
    coach = signed_in_client(COACH, coach_school())
    selects = [] if args.plans else None
    counts = query_counts(client, coach, urls, taps, selects)
    if args.plans:
        remove_bench_visits(taps, began)
        slowest_plans(selects, args.plans)
        return
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    coach_cookie = f"{settings.SESSION_COOKIE_NAME}={coach.cookies[settings.SESSION_COOKIE_NAME].value}"

    env = {**os.environ, "GUNICORN_ACCESS_LOG": "/dev/null", "GUNICORN_BIND": f"127.0.0.1:{args.port}"}
    env["GUNICORN_WORKERS"] = str(args.workers)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "carecoord.wsgi",
            "--env",
            "DJANGO_SETTINGS_MODULE=bench.region_site.settings",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                if asyncio.run(_get(args.port, "/bench/bare/", "")) == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start: " + server.stderr.read().decode()[-2000:])
        for _name, url in urls:  # warm up every worker
            for _ in range(args.workers * 2):
                if url != CHECK_IN:
                    asyncio.run(_get(args.port, url, coach_cookie if "(coach)" in _name else cookie))

        print(f"load average before: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
        print(f"gunicorn {args.workers} sync workers, {args.users} concurrent users, {args.seconds:.0f} s per page")
        if len(taps) < args.users:
            print(f"check-in: {len(taps)} coaches tapping (one per viproom of the region)")
        if args.think:
            print(
                f"each user pauses {args.think / 2:g}–{args.think * 1.5:g} s between requests: req/s is the load "
                "offered, not what the server can do, so the ratio to the bare view says nothing here"
            )
        print()
        print(
            f"{'page':<24}{'queries':>8}{'server ms':>11}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>7}{'of bare':>9}"
        )
        results = {}
        bare_runs = []
        order = [*urls, urls[0]]  # the bare view first and last
        for name, url in order:
            jar = "" if name == "bare view" else coach_cookie if "(coach)" in name else cookie  # bare: no session
            page_taps = taps if url == CHECK_IN else None
            server_ms = sequential(args.port, url, jar, args.sequential, page_taps)
            latencies, errors, elapsed = asyncio.run(
                _load(args.port, url, jar, args.users, args.seconds, page_taps, args.think)
            )
            rps = len(latencies) / elapsed
            if name == "bare view":
                bare_runs.append(rps)
            results.setdefault(name, []).append((server_ms, rps, latencies, errors))
        bare = statistics.mean(bare_runs)

        def row(name, queries, server_ms, rps, latencies, errors):
            print(
                f"{name:<24}{queries:>8}{server_ms:>11}{rps:>8.1f}{_pct(latencies, 0.5):>8.0f}"
                f"{_pct(latencies, 0.95):>8.0f}{_pct(latencies, 0.99):>8.0f}{errors:>7}"
                + (f"{'–':>9}" if args.think else f"{rps / bare:>8.1%}")  # with pauses no capacity: no ratio
            )

        for name, _url in urls:
            server_ms, rps, latencies, errors = results[name][0]
            row(name, counts[name], f"{server_ms:.1f}", rps, latencies, errors)
        if args.mix:
            # All of the coordinator's pages, whatever --only chose for the rows above.
            mixed = [url for name, url in pages() if name not in NOT_IN_THE_MIX and "(coach)" not in name]
            latencies, errors, elapsed = asyncio.run(
                _load(args.port, mixed, cookie, args.users, args.seconds, think=args.think)
            )
            row(f"mix of {len(mixed)} pages", "–", "–", len(latencies) / elapsed, latencies, errors)
        print(f"\nbare view: {bare_runs[0]:.0f} req/s at the start, {bare_runs[-1]:.0f} at the end")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        remove_bench_visits(taps, began)


if __name__ == "__main__":
    main()
