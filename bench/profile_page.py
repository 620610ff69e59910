"""Profile one page of bench/region.py in this process (Django's test client, the whole
stack) on the region database: CPU and wall ms per request, the SQL of one request, and
cProfile's table. The tool behind the per-page figures in docs/performance.md.

    DATABASE_URL=postgres://…/carecoord_region REDIS_URL=redis://…/3 \\
        PAGE="pupil list" N=20 SQL=1 TOP=60 SORT=cumulative .venv/bin/python bench/profile_page.py

PAGE is a name from bench/region.py's pages(); on a shared machine compare the CPU ms and
the function-call count (exact), not the wall time.
"""

import cProfile
import importlib.util
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
spec = importlib.util.spec_from_file_location("region_bench", ROOT / "bench" / "region.py")
region = importlib.util.module_from_spec(spec)
spec.loader.exec_module(region)  # sets up Django with the bench's settings

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main():
    which = os.environ.get("PAGE", "pupil list")
    n = int(os.environ.get("N", 20))
    urls = dict(region.pages())
    client = region.signed_in_client()
    coach = region.signed_in_client(region.COACH, region.coach_school())
    from django.utils import timezone

    since = timezone.now()
    taps = region.coach_taps(1)

    def one(i=0):
        url = urls[which]
        if url == region.CHECK_IN:  # check in, then out, alternately
            _cookie, token, check_in, check_out, body = taps[0]
            student = body.split("=")[1]
            response = coach.post(
                (check_in, check_out)[i % 2], {"student": student}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token
            )
        else:
            response = (coach if "(coach)" in which else client).get(url)
        assert response.status_code == 200, response.status_code

    for i in range(4):  # warm up (and leave the pupil checked out: an even number)
        one(i)
    began, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        one(i)
    print(
        f"{which}: wall {(time.perf_counter() - began) * 1000 / n:.1f} ms, "
        f"CPU {(time.process_time() - cpu) * 1000 / n:.1f} ms per request"
    )
    if os.environ.get("SQL"):
        with CaptureQueriesContext(connection) as queries:
            one(0)
        for query in queries.captured_queries:
            print(query["time"], query["sql"][:300])
        one(1)
    profile = cProfile.Profile()
    profile.enable()
    for i in range(n + n % 2):
        one(i)
    profile.disable()
    region.remove_bench_visits(taps, since)
    stats = pstats.Stats(profile)
    stats.sort_stats(os.environ.get("SORT", "cumulative")).print_stats(int(os.environ.get("TOP", 45)))


if __name__ == "__main__":
    main()
