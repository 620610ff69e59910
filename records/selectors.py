"""Reads of the records app: what one reader sees of a pupil's notes, documents and family.
Each function makes a fixed number of queries, whatever the number of entries."""

from dataclasses import dataclass

from django.db.models import Q

from carecoord.access import records as records_access

from .models import Document, FamilyLink, FamilyLinkStatus, Note
from .services.families import guardian_keys


def notes_for(*, user, student, sections):
    """The notes of `student` this reader may read (not removed), newest first."""
    return (
        Note.objects.visible_to(user, student, sections)
        .present()
        .select_related("author")
        .order_by("-occurred_at", "-pk")
    )


def documents_for(*, user, student, sections):
    """The documents of `student` this reader may read (not removed), newest first."""
    return (
        Document.objects.visible_to(user, student, sections)
        .present()
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")
    )


def documents_attached(*, user, student, sections, target_type: str, target_id: int):
    return documents_for(user=user, student=student, sections=sections).attached_to(target_type, target_id)


@dataclass
class Sibling:
    link: FamilyLink
    student: object
    shared_guardians: list[str]


def family(*, user, student) -> tuple[list[Sibling], list[FamilyLink]]:
    """(confirmed siblings the reader may see, with the guardians they share; pending
    suggestions for this pupil). A sibling the reader may not see is left out entirely.
    At most three queries (one for a pupil without family links)."""
    from students.models import Guardian, Student

    links = list(
        FamilyLink.objects.filter(
            Q(student_a=student) | Q(student_b=student),
            status__in=[FamilyLinkStatus.CONFIRMED, FamilyLinkStatus.SUGGESTED],
        )
    )
    if not links:  # most pupils: no need to read guardians to compare
        return [], []
    other_ids = {link.student_b_id if link.student_a_id == student.pk else link.student_a_id for link in links}
    visible = {
        s.pk: s
        for s in Student.objects.filter(records_access.visible_students_q(user), pk__in=other_ids).select_related(
            "school_class"
        )
    }
    guardians = list(Guardian.objects.filter(student_id__in=[student.pk, *visible]))
    keys = {}
    for g in guardians:
        keys.setdefault(g.student_id, []).append((g.name, guardian_keys(g.name, g.phone, g.email)))
    own_keys = set().union(*(k for _name, k in keys.get(student.pk, []))) if keys.get(student.pk) else set()
    siblings, suggestions = [], []
    for link in links:
        other_id = link.student_b_id if link.student_a_id == student.pk else link.student_a_id
        other = visible.get(other_id)
        if other is None:
            continue
        if link.status == FamilyLinkStatus.SUGGESTED:
            link.other_student = other
            suggestions.append(link)
            continue
        shared = sorted({name for name, k in keys.get(other_id, []) if k & own_keys})
        siblings.append(Sibling(link=link, student=other, shared_guardians=shared))
    siblings.sort(key=lambda s: (s.student.last_name.lower(), s.student.first_name.lower()))
    return siblings, suggestions


def family_suggestions(*, school):
    """The school's pending suggestions, for the coordinator's review page."""
    return (
        FamilyLink.objects.filter(school=school, status=FamilyLinkStatus.SUGGESTED)
        .select_related("student_a__school_class", "student_b__school_class")
        .order_by("student_a__last_name", "pk")
    )


def item_flags(*, item):
    """Who the note or document was handed to ("voor wie", records/services/flags.py): its
    stored tasks."""
    from todo.models import Task

    from .services.flags import flag_key_prefix, flag_kind

    return Task.objects.filter(key__startswith=flag_key_prefix(item), kind=flag_kind(item).task_kind).select_related(
        "assignee"
    )


def flagged_item(task):
    """The note or document a task "Notitie voor jou" / "Document voor jou" is about (its key
    is "<prefix>:<item>:<person>", records/services/flags.py); None for any other task, or
    when the item is gone."""
    from .services.flags import FLAG_KINDS

    models = {"note": Note, "document": Document}
    for name, kind in FLAG_KINDS.items():
        if task.kind == kind.task_kind and task.key.startswith(f"{kind.key_prefix}:"):
            item_pk = task.key.split(":")[1]
            if not item_pk.isdigit():
                return None
            return models[name].objects.select_related("student__school").filter(pk=int(item_pk)).first()
    return None
