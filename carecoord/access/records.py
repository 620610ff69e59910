"""Access rules of the care record's own entries (the records app, issue 13): journal notes,
documents, the version history of what forms the record, the file as a PDF, families.

| who | notes and documents |
|---|---|
| zorgcoördinator | reads every note and document of the school's pupils, *vertrouwelijk* included; adds, removes any (with a reason) |
| author / uploader | reads and changes their own, in any section, as long as they may open the pupil's file |
| anyone else who may open the file | reads the notes and documents of the sections of the file they may see (carecoord/access/students.py) |
| *vertrouwelijk* | the author and the zorgcoördinator only, whoever else may open the file |

Who may *add* a note or a document: whoever opens the file through a care rule: the
zorgcoördinator, the mentor (pupils of their own classes), the coach (pupils placed with
them), the partner (linked, with consent), the aandachtsfunctionaris (Meldcode cases) and
the verzuimcoördinator. The functioneel beheerder manages pupil data, not care: no notes.
Nobody adds to (or rewrites a note in) a file the school closed after a handover
(`handovers.file_closed`); reading stays as above.

A document attached to a concern, referral, placement, evaluation, agenda item or note
needs that object to be visible to the uploader too (a crafted POST gets 404).

"Geschiedenis" (the versions of an object of the record) follows the object's own reading
rule: whoever may read it may see what it said before.

The file as a PDF is an export: the care roles that work with whole files (zorgcoördinator,
aandachtsfunctionaris, verzuimcoördinator), each of the sections they may see.

"Voor wie" (a note or a document flagged for a colleague, a task on their list): whoever
may read it and writes in the file flags it (not once it is removed); the person flagged
must work at the school, may see the pupil and may read that note or document (its
section); otherwise it is refused with the reason.

Families (siblings, household): the zorgcoördinator links pupils and confirms the links
the import suggests; the "Gezin" panel shows only siblings the reader may see themselves.
"""

from django.db.models import Q

from accounts.models import Role

from .core import can, has_role, permission, role_permission
from .handovers import file_closed
from .sections import RecordSection, Section
from .students import _applicable, file_sections, matched_rules

# The extra section of notes and documents: the author and the zorgcoördinator only.
CONFIDENTIAL = RecordSection.VERTROUWELIJK.value

# The rules of carecoord/access/students.py (and the apps' modules) through which a user
# writes in the file: the care relationships. Not the functioneel beheerder.
NOTE_WRITER_RULES = frozenset(
    {
        "zorgcoordinator",
        "mentor",
        "coach via plaatsing",
        "partner met toestemming",
        "aandachtsfunctionaris met Meldcode-casus",
        "verzuimcoordinator",
    }
)
# Exporting a whole file (PDF, print): the roles that work with whole files.
EXPORT_ROLES = (Role.ZORGCOORDINATOR, Role.AANDACHTSFUNCTIONARIS, Role.VERZUIMCOORDINATOR)
# The timeline kinds of this app whose author reads them whatever their section.
AUTHORED_KINDS = ("records.note", "records.document")


def _is_coordinator(user, school_id) -> bool:
    return has_role(user, school_id, Role.ZORGCOORDINATOR)


def writes_in_file(user, student) -> bool:
    """Does one of the care rules (NOTE_WRITER_RULES) give `user` this pupil's file?

    Remembered on the user object, which lives for one request (like the roles in core.py):
    the file page asks it for notes and for documents."""
    from students.models import Student

    known = user.__dict__.setdefault("_access_writes_in_file", {})
    matched = matched_rules(user, student)  # the file page found them already
    if matched is not None:
        known[student.pk] = bool(matched & NOTE_WRITER_RULES)
    elif student.pk not in known:
        known[student.pk] = any(
            rule.name in NOTE_WRITER_RULES and Student.objects.filter(q, pk=student.pk).exists()
            for rule, q in _applicable(user)
        )
    return known[student.pk]


def records_q(user, student, sections, *, author_field: str) -> Q:
    """Q on Note or Document of `student`: what `user` may read, given the `sections` of the
    file they may see (carecoord/access/students.py `file_sections`)."""
    q = Q(section__in=list(sections)) | Q(**{author_field: user.pk})
    if _is_coordinator(user, student.school_id):
        q |= Q(section=CONFIDENTIAL)
    return q


def notes_q(user, student, sections) -> Q:
    return records_q(user, student, sections, author_field="author_id")


def documents_q(user, student, sections) -> Q:
    return records_q(user, student, sections, author_field="uploaded_by_id")


def timeline_q(user, student, sections) -> Q | None:
    """Timeline events besides the user's sections: their own notes and documents (any
    section), and for the zorgcoördinator the *vertrouwelijk* ones."""
    q = Q(kind__in=AUTHORED_KINDS, actor_id=user.pk)
    if _is_coordinator(user, student.school_id):
        q |= Q(section=CONFIDENTIAL)
    return q


def _may_read(user, obj, author_id) -> bool:
    if obj.section == CONFIDENTIAL:
        return author_id == user.pk or _is_coordinator(user, obj.student.school_id)
    if author_id == user.pk:
        return bool(file_sections(user, obj.student))
    return obj.section in file_sections(user, obj.student)


# --- Actions -------------------------------------------------------------------------------


@permission("student.add_note")
def _add_note(user, student):
    # Nothing is added to a file the school closed after a handover (access/handovers.py).
    return writes_in_file(user, student) and not file_closed(student)


@permission("student.add_document")
def _add_document(user, student):
    return writes_in_file(user, student) and not file_closed(student)


@permission("note.read")
def _note_read(user, note):
    return _may_read(user, note, note.author_id)


@permission("note.edit")
def _note_edit(user, note):
    # Only the author rewrites their own words (each change is a new version); a removed
    # note stays as it was.
    return (
        note.removed_at is None
        and note.author_id == user.pk
        and writes_in_file(user, note.student)
        and not file_closed(note.student)
    )


@permission("note.remove")
def _note_remove(user, note):
    if note.removed_at is not None:
        return False
    return _is_coordinator(user, note.student.school_id) or (
        note.author_id == user.pk and writes_in_file(user, note.student)
    )


@permission("document.read")
def _document_read(user, document):
    return _may_read(user, document, document.uploaded_by_id)


@permission("document.remove")
def _document_remove(user, document):
    if document.removed_at is not None:
        return False
    return _is_coordinator(user, document.student.school_id) or (
        document.uploaded_by_id == user.pk and writes_in_file(user, document.student)
    )


@permission("student.export_file")
def _export_file(user, student):
    return has_role(user, student.school_id, *EXPORT_ROLES) and bool(file_sections(user, student))


role_permission("student.manage_family", Role.ZORGCOORDINATOR, school_of=lambda student: student.school_id)
role_permission("school.review_families", Role.ZORGCOORDINATOR, school_of=lambda school: school.pk)


# --- Objects a document may be attached to ---------------------------------------------------


def attach_target_visible(user, target) -> bool:
    """May `user` see `target` (the object a document is attached to)? One query."""
    from concerns.models import Concern
    from meetings.models import AgendaItem
    from referrals.models import Placement, PlacementEvaluation, Referral

    from . import concerns, meetings, placements

    label = target._meta.label_lower
    if label == "records.note":
        return can_read_note(user, target)
    checks = {
        "concerns.concern": (Concern, concerns.concerns_q),
        "referrals.referral": (Referral, placements.referrals_q),
        "referrals.placement": (Placement, placements.placements_q),
        "meetings.agendaitem": (AgendaItem, meetings.agenda_items_q),
    }
    if label == "referrals.placementevaluation":
        return PlacementEvaluation.objects.filter(
            pk=target.pk, placement__in=Placement.objects.filter(placements.placements_q(user))
        ).exists()
    model, scope = checks[label]
    return model.objects.filter(scope(user), pk=target.pk).exists()


def can_read_note(user, note) -> bool:
    return _note_read(user, note)


# --- Version history ("Geschiedenis") --------------------------------------------------------


@permission("record.view_history")
def _view_history(user, obj):
    """Whoever may read the object may see its earlier versions."""
    from concerns.models import Concern
    from meetings.models import AgendaItem, Agreement
    from referrals.models import Placement

    from . import concerns, meetings, placements

    label = obj._meta.label_lower
    if label == "records.note":
        return _note_read(user, obj)
    if label == "records.document":
        return _document_read(user, obj)
    if label in {"students.student", "students.guardian"}:
        student = obj if label == "students.student" else obj.student
        return Section.ADMINISTRATIE in file_sections(user, student)
    if label == "students.consent":
        return Section.TOESTEMMING in file_sections(user, obj.student)
    if label == "concerns.concern":
        return Concern.objects.filter(concerns.concerns_handled_q(user), pk=obj.pk).exists()
    if label == "concerns.meldcodestep":
        return Concern.objects.filter(concerns.concerns_handled_q(user), pk=obj.concern_id).exists()
    if label == "referrals.placement":
        return Placement.objects.filter(placements.placements_q(user), pk=obj.pk).exists()
    if label in {"referrals.placementgoal", "referrals.placementevaluation"}:
        return Placement.objects.filter(placements.placements_q(user), pk=obj.placement_id).exists()
    if label == "meetings.agendaitem":
        return AgendaItem.objects.filter(meetings.agenda_items_q(user), pk=obj.pk).exists()
    if label == "meetings.agreement":
        return Agreement.objects.filter(meetings.agreements_q(user), pk=obj.pk).exists()
    if label == "plans.planversion":
        return can(user, "plan.read", obj.plan.student)
    if label in {"plans.supportrequest", "plans.externalreferral"}:
        # The school's side: the SWV and the partners see the request as it is now.
        return has_role(user, obj.school_id, Role.ZORGCOORDINATOR)
    return False


# --- Families -----------------------------------------------------------------------------------


def visible_students_q(user) -> Q:
    """Pupils the user may open (for the "Gezin" panel: a sibling the reader may not see is
    not shown, not even counted)."""
    from .students import students_q

    return students_q(user)


def _author_id(item) -> int | None:
    # A note has an author, a document an uploader: both read it whatever its section.
    return item.author_id if item._meta.model_name == "note" else item.uploaded_by_id


def _may_flag(user, item) -> bool:
    # Hand a note or a document to a colleague ("voor wie"): whoever reads it and writes in the file.
    return item.removed_at is None and _may_read(user, item, _author_id(item)) and writes_in_file(user, item.student)


@permission("note.flag")
def _note_flag(user, note):
    return _may_flag(user, note)


@permission("document.flag")
def _document_flag(user, document):
    return _may_flag(user, document)


def flag_refusal(person, item) -> str:
    """Why `person` cannot be handed `item` (a note or a document; '' when they can): they
    must work at the school, may see the pupil and may read the item's section (a
    confidential one: the author or uploader and the zorgcoördinator only)."""
    from django.utils.translation import gettext as _

    from .todo import may_receive_task

    allowed, reason = may_receive_task(person, item.student.school, item.student)
    if not allowed:
        return reason
    if not _may_read(person, item, _author_id(item)):
        if item._meta.model_name == "note":
            return _("Deze persoon mag deze notitie niet lezen.")
        return _("Deze persoon mag dit document niet lezen.")
    return ""
