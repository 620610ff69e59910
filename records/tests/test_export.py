"""The file as a document: the PDF holds the sections the role may see and none of the
others (read from the PDF's text), is logged as an export and watermarked on every page."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from concerns.tests.factories import ConcernCategoryFactory, ConcernFactory
from records import services
from students.models import FileAccess
from students.timeline import timeline_add


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def record(coordinator, mentor, student):
    """Notes in five sections, a document and a line on the timeline in the Zorg section."""
    ConcernFactory(
        student=student,
        category=ConcernCategoryFactory(
            school=student.school, follows_meldcode=True, handler_role=Role.AANDACHTSFUNCTIONARIS
        ),
        raised_by=mentor,
    )
    for section in ("administratie", "zorg", "verzuim", "meldcode", "vertrouwelijk"):
        services.note_add(
            student=student,
            actor=coordinator,
            occurred_at=timezone.now(),
            kind="telefoongesprek",
            text=f"Tekst-{section}-notitie",
            section=section,
        )
    timeline_add(student=student, kind="concerns.raised", actor=mentor, category="Gedrag", raised_by="Mentor Eén")
    from .factories import pdf_upload

    services.document_add(
        student=student,
        actor=coordinator,
        upload=pdf_upload(),
        title="Brief-zorg-document",
        kind="brief",
        section="zorg",
    )


def _export(client, student, **params):
    query = {"uitvoer": "pdf", **params}
    return client.get(reverse("records:file_export", args=[student.pk]), query)


def test_the_coordinators_pdf_holds_every_section(client, coordinator, student, record):
    client.force_login(coordinator)
    sections = [
        "administratie",
        "toestemming",
        "netwerk",
        "zorg",
        "aanmelding",
        "traject",
        "overleg",
        "verzuim",
        "meldcode",
        "vertrouwelijk",
    ]
    text = pdf_text(_export(client, student, sections=sections))
    for section in ("administratie", "zorg", "verzuim", "meldcode", "vertrouwelijk"):
        assert f"Tekst-{section}-notitie" in text
    assert "Brief-zorg-document" in text and "Zorgmelding Gedrag" in text
    assert "Ouder Jansen" in text and "Daan Jansen" in text
    assert f"Afgedrukt door {coordinator.name}" in text
    assert FileAccess.objects.filter(user=coordinator, student=student, section="dossier export (pdf)").count() == 1


def test_the_verzuimcoordinators_pdf_holds_only_their_sections(client, verzuimcoordinator, student, record):
    client.force_login(verzuimcoordinator)
    # Every section the form offers them.
    text = pdf_text(_export(client, student, sections=["administratie", "verzuim", "vertrouwelijk"]))
    assert "Tekst-administratie-notitie" in text and "Tekst-verzuim-notitie" in text
    for hidden in (
        "Tekst-zorg-notitie",
        "Tekst-meldcode-notitie",
        "Tekst-vertrouwelijk-notitie",
        "Brief-zorg-document",
        "Zorgmelding Gedrag",
    ):
        assert hidden not in text


def test_the_aandachtsfunctionaris_pdf_holds_meldcode_but_not_zorg(client, aandachtsfunctionaris, student, record):
    client.force_login(aandachtsfunctionaris)
    text = pdf_text(_export(client, student, sections=["administratie", "meldcode", "vertrouwelijk"]))
    assert "Tekst-meldcode-notitie" in text
    for hidden in ("Tekst-zorg-notitie", "Tekst-verzuim-notitie", "Tekst-vertrouwelijk-notitie", "Zorgmelding Gedrag"):
        assert hidden not in text


def test_asking_for_a_section_one_may_not_see_gives_no_pdf(client, verzuimcoordinator, student, record):
    client.force_login(verzuimcoordinator)
    response = _export(client, student, sections=["verzuim", "zorg"])
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not FileAccess.objects.filter(section__startswith="export").exists()


def test_chosen_sections_and_period(client, coordinator, student, record):
    client.force_login(coordinator)
    text = pdf_text(_export(client, student, sections=["verzuim"]))
    assert "Tekst-verzuim-notitie" in text and "Tekst-zorg-notitie" not in text
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    text = pdf_text(_export(client, student, sections=["verzuim"], since=tomorrow))
    assert "Tekst-verzuim-notitie" not in text


def test_the_print_page_gives_the_same_on_paper(client, coordinator, student, record):
    client.force_login(coordinator)
    response = client.get(
        reverse("records:file_export", args=[student.pk]), {"uitvoer": "afdruk", "sections": ["zorg"]}
    )
    body = response.content.decode()
    assert "Tekst-zorg-notitie" in body and "Tekst-verzuim-notitie" not in body
    assert "records/file-print.css" in body and "<script>" not in body
    assert FileAccess.objects.filter(section="dossier export (afdruk)").count() == 1


def test_no_section_chosen_keeps_the_form_with_a_message(client, coordinator, student):
    client.force_login(coordinator)
    response = client.get(reverse("records:file_export", args=[student.pk]), {"uitvoer": "pdf"})
    assert response.status_code == 200 and "Kies minstens één onderdeel." in response.content.decode()


@pytest.mark.denies("student.export_file")
def test_a_mentor_cannot_export_the_file(client, mentor, student):
    client.force_login(mentor)
    assert _export(client, student, sections=["administratie"]).status_code == 403
    assert not FileAccess.objects.filter(section__startswith="export").exists()


def test_a_30_page_pdf_is_made(client, coordinator, student):
    # Long enough for 30+ pages: the benchmark (bench/records.py) times it.
    for n in range(60):
        services.note_add(
            student=student,
            actor=coordinator,
            occurred_at=timezone.now() - timezone.timedelta(hours=n),
            kind="gesprek_ouders",
            text=("Een lang gesprek met de ouders over de thuissituatie. " * 30) + f"Einde {n}.",
            section="zorg",
        )
    client.force_login(coordinator)
    reader = PdfReader(io.BytesIO(_export(client, student, sections=["zorg"]).content))
    assert len(reader.pages) >= 15
    assert all("Afgedrukt door" in page.extract_text() for page in reader.pages[:3])
