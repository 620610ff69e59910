"""Planned intakes in "Mijn taken": the zorgcoördinator's; the facility's coaches' only when
a coach takes part; nobody else's."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from referrals.models import ReferralState
from referrals.tests.factories import FacilityFactory, ReferralFactory
from todo.digest import digest_counts
from todo.selectors import task_list

pytestmark = pytest.mark.django_db


def _intake(student, facility, by, *, days=2, participants=("leerling", "ouders")):
    at = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(10, 30)))
    return ReferralFactory(
        student=student,
        facility=facility,
        created_by=by,
        state=ReferralState.INTAKE_PLANNED,
        intake_at=at,
        intake_participants=list(participants),
    )


def _intakes(user, school):
    return [t for t in task_list(user=user, school=school) if t.source == "intake"]


def test_planned_intake_is_the_coordinators_task_and_nobody_elses(school, student, coordinator, coach, mentor):
    viproom = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    referral = _intake(student, viproom, coordinator)
    [task] = _intakes(coordinator, school)
    assert task.key == f"intake-{referral.pk}" and "Viproom" in task.title and "10:30" in task.title
    assert task.url == referral.get_absolute_url() and task.student_id == student.pk
    assert _intakes(coach, school) == []  # no coach at this intake
    assert _intakes(mentor, school) == []


def test_coach_of_the_facility_gets_the_intake_they_take_part_in_without_the_referral(
    school, student, coordinator, coach
):
    viproom = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    other_coach = staff(school, Role.COACH, email="c2@a.test")
    FacilityFactory(school=school, name="Rustruimte", coaches=[other_coach])
    referral = _intake(student, viproom, coordinator, participants=("leerling", "coach"))
    [task] = _intakes(coach, school)
    assert task.key == f"intake-{referral.pk}"
    assert task.url == ""  # the referral's question is the coordinator's
    assert task.student_id is None  # not placed yet: the coach may not see the pupil
    assert _intakes(other_coach, school) == []


def test_an_intake_held_or_of_another_school_is_no_task(school, student, coordinator, other_school):
    viproom = FacilityFactory(school=school, name="Viproom")
    referral = _intake(student, viproom, coordinator)
    other_coordinator = staff(other_school, Role.ZORGCOORDINATOR, email="zc@b.test")
    assert _intakes(other_coordinator, other_school) == []
    referral.state = ReferralState.INTAKE_HELD
    referral.save()
    assert _intakes(coordinator, school) == []


def test_an_intake_past_its_date_and_still_planned_counts_in_the_digest(school, student, coordinator, coach):
    day = timezone.localdate()
    while day.weekday() > 4:
        day += timedelta(days=1)
    viproom = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    _intake(student, viproom, coordinator, days=(day - timezone.localdate()).days - 1, participants=("coach",))
    counts = digest_counts(day=day)
    assert counts[coordinator.pk][0] >= 1 and counts[coach.pk] == [1, 0]
