"""Faults injected into a production-like stack of our own (carecoord/faults.py): its own
PostgreSQL and Redis on free ports, gunicorn, a Celery worker with beat, a real SMTP
server (aiosmtpd). Never the shared PostgreSQL or Redis.

The tests run in file order and share one stack (starting it costs ~30 s): the concern
is posted with the broker down first, the fan-out runs while its mail waits for the
sweep, and the last-but-one test checks that the mail arrived in time.
"""

import time

import pytest

from carecoord import fault_scenarios, faults
from carecoord.testing import IN_CI

pytestmark = pytest.mark.worker

FAN_OUT_MEETINGS = 40  # × 8 participants = 320 reminders
DATABASE_DOWN_SECONDS = 8
BROKER_DOWN_SECONDS = 5
state = {}


@pytest.fixture(scope="module")
def stack():
    missing = faults.missing_parts()
    if missing:
        if IN_CI:
            pytest.fail(f"CI=true but the fault tests lack: {', '.join(missing)}")
        pytest.skip(f"needs {', '.join(missing)}")
    # 40 ms per message, as a real mail server takes: the fan-out lasts ~7 s, time to stop the database.
    with faults.Stack(smtp_delay=0.04) as stack:
        stack.migrate()
        state["pupil"], state["category"] = stack.run(fault_scenarios.SEED).split()[-2:]
        stack.start_web()
        stack.start_worker()
        yield stack


def test_a_concern_posted_with_the_broker_down_answers_success_and_is_kept(stack):
    mentor = fault_scenarios.WebUser(stack.url)
    mentor.login("mentor@fault.test")
    stack.stop_redis()
    status, page, url = mentor.post_form(
        "/zorg/meldingen/nieuw/",
        {
            "student": state["pupil"],
            "category": state["category"],
            "observation": "Zit stil achterin (fouttest).",
            "urgency": "2",
        },
    )
    assert (status, url) == (200, stack.url + "/zorg/meldingen/mijn/")
    assert "Je zorgmelding is verstuurd." in page
    assert "Er ging iets mis" not in page
    assert stack.sql("SELECT count(*) FROM concerns_concern") == [(1,)]
    assert stack.sql("SELECT state, to_email FROM notifications_notification") == [("pending", "zc@fault.test")]
    # /healthz with the broker down (and a session cookie): 503 JSON.
    status, body, headers = mentor.get("/healthz")
    assert status == 503 and headers["Content-Type"] == "application/json"
    assert '"broker": "down"' in body
    time.sleep(BROKER_DOWN_SECONDS)
    stack.start_redis()
    state["broker_back"] = time.monotonic()


def test_a_fan_out_with_the_database_stopped_midway_sends_every_row_exactly_once_by_message_id(stack):
    coordinator = fault_scenarios.WebUser(stack.url)
    coordinator.login("zc@fault.test")
    expected = FAN_OUT_MEETINGS * 8
    # The scheduler queues all of them (in batches, sent while it goes on) before the stop.
    assert stack.run(fault_scenarios.fan_out_code(FAN_OUT_MEETINGS)).split()[-1] == str(expected)

    def reminders():
        return [m for m in stack.smtp.messages if m.to.startswith("deelnemer")]

    faults.wait_for(lambda: len(reminders()) >= expected // 4, timeout=60, what="the fan-out to start")
    stack.stop_postgres()
    sent_before = len(reminders())
    assert sent_before < expected, "the fan-out ended before the database stopped: no fault injected"
    status, body, headers = coordinator.get("/healthz")  # the request carries the session cookie
    assert status == 503 and headers["Content-Type"] == "application/json"
    assert '"database": "down"' in body
    time.sleep(DATABASE_DOWN_SECONDS)
    stack.start_postgres()

    query = fault_scenarios.OUTBOX_COUNTS.format(tag="a")
    faults.wait_for(lambda: stack.sql(query)[0][0] == expected, timeout=120, what="every reminder to be sent")
    time.sleep(2)  # anything sent twice would arrive now
    ids = [m.message_id for m in reminders()]
    stored = {
        row[0]
        for row in stack.sql("SELECT message_id FROM notifications_notification WHERE kind = 'meetings.reminder_1d'")
    }
    assert len(ids) == expected  # every row arrived, none twice
    assert set(ids) == stored  # each with its own row's Message-ID
    assert stack.sql(query) == [(expected, 0, 0, 0, 0)]  # sent, pending, sending, failed, resends


def test_the_concern_mail_arrives_within_two_minutes_of_the_broker_returning(stack):
    arrived = faults.wait_for(
        lambda: [m for m in stack.smtp.messages if m.to == "zc@fault.test"],
        timeout=max(1, 150 - (time.monotonic() - state["broker_back"])),
        what="the concern's mail",
    )
    assert len(arrived) == 1
    assert arrived[0].at - state["broker_back"] < 120
    assert stack.sql("SELECT state FROM notifications_notification WHERE to_email = 'zc@fault.test'") == [("sent",)]


def test_postgres_logged_no_failing_statement_and_the_access_log_no_search_terms(stack):
    searcher = fault_scenarios.WebUser(stack.url)
    searcher.login("zc@fault.test")
    searcher.get("/leerlingen/?q=Proef")
    # The same message queued twice: the second insert is not an error, so nothing is logged.
    stack.run(
        "from accounts.models import User\n"
        "from notifications.services import notification_queue\n"
        "u = User.objects.get(email='zc@fault.test')\n"
        "for _ in range(2):\n"
        "    notification_queue(key='fault:dup', recipient=u, kind='x', template='accounts/email/welcome_back',"
        " context={'link': 'x'})\n"
    )
    postgres_log = stack.log("postgres")
    assert "duplicate key" not in postgres_log
    assert not _failing_statements(postgres_log)
    access_log = (stack.dir / "access.log").read_text()
    assert "GET /leerlingen/ " in access_log
    assert "Proef" not in access_log and "q=" not in access_log


def _failing_statements(postgres_log: str) -> list[str]:
    """The statements PostgreSQL logged with an error. A query that was running when the
    fan-out test stopped the database (`pg_ctl stop -m fast`) is logged too, after "FATAL:
    terminating connection due to administrator command": that is the injected fault, not
    a failing statement of ours, so it does not count."""
    last_by_pid, failing = {}, []
    for line in postgres_log.splitlines():
        pid = line.split("[", 1)[1].split("]", 1)[0] if "[" in line else ""
        if "STATEMENT:" in line and "terminating connection due to administrator command" not in last_by_pid.get(
            pid, ""
        ):
            failing.append(line)
        last_by_pid[pid] = line
    return failing


def test_a_statement_cut_off_by_the_injected_stop_is_not_a_failing_statement():
    stopped = (
        "2026-11-27 19:42:57.836 CET [1378] FATAL:  terminating connection due to administrator command\n"
        "2026-11-27 19:42:57.836 CET [1378] STATEMENT:  SELECT set_config('TimeZone', 'UTC', false)\n"
    )
    failed = (
        "2026-11-27 19:42:58.000 CET [1400] ERROR:  duplicate key value violates unique constraint\n"
        "2026-11-27 19:42:58.000 CET [1400] STATEMENT:  INSERT INTO x VALUES (1)\n"
    )
    assert _failing_statements(stopped) == []
    assert len(_failing_statements(stopped + failed)) == 1
