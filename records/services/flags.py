"""A note "voor wie": hand a journal note to a colleague, who finds it in "Mijn taken" (a
stored task, todo.Task of kind "Notitie voor jou", ticked off in place there)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carecoord.access.records import note_flag_refusal
from todo.models import Task, TaskKind
from todo.services import task_create

from ..models import Note


def _key(note, person) -> str:
    return f"records.note:{note.pk}:{person.pk}"


def note_flag(*, note: Note, person, actor, due_on) -> Task:
    """Give `person` the note to read, by `due_on` (once per note and person: a second time
    returns the first task). Raises ValidationError with the reason it cannot."""
    reason = note_flag_refusal(person, note)
    if reason:
        raise ValidationError({"person": reason})
    with transaction.atomic():
        return task_create(
            school=note.student.school,
            assignee=person,
            student=note.student,
            kind=TaskKind.NOTE_FLAG,
            # No pupil name in the title: the list shows the pupil beside it, to whoever may see them.
            title=_("Notitie lezen: %(kind)s van %(date)s")
            % {"kind": note.get_kind_display(), "date": timezone.localtime(note.occurred_at).strftime("%d-%m-%Y")},
            due_on=due_on,
            key=_key(note, person),
            url=note.get_absolute_url(),
            actor=actor,
        )
