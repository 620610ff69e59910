"""Writes of the task list: stored tasks (create, done) and the counts behind the digest."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carecoord.access.todo import may_receive_task
from notifications.services import notification_queue

from .models import Task, TaskKind

TASK_ASSIGNED_KIND = "todo.assigned"


def due_counts(qs, owner_field: str, until: date, due_field: str = "due_on") -> dict[int, list[int]]:
    """{owner id: [overdue, due on `until`]} for the rows of `qs` due on or before `until`,
    in one grouped query (the digest counts every source this way)."""
    rows = (
        qs.filter(**{f"{due_field}__lte": until, f"{owner_field}__isnull": False})
        .values(owner_field)
        .annotate(
            overdue=Count("pk", filter=Q(**{f"{due_field}__lt": until})),
            today=Count("pk", filter=Q(**{due_field: until})),
        )
    )
    return {row[owner_field]: [row["overdue"], row["today"]] for row in rows}


def task_assigned_notify(*, key: str, recipient, actor, school, url: str) -> None:
    """Assigning means telling: one mail to whoever got the task (no pupil data, a link that
    needs a login). Not when someone gives a task to themselves, nor when they switched
    these mails off ("Meldingen")."""
    if actor is not None and actor.pk == recipient.pk:
        return
    notification_queue(
        key=f"task-assigned:{key}",
        recipient=recipient,
        kind=TASK_ASSIGNED_KIND,
        template="todo/mail/assigned",
        context={"link": f"{settings.SITE_URL}{url}"},
        school=school,
    )


def task_create(
    *,
    school,
    assignee,
    title: str,
    due_on: date,
    key: str,
    actor=None,
    student=None,
    kind: str = TaskKind.OTHER,
    url: str = "",
    notify: bool = True,
) -> Task:
    """Give `assignee` a task, once per `key` (a second call returns the first task).

    Refused with the reason: a due date in the past, an assignee without a role at the
    school or (for a task about a pupil) without access to that pupil."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Beschrijf de taak.")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("Deze datum ligt in het verleden.")})
    allowed, reason = may_receive_task(assignee, school, student)
    if not allowed:
        raise ValidationError({"assignee": reason})
    with transaction.atomic():
        task, created = Task.objects.get_or_create(
            key=key[:200],
            defaults={
                "school": school,
                "assignee": assignee,
                "student": student,
                "kind": kind,
                "title": title[:300],
                "due_on": due_on,
                "url": url,
                "created_by": actor,
            },
        )
        if created and notify:
            from django.urls import reverse

            task_assigned_notify(
                key=f"taak-{task.pk}", recipient=assignee, actor=actor, school=school, url=reverse("todo:list")
            )
    return task


def task_done(*, task: Task, actor) -> bool:
    """Mark the task done (once: a second click changes nothing). Returns False when it was done."""
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        if task.done_at is not None:
            return False
        task.done_at, task.done_by = timezone.now(), actor
        task.save(update_fields=["done_at", "done_by"])
    return True
