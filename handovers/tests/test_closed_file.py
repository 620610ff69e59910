"""After a handover is accepted and the pupil left, the sending school's record is closed:
read as before (and logged), nothing added or changed (issue 23, "after leaving"). One rule
decides it (`carecoord.access.handovers.file_closed`); each service refuses with a message."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carecoord.access.handovers import closed_files_q, file_closed
from concerns.models import Concern
from concerns.services import concern_submit
from handovers import services
from plans import services as plan_services
from plans.models import PlanVersion
from records.models import Document, Note, NoteKind
from records.services import document_add, note_add, note_remove, note_update
from records.tests.factories import pdf_upload
from referrals.models import Referral
from referrals.services import referral_create
from referrals.tests.factories import FacilityFactory
from students import services as student_services
from students.models import Consent, FileAccess, Student
from students.tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db

CLOSED = "dossier op deze school is gesloten"


@pytest.fixture
def draft(left_student, coordinator):
    """An OPP started while the pupil was still at the school (before the handover)."""
    plan = plan_services.plan_start(
        student=left_student, actor=coordinator, support_started_on=timezone.localdate() - timedelta(days=30)
    )
    return plan.versions.get()


@pytest.fixture
def consent(left_student, coordinator, organisation):
    return ConsentFactory(student=left_student, organisation=organisation, recorded_by=coordinator)


@pytest.fixture
def closed(record, draft, consent, coordinator, other_coordinator, other_school):
    student = record["care_note"].student
    handover = services.handover_start(student=student, actor=coordinator, to_school=other_school, basis="wet")
    assert not file_closed(student)  # waiting: still open
    services.handover_accept(handover=handover, actor=other_coordinator, student_number="B-7")
    student.refresh_from_db()
    return student


def _refused(call):
    with pytest.raises(ValidationError) as caught:
        call()
    assert CLOSED in " ".join(caught.value.messages)


# --- the rule -----------------------------------------------------------------------------------


def test_the_file_is_closed_once_the_handover_is_accepted(closed, student, coordinator, school_class):
    assert file_closed(closed)
    assert list(Student.objects.filter(closed_files_q())) == [closed]
    at_school = Student.objects.create(
        school=closed.school,
        school_class=school_class,
        first_name="Zus",
        last_name="Jansen",
        student_number="100009",
        date_of_birth=closed.date_of_birth,
    )
    assert not file_closed(at_school)
    student_services.student_return(student=closed, actor=coordinator)  # re-enrolled: open again
    closed.refresh_from_db()
    assert not file_closed(closed)


# --- each refused action -----------------------------------------------------------------------------


def test_no_new_note_in_a_closed_file(closed, coordinator):
    count = Note.objects.count()
    _refused(
        lambda: note_add(
            student=closed,
            actor=coordinator,
            occurred_at=timezone.now(),
            kind=NoteKind.PARENTS,
            text="Nog een gesprek.",
            section="zorg",
        )
    )
    assert Note.objects.count() == count


def test_no_note_rewritten_in_a_closed_file(closed, record, coordinator):
    note = record["care_note"]
    _refused(
        lambda: note_update(
            note=note,
            actor=coordinator,
            occurred_at=note.occurred_at,
            kind=note.kind,
            text="Anders.",
            section=note.section,
        )
    )
    note.refresh_from_db()
    assert note.text == "Gesprek met moeder over de overstap."


def test_a_note_can_still_be_removed_with_a_reason(closed, record, coordinator):
    # Correction and the AVG's removal right outlive the handover.
    note_remove(note=record["care_note"], actor=coordinator, reason="Onjuist vastgelegd.")
    assert Note.objects.get(pk=record["care_note"].pk).removed_at is not None


def test_no_new_document_in_a_closed_file(closed, coordinator):
    count = Document.objects.count()
    _refused(
        lambda: document_add(
            student=closed, actor=coordinator, upload=pdf_upload(), title="Nagekomen", kind="verslag", section="zorg"
        )
    )
    assert Document.objects.count() == count


def test_no_new_concern_about_a_closed_file(closed, record, mentor, school):
    count = Concern.objects.count()
    _refused(
        lambda: concern_submit(
            school=school,
            student=closed,
            category=record["categories"]["gedrag"],
            observation="Nog iets gezien.",
            urgency=2,
            submission_key=uuid.uuid4(),
            actor=mentor,
        )
    )
    assert Concern.objects.count() == count


def test_no_new_referral_for_a_closed_file(closed, coordinator, school):
    facility = FacilityFactory(school=school)
    _refused(lambda: referral_create(student=closed, facility=facility, question="Viproom?", actor=coordinator))
    assert not Referral.objects.exists()


def test_no_opp_changes_in_a_closed_file(closed, draft, coordinator):
    _refused(
        lambda: plan_services.plan_update(
            version=draft, actor=coordinator, fields=("goals",), goals="Nieuwe doelen op de oude school."
        )
    )
    _refused(
        lambda: plan_services.plan_discussion_record(
            version=draft,
            actor=coordinator,
            discussed_on=timezone.localdate(),
            discussed_with="moeder",
            parents_view="",
        )
    )
    _refused(lambda: plan_services.plan_adopt(version=draft, actor=coordinator))
    _refused(lambda: plan_services.plan_new_draft(plan=draft.plan, actor=coordinator))
    draft.refresh_from_db()
    assert draft.goals == "" and PlanVersion.objects.count() == 1


def test_no_opp_started_for_a_closed_file(closed, draft, coordinator):
    _refused(
        lambda: plan_services.plan_start(student=closed, actor=coordinator, support_started_on=timezone.localdate())
    )


def test_no_new_consent_in_a_closed_file_but_withdrawal_counts(closed, consent, coordinator, organisation):
    count = Consent.objects.count()
    _refused(
        lambda: student_services.consent_give(
            student=closed,
            actor=coordinator,
            given_on=timezone.localdate(),
            purpose="ot_bespreking",
            given_by_guardian=closed.guardians.first(),
        )
    )
    assert Consent.objects.count() == count
    # Withdrawing always takes effect at once (AVG): partners lose access to the old file.
    student_services.consent_withdraw(consent=consent, withdrawn_by="moeder", reason="", actor=coordinator)
    assert not Consent.objects.active().filter(pk=consent.pk).exists()


# --- the pages: read as before, no buttons ------------------------------------------------------------


@pytest.mark.denies("student.add_note", "student.add_document", "student.give_consent", "note.edit")
def test_the_closed_file_reads_but_offers_no_writes(client, closed, record, coordinator):
    client.force_login(coordinator)
    page = client.get(closed.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="file-closed"' in html
    assert "Notitie toevoegen" not in html and "Toestemming vastleggen" not in html
    assert FileAccess.objects.filter(student=closed, user=coordinator).exists()  # reading is logged
    assert client.get(f"/dossier/notities/{record['care_note'].pk}/").status_code == 200
    assert client.get(f"/dossier/leerling/{closed.pk}/notities/nieuw/").status_code == 403
    assert client.get(f"/dossier/leerling/{closed.pk}/documenten/nieuw/").status_code == 403
    assert client.get(f"/dossier/notities/{record['care_note'].pk}/wijzigen/").status_code == 403
    assert client.get(f"/leerlingen/{closed.pk}/toestemming/nieuw/").status_code == 403


@pytest.mark.denies("student.send_swv_request", "student.refer_external")
def test_the_closed_opp_reads_without_forms(client, closed, draft, coordinator):
    client.force_login(coordinator)
    html = client.get(f"/opp/versie/{draft.pk}/").content.decode()
    assert 'data-testid="file-closed"' in html and "Vaststellen" not in html and "Bewerken" not in html
    html = client.get(f"/opp/leerling/{closed.pk}/").content.decode()
    assert "Aanvraag indienen" not in html and "Doorverwijzen" not in html
