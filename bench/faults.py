"""Faults injected from outside into a production-like stack, counted (issue 14, "Done when").

    .venv/bin/python bench/faults.py          # BENCH_SCENARIOS=13 runs only scenarios 1 and 3

Starts its own PostgreSQL, Redis, gunicorn (2 workers), a Celery worker (prefork, 2
processes) with beat, and a real SMTP server (aiosmtpd, 30 ms per message), all on free
ports (carecoord/faults.py; the people and data of the scenarios in carecoord/fault_scenarios.py); the shared PostgreSQL and Redis are never touched. Then:

1. database: a fan-out of 800 reminders (100 meetings × 8); PostgreSQL stopped
   (`pg_ctl stop -m fast`) for 15 s once a quarter has arrived.
2. broker: Redis stopped; a mentor posts a concern through the web form; Redis back
   after 15 s; the coordinator's mail must follow.
3. worker: a fan-out of 800; the worker and its pool killed (SIGKILL) twice, restarted
   after 2 s each time.

Prints per scenario: rows, mails received, distinct Message-IDs, duplicates by
Message-ID (mails beyond one per Message-ID), lost (rows never received), rows resent
after a crash, the HTTP answer, and the recovery time (fault over → last mail in).
"""

import contextlib
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")

from carecoord import fault_scenarios, faults  # noqa: E402

MEETINGS = 100
PARTICIPANTS = 8


def counts(stack, tag, expected, fault_over):
    mails = [m for m in stack.smtp.messages if m.to.endswith(f"-{tag}@fault.test")]
    stored = {
        row[0]
        for row in stack.sql(
            "SELECT message_id FROM notifications_notification "
            f"WHERE kind = 'meetings.reminder_1d' AND to_email LIKE '%-{tag}@fault.test'"
        )
    }
    per_id = Counter(m.message_id for m in mails)
    sent, pending, sending, failed, resends = stack.sql(fault_scenarios.OUTBOX_COUNTS.format(tag=tag))[0]
    last = max(m.at for m in mails) if mails else fault_over
    return {
        "rows": len(stored),
        "expected": expected,
        "mails received": len(mails),
        "distinct Message-IDs": len(per_id),
        "duplicates by Message-ID": sum(n - 1 for n in per_id.values()),
        "lost (rows never received)": len(stored - set(per_id)),
        "foreign Message-IDs": len(set(per_id) - stored),
        "rows sent/pending/sending/failed": f"{sent}/{pending}/{sending}/{failed}",
        "rows resent after a crash": resends,
        "recovery (fault over -> last mail) s": round(last - fault_over, 1),
    }


def wait_all_sent(stack, tag, expected, timeout):
    query = fault_scenarios.OUTBOX_COUNTS.format(tag=tag)
    try:
        faults.wait_for(lambda: stack.sql(query)[0][0] + stack.sql(query)[0][3] >= expected, timeout=timeout)
    except TimeoutError:
        print(f"  (not all sent after {timeout} s)")
    time.sleep(3)  # anything sent twice arrives now


def database_down(stack):
    expected = MEETINGS * PARTICIPANTS
    # The scheduler queues all 800 (sent while it goes on) before the database stops.
    stack.run(fault_scenarios.fan_out_code(MEETINGS, PARTICIPANTS, tag="db"))
    faults.wait_for(
        lambda: sum(m.to.endswith("-db@fault.test") for m in stack.smtp.messages) >= expected // 4, timeout=120
    )
    stack.stop_postgres()
    before = sum(m.to.endswith("-db@fault.test") for m in stack.smtp.messages)
    time.sleep(15)
    stack.start_postgres()
    fault_over = time.monotonic()
    print(f"  (database stopped after {before} of {expected} mails)", flush=True)
    wait_all_sent(stack, "db", expected, timeout=300)
    return counts(stack, "db", expected, fault_over)


def broker_down(stack, pupil, category):
    mentor = fault_scenarios.WebUser(stack.url)
    mentor.login("mentor@fault.test")
    stack.stop_redis()
    started = time.monotonic()
    status, page, url = mentor.post_form(
        "/zorg/meldingen/nieuw/",
        {"student": pupil, "category": category, "observation": "Bench: broker weg.", "urgency": "2"},
    )
    answered = time.monotonic() - started
    time.sleep(max(0, 15 - answered))
    stack.start_redis()
    back = time.monotonic()
    with contextlib.suppress(TimeoutError):
        faults.wait_for(lambda: [m for m in stack.smtp.messages if m.to == "zc@fault.test"], timeout=300)
    arrived = [m for m in stack.smtp.messages if m.to == "zc@fault.test"]
    return {
        "HTTP answer": f"{status} {url.removeprefix(stack.url)} ({answered:.1f} s)",
        "success shown": "Je zorgmelding is verstuurd." in page,
        "error page": "Er ging iets mis" in page,
        "concerns stored": stack.sql("SELECT count(*) FROM concerns_concern")[0][0],
        "mails to the coordinator": len(arrived),
        "broker back -> mail in s": round(arrived[0].at - back, 1) if arrived else None,
    }


def worker_killed(stack):
    expected = MEETINGS * PARTICIPANTS
    scheduler = stack.run_in_background(fault_scenarios.fan_out_code(MEETINGS, PARTICIPANTS, tag="kill"))

    def received():
        return sum(m.to.endswith("-kill@fault.test") for m in stack.smtp.messages)

    for fraction in (4, 2):
        faults.wait_for(lambda f=fraction: received() >= expected // f, timeout=120, interval=0.05)
        at = received()
        stack.stop_worker(kill=True)
        print(f"  (worker killed at {at} of {expected} mails; {received()} once it was gone)", flush=True)
        time.sleep(2)
        stack.start_worker()
    fault_over = time.monotonic()
    scheduler.communicate()
    wait_all_sent(stack, "kill", expected, timeout=400)
    return counts(stack, "kill", expected, fault_over)


def main():
    missing = faults.missing_parts()
    if missing:
        sys.exit(f"needs: {', '.join(missing)}")
    started = time.monotonic()
    with faults.Stack(smtp_delay=0.03) as stack:
        stack.migrate()
        pupil, category = stack.run(fault_scenarios.SEED).split()[-2:]
        stack.start_web()
        stack.start_worker()
        print(f"stack up in {time.monotonic() - started:.0f} s")
        chosen = os.environ.get("BENCH_SCENARIOS", "123")
        for number, title, scenario in (
            ("1", "1. PostgreSQL down 15 s during a fan-out of 800 reminders", lambda: database_down(stack)),
            ("2", "2. Redis down 15 s while a mentor posts a concern", lambda: broker_down(stack, pupil, category)),
            ("3", "3. worker and pool SIGKILLed twice during a fan-out of 800", lambda: worker_killed(stack)),
        ):
            if number not in chosen:
                continue
            print(title, flush=True)
            for name, value in scenario().items():
                print(f"  {name}: {value}", flush=True)
    print(f"done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
