"""The task pages in the read-log proof (carecoord/tests/test_read_log_pages.py)."""

from django.utils import timezone

from todo.models import Task


def _task(w):
    return Task.objects.create(
        school=w.school, assignee=w.mentor, student=w.daan, title="Ouders bellen", due_on=timezone.localdate(), key="rl"
    )


def task_list(client, w):
    _task(w)
    client.force_login(w.mentor)
    return client.get("/taken/"), [w.daan]


def today_block(client, w):
    _task(w)
    client.force_login(w.mentor)
    return client.get("/vandaag/taken/"), [w.daan]


CASES = {"todo:list": ("todo:list", task_list), "todo:today_block": ("todo:today_block", today_block)}
