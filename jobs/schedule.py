"""The periodic tasks, their schedule and their last run ("Geplande taken").

The worker records every run of a scheduled task (Celery's task_prerun/task_postrun
signals) in `PeriodicRun`; the page compares the last start with the schedule. A task is
*late* when its next run after the last one is more than a grace period ago (or it never
ran while the installation has been up for longer than its period): beat or the worker stopped.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import signals
from django.utils import timezone

GRACE = timedelta(minutes=10)


@dataclass
class ScheduledTask:
    name: str  # as registered ("meetings: reminders")
    task: str  # the task's dotted name
    schedule: object  # celery schedule or crontab
    run: object = None  # PeriodicRun or None
    next_run: datetime | None = None
    late: bool = False

    @property
    def every(self) -> str:
        from celery.schedules import crontab

        if isinstance(self.schedule, crontab):
            return f"cron {self.schedule._orig_minute} {self.schedule._orig_hour} * * {self.schedule._orig_day_of_week}"
        seconds = int(self.schedule.run_every.total_seconds())
        return f"{seconds // 60} min" if seconds >= 60 else f"{seconds} s"


def _beat_schedule() -> dict:
    from carecoord.celery import app

    app.loader.import_default_modules()  # every app's tasks.py registers its schedule...
    if app.finalized:
        # ...on finalize; a tasks module imported after it (the web process finalizes early)
        # missed it. Adding a periodic task again under its name replaces it: idempotent.
        app.on_after_finalize.send(sender=app)
    else:
        app.finalize(auto=True)
    return dict(app.conf.beat_schedule or {})


def task_names() -> set[str]:
    return {entry["task"] for entry in _beat_schedule().values()}


def scheduled_tasks(*, now=None, up_since=None) -> list[ScheduledTask]:
    """Every periodic task with its last run, next run and whether it is late."""
    from .models import PeriodicRun

    now = now or timezone.now()
    runs = {r.task: r for r in PeriodicRun.objects.all()}
    rows = []
    for name, entry in sorted(_beat_schedule().items()):
        schedule = entry["schedule"]
        if isinstance(schedule, (int, float)):
            from celery.schedules import schedule as every

            schedule = every(timedelta(seconds=schedule))
        row = ScheduledTask(name, entry["task"], schedule, runs.get(entry["task"]))
        last = row.run.last_started_at if row.run else None
        if last is not None:
            row.next_run = last + schedule.remaining_estimate(last)
            row.late = row.next_run + GRACE < now
        else:
            # Never ran: late once the installation has been up longer than one period.
            reference = up_since or now
            row.next_run = None
            row.late = reference + schedule.remaining_estimate(reference) + GRACE < now
        rows.append(row)
    return rows


def record_start(task_name: str, now=None) -> None:
    from .models import PeriodicRun

    PeriodicRun.objects.update_or_create(task=task_name, defaults={"last_started_at": now or timezone.now()})


def record_end(task_name: str, *, ok: bool, result: str, now=None) -> None:
    from .models import PeriodicRun

    PeriodicRun.objects.update_or_create(
        task=task_name,
        defaults={"last_finished_at": now or timezone.now(), "last_ok": ok, "last_result": result[:200]},
    )


_names: set[str] | None = None


def _is_periodic(task) -> bool:
    global _names
    if _names is None:
        _names = task_names()
    return task is not None and task.name in _names


@signals.task_prerun.connect
def _prerun(sender=None, task=None, **kwargs):
    if _is_periodic(task):
        record_start(task.name)


@signals.task_postrun.connect
def _postrun(sender=None, task=None, retval=None, state=None, **kwargs):
    if not _is_periodic(task):
        return
    ok = state == "SUCCESS"
    if ok:
        result = str(retval) if isinstance(retval, (int, float, str, bool)) or retval is None else type(retval).__name__
        if isinstance(retval, dict):
            result = ", ".join(f"{k}: {v}" for k, v in retval.items() if isinstance(v, (int, float)))
    else:
        result = type(retval).__name__ if retval is not None else str(state)
    record_end(task.name, ok=ok, result=result)
