from datetime import timedelta

import pytest
from celery import shared_task
from kombu.exceptions import OperationalError

from jobs import services
from jobs.models import DeferredJob

pytestmark = pytest.mark.django_db

RUNS = []


@shared_task(name="jobs.tests.record")
def record(school_id):
    RUNS.append(school_id)


@shared_task(name="jobs.tests.explode")
def explode(school_id):
    raise ValueError("pupil Daan Jansen")  # a message that must not reach the log


@pytest.fixture(autouse=True)
def _clean():
    RUNS.clear()


def age(minutes: float) -> None:
    for job in DeferredJob.objects.all():
        job.requested_at -= timedelta(minutes=minutes)
        job.save(update_fields=["requested_at"])


def test_a_deferred_job_runs_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.job_defer(record, 7)
        services.job_defer(record, 7)  # asked twice in one transaction: one row
    assert RUNS == []  # nothing before the commit
    assert DeferredJob.objects.get().key == "jobs.tests.record:7"
    callbacks[0]()
    assert RUNS == [7]
    callbacks[1]()  # the second queue message finds nothing left to do
    assert RUNS == [7]
    assert DeferredJob.objects.needed().count() == 0


def test_a_job_asked_for_with_the_broker_down_is_stored_and_swept(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from jobs import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.job_run, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):  # no exception reaches the caller
        services.job_defer(record, 3)
    assert RUNS == []
    assert "could not queue jobs.tasks.job_run" in caplog.text
    assert DeferredJob.objects.get().queue_failed  # the next sweep takes it, whatever its age
    assert services.jobs_sweep() == 1
    assert RUNS == [3]
    assert services.jobs_sweep() == 0


def test_asked_again_after_a_run_means_run_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.job_defer(record, 5)
    with django_capture_on_commit_callbacks(execute=True):
        services.job_defer(record, 5)
    assert RUNS == [5, 5]


def test_a_failing_job_is_recorded_without_its_message_and_tried_again_later(caplog):
    services.job_defer(explode, 1)
    with pytest.raises(ValueError):
        services.job_run(key="jobs.tests.explode:1")
    job = DeferredJob.objects.get()
    assert (job.attempts, job.last_error, job.running_since) == (1, "ValueError", None)
    assert job.next_attempt_at is not None
    age(minutes=5)
    assert services.jobs_sweep() == 0  # still in its pause
    assert "Daan" not in caplog.text


def test_a_job_whose_queue_message_was_lost_is_swept_after_a_minute(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the message never reaches a worker
        services.job_defer(record, 4)
    assert services.jobs_sweep() == 0  # younger than a minute: its own message may still come
    age(minutes=1.5)
    assert services.jobs_sweep() == 1
    assert RUNS == [4]


def test_absence_policy_change_stores_a_recompute_for_the_sweep(
    school, coordinator, django_capture_on_commit_callbacks
):
    from absence.services import absence_policy_save

    with django_capture_on_commit_callbacks(execute=False):
        absence_policy_save(school=school, actor=coordinator)
    job = DeferredJob.objects.get()
    assert (job.task, job.args) == ("absence.tasks.signals_compute_school", [school.pk])
    age(minutes=1.5)
    assert services.jobs_sweep() == 1
    assert DeferredJob.objects.needed().count() == 0
