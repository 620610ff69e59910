"""Geplande taken: each periodic task with its last run; a task whose last run is older than
its schedule allows is flagged."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import PeriodicRun
from jobs.schedule import record_end, record_start, scheduled_tasks


def _row(task):
    return next(r for r in scheduled_tasks() if r.task == task)


def test_a_task_that_ran_on_time_is_not_flagged_and_one_that_stopped_is(client, beheerder, school):
    now = timezone.now()
    record_start("notifications.tasks.notifications_sweep", now=now - timedelta(seconds=30))
    record_end("notifications.tasks.notifications_sweep", ok=True, result="0", now=now - timedelta(seconds=29))
    record_start("meetings.tasks.meetings_send_reminders", now=now - timedelta(hours=2))  # every 5 minutes
    assert not _row("notifications.tasks.notifications_sweep").late
    assert _row("meetings.tasks.meetings_send_reminders").late
    client.force_login(beheerder)
    page = client.get("/beheer/geplande-taken/")
    assert page.status_code == 200
    assert '<tr class="table-danger" data-testid="schedule-meetings.tasks.meetings_send_reminders">' in page.text
    assert '<tr class="" data-testid="schedule-notifications.tasks.notifications_sweep">' in page.text
    assert "niet gedraaid toen het moest." in page.text
    assert "todo: daily digest" in page.text


def test_the_daily_digest_is_late_after_a_missed_morning(school):
    now = timezone.now()
    record_start("todo.tasks.todo_send_digest", now=now - timedelta(days=4))
    assert _row("todo.tasks.todo_send_digest").late


def test_a_worker_run_records_the_periodic_task(school):
    from jobs.tasks import jobs_sweep

    jobs_sweep.apply()
    run = PeriodicRun.objects.get(task="jobs.tasks.jobs_sweep")
    assert run.last_started_at and run.last_ok is True


@pytest.mark.denies("school.view_schedule")
def test_mentor_cannot_open_the_scheduler_page(client, mentor):
    client.force_login(mentor)
    assert client.get("/beheer/geplande-taken/").status_code == 403
