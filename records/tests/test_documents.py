"""Documents: stored through the storage API, type checked from the content, size limit,
ClamAV, safe names, downloads only through the view (access checked, read logged), and
nothing half-stored when anything is refused."""

from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from concerns.tests.factories import ConcernFactory
from records.models import Document
from students.models import FileAccess, TimelineEvent
from students.tests.factories import StudentFactory

from .factories import EICAR, EXE_BYTES, pdf_bytes, pdf_upload, png_bytes


def stored_files() -> list[Path]:
    root = Path(storages["documents"].location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _add(client, student, upload, **extra):
    data = {"file": upload, "title": "Verslag psycholoog", "kind": "verslag", "section": "zorg", **extra}
    return client.post(reverse("records:document_add", args=[student.pk]), data)


def test_coordinator_adds_a_pdf_stored_privately_with_its_line_on_the_timeline(client, coordinator, student):
    client.force_login(coordinator)
    content = pdf_bytes("Onderzoeksverslag")
    response = _add(client, student, SimpleUploadedFile("verslag.pdf", content))
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.title, document.kind, document.section) == ("Verslag psycholoog", "verslag", "zorg")
    assert document.content_type == "application/pdf" and document.size == len(content)
    assert document.original_name == "verslag.pdf"
    # Stored under a random name (no pupil name anywhere in the path), outside static/.
    (path,) = stored_files()
    assert path.read_bytes() == content
    assert "verslag" not in str(path) and "Jansen" not in str(path)
    assert TimelineEvent.objects.get(kind="records.document").section == "zorg"


def test_the_type_comes_from_the_content_not_the_name(client, coordinator, student):
    client.force_login(coordinator)
    response = _add(client, student, SimpleUploadedFile("verslag.pdf", EXE_BYTES, content_type="application/pdf"))
    assert response.status_code == 200
    body = response.content.decode()
    # libmagic calls it application/x-dosexec or …microsoft.portable-executable, by version.
    assert "Dit soort bestand kan niet in het dossier (gevonden: application/" in body
    assert "executable" in body or "dosexec" in body
    assert 'value="Verslag psycholoog"' in body  # what was typed stays
    assert not Document.objects.exists() and stored_files() == []


def test_an_image_with_a_wrong_name_gets_the_right_extension(client, coordinator, student):
    client.force_login(coordinator)
    _add(client, student, SimpleUploadedFile("foto.pdf", png_bytes()))
    document = Document.objects.get()
    assert document.content_type == "image/png" and document.original_name == "foto.png"


def test_a_file_over_the_limit_is_refused_with_the_limit_in_the_message(client, coordinator, student):
    client.force_login(coordinator)
    big = pdf_bytes() + b"\n%" + b"0" * (21 * 1024 * 1024)
    response = _add(client, student, SimpleUploadedFile("groot.pdf", big))
    assert response.status_code == 200
    assert "Dit bestand is 21,0 MB; het maximum is 20 MB per bestand." in response.content.decode()
    assert not Document.objects.exists() and stored_files() == []


def test_the_limit_is_configurable(client, coordinator, student, settings):
    settings.DOCUMENT_MAX_MB = 1
    client.force_login(coordinator)
    response = _add(client, student, SimpleUploadedFile("groot.pdf", pdf_bytes() + b"0" * (2 * 1024 * 1024)))
    assert "het maximum is 1 MB per bestand" in response.content.decode()


def test_a_file_name_with_folders_and_300_characters_is_made_safe(client, coordinator, student):
    client.force_login(coordinator)
    name = "..\\..\\C:\\Users\\map/../" + "a" * 300 + ".pdf"
    _add(client, student, SimpleUploadedFile(name, pdf_bytes()))
    document = Document.objects.get()
    assert "/" not in document.original_name and "\\" not in document.original_name
    assert len(document.original_name) <= 120 and document.original_name.endswith(".pdf")


def test_an_upload_interrupted_half_way_stores_nothing(client, coordinator, student):
    client.force_login(coordinator)
    boundary = "XyZBoundary"
    content = pdf_bytes("Half verstuurd")
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nHalf\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nverslag\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="section"\r\n\r\nzorg\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + content[: len(content) // 2]
    response = client.generic(
        "POST",
        reverse("records:document_add", args=[student.pk]),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Er is geen (volledig) bestand aangekomen." in body and 'value="Half"' in body
    assert not Document.objects.exists() and stored_files() == []


def test_attached_to_a_concern_of_this_pupil(client, coordinator, student):
    concern = ConcernFactory(student=student, raised_by=coordinator)
    client.force_login(coordinator)
    response = _add(client, student, pdf_upload(), bij="concern", id=str(concern.pk))
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.target_type, document.target_id) == ("concern", concern.pk)
    assert "Verslag psycholoog" in client.get(concern.get_absolute_url()).content.decode()


def test_attached_to_an_object_the_user_may_not_see_is_refused(client, mentor, coordinator, student):
    # A concern raised by someone else, which the mentor does not handle: a crafted POST.
    concern = ConcernFactory(student=student, raised_by=coordinator)
    client.force_login(mentor)
    response = _add(client, student, pdf_upload(), bij="concern", id=str(concern.pk))
    assert response.status_code == 404
    assert not Document.objects.exists() and stored_files() == []


def test_attached_to_another_pupils_object_is_refused(client, coordinator, student, school_class):
    sibling = StudentFactory(school_class=school_class)
    concern = ConcernFactory(student=sibling, raised_by=coordinator)
    client.force_login(coordinator)
    response = _add(client, student, pdf_upload(), bij="concern", id=str(concern.pk))
    assert response.status_code == 404
    assert not Document.objects.exists() and stored_files() == []


def _stored_document(client, user, student, section="zorg"):
    client.force_login(user)
    _add(client, student, pdf_upload(text="Brief van Veilig Thuis"), section=section)
    client.logout()
    return Document.objects.latest("pk")


def test_a_download_writes_a_read_log_row(client, coordinator, student):
    document = _stored_document(client, coordinator, student)
    client.force_login(coordinator)
    url = reverse("records:document_download", args=[document.pk])
    assert url == f"/dossier/documenten/{document.pk}/downloaden/"  # no names in the URL
    before = FileAccess.objects.filter(section="document gedownload").count()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="verslag.pdf"'
    assert "no-store" in response["Cache-Control"]  # carecoord.middleware.NoStoreMiddleware
    assert FileAccess.objects.filter(section="document gedownload").count() == before + 1
    row = FileAccess.objects.filter(section="document gedownload").get()
    assert (row.user, row.student) == (coordinator, student)


@pytest.mark.denies("document.read")
def test_a_refused_download_writes_no_read_log_row(client, coordinator, mentor, student):
    document = _stored_document(client, coordinator, student)  # Zorg: not the mentor's section
    client.force_login(mentor)
    before = FileAccess.objects.count()
    assert client.get(reverse("records:document_download", args=[document.pk])).status_code == 404
    assert FileAccess.objects.count() == before


def test_another_schools_coordinator_gets_404_and_no_log(client, coordinator, other_coordinator, student):
    document = _stored_document(client, coordinator, student)
    client.force_login(other_coordinator)
    before = FileAccess.objects.count()
    assert client.get(reverse("records:document_download", args=[document.pk])).status_code == 404
    assert FileAccess.objects.count() == before


def test_a_removed_document_is_not_downloaded_and_stays_in_the_history(client, coordinator, student):
    document = _stored_document(client, coordinator, student)
    client.force_login(coordinator)
    client.post(reverse("records:document_remove", args=[document.pk]), {"reason": "Verkeerde leerling"})
    document.refresh_from_db()
    assert document.removed_at is not None
    assert client.get(reverse("records:document_download", args=[document.pk])).status_code == 404
    assert not TimelineEvent.objects.filter(kind="records.document").exists()
    history = client.get(reverse("records:history", args=["document", document.pk])).content.decode()
    assert "Verkeerde leerling" in history
    assert len(stored_files()) == 1  # the content is kept with its history


# --- ClamAV -----------------------------------------------------------------------------------


def test_with_clamav_the_eicar_test_file_is_refused(client, coordinator, student, settings, clamd_socket):
    from records.uploads import clamd_instream

    settings.CLAMAV_SOCKET = clamd_socket
    client.force_login(coordinator)
    assert clamd_instream([EICAR]).endswith("FOUND")  # the scanner knows the test string
    # The test string inside a PDF: the type check passes, the scanner refuses it.
    infected = pdf_bytes("Brief") + b"\n" + EICAR + b"\n"
    response = _add(client, student, SimpleUploadedFile("brief.pdf", infected))
    assert response.status_code == 200
    assert "De virusscanner vond iets verdachts in dit bestand. Het is niet opgeslagen." in response.content.decode()
    assert not Document.objects.exists() and stored_files() == []
    # A clean file passes the same scanner.
    assert _add(client, student, pdf_upload()).status_code == 302
    assert Document.objects.count() == 1


def test_with_clamav_configured_but_unreachable_the_upload_is_refused(client, coordinator, student, settings, tmp_path):
    settings.CLAMAV_SOCKET = str(tmp_path / "no-clamd-here.sock")
    client.force_login(coordinator)
    response = _add(client, student, pdf_upload())
    assert response.status_code == 200
    assert "De virusscanner is nu niet bereikbaar" in response.content.decode()
    assert not Document.objects.exists() and stored_files() == []
