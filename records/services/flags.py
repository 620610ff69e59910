"""A note or a document "voor wie": hand it to a colleague, who finds it in "Mijn taken" (a
stored task, todo.Task of kind "Notitie voor jou" or "Document voor jou"), done when they
tick it there or open the note or document.

One service for both kinds of item: what differs (the task's kind, its key, its title) is
in FLAG_KINDS."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from carecoord.access.records import flag_refusal
from todo.models import Task, TaskKind
from todo.services import task_create


@dataclass(frozen=True)
class FlagKind:
    task_kind: str
    key_prefix: str  # the task's key: "<prefix>:<item>:<person>"
    title: str  # translated when the task is made; no pupil name (the list shows the pupil beside it)
    date_field: str  # the item's date in the title


FLAG_KINDS = {
    "note": FlagKind(
        TaskKind.NOTE_FLAG, "records.note", gettext_noop("Notitie lezen: %(kind)s van %(date)s"), "occurred_at"
    ),
    "document": FlagKind(
        TaskKind.DOCUMENT_FLAG, "records.document", gettext_noop("Document lezen: %(kind)s van %(date)s"), "uploaded_at"
    ),
}


def flag_kind(item) -> FlagKind:
    return FLAG_KINDS[item._meta.model_name]


def flag_key_prefix(item) -> str:
    """The start of the keys of the tasks made for `item` (who it was handed to)."""
    return f"{flag_kind(item).key_prefix}:{item.pk}:"


def item_flag(*, item, person, actor, due_on) -> Task:
    """Give `person` the note or document `item` to read, by `due_on` (once per item and
    person: a second time returns the first task). Raises ValidationError with the reason
    it cannot."""
    reason = flag_refusal(person, item)
    if reason:
        raise ValidationError({"person": reason})
    kind = flag_kind(item)
    when = timezone.localtime(getattr(item, kind.date_field)).strftime("%d-%m-%Y")
    with transaction.atomic():
        return task_create(
            school=item.student.school,
            assignee=person,
            student=item.student,
            kind=kind.task_kind,
            title=_(kind.title) % {"kind": item.get_kind_display(), "date": when},
            due_on=due_on,
            key=f"{flag_key_prefix(item)}{person.pk}",
            url=item.get_absolute_url(),
            actor=actor,
        )


def item_flag_opened(*, item, user) -> int:
    """`user` opened `item`: the task to read it, if they had one, is done. One query; the
    number of tasks marked done (0 or 1)."""
    kind = flag_kind(item)
    return Task.objects.filter(
        key=f"{flag_key_prefix(item)}{user.pk}", kind=kind.task_kind, assignee=user, done_at__isnull=True
    ).update(done_at=timezone.now(), done_by=user)
