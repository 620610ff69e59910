"""The records pages in the read-log proof (carecoord/tests/test_read_log_pages.py collects
the `CASES` of every app's `tests/read_log_cases.py`): each case gets a test client and the
world `w` of that module (Daan, Sanne and Noah of School A, the coordinator, ...) and returns
(response, the pupils it at least shows)."""

from django.utils import timezone

from carecoord.testing import BinaryResponse
from records.models import FamilyKind, FamilyLink, FamilyLinkStatus, NoteKind
from records.services import document_add, note_add
from records.tests.factories import pdf_upload


def _note(w):
    return note_add(
        student=w.daan,
        actor=w.coordinator,
        occurred_at=timezone.now(),
        kind=NoteKind.PHONE,
        text="Moeder gebeld over het verzuim.",
        section="zorg",
    )


def _document(w):
    return document_add(
        student=w.daan, actor=w.coordinator, upload=pdf_upload(), title="Verslag", kind="verslag", section="zorg"
    )


def _get(path):
    def case(client, w):
        client.force_login(w.coordinator)
        return client.get(path.format(daan=w.daan.pk)), [w.daan]

    return case


def note(client, w):
    entry = _note(w)
    client.force_login(w.coordinator)
    return client.get(f"/dossier/notities/{entry.pk}/"), [w.daan]


def note_edit(client, w):
    entry = _note(w)
    client.force_login(w.coordinator)
    return client.get(f"/dossier/notities/{entry.pk}/wijzigen/"), [w.daan]


def note_remove(client, w):
    entry = _note(w)
    client.force_login(w.coordinator)
    return client.get(f"/dossier/notities/{entry.pk}/verwijderen/"), [w.daan]


def document(client, w):
    entry = _document(w)
    client.force_login(w.coordinator)
    return client.get(f"/dossier/documenten/{entry.pk}/"), [w.daan]


def document_remove(client, w):
    entry = _document(w)
    client.force_login(w.coordinator)
    return client.get(f"/dossier/documenten/{entry.pk}/verwijderen/"), [w.daan]


def document_download(client, w):
    entry = _document(w)
    client.force_login(w.coordinator)
    response = client.get(f"/dossier/documenten/{entry.pk}/downloaden/")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    return BinaryResponse(response), [w.daan]


def file_export_pdf(client, w):
    client.force_login(w.coordinator)
    response = client.get(f"/dossier/leerling/{w.daan.pk}/afdrukken/", {"uitvoer": "pdf", "sections": ["zorg"]})
    assert response.content.startswith(b"%PDF")
    return BinaryResponse(response), [w.daan]


def file_export_print(client, w):
    client.force_login(w.coordinator)
    return client.get(f"/dossier/leerling/{w.daan.pk}/afdrukken/", {"uitvoer": "afdruk", "sections": ["zorg"]}), [
        w.daan
    ]


def attached_documents(client, w):
    from meetings.tests.factories import AgendaItemFactory, MeetingFactory

    meeting = MeetingFactory(school=w.school, organiser=w.coordinator, participants=[w.coordinator])
    item = AgendaItemFactory(meeting=meeting, student=w.daan)
    client.force_login(w.coordinator)
    return client.get(f"/dossier/bij/agenda_item/{item.pk}/"), [w.daan]


def history(client, w):
    client.force_login(w.coordinator)
    return client.get(f"/dossier/geschiedenis/leerling/{w.daan.pk}/"), [w.daan]


def family_suggestions(client, w):
    FamilyLink.objects.create(
        school=w.school,
        student_a=w.daan,
        student_b=w.sanne,
        kind=FamilyKind.SIBLINGS,
        status=FamilyLinkStatus.SUGGESTED,
    )
    client.force_login(w.coordinator)
    return client.get("/dossier/gezinnen/"), [w.daan, w.sanne]


CASES = {
    "records:note_add": ("records:note_add", _get("/dossier/leerling/{daan}/notities/nieuw/")),
    "records:note": ("records:note", note),
    "records:note_edit": ("records:note_edit", note_edit),
    "records:note_remove": ("records:note_remove", note_remove),
    "records:document_list": ("records:document_list", _get("/dossier/leerling/{daan}/documenten/")),
    "records:document_add": ("records:document_add", _get("/dossier/leerling/{daan}/documenten/nieuw/")),
    "records:document": ("records:document", document),
    "records:document_download": ("records:document_download", document_download),
    "records:document_remove": ("records:document_remove", document_remove),
    "records:attached_documents": ("records:attached_documents", attached_documents),
    "records:file_export": ("records:file_export", _get("/dossier/leerling/{daan}/afdrukken/")),
    "records:file_export (pdf)": ("records:file_export", file_export_pdf),
    "records:file_export (afdruk)": ("records:file_export", file_export_print),
    "records:history": ("records:history", history),
    "records:family_link_add": ("records:family_link_add", _get("/dossier/leerling/{daan}/gezin/koppelen/")),
    "records:family_suggestions": ("records:family_suggestions", family_suggestions),
}


# The plans app's download of a document sent to the samenwerkingsverband: here, because
# plans never imports records (.importlinter) and the case needs a document.
def request_document(client, w):
    from plans.tests.factories import sent_request, swv_organisation, swv_user

    swv = swv_organisation(w.school)
    document = document_add(
        student=w.daan, actor=w.coordinator, upload=pdf_upload(), title="Verslag", kind="verslag", section="zorg"
    )
    sent = sent_request(w.daan, w.coordinator, swv, documents=[document.pk])
    client.force_login(swv_user(swv))
    response = client.get(f"/opp/aanvragen/{sent.pk}/documenten/{document.pk}/")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    return BinaryResponse(response), [w.daan]


CASES["plans:request_document"] = ("plans:request_document", request_document)
