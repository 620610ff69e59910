"""Documents: add (checked, stored, recorded), remove (marked, with a reason), read.

The file goes to the "documents" storage before the row is written; when writing the row
fails, the stored file is deleted again, so a refused or failed upload leaves nothing.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carecoord.access.handovers import check_file_open
from students.models import TimelineEvent

from ..attachments import target_key
from ..models import Document, DocumentKind
from ..uploads import check_upload

TITLE_MAX = 200


def documents_storage():
    return storages["documents"]


def document_add(*, student, actor, upload, title: str, kind: str, section: str, target=None) -> Document:
    """Add a document to `student`'s file, optionally attached to `target` (a note,
    concern, referral, placement, evaluation or agenda item of the same pupil)."""
    from carecoord.access.sections import RecordSection

    check_file_open(student)  # closed after a handover: read-only (carecoord/access/handovers.py)
    errors = {}
    title = (title or "").strip()
    if len(title) > TITLE_MAX:
        errors["title"] = _("Een titel is hoogstens %(max)s tekens.") % {"max": TITLE_MAX}
    if kind not in DocumentKind.values:
        errors["kind"] = _("Kies wat voor document het is.")
    if section not in dict(RecordSection.choices):
        errors["section"] = _("Kies wie dit document mag lezen.")
    target_type, target_id = target_key(target)
    if target is not None and _student_id_of(target) != student.pk:
        errors["target"] = _("Dit onderdeel hoort niet bij deze leerling.")
    if errors:
        raise ValidationError(errors)
    checked = check_upload(upload)
    storage = documents_storage()
    stored_name = storage.save(f"{student.school_id}/{uuid.uuid4().hex}", upload)
    try:
        with transaction.atomic():
            document = Document(
                school_id=student.school_id,
                student=student,
                title=title or checked.name.rsplit(".", 1)[0],
                kind=kind,
                section=section,
                target_type=target_type,
                target_id=target_id,
                storage_name=stored_name,
                original_name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=actor,
            )
            document._history_user = actor
            document.save()
            TimelineEvent.objects.create(
                student=student,
                kind="records.document",
                section=section,
                actor=actor,
                occurred_at=document.uploaded_at,
                params={"document_id": document.pk, "title": document.title, "document_kind": kind},
            )
    except BaseException:
        storage.delete(stored_name)
        raise
    return document


def _student_id_of(target):
    if hasattr(target, "student_id"):
        return target.student_id
    return target.placement.student_id  # an evaluation


def document_remove(*, document: Document, actor, reason: str) -> Document:
    """Remove a document from the file: marked removed (who, when, why), kept with its
    history (and its stored content), gone from the timeline and the lists."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf op waarom dit document wordt verwijderd.")})
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.removed_at is not None:
            raise ValidationError(_("Dit document is al verwijderd."))
        document.removed_at = timezone.now()
        document.removed_by = actor
        document.removed_reason = reason[:500]
        document._history_user = actor
        document._change_reason = reason
        document.save()
        TimelineEvent.objects.filter(
            student_id=document.student_id, kind="records.document", params__document_id=document.pk
        ).delete()
    return document


def document_open(document: Document):
    """The stored content, opened for reading (the caller closes it)."""
    return documents_storage().open(document.storage_name, "rb")
