"""Documents of the file sent with a request to the samenwerkingsverband (plans/sharing.py,
records/sharing.py): the SWV opens only what was sent, only while consent holds; a document
the sender may not read is refused with a message."""

import pytest

from plans.models import SupportRequest
from plans.tests.factories import adoptable_draft, sent_request, swv_organisation, swv_user
from records.services import document_add
from records.tests.factories import pdf_upload
from students.services import consent_withdraw
from students.tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def swv(school):
    return swv_organisation(school)


@pytest.fixture
def swv_person(swv):
    return swv_user(swv)


def _document(student, actor, title="Verslag psycholoog"):
    return document_add(student=student, actor=actor, upload=pdf_upload(), title=title, kind="verslag", section="zorg")


def test_documents_sent_with_a_request_are_opened_by_the_swv_and_nothing_else(
    client, coordinator, student, swv, swv_person
):
    sent = _document(student, coordinator)
    kept = _document(student, coordinator, title="Gespreksverslag thuis")
    request = sent_request(student, coordinator, swv, documents=[sent.pk])
    assert [d["title"] for d in request.documents] == ["Verslag psycholoog"]
    client.force_login(swv_person)
    page = client.get(f"/opp/aanvragen/{request.pk}/").content.decode()
    assert "Verslag psycholoog" in page and "Gespreksverslag thuis" not in page
    response = client.get(f"/opp/aanvragen/{request.pk}/documenten/{sent.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/opp/aanvragen/{request.pk}/documenten/{kept.pk}/").status_code == 404
    assert client.get(f"/dossier/documenten/{sent.pk}/downloaden/").status_code == 404
    consent_withdraw(consent=request.consent, withdrawn_by="vader", reason="Niet meer delen", actor=coordinator)
    assert client.get(f"/opp/aanvragen/{request.pk}/documenten/{sent.pk}/").status_code == 404


def test_a_document_the_sender_may_not_see_is_refused_with_a_message(
    client, coordinator, student, swv, other_student, other_coordinator
):
    adoptable_draft(student, coordinator)
    ConsentFactory(student=student, organisation=swv, recorded_by=coordinator)
    elsewhere = _document(other_student, other_coordinator, title="Van een andere school")
    client.force_login(coordinator)
    response = client.post(
        f"/opp/leerling/{student.pk}/aanvraag/",
        {"organisation": swv.pk, "kind": "arrangement", "question": "Mijn vraag", "documents": [elsewhere.pk]},
    )
    text = response.content.decode()
    assert "die u zelf mag inzien" in text and "Mijn vraag" in text
    assert not SupportRequest.objects.exists()
