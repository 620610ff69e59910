"""The other sources of "Mijn taken": MAS step 1 for the mentor, evaluations, and the blocks
of "Vandaag" for the coach and the absence staff."""

from datetime import timedelta

from django.utils import timezone

from absence.models import AbsenceSignal, MasStep, SignalLevel
from accounts.models import Role
from accounts.tests.factories import staff
from referrals.tests.factories import FacilityFactory, lesson_hours, placed
from todo.selectors import task_list

TODAY = timezone.localdate


def _signal(student, step, due, minutes=570):
    return AbsenceSignal.objects.create(
        student=student,
        school=student.school,
        level=SignalLevel.EARLY,
        level_since=TODAY(),
        episode_start=TODAY() - timedelta(days=20),
        unauthorised_minutes=minutes,
        next_step=step,
        next_step_due=due,
    )


def test_mentor_owns_mas_step_one_with_the_hours_and_nothing_more(
    client, school, mentor, student, coordinator, verzuimcoordinator
):
    _signal(student, MasStep.MENTOR_CONTACT, TODAY() - timedelta(days=1))
    other_mentor = staff(school, Role.MENTOR, email="m2@a.test")
    [task] = [t for t in task_list(user=mentor, school=school) if t.source == "mas"]
    assert "Mentor neemt contact op met ouders" in task.title and "9,5 uur" in task.title
    assert task.url == ""  # the absence pages stay closed to the mentor
    assert task.status(TODAY()) == "overdue"
    assert not [t for t in task_list(user=other_mentor, school=school) if t.source == "mas"]
    assert not [t for t in task_list(user=verzuimcoordinator, school=school) if t.source == "mas"]
    client.force_login(mentor)
    assert client.get(f"/verzuim/leerling/{student.pk}/").status_code in (403, 404)


def test_later_mas_steps_are_for_the_absence_staff(school, mentor, student, verzuimcoordinator, coordinator):
    _signal(student, MasStep.COORDINATOR_TALK, TODAY())
    assert [t.source for t in task_list(user=verzuimcoordinator, school=school)] == ["mas"]
    assert [t.source for t in task_list(user=coordinator, school=school) if t.source == "mas"] == ["mas"]
    assert not [t for t in task_list(user=mentor, school=school) if t.source == "mas"]


def test_evaluation_due_is_a_task_for_the_coach_and_the_coordinator_only(school, student, coach, coordinator, mentor):
    lesson_hours(school)
    viproom = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    placement = placed(student, viproom, by=coordinator)
    placement.next_evaluation_on = TODAY() + timedelta(days=3)
    placement.save()
    other_coach = staff(school, Role.COACH, email="c2@a.test")
    assert [t.source for t in task_list(user=coach, school=school)] == ["evaluatie"]
    assert "evaluatie" in [t.source for t in task_list(user=coordinator, school=school)]
    assert task_list(user=other_coach, school=school) == []
    assert task_list(user=mentor, school=school) == []


def test_coach_sees_who_is_expected_on_the_home_page(client, school, student, coach, coordinator):
    lesson_hours(school)
    viproom = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    placed(student, viproom, by=coordinator)
    client.force_login(coach)
    home = client.get("/")
    assert 'data-hx-get="/vandaag/viproom/"' in home.text
    block = client.get("/vandaag/viproom/")
    assert "Verwacht in de viproom" in block.text
    client.force_login(coordinator)  # not a coach of it: the block is empty (leaves the page)
    assert client.get("/vandaag/viproom/").content == b""


def test_absence_staff_see_new_signals_today_and_the_mentor_does_not(client, school, student, coordinator, mentor):
    _signal(student, MasStep.MENTOR_CONTACT, TODAY() + timedelta(days=3))
    client.force_login(coordinator)
    assert "Daan Jansen" in client.get("/vandaag/verzuim/").text
    client.force_login(mentor)
    assert client.get("/vandaag/verzuim/").content == b""


def test_a_mas_step_leaves_the_list_once_that_step_or_a_later_one_is_taken_in_this_episode(
    school, student, verzuimcoordinator
):
    from absence.models import EscalationStep

    signal = _signal(student, MasStep.ADVIESGESPREK, TODAY())

    def step(number, on):
        return EscalationStep.objects.create(
            student=student, school=school, step=number, on=on, who="x", outcome="x", recorded_by=verzuimcoordinator
        )

    def mas():
        return [t.key for t in task_list(user=verzuimcoordinator, school=school) if t.source == "mas"]

    step(MasStep.COORDINATOR_TALK, TODAY())  # a lower step: the next one is still to do
    step(MasStep.REPORT, signal.episode_start - timedelta(days=1))  # before this episode: does not count
    assert mas() == [f"mas-{student.pk}"]
    step(MasStep.ADVIESGESPREK, TODAY())
    assert mas() == []
