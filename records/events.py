"""The timeline kinds of the records app (see students/timeline.py).

A note's or a document's line is written in the entry's own section (services), so the
registered section below only names the usual one; `carecoord.access.records.timeline_q`
adds the author's own lines and, for the zorgcoördinator, the *vertrouwelijk* ones.
"""

from django.urls import reverse
from django.utils.translation import gettext

from carecoord.access import records as records_access
from carecoord.access.sections import Section
from students.timeline import register, register_visibility

from .models import DocumentKind, NoteKind


def _note_text(params):
    kind = NoteKind(params["note_kind"]).label if params.get("note_kind") in NoteKind.values else ""
    text = gettext("%(kind)s: %(excerpt)s") % {"kind": str(kind).capitalize(), "excerpt": params.get("excerpt", "")}
    if params.get("confidential"):
        text = gettext("[vertrouwelijk] %(text)s") % {"text": text}
    return text


def _document_text(params):
    kind = DocumentKind(params["document_kind"]).label if params.get("document_kind") in DocumentKind.values else ""
    return gettext("Document toegevoegd: %(title)s (%(kind)s)") % {"title": params.get("title", ""), "kind": kind}


register(
    "records.note",
    Section.ZORG,
    _note_text,
    icon="journal-text",
    url=lambda p: reverse("records:note", args=[p["note_id"]]),
)
register(
    "records.document",
    Section.ZORG,
    _document_text,
    icon="file-earmark-text",
    url=lambda p: reverse("records:document", args=[p["document_id"]]),
)
register_visibility(records_access.timeline_q)
