"""The stored tasks (todo.Task) as a source of "Mijn taken"."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from carecoord import access

from . import services
from .models import Task, TaskKind
from .registry import Source, TaskItem, TodayBlock, register_block, register_source


def _items(user, school, today):
    if school is None:
        return []  # a task always has a school
    # Plain values, no model per row: a list of hundreds of tasks stays quick.
    rows = (
        Task.objects.visible_to(user, school=school)
        .open()
        .order_by()  # the list is sorted once, over every source (todo/selectors.py)
        .values_list("pk", "title", "due_on", "url", "student_id", "kind")
    )
    # Each label translated once, not once per row (hundreds of rows).
    kinds = {kind: str(label) for kind, label in TaskKind.choices}
    return [
        TaskItem(
            source="taak",
            pk=pk,
            title=title,
            due_on=due_on,
            url=url,
            student_id=student_id,
            origin=kinds.get(kind, ""),
            can_mark_done=True,
        )
        for pk, title, due_on, url, student_id, kind in rows
    ]


def _mark_done(user, pk):
    # Another school's task is a 404; a colleague's task at the user's own school a 403.
    task = get_object_or_404(Task.objects.filter(school_id__in=access.school_ids(user)), pk=pk)
    if not access.can(user, "task.mark_done", task):
        raise PermissionDenied
    services.task_done(task=task, actor=user)


def _counts(school_ids, until):
    from .services import due_counts

    return due_counts(Task.objects.open().filter(school_id__in=school_ids), "assignee_id", until)


register_source(Source("taak", _("Taak"), _items, _mark_done, _counts))


def _today_tasks(request):
    from django.utils import timezone

    from .rows import task_rows
    from .selectors import prepare_rows, task_list

    if not access.can(request.user, "school.view_tasks", request.school):
        return None
    today = timezone.localdate()
    tasks = task_list(user=request.user, school=request.school, today=today, due_until=today)
    prepare_rows(tasks, today)
    return {
        "tasks": tasks,
        "rows": task_rows(tasks, request=request),
        "today": today,
        "students": [t.student for t in tasks if t.student is not None],
    }


register_block(TodayBlock("taken", _("Mijn taken voor vandaag"), 10, _today_tasks, "todo/_today_tasks.html"))
