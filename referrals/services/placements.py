"""Placements: the consent a placement needs, the plan, goals, evaluations and the end."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import change_record
from students.models import Consent, SupportStatus
from students.timeline import timeline_add

from ..models import (
    EVALUATION_WEEKS,
    EvaluationDecision,
    Facility,
    Outcome,
    Placement,
    PlacementEvaluation,
    PlacementGoal,
    PlacementGoalResult,
    PlacementKind,
    PlacementSlot,
    Visit,
)
from .common import SUPPORT_AFTER_OUTCOME, _lock_facility, _names, _sync_support_status


def placement_consent_ok(*, student, facility: Facility, on: date | None = None) -> bool:
    """Is there consent on record for a placement here?

    Kansencoach and youth care in school work with the family, so parents (or the pupil
    from 16) must agree (seeds 002, 004): an active consent for the facility kind's
    purpose, or for the partner organisation that provides the facility's workers.
    Other facilities are school's own support and need none.
    """
    purpose = facility.consent_purpose
    if not purpose:
        return True
    scope = Q(purpose=purpose)
    if facility.partner_organisation_id:
        scope |= Q(organisation_id=facility.partner_organisation_id)
    return Consent.objects.active(on).filter(scope, student=student).exists()


def _check_plan(*, kind, slots, start_on, planned_end_on, evaluation_weeks=EVALUATION_WEEKS) -> list[tuple[int, int]]:
    errors = {}
    slots = sorted({(int(d), int(h)) for d, h in slots})
    if kind != PlacementKind.FULL_TIME and not slots:
        errors["slots"] = _("Kies op welke dagen en lesuren de leerling komt.")
    if any(not 0 <= d <= 4 for d, _h in slots):
        errors["slots"] = _("Alleen maandag tot en met vrijdag.")
    if planned_end_on and planned_end_on < start_on:
        errors["planned_end_on"] = _("De geplande einddatum ligt voor de start.")
    if not evaluation_weeks or evaluation_weeks < 1:
        errors["evaluation_weeks"] = _("Evalueer minstens elke week of minder vaak, niet nooit.")
    if errors:
        raise ValidationError(errors)
    return [] if kind == PlacementKind.FULL_TIME else slots


def _check_full_time_room(facility: Facility, *, exclude=None) -> None:
    """Full-time places of active placements never exceed the capacity (call with the
    facility locked)."""
    taken = Placement.objects.active().filter(facility=facility, kind=PlacementKind.FULL_TIME)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.count() >= facility.capacity:
        raise ValidationError(
            {
                "kind": _(
                    "%(facility)s is vol: alle %(n)s voltijdplaatsen zijn bezet. Kies een andere vorm of zet de leerling op de wachtlijst."
                )
                % {"facility": facility.name, "n": facility.capacity}
            }
        )


def placement_update_plan(
    *,
    placement: Placement,
    kind: str,
    actor,
    slots=(),
    subjects: str = "",
    planned_end_on: date | None = None,
    evaluation_weeks: int = EVALUATION_WEEKS,
    next_evaluation_on: date | None = None,
) -> Placement:
    """Change the plan: kind, days and hours, planned end, evaluation rhythm."""
    slots = _check_plan(
        kind=kind,
        slots=slots,
        start_on=placement.start_on,
        planned_end_on=planned_end_on,
        evaluation_weeks=evaluation_weeks,
    )
    with transaction.atomic():
        facility = _lock_facility(placement.facility)
        placement = Placement.objects.select_for_update(of=("self",)).select_related("student").get(pk=placement.pk)
        if not placement.is_active:
            raise ValidationError(_("Deze plaatsing is beëindigd."))
        if kind == PlacementKind.FULL_TIME and placement.kind != PlacementKind.FULL_TIME:
            _check_full_time_room(facility, exclude=placement)
        placement.kind = kind
        placement.subjects = subjects
        placement.planned_end_on = planned_end_on
        placement.evaluation_weeks = evaluation_weeks
        placement.next_evaluation_on = next_evaluation_on
        placement.save()
        placement.slots.all().delete()
        PlacementSlot.objects.bulk_create([PlacementSlot(placement=placement, weekday=d, hour=h) for d, h in slots])
        timeline_add(
            student=placement.student,
            kind="referrals.placement_plan",
            actor=actor,
            facility=facility.name,
            placement_id=placement.pk,
            plan=kind,
        )
    return placement


def placement_goal_add(*, placement: Placement, text: str, actor) -> PlacementGoal:
    """Add a goal to the plan (the change log keeps who added it, not the goal's text)."""
    if not text.strip():
        raise ValidationError({"text": _("Beschrijf het doel.")})
    if not placement.is_active:
        raise ValidationError(_("Deze plaatsing is beëindigd."))
    with transaction.atomic():
        goal = PlacementGoal.objects.create(
            placement=placement, text=text.strip()[:300], position=placement.goals.count()
        )
        change_record(
            school=placement.school_id,
            student=placement.student,
            actor=actor,
            kind="referrals.goal_added",
            obj=goal,
            after={"text": goal.text},
            hidden={"text"},
        )
    return goal


def placement_evaluate(
    *,
    placement: Placement,
    held_on: date,
    decision: str,
    actor,
    note: str = "",
    results=(),
    next_evaluation_on: date | None = None,
) -> PlacementEvaluation:
    """Record an evaluation: per goal the progress and what to do with it, and for the
    placement continue / adjust / end. Goals decided 'end' are closed; the next evaluation
    date moves on by the placement's rhythm unless given."""
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Een evaluatie kan niet in de toekomst gehouden zijn.")})
    if held_on < placement.start_on:
        raise ValidationError({"held_on": _("Deze datum ligt voor de start van de plaatsing.")})
    with transaction.atomic():
        placement = (
            Placement.objects.select_for_update(of=("self",)).select_related("student", "facility").get(pk=placement.pk)
        )
        if not placement.is_active:
            raise ValidationError(_("Deze plaatsing is beëindigd."))
        open_goals = {g.pk: g for g in placement.goals.filter(closed_on__isnull=True)}
        evaluation = PlacementEvaluation.objects.create(
            placement=placement, held_on=held_on, decision=decision, note=note, by=actor
        )
        rows = []
        for goal, progress, goal_decision, goal_note in results:
            if goal.pk not in open_goals:
                raise ValidationError(_("Dit doel hoort niet (meer) bij deze plaatsing."))
            rows.append(
                PlacementGoalResult(
                    evaluation=evaluation, goal=goal, progress=progress, decision=goal_decision, note=goal_note
                )
            )
            if goal_decision == EvaluationDecision.END:
                PlacementGoal.objects.filter(pk=goal.pk).update(closed_on=held_on)
        PlacementGoalResult.objects.bulk_create(rows)
        if decision == EvaluationDecision.END:
            placement.next_evaluation_on = None
        else:
            placement.next_evaluation_on = next_evaluation_on or held_on + timedelta(weeks=placement.evaluation_weeks)
        placement.save(update_fields=["next_evaluation_on"])
        timeline_add(
            student=placement.student,
            kind="referrals.placement_evaluated",
            actor=actor,
            facility=placement.facility.name,
            placement_id=placement.pk,
            decision=decision,
        )
    return evaluation


def placement_end(*, placement: Placement, ended_on: date, outcome: str, actor, note: str = "") -> Placement:
    """End a placement with an outcome. Refused while the pupil is checked in there."""
    outcome = Outcome(outcome)
    if ended_on < placement.start_on:
        raise ValidationError({"ended_on": _("Deze datum ligt voor de start van de plaatsing.")})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("Een plaatsing beëindig je op of na de laatste dag, niet vooruit.")})
    with transaction.atomic():
        placement = (
            Placement.objects.select_for_update(of=("self",)).select_related("student", "facility").get(pk=placement.pk)
        )
        if not placement.is_active:
            raise ValidationError(_("Deze plaatsing is al beëindigd."))
        if Visit.objects.open().filter(placement=placement).exists():
            raise ValidationError(
                _("%(name)s is nu ingecheckt in %(facility)s: check eerst uit.")
                % _names(placement.student, placement.facility)
            )
        placement.ended_on = ended_on
        placement.outcome = outcome
        placement.outcome_note = note
        placement.next_evaluation_on = None
        placement.save(update_fields=["ended_on", "outcome", "outcome_note", "next_evaluation_on"])
        placement.goals.filter(closed_on__isnull=True).update(closed_on=ended_on)
        timeline_add(
            student=placement.student,
            kind="referrals.placement_ended",
            actor=actor,
            facility=placement.facility.name,
            placement_id=placement.pk,
            outcome=outcome.value,
            date=ended_on,
        )
        _sync_support_status(
            student=placement.student,
            actor=actor,
            fallback=SUPPORT_AFTER_OUTCOME.get(outcome, SupportStatus.IN_BEGELEIDING),
        )
    return placement
