"""Writes of the referrals app: referrals, placements and visits. Each service owns its
transaction, checks the rules itself (not only the form), writes the pupil's timeline event
in that transaction."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from accounts.models import Role
from carecoord import access
from students.models import Consent, SupportStatus
from students.services import student_set_support_status
from students.timeline import timeline_add

from .models import (
    DECISION_STATES,
    EVALUATION_WEEKS,
    EvaluationDecision,
    Facility,
    LessonHour,
    Outcome,
    Placement,
    PlacementEvaluation,
    PlacementGoal,
    PlacementGoalResult,
    PlacementKind,
    PlacementSlot,
    Referral,
    ReferralState,
    ReferralTransition,
    Visit,
)

# When the last placement ends, what the mentor sees next: back in class fully, or at
# another school, means the support is over; anything else keeps the coordinator involved.
SUPPORT_AFTER_OUTCOME = {
    Outcome.BACK_FULLY: SupportStatus.NONE,
    Outcome.OTHER_SCHOOL: SupportStatus.NONE,
}

# The school day ends after the last lesson hour; without a timetable at this hour.
DEFAULT_DAY_END = datetime.strptime("17:00", "%H:%M").time()

# A Dutch secondary-school timetable of 50-minute lessons, offered when a school has none yet.
DEFAULT_LESSON_HOURS = [
    ("08:30", "09:20"),
    ("09:20", "10:10"),
    ("10:30", "11:20"),
    ("11:20", "12:10"),
    ("12:40", "13:30"),
    ("13:30", "14:20"),
    ("14:30", "15:20"),
    ("15:20", "16:10"),
]


def _lock_facility(facility) -> Facility:
    """The facility row, locked until the end of the transaction.

    Every write that counts places (a full-time placement, a check-in) takes this lock
    first, so two requests never both see the last free place: the second one waits and
    then counts again, with the first one's row committed.
    """
    return Facility.objects.select_for_update().get(pk=facility.pk)


def _shown_time(moment) -> str:
    return time_format(timezone.localtime(moment), "H:i")


def _sync_support_status(*, student, actor, fallback=SupportStatus.IN_BEGELEIDING) -> None:
    """What the mentor sees follows the trajectory: placed while any placement is active,
    referred while any referral is open, else `fallback` (only replacing what this app set)."""
    if Placement.objects.active().filter(student=student).exists():
        status = SupportStatus.GEPLAATST
    elif Referral.objects.open().filter(student=student).exists():
        status = SupportStatus.AANGEMELD
    elif student.support_status in (SupportStatus.AANGEMELD, SupportStatus.GEPLAATST):
        status = fallback
    else:
        return
    student_set_support_status(student=student, status=status, actor=actor)


# --- Facilities and the timetable --------------------------------------------------------


def facility_save(*, school, actor, instance: Facility | None = None, coaches=(), **fields) -> Facility:
    """Create or change a facility. Coaches must have the coach role at the school; the
    capacity may not drop below the full-time placements it holds now."""
    from accounts.models import Membership

    coach_ids = {c.pk for c in coaches}
    allowed = set(
        Membership.objects.filter(school=school, role=Role.COACH, user_id__in=coach_ids).values_list(
            "user_id", flat=True
        )
    )
    if coach_ids - allowed:
        raise ValidationError({"coaches": _("Alleen medewerkers met de rol coach op deze school kunnen coach zijn.")})
    with transaction.atomic():
        facility = instance or Facility(school=school)
        if instance is not None:
            facility = _lock_facility(instance)
        for name, value in fields.items():
            setattr(facility, name, value)
        if facility.pk:
            full_time = Placement.objects.active().filter(facility=facility, kind=PlacementKind.FULL_TIME).count()
            if facility.capacity < full_time:
                raise ValidationError(
                    {
                        "capacity": _("Er zijn nu %(n)s voltijdplaatsingen; de capaciteit kan niet lager dan dat.")
                        % {"n": full_time}
                    }
                )
        try:
            facility.full_clean()
        except ValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        facility.save()
        facility.coaches.set(coaches)
    for coach in coaches:
        access.forget(coach)  # their rights changed within this request
    return facility


def lesson_hours_save(*, school, hours, actor) -> list[LessonHour]:
    """Replace the school's timetable with `hours` [(start, end), ...] in order: lesson
    hour 1 is the first. Hours may not overlap."""
    hours = [(start, end) for start, end in hours if start and end]
    errors = []
    for n, (start, end) in enumerate(hours, start=1):
        if end <= start:
            errors.append(_("Lesuur %(n)s eindigt niet na het begin.") % {"n": n})
        if n > 1 and start < hours[n - 2][1]:
            errors.append(_("Lesuur %(n)s begint voor het einde van lesuur %(m)s.") % {"n": n, "m": n - 1})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        LessonHour.objects.filter(school=school).delete()
        rows = LessonHour.objects.bulk_create(
            [LessonHour(school=school, number=n, starts_at=s, ends_at=e) for n, (s, e) in enumerate(hours, start=1)]
        )
    return rows


def lesson_hours_default(*, school, actor) -> list[LessonHour]:
    """Give a school without a timetable the common 50-minute one (changeable afterwards)."""
    parse = lambda value: datetime.strptime(value, "%H:%M").time()  # noqa: E731
    return lesson_hours_save(school=school, hours=[(parse(s), parse(e)) for s, e in DEFAULT_LESSON_HOURS], actor=actor)


# --- Referrals (aanmeldingen) ------------------------------------------------------------


def referral_create(
    *, student, facility: Facility, question: str, actor, involved=(), involved_others: str = "", concerns=()
) -> Referral:
    """Refer a pupil to a facility (aanmelding), optionally for one or more of the pupil's
    concerns (zorgmeldingen). The mentor sees 'aangemeld'."""
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
    try:
        with transaction.atomic():
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
    except IntegrityError as exc:
        # The unique constraint on open referrals: another request was just faster.
        raise ValidationError(
            {"facility": _("Er loopt al een aanmelding van %(name)s bij %(facility)s.") % _names(student, facility)}
        ) from exc
    return referral


def _names(student, facility):
    return {"name": student.full_name, "facility": facility.name}


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


# --- Placements -----------------------------------------------------------------------------


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
    if not text.strip():
        raise ValidationError({"text": _("Beschrijf het doel.")})
    if not placement.is_active:
        raise ValidationError(_("Deze plaatsing is beëindigd."))
    position = placement.goals.count()
    return PlacementGoal.objects.create(placement=placement, text=text.strip()[:300], position=position)


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


# --- Visits (check-in and check-out) -------------------------------------------------------


def visit_check_in(
    *, facility: Facility, student, actor, reason: str = "", note: str = "", at: datetime | None = None
) -> Visit:
    """Check a pupil in. Planned: the pupil has an active placement here. Unplanned (a
    walk-in, time-out): needs a reason.

    Refused when the pupil is checked in anywhere already, or when the room is full: the
    number of pupils present never exceeds the capacity, also when twenty tablets tap at
    once (the facility row is locked while counting and inserting).
    """
    at = at or timezone.now()
    if student.school_id != facility.school_id:
        raise ValidationError(_("Deze leerling hoort niet bij deze school."))
    with transaction.atomic():
        facility = _lock_facility(facility)
        placement = Placement.objects.active().filter(facility=facility, student=student).first()
        if placement is None and not reason:
            raise ValidationError(
                {
                    "reason": _("%(name)s is niet geplaatst in %(facility)s: geef een reden (binnenloper).")
                    % _names(student, facility)
                }
            )
        already = Visit.objects.open().filter(student=student).select_related("facility").first()
        if already is not None:
            raise ValidationError(
                _("%(name)s is al ingecheckt (sinds %(time)s, %(facility)s).")
                % {
                    "name": student.full_name,
                    "time": _shown_time(already.checked_in_at),
                    "facility": already.facility.name,
                }
            )
        present = Visit.objects.open().filter(facility=facility).count()
        if present >= facility.capacity:
            raise ValidationError(
                _("%(facility)s is vol: %(n)s van %(n)s plaatsen bezet.") % {"facility": facility.name, "n": present}
            )
        try:
            with transaction.atomic():
                visit = Visit.objects.create(
                    facility=facility,
                    student=student,
                    placement=placement,
                    planned=not reason,
                    reason=reason,
                    note=note[:300],
                    checked_in_at=at,
                    checked_in_by=actor,
                )
        except IntegrityError as exc:
            # The same pupil checked in at this moment elsewhere (the constraint on open visits).
            raise ValidationError(_("%(name)s is al ingecheckt.") % {"name": student.full_name}) from exc
    return visit


def visit_check_out(
    *, facility: Facility, student, actor, note: str | None = None, at: datetime | None = None
) -> Visit:
    """Check a pupil out of `facility`. Refused when they are not checked in there."""
    at = at or timezone.now()
    with transaction.atomic():
        visit = Visit.objects.select_for_update().filter(facility=facility, student=student).open().first()
        if visit is None:
            raise ValidationError(_("%(name)s is niet ingecheckt in %(facility)s.") % _names(student, facility))
        visit.checked_out_at = max(at, visit.checked_in_at)
        visit.checked_out_by = actor
        if note is not None:
            visit.note = note[:300]
        visit.save(update_fields=["checked_out_at", "checked_out_by", "note"])
    return visit


def visit_set_note(*, visit: Visit, note: str, actor) -> Visit:
    visit.note = note.strip()[:300]
    visit.save(update_fields=["note"])
    return visit


def visit_correct(*, visit: Visit, checked_in_at: datetime, checked_out_at: datetime, actor, note=None) -> Visit:
    """Correct the times of a visit (e.g. one closed by the end-of-day task)."""
    if checked_out_at < checked_in_at:
        raise ValidationError({"checked_out_at": _("Uitchecken kan niet voor inchecken.")})
    if timezone.localtime(checked_in_at).date() != timezone.localtime(checked_out_at).date():
        raise ValidationError({"checked_out_at": _("In- en uitchecken vallen op dezelfde dag.")})
    if checked_out_at > timezone.now():
        raise ValidationError({"checked_out_at": _("Dit tijdstip ligt in de toekomst.")})
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.checked_out_at is None:
            raise ValidationError(_("Dit bezoek loopt nog: check de leerling eerst uit."))
        visit.checked_in_at = checked_in_at
        visit.checked_out_at = checked_out_at
        visit.needs_correction = False
        if note is not None:
            visit.note = note[:300]
        visit.save(update_fields=["checked_in_at", "checked_out_at", "needs_correction", "note"])
    return visit


def school_day_end(*, lesson_hours, day: date) -> datetime:
    """When the school day ends: after the last lesson hour (Europe/Amsterdam)."""
    end = max((h.ends_at for h in lesson_hours), default=DEFAULT_DAY_END)
    return timezone.make_aware(datetime.combine(day, end))


def visits_close_open(*, now: datetime | None = None) -> int:
    """Close visits still open after the end of their school day, at that end, flagged for
    the coach to correct. Idempotent: a closed visit is not touched again."""
    now = now or timezone.now()
    open_visits = list(Visit.objects.open().select_related("facility").order_by("pk"))
    school_ids = {v.facility.school_id for v in open_visits}
    hours: dict[int, list] = {}
    for hour in LessonHour.objects.filter(school_id__in=school_ids):
        hours.setdefault(hour.school_id, []).append(hour)
    closed = 0
    for visit in open_visits:
        day = timezone.localtime(visit.checked_in_at).date()
        end = school_day_end(lesson_hours=hours.get(visit.facility.school_id, []), day=day)
        if now < end:
            continue
        with transaction.atomic():
            updated = Visit.objects.filter(pk=visit.pk, checked_out_at__isnull=True).update(
                checked_out_at=max(end, visit.checked_in_at), needs_correction=True
            )
        closed += updated
    return closed


def visits_summarise_day(*, facility: Facility, day: date) -> int:
    """Write one timeline event per pupil for their visits to `facility` on `day` (count,
    time, unplanned), once. Returns the number of events written.

    Runs after the school day; the facility row is locked so two runs do not both write.
    """
    from students.models import TimelineEvent

    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))
    of_the_day = Visit.objects.filter(facility=facility, checked_in_at__gte=start, checked_in_at__lt=end)
    if not of_the_day.exists():
        return 0  # most facility-days: no lock needed
    with transaction.atomic():
        facility = _lock_facility(facility)
        visits = list(
            of_the_day.exclude(checked_out_at__isnull=True).select_related("student").order_by("checked_in_at")
        )
        if not visits:
            return 0
        done = set(
            TimelineEvent.objects.filter(
                kind="referrals.visits_day",
                student_id__in={v.student_id for v in visits},
                params__facility_id=facility.pk,
                params__day=day.isoformat(),
            ).values_list("student_id", flat=True)
        )
        per_student: dict[int, list[Visit]] = {}
        for visit in visits:
            if visit.student_id not in done:
                per_student.setdefault(visit.student_id, []).append(visit)
        from students.timeline import timeline_add_many

        timeline_add_many(
            [
                {
                    "student": rows[0].student,
                    "kind": "referrals.visits_day",
                    "occurred_at": max(v.checked_out_at for v in rows),
                    "params": {
                        "facility": facility.name,
                        "facility_id": facility.pk,
                        "placement_id": next((v.placement_id for v in rows if v.placement_id), None),
                        "day": day.isoformat(),
                        "count": len(rows),
                        "minutes": sum(v.minutes for v in rows),
                        "unplanned": sum(1 for v in rows if not v.planned),
                        "auto_closed": any(v.needs_correction for v in rows),
                    },
                }
                for rows in per_student.values()
            ]
        )
    return len(per_student)


def visits_end_of_day(*, now: datetime | None = None, days_back: int = 2) -> dict:
    """The scheduled end-of-day work: close what is still open after the school day, then
    write the day summaries of every facility whose day is over (catching up `days_back`
    days, for a worker that was down)."""
    now = now or timezone.now()
    closed = visits_close_open(now=now)
    summaries = 0
    today = timezone.localtime(now).date()
    facilities = list(Facility.objects.all())
    hours: dict[int, list] = {}
    for hour in LessonHour.objects.filter(school_id__in={f.school_id for f in facilities}):
        hours.setdefault(hour.school_id, []).append(hour)
    for facility in facilities:
        for back in range(days_back, -1, -1):
            day = today - timedelta(days=back)
            if now < school_day_end(lesson_hours=hours.get(facility.school_id, []), day=day):
                continue
            summaries += visits_summarise_day(facility=facility, day=day)
    return {"closed": closed, "summaries": summaries}
