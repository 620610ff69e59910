"""The pupil file's panels of this app: "Notities en documenten" (the buttons to add a
note or a document or print the file, and the documents the reader may open) and "Gezin"
(siblings the reader may see, with the guardians they share). A fixed number of queries,
none for what the pupil has none of (students/presence.py)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.sections import Section
from students.panels import Panel, register_panel
from students.presence import holds, track
from students.selectors import log_read

from . import selectors
from .models import Document, FamilyLink

DOCUMENTS_ON_FILE = 10

track(Document)
track(FamilyLink, "student_a", "student_b")


@register_panel
def records_panel(request, student, sections):
    documents = []
    if holds(student, Document):
        documents = list(
            selectors.documents_for(user=request.user, student=student, sections=sections)[: DOCUMENTS_ON_FILE + 1]
        )
    return Panel(
        title=_("Notities en documenten"),
        template="records/_file_panel.html",
        section=Section.ADMINISTRATIE,
        context={
            "documents": documents[:DOCUMENTS_ON_FILE],
            "more_documents": len(documents) > DOCUMENTS_ON_FILE,
            "can_add_note": access.can(request.user, "student.add_note", student),
            "can_add_document": access.can(request.user, "student.add_document", student),
            "can_export": access.can(request.user, "student.export_file", student),
            "max_mb": settings.DOCUMENT_MAX_MB,
        },
        order=5,
    )


@register_panel
def family_panel(request, student, sections):
    siblings, suggestions = (
        selectors.family(user=request.user, student=student) if holds(student, FamilyLink) else ([], [])
    )
    can_manage = access.can(request.user, "student.manage_family", student)
    if not can_manage:
        suggestions = []
    if not siblings and not suggestions and not can_manage:
        return None
    # A sibling named on this file is a pupil shown on a care page: logged like any other.
    log_read(
        user=request.user,
        students=[s.student for s in siblings] + [link.other_student for link in suggestions],
        section="gezin",
    )
    return Panel(
        title=_("Gezin"),
        template="records/_family_panel.html",
        section=Section.ADMINISTRATIE,
        context={"siblings": siblings, "suggestions": suggestions, "can_manage": can_manage},
        order=8,
    )
