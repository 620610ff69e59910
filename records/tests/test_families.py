"""Families: the import suggests pupils who share a guardian, the coordinator confirms; the
"Gezin" panel shows only siblings the reader may see (nothing about the others), with the
guardians they share."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from records.models import FamilyLink, FamilyLinkStatus
from records.services import family_link, family_suggest
from students import presence
from students.models import Student
from students.tests.factories import GuardianFactory, SchoolClassFactory, StudentFactory

HEADER = "leerlingnummer;voornaam;tussenvoegsel;achternaam;geboortedatum;klas;niveau;leerjaar;ouder1_naam;ouder1_relatie;ouder1_telefoon;ouder1_email;ouder1_gezag"
LINES = [
    "300001;Sanne;de;Vries;07-03-2012;2K1;vmbo-k;2;Petra de Vries;moeder;06-12345678;petra@example.nl;ja",
    "300002;Lotte;de;Vries;11-09-2013;2K1;vmbo-k;2;Petra de Vries;moeder;06-12345678;PETRA@example.nl;ja",
    "300003;Noah;;Bakker;15-11-2011;2K1;;;Karel Bakker;vader;;;nee",
]


@pytest.fixture
def imported(tmp_path, coordinator, school_class, school):
    path = tmp_path / "leerlingen.csv"
    path.write_text("\n".join([HEADER, *LINES]) + "\n")
    call_command("import_students", school.brin_code, str(path), "--as", coordinator.email)
    return {s.first_name: s for s in Student.objects.filter(school=school)}


def test_the_import_suggests_pupils_who_share_a_guardian(imported):
    link = FamilyLink.objects.get()
    assert {link.student_a, link.student_b} == {imported["Sanne"], imported["Lotte"]}
    assert link.status == FamilyLinkStatus.SUGGESTED and link.from_import
    # Running the suggestion again finds nothing new.
    assert family_suggest(school=imported["Sanne"].school) == 0


def test_the_coordinator_confirms_a_suggestion_on_the_file(client, coordinator, imported):
    sanne = imported["Sanne"]
    client.force_login(coordinator)
    body = client.get(sanne.get_absolute_url()).content.decode()
    assert "Voorgesteld bij het inlezen" in body and "Lotte de Vries" in body
    link = FamilyLink.objects.get()
    response = client.post(
        reverse("records:family_decide", args=[link.pk]), {"besluit": "bevestigen", "terug": sanne.pk}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == FamilyLinkStatus.CONFIRMED and link.decided_by == coordinator
    body = client.get(sanne.get_absolute_url()).content.decode()
    assert "Gedeelde ouders/verzorgers: Petra de Vries" in body


def test_a_rejected_suggestion_is_not_made_again(coordinator, imported):
    link = FamilyLink.objects.get()
    from records.services import family_decide

    family_decide(link=link, actor=coordinator, confirm=False)
    assert family_suggest(school=link.school) == 0
    link.refresh_from_db()
    assert link.status == FamilyLinkStatus.REJECTED


def test_the_coordinator_links_by_hand(client, coordinator, student, school_class):
    brother = StudentFactory(school_class=school_class, student_number="777001")
    client.force_login(coordinator)
    response = client.post(
        reverse("records:family_link_add", args=[student.pk]), {"student_number": "777001", "kind": "broer_zus"}
    )
    assert response.status_code == 302
    link = FamilyLink.objects.get()
    assert link.status == FamilyLinkStatus.CONFIRMED and {link.student_a, link.student_b} == {student, brother}


def test_linking_to_an_unknown_number_keeps_the_form(client, coordinator, student):
    client.force_login(coordinator)
    response = client.post(
        reverse("records:family_link_add", args=[student.pk]), {"student_number": "000000", "kind": "broer_zus"}
    )
    assert response.status_code == 200 and "Er is geen leerling met dit leerlingnummer" in response.content.decode()
    assert not FamilyLink.objects.exists()


def test_a_mentor_sees_a_sibling_in_another_class_as_absent_from_the_panel(
    client, mentor, coordinator, student, school
):
    other_class = SchoolClassFactory(school=school, name="4H2")
    sister = StudentFactory(school_class=other_class, first_name="Fenna", last_name="Jansen")
    same_class = StudentFactory(school_class=student.school_class, first_name="Bram", last_name="Jansen")
    for pupil in (sister, same_class):
        GuardianFactory(student=pupil, name="Ouder Jansen")
        family_link(student=student, other=pupil, kind="broer_zus", actor=coordinator)
    client.force_login(mentor)
    body = client.get(student.get_absolute_url()).content.decode()
    assert "Bram Jansen" in body
    assert "Fenna" not in body and "4H2" not in body
    assert "Ouder Jansen" in body
    # The coordinator sees both.
    client.force_login(coordinator)
    body = client.get(student.get_absolute_url()).content.decode()
    assert "Bram Jansen" in body and "Fenna Jansen" in body


@pytest.mark.denies("student.manage_family", "school.review_families")
def test_a_mentor_cannot_link_or_review_families(client, mentor, student):
    client.force_login(mentor)
    assert client.get(reverse("records:family_link_add", args=[student.pk])).status_code == 403
    assert client.get(reverse("records:family_suggestions")).status_code == 403


def test_the_coordinator_reviews_the_schools_suggestions(client, coordinator, imported):
    client.force_login(coordinator)
    body = client.get(reverse("records:family_suggestions")).content.decode()
    assert "Sanne de Vries" in body and "Lotte de Vries" in body
    link = FamilyLink.objects.get()
    client.post(
        reverse("records:family_decide", args=[link.pk]),
        {"besluit": "bevestigen", "kind": "huishouden", "terug": "gezinnen"},
    )
    link.refresh_from_db()
    assert link.status == FamilyLinkStatus.CONFIRMED and link.kind == "huishouden"


def test_the_file_finds_a_family_link_from_either_pupil(school, school_class, student):
    """The pair is stored once (lower id first): the file's question "any family link?"
    (students/presence.py) must find it from both pupils, or the panel would stay empty."""
    sibling = StudentFactory(school=school, school_class=school_class)
    first, second = sorted([student, sibling], key=lambda s: s.pk)
    assert not presence.holds(Student.objects.get(pk=first.pk), FamilyLink)
    FamilyLink.objects.create(school=school, student_a=first, student_b=second, status=FamilyLinkStatus.SUGGESTED)
    for pupil in (first, second):
        assert presence.holds(Student.objects.get(pk=pupil.pk), FamilyLink)
