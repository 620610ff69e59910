"""Capacity is a hard rule: full-time placements and pupils present never exceed it, also
under concurrent requests (proven on PostgreSQL). Double check-in and check-out without
check-in are refused."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from carecoord.testing import IN_CI
from referrals import services
from referrals.models import PlacementKind, ReferralState, Visit
from referrals.tests.factories import FacilityFactory, ReferralFactory, placed
from students.tests.factories import StudentFactory


@pytest.fixture
def room(school, coach):
    return FacilityFactory(school=school, name="Viproom", capacity=3, coaches=[coach])


def _pupils(school_class, n):
    return [StudentFactory(school_class=school_class) for _ in range(n)]


@pytest.mark.django_db
def test_full_time_placement_over_capacity_is_refused(room, school_class, coordinator):
    for pupil in _pupils(school_class, 3):
        placed(pupil, room, kind=PlacementKind.FULL_TIME)
    newcomer = StudentFactory(school_class=school_class)
    referral = ReferralFactory(student=newcomer, facility=room, state=ReferralState.INTAKE_HELD)
    with pytest.raises(ValidationError) as exc:
        services.referral_place(
            referral=referral, kind=PlacementKind.FULL_TIME, start_on=timezone.localdate(), actor=coordinator
        )
    assert "vol" in exc.value.messages[0]
    referral.refresh_from_db()
    assert referral.state == ReferralState.INTAKE_HELD


@pytest.mark.django_db
def test_part_time_placement_in_a_full_room_is_allowed(room, school_class, coordinator):
    for pupil in _pupils(school_class, 3):
        placed(pupil, room, kind=PlacementKind.FULL_TIME)
    referral = ReferralFactory(student=StudentFactory(school_class=school_class), facility=room, state="intake_held")
    placement = services.referral_place(
        referral=referral,
        kind=PlacementKind.CHECK_IN_OUT,
        slots=[(0, 1)],
        start_on=timezone.localdate(),
        actor=coordinator,
    )
    assert placement.is_active


@pytest.mark.django_db
def test_changing_a_plan_to_full_time_in_a_full_room_is_refused(room, school_class, coordinator):
    for pupil in _pupils(school_class, 3):
        placed(pupil, room, kind=PlacementKind.FULL_TIME)
    part = placed(StudentFactory(school_class=school_class), room, kind=PlacementKind.HOURS, slots=[(0, 2)])
    with pytest.raises(ValidationError):
        services.placement_update_plan(placement=part, kind=PlacementKind.FULL_TIME, actor=coordinator)


@pytest.mark.django_db
def test_capacity_cannot_be_lowered_below_the_full_time_placements(room, school, school_class, coordinator):
    for pupil in _pupils(school_class, 3):
        placed(pupil, room, kind=PlacementKind.FULL_TIME)
    with pytest.raises(ValidationError) as exc:
        services.facility_save(school=school, actor=coordinator, instance=room, capacity=2)
    assert "capacity" in exc.value.message_dict


@pytest.mark.django_db
def test_check_in_over_capacity_is_refused(room, school_class, coach):
    pupils = _pupils(school_class, 4)
    for pupil in pupils:
        placed(pupil, room, kind=PlacementKind.CHECK_IN_OUT, slots=[(0, 1)])
    for pupil in pupils[:3]:
        services.visit_check_in(facility=room, student=pupil, actor=coach)
    with pytest.raises(ValidationError) as exc:
        services.visit_check_in(facility=room, student=pupils[3], actor=coach)
    assert "vol" in exc.value.messages[0]
    services.visit_check_out(facility=room, student=pupils[0], actor=coach)
    services.visit_check_in(facility=room, student=pupils[3], actor=coach)
    assert Visit.objects.open().count() == 3


@pytest.mark.django_db
def test_coach_cannot_check_in_a_pupil_twice(room, student, coach):
    placed(student, room)
    services.visit_check_in(facility=room, student=student, actor=coach)
    with pytest.raises(ValidationError) as exc:
        services.visit_check_in(facility=room, student=student, actor=coach)
    assert "al ingecheckt" in exc.value.messages[0]
    assert Visit.objects.filter(student=student).count() == 1


@pytest.mark.django_db
def test_pupil_checked_in_elsewhere_cannot_be_checked_in_here(room, school, student, coach):
    other_room = FacilityFactory(school=school, name="Kansencoach", capacity=5)
    placed(student, room)
    placed(student, other_room)
    services.visit_check_in(facility=other_room, student=student, actor=coach)
    with pytest.raises(ValidationError):
        services.visit_check_in(facility=room, student=student, actor=coach)


@pytest.mark.django_db
def test_coach_cannot_check_out_a_pupil_who_is_not_checked_in(room, student, coach):
    placed(student, room)
    with pytest.raises(ValidationError) as exc:
        services.visit_check_out(facility=room, student=student, actor=coach)
    assert "niet ingecheckt" in exc.value.messages[0]
    services.visit_check_in(facility=room, student=student, actor=coach)
    services.visit_check_out(facility=room, student=student, actor=coach)
    with pytest.raises(ValidationError):
        services.visit_check_out(facility=room, student=student, actor=coach)


@pytest.mark.django_db
def test_walk_in_without_placement_needs_a_reason(room, student, coach):
    with pytest.raises(ValidationError) as exc:
        services.visit_check_in(facility=room, student=student, actor=coach)
    assert "reason" in exc.value.message_dict
    visit = services.visit_check_in(facility=room, student=student, actor=coach, reason="time_out", note="Boos")
    assert not visit.planned and visit.placement is None


@pytest.mark.django_db
def test_pupil_of_another_school_cannot_be_checked_in(room, other_student, coach):
    with pytest.raises(ValidationError):
        services.visit_check_in(facility=room, student=other_student, actor=coach, reason="time_out")


# --- Concurrency (PostgreSQL) ---------------------------------------------------------------


def _require_postgresql():
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI=true but the database is not PostgreSQL: the concurrency proof must run")
        pytest.skip("row locks need PostgreSQL (SQLite locks the whole file); runs in CI on PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_check_ins_into_three_free_places_give_exactly_three(school, school_class, coach):
    _require_postgresql()
    room = FacilityFactory(school=school, name="Viproom", capacity=5, coaches=[coach])
    already = _pupils(school_class, 2)
    pupils = _pupils(school_class, 20)
    for pupil in already + pupils:
        placed(pupil, room, kind=PlacementKind.CHECK_IN_OUT, slots=[(0, 1)])
    for pupil in already:
        services.visit_check_in(facility=room, student=pupil, actor=coach)  # 3 of 5 places free

    barrier = threading.Barrier(len(pupils))
    results: list[str] = []
    lock = threading.Lock()

    def tap(pupil):
        try:
            barrier.wait()
            services.visit_check_in(facility=room, student=pupil, actor=coach)
            outcome = "ok"
        except ValidationError as exc:
            outcome = exc.messages[0]
        finally:
            connections.close_all()  # each thread has its own connection
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=tap, args=(p,)) for p in pupils]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert len(results) == 20
    assert results.count("ok") == 3, results
    assert all("vol" in r for r in results if r != "ok")
    assert Visit.objects.open().filter(facility=room).count() == 5


@pytest.mark.django_db(transaction=True)
def test_parallel_double_check_in_of_one_pupil_gives_one_visit(school, school_class, coach):
    _require_postgresql()
    room = FacilityFactory(school=school, name="Viproom", capacity=10, coaches=[coach])
    pupil = StudentFactory(school_class=school_class)
    placed(pupil, room)
    barrier = threading.Barrier(8)
    outcomes = []

    def tap():
        try:
            barrier.wait()
            services.visit_check_in(facility=room, student=pupil, actor=coach)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tap) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes.count("ok") == 1
    assert Visit.objects.filter(student=pupil).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_full_time_placements_never_overfill(school, school_class, coordinator):
    _require_postgresql()
    room = FacilityFactory(school=school, name="Viproom", capacity=2)
    referrals = [
        ReferralFactory(student=StudentFactory(school_class=school_class), facility=room, state="intake_held")
        for _ in range(6)
    ]
    barrier = threading.Barrier(len(referrals))
    outcomes = []

    def place(referral):
        try:
            barrier.wait()
            services.referral_place(
                referral=referral, kind=PlacementKind.FULL_TIME, start_on=timezone.localdate(), actor=coordinator
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=place, args=(r,)) for r in referrals]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes.count("ok") == 2
