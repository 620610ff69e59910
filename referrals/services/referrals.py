"""Referrals (aanmeldingen): the state machine from aanmelding to a decision, and placing."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carecoord.access.handovers import check_file_open
from students.models import Student
from students.timeline import timeline_add

from ..models import (
    DECISION_STATES,
    EVALUATION_WEEKS,
    Facility,
    Placement,
    PlacementGoal,
    PlacementKind,
    PlacementSlot,
    Referral,
    ReferralState,
    ReferralTransition,
)
from .common import _lock_facility, _names, _sync_support_status
from .placements import _check_full_time_room, _check_plan, placement_consent_ok


def referral_create(
    *, student, facility: Facility, question: str, actor, involved=(), involved_others: str = "", concerns=()
) -> Referral:
    """Refer a pupil to a facility (aanmelding), optionally for one or more of the pupil's
    concerns (zorgmeldingen). The mentor sees 'aangemeld'."""
    check_file_open(student)  # closed after a handover: read-only (carecoord/access/handovers.py)
    if any(concern.student_id != student.pk for concern in concerns):
        raise ValidationError({"concerns": _("Een gekoppelde zorgmelding gaat over een andere leerling.")})
    if facility.school_id != student.school_id:
        raise ValidationError({"facility": _("Deze voorziening hoort niet bij de school van de leerling.")})
    if not facility.is_active:
        raise ValidationError({"facility": _("Deze voorziening is niet meer in gebruik.")})
    if not student.is_active:
        raise ValidationError({"student": _("Deze leerling is uitgeschreven.")})
    if not question.strip():
        raise ValidationError({"question": _("Beschrijf de hulpvraag.")})
    if Placement.objects.active().filter(student=student, facility=facility).exists():
        raise ValidationError({"facility": _("%(name)s is al geplaatst in %(facility)s.") % _names(student, facility)})
    with transaction.atomic():
        # One open referral per pupil and facility: the pupil's row is locked while checking,
        # so two requests at once take turns instead of one failing on the unique constraint
        # (which PostgreSQL would log with the question for help in it).
        Student.objects.select_for_update().filter(pk=student.pk).first()
        if Referral.objects.open().filter(student=student, facility=facility).exists():
            raise ValidationError(
                {"facility": _("Er loopt al een aanmelding van %(name)s bij %(facility)s.") % _names(student, facility)}
            )
        referral = Referral.objects.create(
            school_id=student.school_id,
            student=student,
            facility=facility,
            question=question.strip(),
            involved_others=involved_others,
            created_by=actor,
        )
        referral.involved.set(involved)
        referral.concerns.set(concerns)
        ReferralTransition.objects.create(referral=referral, to_state=ReferralState.SUBMITTED, actor=actor)
        timeline_add(
            student=student,
            kind="referrals.referral_created",
            actor=actor,
            facility=facility.name,
            referral_id=referral.pk,
        )
        _sync_support_status(student=student, actor=actor)
    return referral


def _transition(*, referral: Referral, to_state: str, actor, note: str = "", **changes) -> Referral:
    """Move a referral to `to_state` (inside the caller's transaction), or refuse with a
    message. Writes the history row and the timeline event."""
    locked = Referral.objects.select_for_update(of=("self",)).select_related("student", "facility").get(pk=referral.pk)
    if to_state not in locked.allowed_next():
        raise ValidationError(
            _("Een aanmelding met status ‘%(from)s’ kan niet naar ‘%(to)s’.")
            % {"from": locked.get_state_display(), "to": ReferralState(to_state).label}
        )
    from_state = locked.state
    now = timezone.now()
    locked.state = to_state
    if to_state in DECISION_STATES and locked.decided_at is None:
        locked.decided_at = now
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    ReferralTransition.objects.create(
        referral=locked, from_state=from_state, to_state=to_state, actor=actor, at=now, note=note
    )
    timeline_add(
        student=locked.student,
        kind="referrals.referral_state",
        actor=actor,
        facility=locked.facility.name,
        referral_id=locked.pk,
        to=to_state,
        **{"from": from_state},
    )
    return locked


def referral_plan_intake(*, referral: Referral, intake_at: datetime, participants, actor, note: str = "") -> Referral:
    """Plan (or move) the intake: when, and with whom (pupil, parents, mentor, coach)."""
    if not participants:
        raise ValidationError({"participants": _("Kies wie er bij de intake zijn.")})
    with transaction.atomic():
        return _transition(
            referral=referral,
            to_state=ReferralState.INTAKE_PLANNED,
            actor=actor,
            note=note,
            intake_at=intake_at,
            intake_participants=list(participants),
        )


def referral_record_intake(*, referral: Referral, participants, notes: str, actor, held_at=None) -> Referral:
    """Record that the intake took place, who were there and what came out of it."""
    if not participants:
        raise ValidationError({"participants": _("Kies wie er bij de intake waren.")})
    with transaction.atomic():
        return _transition(
            referral=referral,
            to_state=ReferralState.INTAKE_HELD,
            actor=actor,
            intake_at=held_at or timezone.now(),
            intake_participants=list(participants),
            intake_notes=notes,
        )


def referral_waitlist(*, referral: Referral, actor, note: str = "") -> Referral:
    """Decide: place, but there is no place yet. The waiting list keeps arrival order."""
    with transaction.atomic():
        return _transition(
            referral=referral, to_state=ReferralState.WAITING, actor=actor, note=note, waitlisted_at=timezone.now()
        )


def _close_without_placement(*, referral, to_state, actor, note, note_required=True) -> Referral:
    if note_required and not note.strip():
        raise ValidationError({"note": _("Licht het besluit toe.")})
    with transaction.atomic():
        locked = _transition(referral=referral, to_state=to_state, actor=actor, note=note)
        _sync_support_status(student=locked.student, actor=actor)
    return locked


def referral_decline(*, referral: Referral, actor, note: str) -> Referral:
    return _close_without_placement(referral=referral, to_state=ReferralState.DECLINED, actor=actor, note=note)


def referral_send_elsewhere(*, referral: Referral, actor, note: str) -> Referral:
    """Decide that another facility or partner fits better (say which in the note)."""
    return _close_without_placement(referral=referral, to_state=ReferralState.ELSEWHERE, actor=actor, note=note)


def referral_withdraw(*, referral: Referral, actor, note: str = "") -> Referral:
    return _close_without_placement(
        referral=referral, to_state=ReferralState.WITHDRAWN, actor=actor, note=note, note_required=False
    )


def referral_place(
    *,
    referral: Referral,
    kind: str,
    start_on: date,
    actor,
    planned_end_on: date | None = None,
    slots=(),
    subjects: str = "",
    goals=(),
    evaluation_weeks: int = EVALUATION_WEEKS,
    note: str = "",
) -> Placement:
    """Decide to place: the referral becomes a placement with a plan.

    Refused when consent is needed and missing, or when a full-time place is asked for in
    a full facility (checked with the facility row locked, so two coordinators placing at
    once cannot overfill it).
    """
    slots = _check_plan(
        kind=kind, slots=slots, start_on=start_on, planned_end_on=planned_end_on, evaluation_weeks=evaluation_weeks
    )
    with transaction.atomic():
        # Lock order everywhere: facility first, then the referral.
        facility = _lock_facility(referral.facility)
        student = referral.student
        if not placement_consent_ok(student=student, facility=facility, on=start_on):
            raise ValidationError(
                _(
                    "Voor %(facility)s is toestemming nodig (%(purpose)s). Leg die eerst vast in het dossier van %(name)s."
                )
                % {"facility": facility.name, "purpose": facility.get_kind_display(), "name": student.first_name}
            )
        if kind == PlacementKind.FULL_TIME:
            _check_full_time_room(facility)
        referral = _transition(referral=referral, to_state=ReferralState.PLACED, actor=actor, note=note)
        placement = Placement.objects.create(
            school_id=referral.school_id,
            student=student,
            facility=facility,
            referral=referral,
            kind=kind,
            subjects=subjects,
            start_on=start_on,
            planned_end_on=planned_end_on,
            evaluation_weeks=evaluation_weeks,
            next_evaluation_on=start_on + timedelta(weeks=evaluation_weeks),
            created_by=actor,
        )
        PlacementSlot.objects.bulk_create([PlacementSlot(placement=placement, weekday=d, hour=h) for d, h in slots])
        PlacementGoal.objects.bulk_create(
            [
                PlacementGoal(placement=placement, text=text.strip()[:300], position=n)
                for n, text in enumerate(goals)
                if text.strip()
            ]
        )
        timeline_add(
            student=student,
            kind="referrals.placement_started",
            actor=actor,
            facility=facility.name,
            placement_id=placement.pk,
            plan=kind,
            start=start_on,
        )
        _sync_support_status(student=student, actor=actor)
    return placement
