"""The zorgcoördinator's referral pages: refer, plan and record the intake, decide, the
waiting list. One test per behaviour and per refusal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carecoord.testing import query_count
from referrals.models import Placement, Referral, ReferralState
from referrals.tests.factories import FacilityFactory, ReferralFactory, lesson_hours
from students.models import FileAccess
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def facility(school, coach):
    lesson_hours(school)
    return FacilityFactory(school=school, name="Viproom", coaches=[coach])


def test_coordinator_can_refer_a_pupil(client, coordinator, student, facility, mentor):
    client.force_login(coordinator)
    assert client.get(f"/zorg/aanmeldingen/nieuw/?leerling={student.pk}").status_code == 200
    response = client.post(
        "/zorg/aanmeldingen/nieuw/",
        {
            "student": student.pk,
            "facility": facility.pk,
            "question": "Durft de klas niet in.",
            "involved": [mentor.pk],
            "involved_others": "moeder",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == referral.get_absolute_url()
    assert referral.state == ReferralState.SUBMITTED
    assert list(referral.involved.all()) == [mentor]
    page = client.get(referral.get_absolute_url())
    assert "Durft de klas niet in." in page.text and "Intake plannen" in page.text


def test_referral_form_keeps_input_when_the_service_refuses(client, coordinator, student, facility):
    ReferralFactory(student=student, facility=facility, created_by=coordinator)
    client.force_login(coordinator)
    response = client.post(
        "/zorg/aanmeldingen/nieuw/", {"student": student.pk, "facility": facility.pk, "question": "Mijn tekst"}
    )
    assert response.status_code == 200
    assert "loopt al een aanmelding" in response.text
    assert "Mijn tekst" in response.text


def test_coordinator_cannot_refer_a_pupil_of_another_school(client, coordinator, other_student, facility):
    client.force_login(coordinator)
    response = client.post(
        "/zorg/aanmeldingen/nieuw/", {"student": other_student.pk, "facility": facility.pk, "question": "?"}
    )
    assert response.status_code == 200
    assert not Referral.objects.exists()


def test_coordinator_runs_intake_and_places_with_a_plan(client, coordinator, student, facility):
    referral = ReferralFactory(student=student, facility=facility, created_by=coordinator)
    client.force_login(coordinator)
    url = referral.get_absolute_url()
    when = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert (
        client.post(url + "intake-plannen/", {"intake_at": when, "participants": ["leerling", "ouders"]}).status_code
        == 302
    )
    response = client.post(
        url + "intake/",
        {"held_at": when, "participants": ["leerling", "ouders", "mentor", "coach"], "notes": "Afspraken gemaakt."},
    )
    assert response.status_code == 302
    response = client.post(
        url + "plaatsen/",
        {
            "kind": "hours",
            "slots": ["0-3", "0-4", "2-5"],
            "subjects": "wiskunde",
            "start_on": timezone.localdate().isoformat(),
            "evaluation_weeks": 6,
            "goals": "Wiskunde bijhouden\nWeer naar de klas",
        },
    )
    placement = Placement.objects.get()
    assert response.status_code == 302 and response.url == placement.get_absolute_url()
    assert sorted((s.weekday, s.hour) for s in placement.slots.all()) == [(0, 3), (0, 4), (2, 5)]
    assert placement.goals.count() == 2
    detail = client.get(placement.get_absolute_url())
    assert "ma 3, 4 · wo 5" in detail.text


def test_placing_without_an_intake_shows_the_refusal(client, coordinator, student, facility):
    referral = ReferralFactory(student=student, facility=facility, created_by=coordinator)
    client.force_login(coordinator)
    response = client.post(
        referral.get_absolute_url() + "plaatsen/",
        {"kind": "full_time", "start_on": timezone.localdate().isoformat(), "evaluation_weeks": 6},
    )
    assert response.status_code == 200
    assert "kan niet naar" in response.text
    assert not Placement.objects.exists()


def test_detail_offers_only_the_allowed_next_steps(client, coordinator, student, facility):
    referral = ReferralFactory(student=student, facility=facility, created_by=coordinator)
    client.force_login(coordinator)
    text = client.get(referral.get_absolute_url()).text
    assert "Intake plannen" in text and "Afwijzen" in text
    assert "plaatsen/" not in text and "Op de wachtlijst" not in text


def test_coordinator_can_decline_with_a_note(client, coordinator, student, facility):
    referral = ReferralFactory(student=student, facility=facility, created_by=coordinator)
    client.force_login(coordinator)
    url = referral.get_absolute_url() + "besluit/afwijzen/"
    assert client.post(url, {"note": ""}).status_code == 200  # a note is required
    assert client.post(url, {"note": "Jeugdteam past beter."}).status_code == 302
    referral.refresh_from_db()
    assert referral.state == ReferralState.DECLINED


def test_unknown_decision_is_404(client, coordinator, student, facility):
    referral = ReferralFactory(student=student, facility=facility, created_by=coordinator)
    client.force_login(coordinator)
    assert client.get(referral.get_absolute_url() + "besluit/verzinsel/").status_code == 404


def test_opening_a_referral_writes_the_read_log(client, coordinator, student, facility):
    referral = ReferralFactory(student=student, facility=facility, created_by=coordinator)
    client.force_login(coordinator)
    client.get(referral.get_absolute_url())
    assert FileAccess.objects.filter(user=coordinator, student=student, section="aanmelding").exists()


@pytest.mark.denies("school.manage_referrals")
@pytest.mark.parametrize("who", ["mentor", "coach", "schoolleider", "beheerder", "partner_user"])
def test_others_cannot_see_referrals(client, request, who, student, facility, coordinator):
    referral = ReferralFactory(student=student, facility=facility, created_by=coordinator)
    client.force_login(request.getfixturevalue(who))
    assert client.get(referral.get_absolute_url()).status_code == 404
    assert client.get("/zorg/aanmeldingen/").status_code == 403
    assert client.get("/zorg/aanmeldingen/wachtlijst/").status_code == 403


def test_coordinator_of_another_school_gets_404(client, other_coordinator, student, facility, coordinator):
    referral = ReferralFactory(student=student, facility=facility, created_by=coordinator)
    client.force_login(other_coordinator)
    assert client.get(referral.get_absolute_url()).status_code == 404


def _waiting(facility, school_class, n, coordinator):
    for i in range(n):
        ReferralFactory(
            student=StudentFactory(school_class=school_class),
            facility=facility,
            state=ReferralState.WAITING,
            created_by=coordinator,
            created_at=timezone.now() - timedelta(days=30 - i),
            waitlisted_at=timezone.now() - timedelta(days=20 - i),
        )


def test_waiting_list_shows_positions_and_waiting_days(client, coordinator, facility, school_class):
    _waiting(facility, school_class, 3, coordinator)
    client.force_login(coordinator)
    response = client.get("/zorg/aanmeldingen/wachtlijst/")
    lists = response.context["lists"]
    entries = lists[0][1]
    assert [e.position for e in entries] == [1, 2, 3]
    assert [e.waiting_days for e in entries] == [30, 29, 28]
    assert entries[0].days_on_list == 20


def test_waiting_list_query_count_does_not_grow_with_pupils(client, coordinator, facility, school_class, school):
    other = FacilityFactory(school=school, name="SO+ groep", kind="group", capacity=4)
    _waiting(facility, school_class, 2, coordinator)
    client.force_login(coordinator)
    few = query_count(client, "/zorg/aanmeldingen/wachtlijst/")
    _waiting(facility, school_class, 15, coordinator)
    _waiting(other, school_class, 10, coordinator)
    assert query_count(client, "/zorg/aanmeldingen/wachtlijst/") == few


def test_referral_list_query_count_does_not_grow(client, coordinator, facility, school_class):
    _waiting(facility, school_class, 2, coordinator)
    client.force_login(coordinator)
    few = query_count(client, "/zorg/aanmeldingen/?status=alle")
    _waiting(facility, school_class, 20, coordinator)
    assert query_count(client, "/zorg/aanmeldingen/?status=alle") == few


def test_referral_list_filters_on_state(client, coordinator, facility, student, other_student, school_class):
    ReferralFactory(student=student, facility=facility, state=ReferralState.DECLINED, created_by=coordinator)
    pupil = StudentFactory(school_class=school_class, last_name="Openstaand")
    ReferralFactory(student=pupil, facility=facility, created_by=coordinator)
    client.force_login(coordinator)
    assert "Openstaand" in client.get("/zorg/aanmeldingen/").text
    assert "Jansen" not in client.get("/zorg/aanmeldingen/").text
    assert "Jansen" in client.get("/zorg/aanmeldingen/?status=gesloten").text
