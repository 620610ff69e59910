"""`{% attached_documents obj %}`: the documents attached to one object of the record (a
concern, referral or placement), for pages of other apps. Asks the same rules as the
records views; a few queries, once per page."""

from django import template

from carecoord import access

from .. import selectors
from ..attachments import target_key, target_student

register = template.Library()


@register.inclusion_tag("records/_attached.html", takes_context=True)
def attached_documents(context, obj):
    request = context["request"]
    student = target_student(obj)
    sections = access.file_sections(request.user, student)
    kind, target_id = target_key(obj)
    documents = (
        list(
            selectors.documents_attached(
                user=request.user, student=student, sections=sections, target_type=kind, target_id=target_id
            )
        )
        if sections
        else []
    )
    return {
        "documents": documents,
        "student": student,
        "target_kind": kind,
        "target_id": target_id,
        "can_add": bool(sections) and access.can(request.user, "student.add_document", student),
    }
