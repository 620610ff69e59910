"""Stored tasks: what the product hands to one person and has no home of its own.

Most tasks live where they come from (a concern's action, a meeting's agreement, a placement's
evaluation date, a MAS step) and are read from there through the sources registry
(`todo/registry.py`). A `Task` row is for what has no such home: the no-show in the viproom
("Niet verschenen in de Viproom", for the mentor and the verzuimcoördinator) and a note
or a document handed to a colleague ("voor wie", records/flags.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskKind(models.TextChoices):
    NO_SHOW = "niet_verschenen", _("Niet verschenen in de Viproom")
    NOTE_FLAG = "notitie_voor", _("Notitie voor jou")
    DOCUMENT_FLAG = "document_voor", _("Document voor jou")
    OTHER = "taak", _("Taak")


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user, *, school=None):
        """Tasks the user may open: their own (see carecoord/access/todo.py); with `school`,
        those at that school."""
        from carecoord.access.todo import tasks_q

        return self.filter(tasks_q(user, school=school))

    def open(self):
        return self.filter(done_at__isnull=True)


class Task(models.Model):
    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="+", verbose_name=_("school"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="todo_tasks", verbose_name=_("voor")
    )
    student = models.ForeignKey(
        "students.Student", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("leerling")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=TaskKind.choices, default=TaskKind.OTHER)
    title = models.CharField(_("taak"), max_length=300)
    due_on = models.DateField(_("uiterlijk op"))
    # Where the task is done (a page of the product), when it is done elsewhere.
    url = models.CharField(_("link"), max_length=300, blank=True)
    # What made it, for whom: a second run of whatever creates tasks finds the row.
    key = models.CharField(_("sleutel"), max_length=200, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("door")
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    done_at = models.DateTimeField(_("gedaan op"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    # Set when the task was closed without being done (its person left and it could not be
    # handed on, todo/handover.py): why. Shown where the task was given ("Voor wie").
    closed_reason = models.CharField(_("gesloten zonder te doen, reden"), max_length=300, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("taak")
        verbose_name_plural = _("taken")
        ordering = ["due_on", "pk"]
        indexes = [
            # "Mijn taken" and the digest: one person's open tasks by due date.
            models.Index(
                fields=["assignee", "due_on"], name="todo_task_open_idx", condition=models.Q(done_at__isnull=True)
            ),
        ]

    def __str__(self):
        return self.title
