"""`make run`'s scheduler: a Celery worker with beat on the local folder broker (kombu's
filesystem transport, no server) runs the periodic tasks. A meeting moved to tomorrow gets
its 1-day reminder in the outbox from beat, within the test's time."""

import os
import signal
import subprocess
import sys
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from carecoord.testing import wait_until, worker_database_url
from meetings.models import MeetingKind
from meetings.services import meeting_create, meeting_update
from notifications.models import Notification

pytestmark = pytest.mark.worker


@pytest.fixture
def embedded_worker(transactional_db, tmp_path):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=worker_database_url(),
        CELERY_BROKER_URL="filesystem://",
        CELERY_BROKER_FOLDER=str(tmp_path / "broker"),
        CELERY_TASK_ALWAYS_EAGER="false",
        MEETINGS_REMINDER_SECONDS="2",
        EMAIL_URL="consolemail://",
    )
    env.pop("REDIS_URL", None)
    celery = Path(sys.executable).with_name("celery")
    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115 (closed below)
    # The same command as scripts/run-dev (without a broker of one's own).
    process = subprocess.Popen(
        [
            str(celery),
            "-A",
            "carecoord",
            "worker",
            "--beat",
            "--schedule",
            str(tmp_path / "beat"),
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process, tmp_path / "worker.log"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def test_embedded_worker_with_beat_sends_the_reminder_of_a_meeting_moved_to_tomorrow(
    embedded_worker, school, coordinator, mentor
):
    process, log = embedded_worker
    later = timezone.localdate() + timedelta(days=14)
    meeting = meeting_create(
        school=school,
        actor=coordinator,
        kind=MeetingKind.OT,
        title="OT",
        day=later,
        start_time=time(9, 0),
        end_time=time(10, 0),
        participants=[mentor],
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    # 00:05 tomorrow: less than a day ahead, so the 1-day reminder is due now.
    meeting_update(
        meeting=meeting, actor=coordinator, title="OT", day=tomorrow, start_time=time(0, 5), end_time=time(1, 0)
    )
    reminders = Notification.objects.filter(key__startswith=f"meetings:reminder_1d:{meeting.pk}:")
    if not wait_until(lambda: reminders.exists(), timeout=90):
        pytest.fail("no reminder from the embedded scheduler; worker log:\n" + log.read_text()[-3000:])
    assert process.poll() is None
    assert set(reminders.values_list("recipient", flat=True)) <= {mentor.pk, coordinator.pk}
    assert reminders.filter(recipient=mentor).count() == 1
