"""Coach access follows the placement: a coach sees the plan and visits of pupils placed in
their own facility, nothing of facility B's pupils, and never concerns or the referral's
question. Others get 403 on the board."""

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from carecoord import access
from carecoord.access.sections import Section
from referrals import services
from referrals.models import Visit
from referrals.tests.factories import FacilityFactory, ReferralFactory, lesson_hours, placed
from students.models import TimelineEvent
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def room_a(school, coach):
    lesson_hours(school)
    return FacilityFactory(school=school, name="Viproom A", coaches=[coach])


@pytest.fixture
def coach_b(school):
    return staff(school, Role.COACH, email="coach-b@a.test", name="Coach B")


@pytest.fixture
def room_b(school, coach_b):
    return FacilityFactory(school=school, name="Kansencoach B", kind="kansencoach", coaches=[coach_b])


@pytest.fixture
def pupil_a(student, room_a):
    placed(student, room_a)
    return student


@pytest.fixture
def pupil_b(school_class, room_b):
    pupil = StudentFactory(school_class=school_class, first_name="Bram", last_name="Bakker")
    placed(pupil, room_b)
    return pupil


def test_coach_sees_the_plan_and_visits_of_a_pupil_placed_in_their_facility(client, coach, pupil_a):
    client.force_login(coach)
    assert access.file_sections(coach, pupil_a) == {Section.ADMINISTRATIE, Section.TRAJECT}
    assert client.get(pupil_a.get_absolute_url()).status_code == 200
    placement = pupil_a.placements.get()
    assert client.get(placement.get_absolute_url()).status_code == 200


def test_coach_of_facility_a_cannot_see_pupils_of_facility_b(client, coach, room_a, pupil_b):
    client.force_login(coach)
    assert client.get(pupil_b.get_absolute_url()).status_code == 404
    assert client.get(pupil_b.placements.get().get_absolute_url()).status_code == 404
    assert "Bakker" not in client.get(f"/zorg/bord/{room_a.pk}/").text
    assert "Bakker" not in client.get("/zorg/plaatsingen/").text


@pytest.mark.denies("facility.use_board")
def test_coach_of_facility_a_cannot_use_the_board_of_facility_b(client, coach, room_b, pupil_b):
    client.force_login(coach)
    assert client.get(f"/zorg/bord/{room_b.pk}/").status_code == 403
    response = client.post(f"/zorg/bord/{room_b.pk}/inchecken/", {"student": pupil_b.pk})
    assert response.status_code == 403
    assert not Visit.objects.exists()


@pytest.mark.denies("referral.manage")
def test_coach_never_sees_concern_text_or_the_referral_question(client, coach, pupil_a, coordinator):
    # A concern (ZORG section) on the pupil's timeline: issue 5 writes these.
    TimelineEvent.objects.create(
        student=pupil_a, kind="students.updated", section=Section.ZORG, params={"fields": ["Geheime zorgtekst"]}
    )
    client.force_login(coach)
    file_page = client.get(pupil_a.get_absolute_url()).text
    placement_page = client.get(pupil_a.placements.get().get_absolute_url()).text
    for text in (file_page, placement_page):
        assert "Geheime zorgtekst" not in text
        assert "Kan de klas niet in door angst." not in text  # the referral's question
    assert client.get(pupil_a.placements.get().referral.get_absolute_url()).status_code == 404


def test_coach_loses_access_when_the_placement_ends(client, coach, pupil_a, coordinator):
    placement = pupil_a.placements.get()
    services.placement_end(placement=placement, ended_on=timezone.localdate(), outcome="back_fully", actor=coordinator)
    client.force_login(coach)
    assert client.get(pupil_a.get_absolute_url()).status_code == 404
    assert client.get(placement.get_absolute_url()).status_code == 404


def test_coach_removed_from_the_facility_loses_access(client, coach, room_a, pupil_a):
    room_a.coaches.remove(coach)
    client.force_login(coach)
    assert client.get(pupil_a.get_absolute_url()).status_code == 404
    assert client.get(f"/zorg/bord/{room_a.pk}/").status_code == 403


def test_coach_without_the_coach_role_any_more_loses_access(client, coach, room_a, pupil_a, school):
    coach.memberships.filter(school=school, role=Role.COACH).update(role=Role.MENTOR)
    client.force_login(coach)
    assert client.get(pupil_a.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["mentor", "schoolleider", "beheerder", "partner_user", "other_coordinator"])
def test_others_cannot_use_the_board(client, request, who, room_a, pupil_a):
    client.force_login(request.getfixturevalue(who))
    status = client.get(f"/zorg/bord/{room_a.pk}/").status_code
    assert status in (403, 404)
    assert client.post(f"/zorg/bord/{room_a.pk}/inchecken/", {"student": pupil_a.pk}).status_code in (403, 404)


def test_coordinator_can_stand_in_on_the_board(client, coordinator, room_a, pupil_a):
    client.force_login(coordinator)
    assert client.get(f"/zorg/bord/{room_a.pk}/").status_code == 200
    assert client.post(f"/zorg/bord/{room_a.pk}/inchecken/", {"student": pupil_a.pk}).status_code == 302


@pytest.mark.denies("placement.manage")
def test_coach_cannot_change_the_plan(client, coach, pupil_a):
    placement = pupil_a.placements.get()
    client.force_login(coach)
    for url in ("plan/", "evaluatie/", "beeindigen/", "doelen/nieuw/"):
        assert client.get(placement.get_absolute_url() + url).status_code == 403


def test_coach_cannot_see_another_facilitys_visit_to_correct(client, coach, room_a, room_b, pupil_b, coach_b):
    other = services.visit_check_in(facility=room_b, student=pupil_b, actor=coach_b)
    client.force_login(coach)
    assert client.get(f"/zorg/bord/{room_a.pk}/bezoek/{other.pk}/corrigeren/").status_code == 404


def test_partner_with_consent_sees_the_placement_plan(client, consented_partner, pupil_a):
    client.force_login(consented_partner)
    page = client.get(pupil_a.placements.get().get_absolute_url())
    assert page.status_code == 200
    assert "Kan de klas niet in door angst." not in page.text


def test_referral_without_placement_gives_the_coach_nothing(client, coach, room_a, student):
    ReferralFactory(student=student, facility=room_a)
    client.force_login(coach)
    assert client.get(student.get_absolute_url()).status_code == 404


def test_coach_of_one_facility_sees_neither_another_facilitys_visits_nor_the_referral_steps(
    client, school, student, coordinator
):
    """Review finding: the file's placement panel and timeline showed a coach of room A the
    pupil's visits in room B and the referral steps (the coordinator's part)."""
    from accounts.models import Role
    from accounts.tests.factories import staff
    from referrals.tests.factories import FacilityFactory, placed, visit
    from students.timeline import timeline_add

    coach_a = staff(school, Role.COACH)
    room_a = FacilityFactory(school=school, name="Kamer A", coaches=[coach_a])
    room_b = FacilityFactory(school=school, name="Kamer B")
    placed(student, room_a, by=coordinator)
    placed(student, room_b, by=coordinator)
    visit(student, room_b, by=coordinator, note="Notitie uit kamer B")
    timeline_add(
        student=student, kind="referrals.referral_state", actor=coordinator, facility="Kamer B", state="declined"
    )
    client.force_login(coach_a)
    page = client.get(student.get_absolute_url())
    assert page.status_code == 200
    assert "Notitie uit kamer B" not in page.text
    assert "aanmelding" not in page.context["sections"]


@pytest.mark.denies("visit.correct")
def test_coach_of_facility_b_cannot_correct_a_visit_to_facility_a(client, coach, coach_b, room_a, pupil_a):
    visit = services.visit_check_in(facility=room_a, student=pupil_a, actor=coach)
    services.visit_check_out(facility=room_a, student=pupil_a, actor=coach)
    # Coach B may not use facility A's board (403), and the rule on the visit says no as well.
    client.force_login(coach_b)
    assert client.get(f"/zorg/bord/{room_a.pk}/bezoek/{visit.pk}/corrigeren/").status_code == 403
    assert not access.can(coach_b, "visit.correct", visit)
    assert access.can(coach, "visit.correct", visit)


def test_a_tap_asks_the_list_of_coaches_within_the_facilitys_own_query(client, coach, room_a, pupil_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coach)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/zorg/bord/{room_a.pk}/inchecken/", {"student": pupil_a.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "alert-danger" not in response.text
    coach_list = [q["sql"] for q in queries if "referrals_facility_coaches" in q["sql"]]
    assert len(coach_list) == 1 and coach_list[0].startswith('SELECT "referrals_facility"."id"')


def test_the_facilitys_answer_about_one_coach_is_not_taken_for_another(coach, coach_b, room_a, room_b):
    from carecoord.access.placements import is_facility_coach, with_coaching_of
    from referrals.models import Facility

    asked_for_b = with_coaching_of(Facility.objects.all(), coach_b)
    assert is_facility_coach(coach_b, asked_for_b.get(pk=room_b.pk))
    assert not is_facility_coach(coach_b, asked_for_b.get(pk=room_a.pk))
    assert is_facility_coach(coach, asked_for_b.get(pk=room_a.pk)), "coach's own list, asked again"
    assert not is_facility_coach(coach, asked_for_b.get(pk=room_b.pk))
