"""Version history ("Geschiedenis") of what forms the record: minutes, notes, plans and
goals, concerns and Meldcode steps, consents, guardians and pupil data. A change is a new
version (who, when, the old value); the page is for whoever may read the object."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from concerns.tests.factories import ConcernFactory
from meetings.tests.factories import AgendaItemFactory, AgreementFactory, MeetingFactory
from referrals.tests.factories import FacilityFactory, placed
from students.models import FileAccess


@pytest.fixture
def item(school, coordinator, student):
    meeting = MeetingFactory(school=school, organiser=coordinator, participants=[coordinator])
    return AgendaItemFactory(meeting=meeting, student=student)


def _minutes(client, item, **fields):
    data = {f"m{item.pk}-{name}": value for name, value in fields.items()}
    return client.post(reverse("meetings:item_update", args=[item.meeting_id, item.pk]), data)


def test_changing_minutes_keeps_the_old_text_visible_in_geschiedenis(client, coordinator, item):
    client.force_login(coordinator)
    _minutes(client, item, question="Wat nu?", notes="Gesprek gevoerd.", decision="Besluit: doorgaan met de viproom.")
    _minutes(client, item, question="Wat nu?", notes="Gesprek gevoerd.", decision="Besluit: Stoppen.")
    item.refresh_from_db()
    assert item.decision == "Besluit: Stoppen."
    # The old text is retrievable from the history table ...
    decisions = list(item.history.order_by("history_date").values_list("decision", flat=True))
    assert "Besluit: doorgaan met de viproom." in decisions and decisions[-1] == "Besluit: Stoppen."
    assert item.history.order_by("-history_date").first().history_user == coordinator
    # ... and shown side by side on the page, with who changed it.
    page = client.get(reverse("records:history", args=["agendapunt", item.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Besluit: doorgaan met de viproom." in body and "Besluit: Stoppen." in body
    # Newest first; the last change shows the old decision beside the new one.
    assert body.index("Versie 3: gewijzigd") < body.index("Versie 2: gewijzigd") < body.index("Versie 1: aangemaakt")
    last = body[body.index("Versie 3") : body.index("Versie 2")]
    assert last.index("Besluit: doorgaan met de viproom.") < last.index("Besluit: Stoppen.")
    assert "Zorg Coördinator" in body
    assert FileAccess.objects.filter(user=coordinator, section="geschiedenis").exists()
    meeting_page = client.get(item.meeting.get_absolute_url()).content.decode()
    assert reverse("records:history", args=["agendapunt", item.pk]) in meeting_page


@pytest.mark.denies("record.view_history")
def test_whoever_may_not_read_the_minutes_gets_404_for_their_history(client, mentor, item):
    client.force_login(mentor)
    assert client.get(reverse("records:history", args=["agendapunt", item.pk])).status_code == 404
    assert not FileAccess.objects.filter(user=mentor).exists()


def test_a_consented_partner_in_the_meeting_sees_the_minutes_history(client, consented_partner, item):
    item.meeting.participants.add(consented_partner)
    client.force_login(consented_partner)
    assert client.get(reverse("records:history", args=["agendapunt", item.pk])).status_code == 200


def test_an_unknown_kind_is_404(client, coordinator, item):
    client.force_login(coordinator)
    assert client.get(reverse("records:history", args=["iets", item.pk])).status_code == 404


def test_pupil_data_changes_keep_the_old_values(client, coordinator, student):
    client.force_login(coordinator)
    data = {
        "student_number": student.student_number,
        "first_name": "Daniël",
        "tussenvoegsel": "",
        "last_name": "Jansen",
        "date_of_birth": student.date_of_birth.isoformat(),
        "school_class": student.school_class_id,
    }
    assert client.post(reverse("students:edit", args=[student.pk]), data).status_code == 302
    body = client.get(reverse("records:history", args=["leerling", student.pk])).content.decode()
    assert "Daan" in body and "Daniël" in body


def test_guardian_and_consent_history(client, coordinator, student):
    from students.tests.factories import ConsentFactory

    guardian = student.guardians.get()
    client.force_login(coordinator)
    client.post(
        reverse("students:guardian_edit", args=[student.pk, guardian.pk]),
        {"name": "Ouder Jansen", "relation": "moeder", "phone": "0612345678", "email": "", "has_authority": "on"},
    )
    body = client.get(reverse("records:history", args=["ouder", guardian.pk])).content.decode()
    assert "0612345678" in body
    consent = ConsentFactory(
        student=student, given_by_guardian=guardian, organisation=None, purpose="ot_bespreking", recorded_by=coordinator
    )
    client.post(
        reverse("students:consent_withdraw", args=[student.pk, consent.pk]),
        {"withdrawn_by": "moeder", "reason": "Wil het niet meer"},
    )
    body = client.get(reverse("records:history", args=["toestemming", consent.pk])).content.decode()
    assert "Wil het niet meer" in body


def test_plan_goal_and_evaluation_history_for_the_coordinator(client, coordinator, student, school):
    from referrals import services as referral_services

    placement = placed(student, FacilityFactory(school=school), by=coordinator)
    goal = referral_services.placement_goal_add(
        placement=placement, text="Twee lessen per dag in de klas", actor=coordinator
    )
    evaluation = referral_services.placement_evaluate(
        placement=placement,
        held_on=timezone.localdate(),
        decision="continue",
        actor=coordinator,
        note="Gaat goed",
    )
    client.force_login(coordinator)
    for kind, obj, text in (
        ("plaatsing", placement, "voltijds"),
        ("doel", goal, "Twee lessen per dag in de klas"),
        ("evaluatie", evaluation, "Gaat goed"),
    ):
        body = client.get(reverse("records:history", args=[kind, obj.pk])).content.decode()
        assert text in body, kind


def test_concern_feedback_and_meldcode_step_history(client, coordinator, student, mentor):
    from concerns.models import MeldcodeStep

    concern = ConcernFactory(student=student, raised_by=mentor)
    concern.feedback = "Eerste terugkoppeling"
    concern.save()
    concern.feedback = "Tweede terugkoppeling"
    concern.save()
    client.force_login(coordinator)
    body = client.get(reverse("records:history", args=["zorgmelding", concern.pk])).content.decode()
    assert "Eerste terugkoppeling" in body and "Tweede terugkoppeling" in body
    step = MeldcodeStep.objects.create(
        concern=concern,
        step=1,
        occurred_on=timezone.localdate() - timedelta(days=1),
        participants="mentor",
        notes="Signalen",
        recorded_by=coordinator,
    )
    assert client.get(reverse("records:history", args=["meldcodestap", step.pk])).status_code == 200


def test_agreement_history(client, coordinator, item):
    agreement = AgreementFactory(meeting=item.meeting, item=item, owner=coordinator)
    agreement.description = "Gesprek met vader plannen"
    agreement.save()
    client.force_login(coordinator)
    body = client.get(reverse("records:history", args=["afspraak", agreement.pk])).content.decode()
    assert "Gesprek met ouders plannen" in body and "Gesprek met vader plannen" in body


def test_pupil_data_changed_by_the_lvs_import_keeps_the_old_values(tmp_path, client, coordinator, school, school_class):
    from django.core.management import call_command

    from students.models import Student

    header = "leerlingnummer;voornaam;tussenvoegsel;achternaam;geboortedatum;klas;ouder1_naam;ouder1_relatie;ouder1_telefoon;ouder1_email;ouder1_gezag"
    path = tmp_path / "lvs.csv"
    path.write_text(f"{header}\n600001;Sanne;de;Vries;07-03-2012;2K1;Petra de Vries;moeder;0612345678;;ja\n")
    call_command("import_students", school.brin_code, str(path), "--as", coordinator.email)
    path.write_text(f"{header}\n600001;Sanna;de;Vries;07-03-2012;2K1;Petra de Vries;moeder;0687654321;;ja\n")
    call_command("import_students", school.brin_code, str(path), "--as", coordinator.email)
    pupil = Student.objects.get(student_number="600001")
    assert list(pupil.history.order_by("history_date").values_list("first_name", flat=True)) == ["Sanne", "Sanna"]
    latest = pupil.history.order_by("-history_date").first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == ("~", coordinator, "LVS-import")
    client.force_login(coordinator)
    body = client.get(reverse("records:history", args=["leerling", pupil.pk])).content.decode()
    assert "Sanne" in body and "Sanna" in body and "LVS-import" in body
    guardian = pupil.guardians.get()
    assert guardian.history.filter(phone="0687654321").exists()
