"""The referral (aanmelding) state machine: every allowed transition, refused ones, the
history, the timeline, the pupil's support status, and consent gating of placements."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory
from referrals import services
from referrals.models import (
    TRANSITIONS,
    FacilityKind,
    Placement,
    PlacementKind,
    Referral,
    ReferralState,
    ReferralTransition,
)
from referrals.tests.factories import FacilityFactory
from students.models import ConsentPurpose, SupportStatus, TimelineEvent
from students.tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db

S = ReferralState


@pytest.fixture
def facility(school, coach):
    return FacilityFactory(school=school, name="Viproom", coaches=[coach])


@pytest.fixture
def referral(student, facility, coordinator):
    return services.referral_create(student=student, facility=facility, question="Angst in de klas.", actor=coordinator)


def _to(referral, state, actor):
    """Drive `referral` into `state` by the shortest legal path."""
    today = timezone.localdate()
    steps = {
        S.INTAKE_PLANNED: lambda r: services.referral_plan_intake(
            referral=r, intake_at=timezone.now(), participants=["leerling"], actor=actor
        ),
        S.INTAKE_HELD: lambda r: services.referral_record_intake(
            referral=r, participants=["leerling", "ouders"], notes="Goed gesprek.", actor=actor
        ),
        S.WAITING: lambda r: services.referral_waitlist(referral=r, actor=actor),
        S.PLACED: lambda r: (
            services.referral_place(referral=r, kind=PlacementKind.FULL_TIME, start_on=today, actor=actor).referral
        ),
        S.DECLINED: lambda r: services.referral_decline(referral=r, actor=actor, note="Past niet."),
        S.ELSEWHERE: lambda r: services.referral_send_elsewhere(referral=r, actor=actor, note="Jeugdteam."),
        S.WITHDRAWN: lambda r: services.referral_withdraw(referral=r, actor=actor),
    }
    return steps[state](referral)


PATHS = {
    S.SUBMITTED: [],
    S.INTAKE_PLANNED: [S.INTAKE_PLANNED],
    S.INTAKE_HELD: [S.INTAKE_PLANNED, S.INTAKE_HELD],
    S.WAITING: [S.INTAKE_PLANNED, S.INTAKE_HELD, S.WAITING],
}
ALLOWED = [(src, dst) for src, targets in TRANSITIONS.items() for dst in sorted(targets)]


@pytest.mark.parametrize(("src", "dst"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_coordinator_can_make_every_allowed_transition(referral, coordinator, src, dst):
    for step in PATHS[src]:
        referral = _to(referral, step, coordinator)
    assert referral.state == src
    referral = _to(referral, dst, coordinator)
    referral.refresh_from_db()
    assert referral.state == dst
    last = referral.transitions.order_by("pk").last()
    assert (last.from_state, last.to_state, last.actor) == (src, dst, coordinator)


REFUSED = [
    (S.SUBMITTED, S.PLACED),  # no placement without an intake
    (S.SUBMITTED, S.WAITING),
    (S.SUBMITTED, S.INTAKE_HELD),
    (S.INTAKE_PLANNED, S.PLACED),
    (S.INTAKE_PLANNED, S.WAITING),
    (S.WAITING, S.INTAKE_PLANNED),
    (S.WAITING, S.WAITING),
]


@pytest.mark.parametrize(("src", "dst"), REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED])
def test_illegal_transitions_are_refused_with_a_message(referral, coordinator, src, dst):
    for step in PATHS[src]:
        referral = _to(referral, step, coordinator)
    with pytest.raises(ValidationError) as exc:
        _to(referral, dst, coordinator)
    assert "kan niet naar" in exc.value.messages[0]
    referral.refresh_from_db()
    assert referral.state == src
    assert not Placement.objects.exists()


@pytest.mark.parametrize("closed", [S.PLACED, S.DECLINED, S.ELSEWHERE, S.WITHDRAWN])
def test_a_closed_referral_cannot_move_again(referral, coordinator, closed):
    for step in (*PATHS[S.INTAKE_HELD], closed):
        referral = _to(referral, step, coordinator)
    for dst in (S.INTAKE_PLANNED, S.WAITING, S.DECLINED, S.WITHDRAWN):
        with pytest.raises(ValidationError):
            _to(referral, dst, coordinator)


def test_history_records_who_when_from_to_and_note(referral, coordinator):
    referral = _to(referral, S.INTAKE_PLANNED, coordinator)
    services.referral_decline(referral=referral, actor=coordinator, note="Beter bij het jeugdteam.")
    rows = list(ReferralTransition.objects.filter(referral=referral).order_by("pk"))
    assert [(r.from_state, r.to_state) for r in rows] == [
        ("", S.SUBMITTED),
        (S.SUBMITTED, S.INTAKE_PLANNED),
        (S.INTAKE_PLANNED, S.DECLINED),
    ]
    assert rows[-1].note == "Beter bij het jeugdteam."
    assert all(r.actor == coordinator and r.at for r in rows)


def test_decline_and_elsewhere_need_a_note(referral, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.referral_decline(referral=referral, actor=coordinator, note=" ")
    assert "note" in exc.value.message_dict


def test_a_second_open_referral_to_the_same_facility_is_refused(referral, student, facility, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.referral_create(student=student, facility=facility, question="Nog een keer.", actor=coordinator)
    assert "loopt al" in exc.value.messages[0]


def test_referral_to_a_facility_of_another_school_is_refused(student, other_school, coordinator):
    elsewhere = FacilityFactory(school=other_school)
    with pytest.raises(ValidationError):
        services.referral_create(student=student, facility=elsewhere, question="?", actor=coordinator)


def test_support_status_follows_the_trajectory(referral, student, coordinator):
    student.refresh_from_db()
    assert student.support_status == SupportStatus.AANGEMELD
    for step in (S.INTAKE_PLANNED, S.INTAKE_HELD, S.PLACED):
        referral = _to(referral, step, coordinator)
    student.refresh_from_db()
    assert student.support_status == SupportStatus.GEPLAATST
    services.placement_end(
        placement=referral.placement, ended_on=timezone.localdate(), outcome="back_fully", actor=coordinator
    )
    student.refresh_from_db()
    assert student.support_status == SupportStatus.NONE


def test_declined_referral_leaves_the_pupil_in_begeleiding(referral, student, coordinator):
    services.referral_decline(referral=referral, actor=coordinator, note="Past niet.")
    student.refresh_from_db()
    assert student.support_status == SupportStatus.IN_BEGELEIDING


def test_states_and_placement_are_on_the_timeline_without_the_question(referral, student, coordinator):
    for step in (S.INTAKE_PLANNED, S.INTAKE_HELD, S.PLACED):
        referral = _to(referral, step, coordinator)
    kinds = list(TimelineEvent.objects.filter(student=student).values_list("kind", flat=True))
    assert kinds.count("referrals.referral_state") == 3
    assert "referrals.referral_created" in kinds and "referrals.placement_started" in kinds
    # The referral's own steps are the coordinator's (AANMELDING); the placement is TRAJECT,
    # which the coach and partners with consent see too.
    sections = dict(TimelineEvent.objects.filter(kind__startswith="referrals.").values_list("kind", "section"))
    assert sections["referrals.referral_state"] == sections["referrals.referral_created"] == "aanmelding"
    assert sections["referrals.placement_started"] == "traject"
    assert not TimelineEvent.objects.filter(params__icontains="Angst").exists()


def test_waiting_list_keeps_the_moment_of_arrival(referral, coordinator):
    for step in PATHS[S.WAITING]:
        referral = _to(referral, step, coordinator)
    referral.refresh_from_db()
    assert referral.waitlisted_at is not None and referral.decided_at is not None


# --- Consent gating -------------------------------------------------------------------------


@pytest.fixture
def kansencoach(school, coach):
    return FacilityFactory(school=school, name="Kansencoach", kind=FacilityKind.KANSENCOACH, capacity=6)


def _held(student, facility, coordinator):
    referral = services.referral_create(
        student=student, facility=facility, question="Thuis gaat het moeilijk.", actor=coordinator
    )
    for step in PATHS[S.INTAKE_HELD]:
        referral = _to(referral, step, coordinator)
    return referral


def _place(referral, coordinator):
    return services.referral_place(
        referral=referral, kind=PlacementKind.HOURS, slots=[(1, 3)], start_on=timezone.localdate(), actor=coordinator
    )


def test_kansencoach_placement_without_consent_is_refused(student, kansencoach, coordinator):
    referral = _held(student, kansencoach, coordinator)
    with pytest.raises(ValidationError) as exc:
        _place(referral, coordinator)
    assert "toestemming" in exc.value.messages[0]
    referral.refresh_from_db()
    assert referral.state == S.INTAKE_HELD
    assert not Placement.objects.exists()


def test_kansencoach_placement_with_consent_for_the_purpose_succeeds(student, kansencoach, coordinator):
    ConsentFactory(student=student, purpose=ConsentPurpose.KANSENCOACH, recorded_by=coordinator)
    placement = _place(_held(student, kansencoach, coordinator), coordinator)
    assert placement.is_active


def test_withdrawn_consent_does_not_count(student, kansencoach, coordinator):
    ConsentFactory(
        student=student, purpose=ConsentPurpose.KANSENCOACH, recorded_by=coordinator, withdrawn_at=timezone.now()
    )
    with pytest.raises(ValidationError):
        _place(_held(student, kansencoach, coordinator), coordinator)


def test_consent_for_another_purpose_does_not_count(student, kansencoach, coordinator):
    ConsentFactory(student=student, purpose=ConsentPurpose.JEUGDHULP_OP_SCHOOL, recorded_by=coordinator)
    with pytest.raises(ValidationError):
        _place(_held(student, kansencoach, coordinator), coordinator)


def test_youth_care_accepts_consent_for_its_partner_organisation(school, student, coordinator):
    homerun = OrganisationFactory(name="Homerun", kind="jeugdhulp", schools=[school])
    facility = FacilityFactory(
        school=school, name="Jeugdhulp", kind=FacilityKind.JEUGDHULP, partner_organisation=homerun
    )
    referral = _held(student, facility, coordinator)
    with pytest.raises(ValidationError):
        _place(referral, coordinator)
    ConsentFactory(student=student, organisation=homerun, recorded_by=coordinator)
    assert _place(referral, coordinator).is_active


def test_viproom_needs_no_consent(student, facility, coordinator):
    assert _place(_held(student, facility, coordinator), coordinator).is_active


def test_placement_plan_needs_hours_unless_full_time(referral, coordinator):
    for step in PATHS[S.INTAKE_HELD]:
        referral = _to(referral, step, coordinator)
    with pytest.raises(ValidationError) as exc:
        services.referral_place(
            referral=referral, kind=PlacementKind.HOURS, slots=[], start_on=timezone.localdate(), actor=coordinator
        )
    assert "slots" in exc.value.message_dict


def test_placement_has_evaluation_dates_every_six_weeks(referral, coordinator):
    for step in PATHS[S.INTAKE_HELD]:
        referral = _to(referral, step, coordinator)
    start = timezone.localdate()
    placement = services.referral_place(
        referral=referral,
        kind=PlacementKind.CHECK_IN_OUT,
        slots=[(d, 1) for d in range(5)],
        start_on=start,
        planned_end_on=start + timedelta(weeks=20),
        goals=["Elke dag op school", "Twee vakken weer in de klas"],
        actor=coordinator,
    )
    assert placement.evaluation_dates() == [start + timedelta(weeks=w) for w in (6, 12, 18)]
    assert [g.text for g in placement.goals.all()] == ["Elke dag op school", "Twee vakken weer in de klas"]
    assert Referral.objects.get(pk=referral.pk).state == S.PLACED
