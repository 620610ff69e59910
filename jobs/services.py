"""Queueing after commit that never breaks a saved action, and deferred work that is
stored first and swept.

`queue_after_commit` is the one way every service hands work to Celery: the task is
published when the transaction commits, and when the broker cannot be reached the
failure is logged and nothing else happens. The work itself was stored in the same
transaction (an outbox row, a DeferredJob), so the periodic sweep does it a minute or
two later. The user who saved sees success, because the save did succeed.
"""

import logging
import time
import uuid
from datetime import timedelta

from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import DeferredJob

log = logging.getLogger(__name__)

# A database that is restarting or unreachable: worth trying again, unlike a bad query.
DATABASE_ERRORS = (OperationalError, InterfaceError)
# The sweep takes work that waited longer than this for its queue message.
SWEEP_AFTER = timedelta(minutes=1)
# A run that started longer ago than this is taken to be dead (its worker was killed).
JOB_TIMEOUT = timedelta(minutes=30)
MAX_FAILURES = 8


def queue_after_commit(task, *args, on_failure=None) -> None:
    """Publish `task(*args)` when the current transaction commits (at once outside one).

    Never raises: a broker that is down, or (eager, without a broker) a task that fails,
    is logged by name and ids only, and the stored work waits for its sweep.
    `on_failure()` then marks the stored work, so the next sweep takes it at once
    instead of after a minute.
    """
    transaction.on_commit(lambda: publish(task, *args, on_failure=on_failure))


def publish(task, *args, on_failure=None) -> bool:
    try:
        # Give up quickly: the request that saved is waiting, and the sweep is the fallback.
        task.apply_async(args=args, retry_policy={"max_retries": 1, "interval_start": 0.2})
    except Exception as exc:  # broker down, or the eager task itself failed
        # Name and ids only: an exception's text may quote data. Without a broker (tests,
        # `make run`) the task ran in-process and its traceback helps the developer.
        log.warning(
            "could not queue %s%s (%s); the sweep will do it",
            task.name,
            list(args),
            type(exc).__name__,
            exc_info=task.app.conf.task_always_eager,
        )
        if on_failure is not None:
            try:
                on_failure()
            except Exception as mark_exc:  # the database is away too: the sweep still finds it later
                log.warning("could not mark %s%s as not queued (%s)", task.name, list(args), type(mark_exc).__name__)
        return False
    return True


def wait_for_database(attempt: int) -> None:
    """After a database error outside a transaction: drop the broken connection and
    wait a little longer each time (0.5 s, 1 s, 2 s … at most 10 s)."""
    if not connection.in_atomic_block:
        connection.close()
    time.sleep(min(0.5 * 2**attempt, 10.0))


def with_database_retries(func, *, patience: float):
    """Call `func()` until it gets through a database outage, for at most `patience`
    seconds; then the last error is raised."""
    deadline = time.monotonic() + patience
    attempt = 0
    while True:
        try:
            return func()
        except DATABASE_ERRORS as exc:
            if connection.in_atomic_block or time.monotonic() > deadline:
                raise
            log.warning("database unavailable (%s); trying again", type(exc).__name__)
            wait_for_database(attempt)
            attempt += 1


# --- Deferred jobs --------------------------------------------------------------------------


def job_defer(task, *args, key: str | None = None) -> None:
    """Ask for `task(*args)` to run after the current transaction commits.

    Call inside the service's transaction: the request is stored with the change that
    needs it. Asking again before it ran means it runs once; asking while it runs means
    one more run afterwards. No statement here can fail on a duplicate (an insert that
    ignores conflicts, then an update), so PostgreSQL logs nothing.
    """
    key = key or f"{task.name}:{':'.join(str(a) for a in args)}"
    now = timezone.now()
    DeferredJob.objects.bulk_create(
        [DeferredJob(key=key, task=task.name, args=list(args), requested_at=now)], ignore_conflicts=True
    )
    DeferredJob.objects.filter(key=key).update(
        # A new request is a fresh start: earlier failures no longer hold it back.
        generation=F("generation") + 1,
        requested_at=now,
        task=task.name,
        args=list(args),
        next_attempt_at=None,
        attempts=0,
    )
    from . import tasks

    queue_after_commit(
        tasks.job_run, key, on_failure=lambda: DeferredJob.objects.filter(key=key).update(queue_failed=True)
    )


def _claim(key: str, now):
    """Start a run of `key` if it is needed and nobody runs it: (token, generation) or None.
    Its own committed transaction, so another worker sees the claim at once."""
    token = uuid.uuid4()
    with transaction.atomic():
        claimed = (
            DeferredJob.objects.needed()
            .filter(key=key)
            .filter(Q(running_since__isnull=True) | Q(running_since__lt=now - JOB_TIMEOUT))
            .update(running_since=now, run_token=token)
        )
        if not claimed:
            return None
        job = DeferredJob.objects.get(key=key)
    return job, token


def job_run(*, key: str) -> int:
    """Run the job `key` as long as it is needed (a request during a run gives one more).
    Returns the number of runs. A failure is recorded (type only) and retried later."""
    from carecoord.celery import app

    runs = 0
    while True:
        now = timezone.now()
        claim = _claim(key, now)
        if claim is None:
            return runs
        job, token = claim
        try:
            app.tasks[job.task](*job.args)
        except Exception as exc:
            failures = job.attempts + 1
            DeferredJob.objects.filter(key=key, run_token=token).update(
                running_since=None,
                run_token=None,
                attempts=failures,
                last_error=type(exc).__name__,
                next_attempt_at=timezone.now() + timedelta(minutes=min(2**failures, 60)),
            )
            raise
        DeferredJob.objects.filter(key=key, run_token=token).update(
            running_since=None,
            run_token=None,
            queue_failed=False,
            done_generation=job.generation,
            finished_at=timezone.now(),
            attempts=0,
            last_error="",
            next_attempt_at=None,
        )
        runs += 1


def jobs_sweep(*, now=None, batch: int = 100) -> int:
    """Run every job that is needed and waited longer than a minute (its queue message was
    lost), or could not be queued at all (the broker was down), in batches until none is
    left. Returns how many ran."""
    now = now or timezone.now()
    done, seen = 0, set()
    while True:
        keys = list(
            DeferredJob.objects.needed()
            .filter(Q(requested_at__lt=now - SWEEP_AFTER) | Q(queue_failed=True), attempts__lt=MAX_FAILURES)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .filter(Q(running_since__isnull=True) | Q(running_since__lt=now - JOB_TIMEOUT))
            .exclude(key__in=seen)
            .order_by("requested_at")
            .values_list("key", flat=True)[:batch]
        )
        if not keys:
            return done
        for key in keys:
            seen.add(key)
            try:
                done += job_run(key=key) > 0
            except DATABASE_ERRORS:
                raise
            except Exception:
                log.warning("deferred job %s failed; tried again later", key)
