"""What the plans app may send of the file's documents with a request to the
samenwerkingsverband (plans/sharing.py): the documents the sender may read, checked again
when sending, and opened for the SWV only through the plans app's view (which checks that
the document was sent with that request and that the parents' consent still holds)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carecoord import access
from plans.sharing import DocumentSource, register_document_source

from . import selectors, services
from .models import Document


def _readable(user, student):
    return selectors.documents_for(user=user, student=student, sections=access.file_sections(user, student))


def _choices(user, student):
    return [(d.pk, f"{d.title} ({d.get_kind_display()})") for d in _readable(user, student)]


def _describe(user, student, ids):
    ids = {int(i) for i in ids}
    found = list(_readable(user, student).filter(pk__in=ids).order_by("pk"))
    if len(found) != len(ids):
        raise ValidationError(
            {"documents": _("U kunt alleen documenten uit dit dossier meesturen die u zelf mag inzien.")}
        )
    return [
        {"id": d.pk, "title": d.title, "kind": str(d.get_kind_display()), "filename": d.original_name} for d in found
    ]


def _open(student, document_id):
    document = Document.objects.present().filter(pk=document_id, student=student).first()
    if document is None:
        return None
    return services.document_open(document), document.original_name, document.content_type


register_document_source(DocumentSource(choices=_choices, describe=_describe, open=_open))
