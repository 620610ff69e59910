"""Benchmark: the main pages at region scale, beside a bare Django view in the same run.

Needs a database built with `manage.py seed_region` (50 schools, 100,000 pupils). Starts
gunicorn (production settings: DEBUG off, the Redis cache when REDIS_URL is set) on that
database with the application's URLs plus `/bench/bare/` (bench/region_site: the whole
middleware stack, one indexed query), signs in as a zorgcoördinator of school R001, then:

1. server time, one request at a time: per page the median of N sequential requests (the
   time gunicorn's worker spends, as the client sees it on localhost), and the number of SQL
   queries of one request (Django's test client in this process, same database);
2. load: C concurrent users for S seconds per page (a small asyncio client, a new
   connection per request, as gunicorn's sync workers close it), printing requests/s, p50,
   p95, p99, errors, and the ratio of requests/s to the bare view measured in the same run
   (at the start and at the end, averaged).

    DATABASE_URL=postgres://…/carecoord_region REDIS_URL=redis://…/3 .venv/bin/python bench/region.py \
        [--seconds 30] [--users 20] [--workers 2] [--sequential 30] [--port 8765]

The machine's load average is printed with the figures: on a shared machine the ratio is the
number to read, not the absolute throughput.
"""

import argparse
import asyncio
import os
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


def pages():
    from concerns.models import Concern
    from students.models import Student

    student = Student.objects.filter(school__brin_code="R001").order_by("pk").first()
    concern_student = Concern.objects.filter(school__brin_code="R001").order_by("pk").first().student
    return [
        ("bare view", "/bench/bare/"),
        ("home", "/"),
        ("pupil list", "/leerlingen/"),
        ("pupil search", f"/leerlingen/?q={student.last_name[:8]}"),
        ("pupil file", f"/leerlingen/{concern_student.pk}/"),
        ("concern inbox", "/zorg/meldingen/"),
        ("absence overview", "/verzuim/"),
        ("task list (afspraken)", "/overleg/afspraken/"),
        ("meetings", "/overleg/"),
        ("pupil file timeline", f"/leerlingen/{student.pk}/"),
    ]


def signed_in_client():
    from accounts.models import School, User
    from carecoord.middleware import SESSION_SCHOOL_KEY
    from carecoord.testing import mark_second_factor

    client = Client()
    user = User.objects.get(email=LOGIN)
    client.force_login(user)
    mark_second_factor(client, "bench")
    session = client.session
    session[SESSION_SCHOOL_KEY] = School.objects.get(brin_code="R001").pk
    session.save()
    return client


def query_counts(client, urls):
    counts = {}
    for name, url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = (Client() if name == "bare view" else client).get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        counts[name] = len(queries)
    return counts


async def _get(port, path, cookie):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
    return status


async def _load(port, path, cookie, users, seconds):
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds

    async def user():
        nonlocal errors
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                status = await _get(port, path, cookie)
            except OSError:
                status = 0
            if status == 200:
                latencies.append(time.perf_counter() - start)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(user() for _ in range(users)))
    elapsed = time.perf_counter() - started
    return latencies, errors, elapsed


def _pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000 if values else float("nan")


def sequential(port, path, cookie, n):
    times = []
    for _ in range(n):
        start = time.perf_counter()
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
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args()

    urls = pages()
    if args.only:
        wanted = {w.strip() for w in args.only.split(",")} | {"bare view"}
        urls = [(n, u) for n, u in urls if n in wanted]
    client = signed_in_client()
    counts = query_counts(client, urls)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

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
                asyncio.run(_get(args.port, url, cookie))

        print(f"load average before: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
        print(f"gunicorn {args.workers} sync workers, {args.users} concurrent users, {args.seconds:.0f} s per page\n")
        print(
            f"{'page':<24}{'queries':>8}{'server ms':>11}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>7}{'of bare':>9}"
        )
        results = {}
        bare_runs = []
        order = [*urls, urls[0]]  # the bare view first and last
        for name, url in order:
            jar = "" if name == "bare view" else cookie  # the bare view: no session either
            server_ms = sequential(args.port, url, jar, args.sequential)
            latencies, errors, elapsed = asyncio.run(_load(args.port, url, jar, args.users, args.seconds))
            rps = len(latencies) / elapsed
            if name == "bare view":
                bare_runs.append(rps)
            results.setdefault(name, []).append((server_ms, rps, latencies, errors))
        bare = statistics.mean(bare_runs)
        for name, _url in urls:
            server_ms, rps, latencies, errors = results[name][0]
            print(
                f"{name:<24}{counts[name]:>8}{server_ms:>11.1f}{rps:>8.1f}{_pct(latencies, 0.5):>8.0f}"
                f"{_pct(latencies, 0.95):>8.0f}{_pct(latencies, 0.99):>8.0f}{errors:>7}{rps / bare:>8.1%}"
            )
        print(f"\nbare view: {bare_runs[0]:.0f} req/s at the start, {bare_runs[-1]:.0f} at the end")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
