"""The inzage export (issue 15, item 6): everything kept about one pupil, every section and
version, as one ZIP with a readable PDF and a JSON file, made in the background with a
progress bar, written to the read log; nothing of another pupil."""

import io
import json
import zipfile

import pytest

from privacy.collect import export_kinds
from privacy.models import InzageExport, InzageStatus
from students.models import FileAccess

pytestmark = pytest.mark.django_db


def _zip(client, export) -> zipfile.ZipFile:
    response = client.get(f"/privacy/inzage/{export.pk}/downloaden/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip" and "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _request(client, pupil, django_capture_on_commit_callbacks):
    """Ask for the export; the deferred job runs when the request's transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/privacy/leerling/{pupil.pk}/inzage/")
    return response, InzageExport.objects.get(student=pupil, status=InzageStatus.DONE, storage_name__gt="")


def test_the_export_holds_every_section_and_version_of_the_pupil_and_nothing_of_another(
    client, world, coordinator, django_capture_on_commit_callbacks
):
    daan, sanne = world["DAAN"], world["SANNE"]
    client.force_login(coordinator)

    response, export = _request(client, daan, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == f"/privacy/inzage/{export.pk}/"
    kept = {kind.code: set(kind.rows([daan.pk]).values_list("pk", flat=True)) for kind in export_kinds()}
    archive = _zip(client, export)
    names = archive.namelist()
    assert "inzage.pdf" in names and "inzage.json" in names
    assert archive.read("inzage.pdf").startswith(b"%PDF")
    from pypdf import PdfReader

    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read("inzage.pdf"))).pages)
    assert "Notitie DAAN v2" in pdf and "Signalen DAAN" in pdf and "Leesregistratie" in pdf
    assert "SANNE" not in pdf and "BroerDAAN" not in pdf
    data = json.loads(archive.read("inzage.json"))
    by_kind = {kind["soort"]: kind["rijen"] for kind in data["soorten"]}
    # Every kind of record, each with the pupil's rows and all their versions.
    for kind in export_kinds():
        expected = kept[kind.code]
        assert {row["id"] for row in by_kind[kind.code]} == expected, kind.code
        assert expected, kind.code
        if kind.has_history:
            versions = kind.model_class.history.model.objects.filter(id__in=expected).count()
            assert sum(len(row["versies"]) for row in by_kind[kind.code]) == versions, kind.code
    text = json.dumps(data, ensure_ascii=False)
    assert "Notitie DAAN v2" in text and "Notitie DAAN" in text and "Meldcode DAAN" in text
    assert "Signalen DAAN" in text and "Verzoek DAAN" in text and "Afspraak DAAN" in text
    # The documents themselves, with their content.
    documents = [n for n in names if n.startswith("documenten/")]
    assert len(documents) == 2 and all(archive.read(n).startswith(b"%PDF") for n in documents)
    # Nothing of another pupil: not Sanne's data, nor the sibling's name of a family link.
    assert "SANNE" not in text and sanne.student_number not in text and sanne.last_name not in text
    assert "BroerDAAN" not in text
    # Written to the read log: the request's page, then the download.
    sections = set(FileAccess.objects.filter(student=daan, user=coordinator).values_list("section", flat=True))
    assert {"inzage-export gedownload"} <= sections


def test_the_page_shows_a_progress_bar_while_the_export_is_made(client, world, coordinator):
    daan = world["DAAN"]
    client.force_login(coordinator)
    response = client.post(f"/privacy/leerling/{daan.pk}/inzage/", follow=True)  # not built: no commit in a test
    assert "<progress" in response.text and 'data-hx-get="/privacy/inzage/' in response.text
    export = InzageExport.objects.filter(student=daan, status=InzageStatus.QUEUED).get()
    partial = client.get(f"/privacy/inzage/{export.pk}/voortgang/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "In de wachtrij" in partial.text and daan.first_name not in partial.text
    # Asked again (a double submit) while it waits: still one export.
    client.post(f"/privacy/leerling/{daan.pk}/inzage/")
    assert InzageExport.objects.filter(student=daan, status=InzageStatus.QUEUED).count() == 1


def test_the_progress_bar_sends_the_page_to_the_download_when_done(
    client, world, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    _response, export = _request(client, world["DAAN"], django_capture_on_commit_callbacks)
    partial = client.get(f"/privacy/inzage/{export.pk}/voortgang/", HTTP_HX_REQUEST="true")
    assert partial["HX-Redirect"] == f"/privacy/inzage/{export.pk}/"
    assert "Downloaden (ZIP)" in client.get(f"/privacy/inzage/{export.pk}/").text


def test_an_export_of_a_pupil_of_another_school_is_a_404(client, other_coordinator, student):
    client.force_login(other_coordinator)
    assert client.post(f"/privacy/leerling/{student.pk}/inzage/").status_code == 404
    assert client.get(f"/privacy/leerling/{student.pk}/").status_code == 404
    assert not InzageExport.objects.exists()


def test_an_export_made_at_another_school_is_a_404(client, other_coordinator, student, coordinator):
    export = InzageExport.objects.create(school=student.school, student=student, requested_by=coordinator)
    client.force_login(other_coordinator)
    assert client.get(f"/privacy/inzage/{export.pk}/").status_code == 404
    assert client.get(f"/privacy/inzage/{export.pk}/downloaden/").status_code == 404


@pytest.mark.denies("student.inzage_export")
def test_a_mentor_cannot_make_an_inzage_export(client, mentor, student):
    client.force_login(mentor)
    assert client.post(f"/privacy/leerling/{student.pk}/inzage/").status_code == 403
    assert not InzageExport.objects.exists()


def test_the_zip_is_removed_after_seven_days(world, coordinator, django_capture_on_commit_callbacks, client):
    from datetime import timedelta

    from django.core.files.storage import storages
    from django.utils import timezone

    from privacy.services import inzage_files_expire

    client.force_login(coordinator)
    _response, export = _request(client, world["DAAN"], django_capture_on_commit_callbacks)
    name = export.storage_name
    assert storages["documents"].exists(name)
    assert inzage_files_expire() == 0
    assert inzage_files_expire(now=timezone.now() + timedelta(days=8)) == 1
    assert not storages["documents"].exists(name)
    export.refresh_from_db()
    assert export.storage_name == "" and export.removed_at is not None
    assert client.get(f"/privacy/inzage/{export.pk}/downloaden/").status_code == 404
