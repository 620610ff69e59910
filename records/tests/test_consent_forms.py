"""The signed consent form of a backdated consent is a document of the file (issue 15, item 8)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from records.models import AttachTarget, Document, DocumentKind
from records.tests.factories import pdf_upload
from students.models import Consent

pytestmark = pytest.mark.django_db


def _data(student, organisation, days_back=60, **extra):
    return {
        "scope": f"org:{organisation.pk}",
        "giver": str(student.guardians.get().pk),
        "given_on": (timezone.localdate() - timedelta(days=days_back)).strftime("%d-%m-%Y"),
        "backdate_reason": "Het formulier lag bij de mentor",
        **extra,
    }


def test_a_backdated_consent_keeps_its_signed_form_as_a_document_of_the_file(
    client, coordinator, student, organisation
):
    client.force_login(coordinator)
    page = client.get(f"/leerlingen/{student.pk}/toestemming/nieuw/")
    assert 'enctype="multipart/form-data"' in page.text and 'name="signed_form"' in page.text

    response = client.post(
        f"/leerlingen/{student.pk}/toestemming/nieuw/",
        _data(student, organisation, signed_form=pdf_upload("toestemming.pdf", "Handtekening")),
    )

    assert response.status_code == 302
    consent = Consent.objects.get()
    document = Document.objects.get()
    assert consent.is_backdated
    assert (document.kind, document.section) == (DocumentKind.CONSENT_FORM, "toestemming")
    assert (document.target_type, document.target_id) == (AttachTarget.CONSENT, consent.pk)
    assert document.original_name == "toestemming.pdf" and document.uploaded_by == coordinator


def test_a_backdated_consent_without_the_signed_form_is_refused_and_keeps_what_was_typed(
    client, coordinator, student, organisation
):
    client.force_login(coordinator)
    response = client.post(f"/leerlingen/{student.pk}/toestemming/nieuw/", _data(student, organisation))
    assert response.status_code == 200
    assert "voeg het getekende toestemmingsformulier toe" in response.text
    assert "Het formulier lag bij de mentor" in response.text
    assert not Consent.objects.exists() and not Document.objects.exists()


def test_a_refused_file_undoes_the_consent_too(client, coordinator, student, organisation):
    client.force_login(coordinator)
    program = SimpleUploadedFile("formulier.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    response = client.post(
        f"/leerlingen/{student.pk}/toestemming/nieuw/", _data(student, organisation, signed_form=program)
    )
    assert response.status_code == 200
    assert "Dit soort bestand kan niet in het dossier" in response.text
    assert not Consent.objects.exists() and not Document.objects.exists()


def test_a_recent_consent_may_bring_its_form_and_need_not(client, coordinator, student, organisation):
    client.force_login(coordinator)
    data = _data(student, organisation, days_back=3, backdate_reason="")
    assert client.post(f"/leerlingen/{student.pk}/toestemming/nieuw/", data).status_code == 302
    assert Consent.objects.count() == 1 and not Document.objects.exists()
