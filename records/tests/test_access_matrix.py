"""Who reads which notes and documents: every role × every section (vertrouwelijk included)
× own school / other school / partner with and without consent, for reading the note, its
line on the timeline, and downloading the document. Outside scope: 404, never 403.

The expected table is written out here from the issue's rules (not computed by the code
under test): a role reads an entry when the entry's section is one of the sections of the
file that role sees; *vertrouwelijk* only the author and the zorgcoördinator.
"""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import staff
from concerns.tests.factories import ConcernCategoryFactory, ConcernFactory
from records import services
from records.models import Document, Note
from referrals.tests.factories import FacilityFactory, placed
from students.models import FileAccess
from students.tests.factories import ConsentFactory, PartnerLinkFactory, SchoolClassFactory

from .factories import pdf_upload

ALL = ["administratie", "toestemming", "netwerk", "zorg", "aanmelding", "traject", "overleg", "verzuim", "meldcode"]
SECTIONS = [*ALL, "vertrouwelijk"]

# role -> the sections of the file it reads (None: the file is outside its scope: 404).
READS = {
    "zorgcoordinator": [*ALL, "vertrouwelijk"],
    "functioneel beheerder": ["administratie", "toestemming", "netwerk"],
    "verzuimcoordinator": ["administratie", "verzuim"],
    "aandachtsfunctionaris (Meldcode-casus)": ["administratie", "meldcode"],
    "mentor van de klas": ["administratie"],
    "coach (geplaatst)": ["administratie", "traject"],
    "partner met toestemming": ["administratie", "netwerk", "traject", "overleg"],
    "mentor van een andere klas": None,
    "coach (niet geplaatst)": None,
    "partner zonder toestemming": None,
    "schoolleider": None,
    "zorgcoordinator andere school": None,
}


@pytest.fixture
def world(school, other_school, coordinator, mentor, student, organisation):
    """The pupil `student` (class of `mentor`) and one person per role of READS."""
    facility = FacilityFactory(school=school)
    coach_placed = staff(school, Role.COACH, email="coach1@a.test", name="Coach Geplaatst")
    facility.coaches.add(coach_placed)
    placed(student, facility, by=coordinator)
    meldcode = ConcernCategoryFactory(school=school, follows_meldcode=True, handler_role=Role.AANDACHTSFUNCTIONARIS)
    ConcernFactory(student=student, category=meldcode, raised_by=mentor)
    from accounts.tests.factories import OrganisationFactory, partner

    PartnerLinkFactory(student=student, organisation=organisation, linked_by=coordinator)
    ConsentFactory(student=student, organisation=organisation, recorded_by=coordinator)
    without = OrganisationFactory(name="SMW", schools=[school])
    PartnerLinkFactory(student=student, organisation=without, linked_by=coordinator)
    people = {
        "zorgcoordinator": coordinator,
        "functioneel beheerder": staff(school, Role.BEHEERDER, email="fb@a.test", name="Beheer"),
        "verzuimcoordinator": staff(school, Role.VERZUIMCOORDINATOR, email="vc@a.test", name="Verzuim"),
        "aandachtsfunctionaris (Meldcode-casus)": staff(
            school, Role.AANDACHTSFUNCTIONARIS, email="af@a.test", name="AF"
        ),
        "mentor van de klas": mentor,
        "coach (geplaatst)": coach_placed,
        "partner met toestemming": partner(organisation, email="p1@partner.test", name="Partner Eén"),
        "mentor van een andere klas": staff(school, Role.MENTOR, email="m2@a.test", name="Mentor Twee"),
        "coach (niet geplaatst)": staff(school, Role.COACH, email="coach2@a.test", name="Coach Twee"),
        "partner zonder toestemming": partner(without, email="p2@partner.test", name="Partner Twee"),
        "schoolleider": staff(school, Role.SCHOOLLEIDER, email="sl@a.test", name="Leider"),
        "zorgcoordinator andere school": staff(other_school, Role.ZORGCOORDINATOR, email="zc@b.test", name="ZC B"),
    }
    SchoolClassFactory(school=school, name="9Z", mentors=[people["mentor van een andere klas"]])
    return people


def _entries(author, student, section):
    from django.utils import timezone

    note = services.note_add(
        student=student,
        actor=author,
        occurred_at=timezone.now(),
        kind="huisbezoek",
        text=f"Notitie in {section}: thuis gesproken.",
        section=section,
    )
    document = services.document_add(
        student=student, actor=author, upload=pdf_upload(), title=f"Document {section}", kind="brief", section=section
    )
    return note, document


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("role", list(READS))
def test_access_matrix(client, world, coordinator, student, role, section):
    note, document = _entries(coordinator, student, section)
    user = world[role]
    client.force_login(user)
    reads_file = READS[role] is not None
    reads = reads_file and section in READS[role]

    file_page = client.get(student.get_absolute_url())
    assert file_page.status_code == (200 if reads_file else 404)
    if reads_file:
        body = file_page.content.decode()
        assert (f"Notitie in {section}: thuis gesproken." in body) is reads, "timeline line"
        assert (f"Document {section}" in body) is reads, "document list and timeline"

    assert client.get(note.get_absolute_url()).status_code == (200 if reads else 404)
    before = FileAccess.objects.filter(user=user, section="document gedownload").count()
    download = client.get(reverse("records:document_download", args=[document.pk]))
    assert download.status_code == (200 if reads else 404)
    after = FileAccess.objects.filter(user=user, section="document gedownload").count()
    assert after == before + (1 if reads else 0)


@pytest.mark.parametrize("section", ["zorg", "meldcode", "vertrouwelijk"])
def test_the_author_reads_their_own_note_in_a_section_they_do_not_see(client, mentor, student, coordinator, section):
    note, document = _entries(mentor, student, section)
    client.force_login(mentor)
    assert client.get(note.get_absolute_url()).status_code == 200
    assert client.get(reverse("records:document_download", args=[document.pk])).status_code == 200
    assert f"Notitie in {section}" in client.get(student.get_absolute_url()).content.decode()


@pytest.mark.denies("note.read", "document.read")
def test_vertrouwelijk_of_a_mentor_is_not_read_by_another_care_role(client, mentor, student, aandachtsfunctionaris):
    ConcernFactory(
        student=student,
        category=ConcernCategoryFactory(
            school=student.school, follows_meldcode=True, handler_role=Role.AANDACHTSFUNCTIONARIS
        ),
        raised_by=mentor,
    )
    note, document = _entries(mentor, student, "vertrouwelijk")
    client.force_login(aandachtsfunctionaris)
    assert client.get(student.get_absolute_url()).status_code == 200
    assert client.get(note.get_absolute_url()).status_code == 404
    assert client.get(reverse("records:document", args=[document.pk])).status_code == 404


def test_a_coordinator_reads_vertrouwelijk_of_a_mentor(client, mentor, coordinator, student):
    note, _document = _entries(mentor, student, "vertrouwelijk")
    client.force_login(coordinator)
    assert client.get(note.get_absolute_url()).status_code == 200
    assert "[vertrouwelijk]" in client.get(student.get_absolute_url()).content.decode()


# --- Who may write, change and remove ----------------------------------------------------------


def test_writers(client, world, student):
    """Coordinator, mentor, placed coach, partner with consent, AF and verzuimcoördinator add notes."""
    for role in [
        "zorgcoordinator",
        "mentor van de klas",
        "coach (geplaatst)",
        "partner met toestemming",
        "aandachtsfunctionaris (Meldcode-casus)",
        "verzuimcoordinator",
    ]:
        client.force_login(world[role])
        assert client.get(reverse("records:note_add", args=[student.pk])).status_code == 200, role
        assert client.get(reverse("records:document_add", args=[student.pk])).status_code == 200, role


@pytest.mark.denies("student.add_note", "student.add_document")
def test_functioneel_beheerder_cannot_add_notes_or_documents(client, beheerder, student):
    client.force_login(beheerder)
    assert client.get(reverse("records:note_add", args=[student.pk])).status_code == 403
    assert client.get(reverse("records:document_add", args=[student.pk])).status_code == 403
    assert client.post(reverse("records:note_add", args=[student.pk]), {"text": "x"}).status_code == 403
    assert not Note.objects.exists() and not Document.objects.exists()


def test_mentor_of_another_class_gets_404_for_adding(client, world, student):
    client.force_login(world["mentor van een andere klas"])
    assert client.get(reverse("records:note_add", args=[student.pk])).status_code == 404


@pytest.mark.denies("note.edit")
def test_coordinator_cannot_rewrite_a_mentors_note(client, mentor, coordinator, student):
    note, _document = _entries(mentor, student, "zorg")
    client.force_login(coordinator)
    assert client.get(reverse("records:note_edit", args=[note.pk])).status_code == 403


@pytest.mark.denies("note.remove", "document.remove")
def test_mentor_cannot_remove_a_colleagues_entries(client, mentor, student, school_class, school):
    colleague = staff(school, Role.MENTOR, email="m3@a.test", name="Mentor Drie")
    school_class.mentors.add(colleague)
    note, document = _entries(colleague, student, "administratie")
    client.force_login(mentor)
    assert client.get(note.get_absolute_url()).status_code == 200
    assert client.post(reverse("records:note_remove", args=[note.pk]), {"reason": "weg"}).status_code == 403
    assert client.post(reverse("records:document_remove", args=[document.pk]), {"reason": "weg"}).status_code == 403
    note.refresh_from_db()
    document.refresh_from_db()
    assert note.removed_at is None and document.removed_at is None


def test_the_coordinator_removes_a_mentors_note(client, mentor, coordinator, student):
    note, _document = _entries(mentor, student, "zorg")
    client.force_login(coordinator)
    assert client.post(reverse("records:note_remove", args=[note.pk]), {"reason": "Dubbel"}).status_code == 302
    note.refresh_from_db()
    assert note.removed_by == coordinator
