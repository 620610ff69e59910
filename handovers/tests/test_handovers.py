"""The warm handover between two schools of the installation (issue 23)."""

import io
import re
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import HolidayPeriod, Role
from accounts.tests.factories import staff
from handovers import services
from handovers.models import Handover, HandoverItem, HandoverStatus
from notifications.models import Notification
from students import services as student_services
from students.models import Consent, FileAccess, Student, TimelineEvent
from students.tests.factories import ConsentFactory, SchoolClassFactory

pytestmark = pytest.mark.django_db


def _start(record, coordinator, to_school, **extra):
    student = record["care_note"].student
    data = {
        "to_school": to_school,
        "basis": "wet",
        "notes": [record["care_note"]],
        "documents": [record["document"]],
        **extra,
    }
    return services.handover_start(student=student, actor=coordinator, **data)


# --- what travels ------------------------------------------------------------------------------


def test_only_the_chosen_parts_travel_and_never_the_meldcode_without_the_choice(record, coordinator, other_school):
    handover = _start(record, coordinator, other_school)
    kinds = sorted(handover.items.values_list("kind", "title"))
    assert kinds == [("document", "Onderzoek psycholoog"), ("notitie", "gesprek met ouders")]
    text = str(handover.summary)
    assert "Gedrag" in text and "Veiligheid" not in text and "Meldcode" not in text
    assert not handover.items.filter(section="meldcode").exists()
    # The document's content was copied: the copy stays when the original is removed.
    item = handover.items.get(kind="document")
    with storages["documents"].open(item.storage_name, "rb") as copy:
        assert copy.read().startswith(b"%PDF")
    assert item.storage_name != record["document"].storage_name


def test_a_confidential_note_never_travels_even_when_posted(record, coordinator, other_school):
    with pytest.raises(ValidationError) as refused:
        _start(record, coordinator, other_school, notes=[record["secret_note"]])
    assert "notes" in refused.value.error_dict
    assert not Handover.objects.exists()


def test_the_meldcode_travels_only_with_the_choice_and_a_reason(record, coordinator, other_school):
    with pytest.raises(ValidationError) as refused:
        _start(record, coordinator, other_school, notes=[record["meldcode_note"]])
    assert "notes" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        _start(record, coordinator, other_school, meldcode=True)
    assert "meldcode_reason" in refused.value.error_dict
    handover = _start(
        record,
        coordinator,
        other_school,
        meldcode=True,
        meldcode_reason="Veiligheid thuis: de nieuwe school moet dit weten.",
        notes=[record["meldcode_note"]],
    )
    assert set(handover.items.values_list("section", flat=True)) == {"meldcode", "zorg"}
    assert handover.items.filter(kind="meldcode").get().text.startswith("Blauwe plekken")
    assert "Veiligheid (Meldcode)" in str(handover.summary)


def test_consents_do_not_travel(client, record, coordinator, other_school, other_coordinator, organisation):
    ConsentFactory(student=record["care_note"].student, organisation=organisation, recorded_by=coordinator)
    handover = _start(record, coordinator, other_school)
    received = services.handover_accept(handover=handover, actor=other_coordinator, student_number="B-1")
    assert not Consent.objects.filter(student=received).exists()


# --- accepting ------------------------------------------------------------------------------------


def test_the_receiver_sees_the_content_only_after_accepting(
    client, record, coordinator, other_coordinator, other_school
):
    handover = _start(record, coordinator, other_school)
    assert Notification.objects.filter(recipient=other_coordinator, kind="handover").count() == 1
    client.force_login(other_coordinator)
    page = client.get(reverse("handovers:detail", args=[handover.pk])).content.decode()
    assert "Daan Jansen" in page and "Aanvaarden" in page
    assert "Gesprek met moeder" not in page and "Gedrag" not in page
    response = client.post(reverse("handovers:accept", args=[handover.pk]), {"student_number": "B-77"})
    received = Student.objects.get(school=other_school, student_number="B-77")
    assert response.status_code == 302 and response["Location"] == received.get_absolute_url()
    file_page = client.get(received.get_absolute_url()).content.decode()
    assert "Overgedragen dossier" in file_page
    assert "Gesprek met moeder over de overstap." in file_page and "Gedrag" in file_page
    assert "Vermoeden, nog niet gedeeld" not in file_page
    assert TimelineEvent.objects.filter(student=received, kind="handovers.received").exists()


def test_the_sender_sees_the_receipt(client, record, coordinator, other_coordinator, other_school):
    handover = _start(record, coordinator, other_school)
    services.handover_accept(handover=handover, actor=other_coordinator, student_number="B-1")
    client.force_login(coordinator)
    page = client.get(reverse("handovers:detail", args=[handover.pk])).content.decode()
    assert "Aanvaard door Zorg Coördinator B" in page
    file_page = client.get(record["care_note"].student.get_absolute_url()).content.decode()
    assert "ontvangen door Zorg Coördinator B" in file_page


def test_other_staff_of_the_new_school_see_it_per_their_role(
    client, record, coordinator, other_coordinator, other_school
):
    handover = _start(record, coordinator, other_school)
    mentor_b = staff(other_school, Role.MENTOR, email="mentor@b.test", name="Mentor B")
    klas = SchoolClassFactory(school=other_school, name="1A", mentors=[mentor_b])
    received = services.handover_accept(
        handover=handover, actor=other_coordinator, student_number="B-1", school_class=klas
    )
    beheer_b = staff(other_school, Role.BEHEERDER, email="beheer2@b.test", name="Beheer B")
    for user in (mentor_b, beheer_b):
        client.force_login(user)
        page = client.get(received.get_absolute_url()).content.decode()
        # Neither sees Zorgmeldingen at their school: so not the care summary or the care parts.
        assert "Gesprek met moeder" not in page and "Onderzoek psycholoog" not in page


def test_the_sending_school_sees_nothing_the_new_school_adds(
    client, record, coordinator, other_coordinator, other_school
):
    from records.services import note_add

    handover = _start(record, coordinator, other_school)
    received = services.handover_accept(handover=handover, actor=other_coordinator, student_number="B-1")
    note_add(
        student=received,
        actor=other_coordinator,
        occurred_at=timezone.now(),
        kind="gesprek_ouders",
        text="Intake op de nieuwe school.",
        section="zorg",
    )
    client.force_login(coordinator)
    assert client.get(received.get_absolute_url()).status_code == 404
    page = client.get(handover.student.get_absolute_url()).content.decode()
    assert "Intake op de nieuwe school" not in page


def test_accepting_links_to_a_pupil_the_lvs_import_already_brought(
    record, coordinator, other_coordinator, other_school
):
    from students.tests.factories import StudentFactory

    student = record["care_note"].student
    existing = StudentFactory(
        school=other_school,
        student_number="B-9",
        first_name="Daan",
        last_name="Jansen",
        date_of_birth=student.date_of_birth,
    )
    handover = _start(record, coordinator, other_school)
    assert services.handover_accept(handover=handover, actor=other_coordinator, student_number="B-9") == existing


# --- bad input ----------------------------------------------------------------------------------


def test_a_handover_to_the_own_school_is_refused(record, coordinator, school):
    with pytest.raises(ValidationError) as refused:
        _start(record, coordinator, school)
    assert "Dat is de eigen school" in str(refused.value)
    assert not Handover.objects.exists()


def test_a_school_outside_the_installation_cannot_be_chosen(client, record, coordinator):
    client.force_login(coordinator)
    student = record["care_note"].student
    response = client.post(
        reverse("handovers:start", args=[student.pk]),
        {"to_school": 999999, "basis": "wet", "notes": [record["care_note"].pk]},
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert re.search(r'value="wet"[^>]*checked', response.content.decode())  # what was chosen stays
    assert not Handover.objects.exists()


def test_a_pupil_who_has_not_left_is_refused_with_a_clear_message(client, student, coordinator, other_school):
    client.force_login(coordinator)
    response = client.post(
        reverse("handovers:start", args=[student.pk]), {"to_school": other_school.pk, "basis": "wet"}
    )
    assert "staat nog ingeschreven" in response.content.decode()
    assert not Handover.objects.exists()


def test_parents_agreement_needs_who_and_when(record, coordinator, other_school):
    with pytest.raises(ValidationError) as refused:
        _start(record, coordinator, other_school, basis="ouders")
    assert "basis_note" in refused.value.error_dict


def test_accepted_twice_is_refused_and_nothing_moves(client, record, coordinator, other_coordinator, other_school):
    handover = _start(record, coordinator, other_school)
    services.handover_accept(handover=handover, actor=other_coordinator, student_number="B-1")
    with pytest.raises(ValidationError) as refused:
        services.handover_accept(handover=handover, actor=other_coordinator, student_number="B-2")
    assert "al aanvaard" in str(refused.value)
    assert Student.objects.filter(school=other_school).count() == 1


def test_a_second_handover_of_the_same_pupil_is_refused(record, coordinator, other_school):
    _start(record, coordinator, other_school)
    with pytest.raises(ValidationError, match="al een overdracht"):
        _start(record, coordinator, other_school)


@pytest.mark.denies("handover.accept")
def test_only_the_receiving_coordinator_accepts(client, record, coordinator, other_school):
    handover = _start(record, coordinator, other_school)
    client.force_login(coordinator)  # the sender
    response = client.post(reverse("handovers:accept", args=[handover.pk]), {"student_number": "X"})
    assert response.status_code == 403
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.WAITING


def test_a_wrong_date_of_birth_behind_a_number_is_refused(record, coordinator, other_coordinator, other_school):
    from students.tests.factories import StudentFactory

    StudentFactory(school=other_school, student_number="B-5", date_of_birth=date(2001, 1, 1))
    handover = _start(record, coordinator, other_school)
    with pytest.raises(ValidationError, match="andere geboortedatum"):
        services.handover_accept(handover=handover, actor=other_coordinator, student_number="B-5")
    handover.refresh_from_db()
    assert handover.received_student_id is None


# --- late -----------------------------------------------------------------------------------------


def test_a_handover_not_accepted_within_ten_school_days_is_flagged_once_to_both(
    record, coordinator, other_coordinator, other_school
):
    handover = _start(record, coordinator, other_school)
    monday = date(2026, 11, 2)
    Handover.objects.filter(pk=handover.pk).update(
        started_at=timezone.make_aware(timezone.datetime.combine(monday, time(9, 0)))
    )
    # Two weeks later is ten school days; with a holiday day in between it is nine.
    HolidayPeriod.objects.create(name="Studiedag", school=other_school, start=date(2026, 11, 4), end=date(2026, 11, 4))
    assert services.handovers_flag_late(today=monday + timedelta(days=14)) == 0
    assert services.handovers_flag_late(today=monday + timedelta(days=15)) == 1
    assert services.handovers_flag_late(today=monday + timedelta(days=16)) == 0  # once
    late = Notification.objects.filter(key__contains="-late-")
    assert {n.recipient for n in late} == {coordinator, other_coordinator}


def test_school_days_skip_weekends_and_holidays(other_school):
    friday = date(2026, 11, 6)
    assert services.school_days_after(school=other_school, start=friday, end=friday + timedelta(days=3)) == 1


# --- the PDF and the meeting ----------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_care_summary_pdf_holds_the_chosen_parts_only(client, record, coordinator):
    student = record["care_note"].student
    client.force_login(coordinator)
    response = client.get(
        reverse("handovers:care_summary", args=[student.pk]), {"maken": "1", "notes": [record["care_note"].pk]}
    )
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Zorgsamenvatting Daan Jansen" in text and "Gesprek met moeder" in text and "Gedrag" in text
    assert "Veilig Thuis gebeld" not in text and "Vermoeden" not in text and "Blauwe plekken" not in text
    assert FileAccess.objects.filter(section="zorgsamenvatting export (pdf)", student=student).count() == 1
    assert TimelineEvent.objects.filter(student=student, kind="handovers.summary_pdf").exists()


def test_the_care_summary_pdf_with_the_meldcode_needs_a_reason(client, record, coordinator):
    student = record["care_note"].student
    client.force_login(coordinator)
    response = client.get(reverse("handovers:care_summary", args=[student.pk]), {"maken": "1", "meldcode": "on"})
    assert response["Content-Type"].startswith("text/html")
    assert "Schrijf op waarom" in response.content.decode()
    response = client.get(
        reverse("handovers:care_summary", args=[student.pk]),
        {"maken": "1", "meldcode": "on", "meldcode_reason": "Veiligheid", "notes": [record["meldcode_note"].pk]},
    )
    text = _pdf_text(response.content)
    assert "Blauwe plekken" in text and "Veilig Thuis gebeld" in text


def test_the_warm_handover_meeting_invites_both_coordinators(
    client, record, coordinator, other_coordinator, other_school
):
    handover = _start(record, coordinator, other_school)
    client.force_login(coordinator)
    day = timezone.localdate() + timedelta(days=7)
    response = client.post(
        reverse("handovers:meeting", args=[handover.pk]),
        {"day": day.isoformat(), "start_time": "15:00", "end_time": "16:00"},
    )
    assert response.status_code == 302
    from meetings.models import Meeting

    meeting = Meeting.objects.get()
    assert set(meeting.participants.all()) == {coordinator, other_coordinator}
    assert meeting.items.get().student == handover.student


# --- denials --------------------------------------------------------------------------------------


@pytest.mark.denies("school.handovers")
def test_the_list_is_for_the_coordinator(client, mentor):
    client.force_login(mentor)
    assert client.get(reverse("handovers:list")).status_code == 403


@pytest.mark.denies("student.handover_start", "student.care_summary_export")
def test_a_mentor_starts_no_handover_and_makes_no_summary(client, left_student, mentor):
    client.force_login(mentor)
    assert client.get(reverse("handovers:start", args=[left_student.pk])).status_code == 403
    assert client.get(reverse("handovers:care_summary", args=[left_student.pk])).status_code == 403


def test_another_schools_coordinator_gets_404_on_the_pupil(client, left_student, other_coordinator):
    client.force_login(other_coordinator)
    assert client.get(reverse("handovers:start", args=[left_student.pk])).status_code == 404
    assert not FileAccess.objects.exists()


@pytest.mark.denies("handover.view")
def test_a_third_schools_coordinator_does_not_see_the_handover(client, record, coordinator, other_school):
    from accounts.tests.factories import SchoolFactory

    handover = _start(record, coordinator, other_school)
    third = SchoolFactory(name="School C", brin_code="33CC")
    outsider = staff(third, Role.ZORGCOORDINATOR, email="zc@c.test", name="ZC C")
    # Also a mentor at the receiving school: a role there, but not the coordinator's.
    staff_b = staff(other_school, Role.MENTOR, Role.ZORGCOORDINATOR, email="dual@b.test", name="Dual")
    staff_b.memberships.filter(role=Role.ZORGCOORDINATOR).delete()
    client.force_login(outsider)
    assert client.get(reverse("handovers:detail", args=[handover.pk])).status_code == 404
    # Someone who sees it through another school (the sender's school list) but holds no
    # coordinator role at either: the rule refuses.
    from carecoord import access

    assert not access.can(staff_b, "handover.view", handover)


@pytest.mark.denies("handover.read_content", "handover.plan_meeting", "handover_item.read")
def test_before_accepting_the_receiver_reads_no_content(client, record, coordinator, other_coordinator, other_school):
    handover = _start(record, coordinator, other_school)
    item = handover.items.get(kind="document")
    client.force_login(other_coordinator)
    page = client.get(reverse("handovers:detail", args=[handover.pk])).content.decode()
    assert "Onderzoek psycholoog" not in page
    assert client.get(reverse("handovers:item_download", args=[item.pk])).status_code == 404
    assert client.get(reverse("handovers:meeting", args=[handover.pk])).status_code == 403


def test_after_accepting_the_receiver_downloads_the_copied_document(
    client, record, coordinator, other_coordinator, other_school
):
    handover = _start(record, coordinator, other_school)
    received = services.handover_accept(handover=handover, actor=other_coordinator, student_number="B-1")
    item = HandoverItem.objects.get(kind="document")
    client.force_login(other_coordinator)
    response = client.get(reverse("handovers:item_download", args=[item.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert FileAccess.objects.filter(student=received, section="overgedragen document").count() == 1


def test_the_receiving_coordinator_gets_a_task_until_accepting(
    client, record, coordinator, other_coordinator, other_school
):
    handover = _start(record, coordinator, other_school)
    client.force_login(other_coordinator)
    page = client.get(reverse("todo:list")).content.decode()
    assert "Overdracht van School A aanvaarden" in page and "Daan" not in page
    services.handover_accept(handover=handover, actor=other_coordinator, student_number="B-1")
    assert "Overdracht van School A aanvaarden" not in client.get(reverse("todo:list")).content.decode()


def test_the_current_opp_version_travels_when_chosen(student, coordinator, other_school, other_coordinator, client):
    from plans.services import plan_adopt
    from plans.tests.factories import adoptable_draft

    _plan, draft = adoptable_draft(student, coordinator)
    plan_adopt(version=draft, actor=coordinator)
    student_services.student_leave(student=student, on=timezone.localdate(), actor=coordinator)
    without = services.handover_start(student=student, actor=coordinator, to_school=other_school, basis="wet")
    assert not without.items.filter(kind="opp").exists()
    without.delete()
    handover = services.handover_start(
        student=student, actor=coordinator, to_school=other_school, basis="wet", plan=True
    )
    item = handover.items.get(kind="opp")
    assert item.title.startswith("OPP, versie 1") and "Rust en structuur" in item.text
    received = services.handover_accept(handover=handover, actor=other_coordinator, student_number="B-1")
    client.force_login(other_coordinator)
    assert "Elke dag de lessen Nederlands volgen." in client.get(received.get_absolute_url()).content.decode()
