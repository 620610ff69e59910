"""Journal notes: add, change (a new version each time), remove (marked, with a reason).

Each service owns its transaction, names the actor on the version it writes
(django-simple-history) and keeps the note's line on the pupil's timeline in step.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from carecoord.access.handovers import check_file_open
from carecoord.access.sections import RecordSection
from students.models import TimelineEvent

from ..models import NOTE_MAX_CHARS, Note, NoteKind

EXCERPT_CHARS = 160
# A clock a few minutes ahead on a laptop is no reason to refuse a note.
FUTURE_SLACK = timedelta(minutes=10)


def _names(items) -> str:
    return ", ".join(items)


def participants_label(*, staff, organisations, guardians) -> str:
    parts = [u.name for u in staff]
    parts += [o.name for o in organisations]
    parts += [f"{g.name} ({g.get_relation_display()})" for g in guardians]
    return _names(parts)[:1000]


def check_note(*, student, occurred_at: datetime, text: str, section: str, kind: str, staff, organisations, guardians):
    """The rules of a note; raises ValidationError with a message per field."""
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("Schrijf op wat er is gebeurd of besproken.")
    elif len(text) > NOTE_MAX_CHARS:
        errors["text"] = _(
            "Deze notitie is %(n)s tekens lang; het maximum is %(max)s. Zet een lang verslag in een document."
        ) % {"n": f"{len(text):,}".replace(",", "."), "max": f"{NOTE_MAX_CHARS:,}".replace(",", ".")}
    if occurred_at is None:
        errors["occurred_at"] = _("Vul de datum en tijd in.")
    elif occurred_at > timezone.now() + FUTURE_SLACK:
        errors["occurred_at"] = _("Deze datum ligt in de toekomst. Een notitie gaat over wat al is gebeurd.")
    elif timezone.localtime(occurred_at).date() < student.date_of_birth:
        errors["occurred_at"] = _("Deze datum ligt vóór de geboortedatum van de leerling.")
    if section not in dict(RecordSection.choices):
        errors["section"] = _("Kies wie deze notitie mag lezen.")
    if kind not in NoteKind.values:
        errors["kind"] = _("Kies wat voor contact het was.")
    wrong_staff = [u for u in staff if not User.objects.filter(pk=u.pk, memberships__school=student.school_id).exists()]
    if wrong_staff:
        errors["staff"] = _("%(names)s werkt niet op de school van deze leerling.") % {
            "names": _names(u.name for u in wrong_staff)
        }
    wrong_orgs = [
        o for o in organisations if not Organisation.objects.filter(pk=o.pk, schools=student.school_id).exists()
    ]
    if wrong_orgs:
        errors["organisations"] = _("%(names)s werkt niet met de school van deze leerling.") % {
            "names": _names(o.name for o in wrong_orgs)
        }
    wrong_guardians = [g for g in guardians if g.student_id != student.pk]
    if wrong_guardians:
        errors["guardians"] = _("Kies alleen ouders/verzorgers van deze leerling.")
    if errors:
        raise ValidationError(errors)


def _event_params(note: Note) -> dict:
    text = " ".join(note.text.split())
    excerpt = text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"
    return {
        "note_id": note.pk,
        "note_kind": note.kind,
        "excerpt": excerpt,
        "confidential": note.section == RecordSection.VERTROUWELIJK,
    }


def note_add(
    *,
    student,
    actor,
    occurred_at: datetime,
    kind: str,
    text: str,
    section: str,
    staff=(),
    organisations=(),
    guardians=(),
) -> Note:
    """Record a journal note about `student`, and its line on the timeline (in the note's
    section, so only its readers see it)."""
    check_file_open(student)  # closed after a handover: read-only (carecoord/access/handovers.py)
    staff, organisations, guardians = list(staff), list(organisations), list(guardians)
    check_note(
        student=student,
        occurred_at=occurred_at,
        text=text,
        section=section,
        kind=kind,
        staff=staff,
        organisations=organisations,
        guardians=guardians,
    )
    with transaction.atomic():
        note = Note(
            school_id=student.school_id,
            student=student,
            occurred_at=occurred_at,
            kind=kind,
            text=text.strip(),
            section=section,
            author=actor,
            participants_label=participants_label(staff=staff, organisations=organisations, guardians=guardians),
        )
        note._history_user = actor
        note.save()
        note.staff.set(staff)
        note.organisations.set(organisations)
        note.guardians.set(guardians)
        TimelineEvent.objects.create(
            student=student,
            kind="records.note",
            section=section,
            actor=actor,
            occurred_at=occurred_at,
            params=_event_params(note),
        )
    return note


def note_update(
    *,
    note: Note,
    actor,
    occurred_at: datetime,
    kind: str,
    text: str,
    section: str,
    staff=(),
    organisations=(),
    guardians=(),
) -> bool:
    """Change a note: a new version (who, when, the old text kept in the history).
    Returns False when nothing changed."""
    check_file_open(note.student)
    staff, organisations, guardians = list(staff), list(organisations), list(guardians)
    check_note(
        student=note.student,
        occurred_at=occurred_at,
        text=text,
        section=section,
        kind=kind,
        staff=staff,
        organisations=organisations,
        guardians=guardians,
    )
    label = participants_label(staff=staff, organisations=organisations, guardians=guardians)
    with transaction.atomic():
        note = Note.objects.select_for_update().select_related("student").get(pk=note.pk)
        if note.removed_at is not None:
            raise ValidationError(_("Deze notitie is verwijderd en kan niet meer worden gewijzigd."))
        new = {
            "occurred_at": occurred_at,
            "kind": kind,
            "text": text.strip(),
            "section": section,
            "participants_label": label,
        }
        changed = {name for name, value in new.items() if getattr(note, name) != value}
        same_people = (
            {u.pk for u in note.staff.all()} == {u.pk for u in staff}
            and {o.pk for o in note.organisations.all()} == {o.pk for o in organisations}
            and {g.pk for g in note.guardians.all()} == {g.pk for g in guardians}
        )
        if not changed and same_people:
            return False
        for name, value in new.items():
            setattr(note, name, value)
        note._history_user = actor
        note.save()
        note.staff.set(staff)
        note.organisations.set(organisations)
        note.guardians.set(guardians)
        TimelineEvent.objects.filter(student_id=note.student_id, kind="records.note", params__note_id=note.pk).update(
            section=section, occurred_at=occurred_at, params=_event_params(note)
        )
    return True


def note_remove(*, note: Note, actor, reason: str) -> Note:
    """Remove a note from the file: it is marked removed (who, when, why), stays in its
    history and leaves the timeline. Nothing is deleted."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf op waarom deze notitie wordt verwijderd.")})
    with transaction.atomic():
        note = Note.objects.select_for_update().get(pk=note.pk)
        if note.removed_at is not None:
            raise ValidationError(_("Deze notitie is al verwijderd."))
        note.removed_at = timezone.now()
        note.removed_by = actor
        note.removed_reason = reason[:500]
        note._history_user = actor
        note._change_reason = reason
        note.save()
        TimelineEvent.objects.filter(student_id=note.student_id, kind="records.note", params__note_id=note.pk).delete()
    return note
