"""Placements: plan, goals, evaluations, ending with an outcome; the pupil-file panel; the
placement list; facilities and the timetable."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carecoord.testing import query_count
from referrals import services
from referrals.models import EvaluationDecision, Facility, LessonHour, PlacementKind
from referrals.tests.factories import FacilityFactory, ReferralFactory, lesson_hours, placed, visit
from students.models import SupportStatus, TimelineEvent
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(school, coach):
    lesson_hours(school)
    return FacilityFactory(school=school, name="Viproom", coaches=[coach])


@pytest.fixture
def placement(student, room, coordinator):
    p = placed(student, room, kind=PlacementKind.HOURS, slots=[(0, 1)], by=coordinator)
    p.goals.create(text="Elke dag op school", position=0)
    p.goals.create(text="Wiskunde in de klas", position=1)
    return p


def test_coordinator_changes_the_plan(client, coordinator, placement):
    client.force_login(coordinator)
    response = client.post(
        placement.get_absolute_url() + "plan/",
        {"kind": "check_in_out", "slots": ["1-1", "3-1"], "evaluation_weeks": 4, "subjects": ""},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.kind == PlacementKind.CHECK_IN_OUT
    assert placement.schedule_label() == "di 1 · do 1"
    assert TimelineEvent.objects.filter(kind="referrals.placement_plan").exists()


def test_coordinator_evaluates_per_goal_and_the_next_date_moves_on(client, coordinator, placement):
    first, second = placement.goals.all()
    client.force_login(coordinator)
    today = timezone.localdate()
    response = client.post(
        placement.get_absolute_url() + "evaluatie/",
        {
            "held_on": today.isoformat(),
            "decision": "adjust",
            "note": "Gaat beter",
            f"progress_{first.pk}": "reached",
            f"decision_{first.pk}": "end",
            f"note_{first.pk}": "",
            f"progress_{second.pk}": "partly",
            f"decision_{second.pk}": "continue",
            f"note_{second.pk}": "Nog twee weken",
        },
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    evaluation = placement.evaluations.get()
    assert evaluation.decision == EvaluationDecision.ADJUST
    assert evaluation.results.count() == 2
    first.refresh_from_db()
    assert first.closed_on == today
    assert placement.next_evaluation_on == today + timedelta(weeks=6)
    event = TimelineEvent.objects.get(kind="referrals.placement_evaluated")
    assert event.params["decision"] == "adjust" and "Gaat beter" not in str(event.params)


def test_evaluation_decision_end_leads_to_the_end_form(client, coordinator, placement):
    client.force_login(coordinator)
    response = client.post(
        placement.get_absolute_url() + "evaluatie/",
        {"held_on": timezone.localdate().isoformat(), "decision": "end"}
        | {f"{k}_{g.pk}": v for g in placement.goals.all() for k, v in (("progress", "reached"), ("decision", "end"))},
    )
    assert response.url == placement.get_absolute_url() + "beeindigen/"


def test_coordinator_ends_a_placement_with_an_outcome(client, coordinator, placement, student):
    student.support_status = SupportStatus.GEPLAATST
    student.save()
    client.force_login(coordinator)
    response = client.post(
        placement.get_absolute_url() + "beeindigen/",
        {"ended_on": timezone.localdate().isoformat(), "outcome": "back_partly", "note": "Drie vakken weer in de klas"},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    student.refresh_from_db()
    assert (placement.outcome, placement.is_active) == ("back_partly", False)
    assert student.support_status == SupportStatus.IN_BEGELEIDING
    assert not placement.goals.filter(closed_on__isnull=True).exists()


def test_placement_cannot_end_while_the_pupil_is_checked_in(placement, coordinator, coach, room, student):
    services.visit_check_in(facility=room, student=student, actor=coach)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.placement_end(placement=placement, ended_on=timezone.localdate(), outcome="other", actor=coordinator)


def test_coordinator_adds_a_goal(client, coordinator, placement):
    client.force_login(coordinator)
    client.post(placement.get_absolute_url() + "doelen/nieuw/", {"text": "Zelf op tijd komen"})
    assert placement.goals.filter(text="Zelf op tijd komen").exists()


def test_pupil_file_shows_the_placement_panel(client, coordinator, placement, student):
    client.force_login(coordinator)
    text = client.get(student.get_absolute_url()).text
    assert "Aanmeldingen en plaatsingen" in text and "Elke dag op school" in text
    assert "Aanmelden bij een voorziening" in text


def test_pupil_file_shows_an_active_placements_schedule_and_open_goals(client, coordinator, placement, student):
    placement.slots.create(weekday=2, hour=3)
    placement.goals.filter(text="Wiskunde in de klas").update(closed_on=timezone.localdate())
    ended = placed(student, FacilityFactory(school=student.school, name="Rebound"), kind=PlacementKind.HOURS)
    ended.slots.create(weekday=4, hour=5)
    ended.goals.create(text="Doel van toen", position=0)
    services.placement_end(placement=ended, ended_on=timezone.localdate(), outcome="back_fully", actor=coordinator)
    client.force_login(coordinator)
    text = client.get(student.get_absolute_url()).text
    assert "ma 1 · wo 3" in text
    assert "<li>Elke dag op school</li>" in text and "Wiskunde in de klas" not in text
    assert "vr 5" not in text and "Doel van toen" not in text  # an ended placement shows no plan


def test_pupil_file_reads_no_slots_for_a_full_time_placement(client, coordinator, student, school):
    """A full-time placement's schedule is a fixed text: its slots are not read."""
    client.force_login(coordinator)
    lesson_hours(school)
    hours = placed(student, FacilityFactory(school=school, name="A"), kind=PlacementKind.HOURS, slots=[(1, 2)])
    with_slots = query_count(client, student.get_absolute_url())
    services.placement_end(placement=hours, ended_on=timezone.localdate(), outcome="back_fully", actor=coordinator)
    placed(student, FacilityFactory(school=school, name="B"), kind=PlacementKind.FULL_TIME)
    assert query_count(client, student.get_absolute_url()) == with_slots - 1


def test_mentor_sees_no_placement_panel(client, mentor, placement, student):
    client.force_login(mentor)
    text = client.get(student.get_absolute_url()).text
    assert "Elke dag op school" not in text


def test_file_query_count_is_flat_with_more_placements_and_visits(client, coordinator, student, school, coach):
    client.force_login(coordinator)
    lesson_hours(school)
    room = FacilityFactory(school=school, name="A")
    placed(student, room, kind=PlacementKind.HOURS, slots=[(0, 1)])
    # One of each from the start: a pupil without any visit is spared that query altogether
    # (students/presence.py), one without a placement on lesson hours the slots' query
    # (a full-time placement's schedule is a fixed text); the count must not grow with more.
    visit(student, room, minutes=30, by=coach)
    few = query_count(client, student.get_absolute_url())
    for n in range(4):
        other = FacilityFactory(school=school, name=f"B{n}")
        p = placed(student, other, kind=PlacementKind.HOURS, slots=[(1, 2)])
        p.goals.create(text="Doel")
        visit(student, other, minutes=30, by=coach)
    assert query_count(client, student.get_absolute_url()) == few


def test_placement_list_query_count_does_not_grow(client, coordinator, room, school_class):
    client.force_login(coordinator)
    placed(StudentFactory(school_class=school_class), room)
    few = query_count(client, "/zorg/plaatsingen/")
    for _ in range(15):
        placed(StudentFactory(school_class=school_class), room, kind=PlacementKind.HOURS, slots=[(0, 1), (1, 2)])
    assert query_count(client, "/zorg/plaatsingen/") == few


def test_coach_sees_only_their_facilitys_placements_in_the_list(client, coach, room, school, school_class):
    mine = StudentFactory(school_class=school_class, last_name="Mijnleerling")
    theirs = StudentFactory(school_class=school_class, last_name="Andereleerling")
    placed(mine, room)
    placed(theirs, FacilityFactory(school=school, name="Elders"))
    client.force_login(coach)
    text = client.get("/zorg/plaatsingen/").text
    assert "Mijnleerling" in text and "Andereleerling" not in text


@pytest.mark.denies("school.list_facilities")
def test_mentor_has_no_placement_list(client, mentor):
    client.force_login(mentor)
    assert client.get("/zorg/plaatsingen/").status_code == 403


# --- Facilities and the timetable ---------------------------------------------------------


def test_beheerder_creates_a_facility_with_default_capacity(client, beheerder, coach):
    client.force_login(beheerder)
    response = client.post(
        "/zorg/voorzieningen/nieuw/", {"name": "SO+ klas", "kind": "group", "coaches": [coach.pk], "is_active": "on"}
    )
    assert response.status_code == 302
    facility = Facility.objects.get()
    assert facility.capacity == 4 and list(facility.coaches.all()) == [coach]


def test_only_coaches_can_be_coaches_of_a_facility(client, beheerder, mentor):
    client.force_login(beheerder)
    response = client.post("/zorg/voorzieningen/nieuw/", {"name": "Viproom", "kind": "viproom", "coaches": [mentor.pk]})
    assert response.status_code == 200
    assert not Facility.objects.exists()


@pytest.mark.denies("school.manage_facilities")
@pytest.mark.parametrize("who", ["mentor", "coach", "schoolleider"])
def test_others_cannot_create_facilities(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/zorg/voorzieningen/nieuw/").status_code == 403


def test_beheerder_saves_the_lesson_hour_timetable(client, beheerder, school):
    client.force_login(beheerder)
    page = client.get("/zorg/voorzieningen/lesrooster/")
    assert page.status_code == 200 and "08:30" in page.text
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "3"}
    for n, (s, e) in enumerate([("08:15", "09:00"), ("09:00", "09:45"), ("", "")]):
        data |= {f"form-{n}-starts_at": s, f"form-{n}-ends_at": e}
    assert client.post("/zorg/voorzieningen/lesrooster/", data).status_code == 302
    assert [(h.number, f"{h.starts_at:%H:%M}") for h in LessonHour.objects.filter(school=school)] == [
        (1, "08:15"),
        (2, "09:00"),
    ]


def test_overlapping_lesson_hours_are_refused(client, beheerder, school):
    client.force_login(beheerder)
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2"}
    for n, (s, e) in enumerate([("08:15", "09:00"), ("08:50", "09:45")]):
        data |= {f"form-{n}-starts_at": s, f"form-{n}-ends_at": e}
    response = client.post("/zorg/voorzieningen/lesrooster/", data)
    assert response.status_code == 200 and "begint voor het einde" in response.text


def test_facility_list_shows_occupancy_and_waiting_list(client, coordinator, room, student, coach):
    placed(student, room)
    services.visit_check_in(facility=room, student=student, actor=coach)
    ReferralFactory(facility=room, student=StudentFactory(school_class=student.school_class), state="waiting")
    client.force_login(coordinator)
    row = client.get("/zorg/voorzieningen/").context["rows"][0]["facility"]
    assert (row.present_now, row.full_time_count, row.waiting_count) == (1, 1, 1)


def test_facility_list_query_count_does_not_grow(client, coach, school):
    lesson_hours(school)
    FacilityFactory(school=school, name="Eerste", coaches=[coach])
    client.force_login(coach)
    few = query_count(client, "/zorg/voorzieningen/")
    for n in range(8):
        FacilityFactory(school=school, name=f"Extra {n}", coaches=[coach])
    assert query_count(client, "/zorg/voorzieningen/") == few


@pytest.mark.denies("school.manage_lesson_hours")
@pytest.mark.parametrize("who", ["coach", "schoolleider"])
def test_others_cannot_change_the_timetable(client, request, school, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/zorg/voorzieningen/lesrooster/").status_code == 403
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-starts_at": "08:00", "form-0-ends_at": "09:00"}
    assert client.post("/zorg/voorzieningen/lesrooster/", data).status_code == 403
    assert not LessonHour.objects.filter(school=school).exists()


@pytest.mark.denies("facility.edit")
def test_administrator_here_cannot_edit_a_facility_where_they_are_only_mentor(client, beheerder, other_school):
    """The facility is checked against the user's roles at *its* school, not the current one."""
    from accounts.models import Role
    from accounts.tests.factories import MembershipFactory

    MembershipFactory(user=beheerder, school=other_school, role=Role.MENTOR)
    elsewhere = FacilityFactory(school=other_school, name="Viproom B")
    client.force_login(beheerder)
    response = client.post(f"/zorg/voorzieningen/{elsewhere.pk}/wijzigen/", {"name": "Overgenomen", "kind": "viproom"})
    assert response.status_code == 403
    elsewhere.refresh_from_db()
    assert elsewhere.name == "Viproom B"
