"""The kansencoach's light route (seed 004): nominate, start once the parents agreed,
record conversations, end with an outcome. No referral and no intake: "direct hulp zonder
allerlei formulieren in te vullen en een intake te houden"."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from students.timeline import timeline_add

from ..models import (
    CoachingConversation,
    CoachingNomination,
    ConversationKind,
    Facility,
    FacilityKind,
    NominationState,
    Placement,
    PlacementKind,
)
from .common import _lock_facility, _sync_support_status
from .placements import placement_consent_ok, placement_end

# A conversation longer than a school day is a typing error (the coach is in school two hours).
MAX_CONVERSATION_MINUTES = 8 * 60


def _check_kansencoach(facility: Facility) -> None:
    if facility.kind != FacilityKind.KANSENCOACH or not facility.is_active:
        raise ValidationError({"facility": _("Kies de kansencoach van de school.")})


def coaching_nominate(*, student, facility: Facility, reason: str, actor) -> CoachingNomination:
    """A teacher puts a pupil forward to the kansencoach with a short reason ("de leerkracht
    signaleert en draagt een leerling voor"). Only a pupil of the coach's own school; one
    open nomination per pupil, and none while the coaching already runs."""
    _check_kansencoach(facility)
    if student.school_id != facility.school_id:
        raise ValidationError(
            {
                "student": _(
                    "%(name)s is geen leerling van %(school)s: je kunt alleen leerlingen van je eigen school voordragen."
                )
                % {"name": student.full_name, "school": facility.school.name}
            }
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf kort op wat je ziet en waarom je de leerling voordraagt.")})
    with transaction.atomic():
        _lock_facility(facility)
        if Placement.objects.active().filter(student=student, facility=facility).exists():
            raise ValidationError(
                {"student": _("%(name)s heeft al gesprekken met de kansencoach.") % {"name": student.full_name}}
            )
        if CoachingNomination.objects.open().filter(student=student, facility=facility).exists():
            raise ValidationError(
                {"student": _("%(name)s is al voorgedragen bij de kansencoach.") % {"name": student.full_name}}
            )
        nomination = CoachingNomination.objects.create(
            school_id=facility.school_id, student=student, facility=facility, reason=reason[:500], nominated_by=actor
        )
        timeline_add(
            student=student,
            kind="referrals.coaching_nominated",
            actor=actor,
            facility=facility.name,
            nomination_id=nomination.pk,
        )
    return nomination


def nomination_consent_ok(nomination: CoachingNomination) -> bool:
    """Have the parents (or the pupil from 16) agreed to the kansencoach? (seed 004)."""
    return placement_consent_ok(student=nomination.student, facility=nomination.facility)


def coaching_start(*, nomination: CoachingNomination, actor, start_on: date | None = None) -> Placement:
    """Start the coaching: a Placement of kind COACHING in the kansencoach facility, without
    referral, intake or lesson hours. Refused while the parents' consent is not on record;
    the nomination then stays open, waiting for it."""
    start_on = start_on or timezone.localdate()
    with transaction.atomic():
        facility = _lock_facility(nomination.facility)
        nomination = (
            CoachingNomination.objects.select_for_update(of=("self",)).select_related("student").get(pk=nomination.pk)
        )
        student = nomination.student
        if not nomination.is_open:
            raise ValidationError(_("Deze voordracht is al %(state)s.") % {"state": nomination.get_state_display()})
        if not placement_consent_ok(student=student, facility=facility, on=start_on):
            raise ValidationError(
                _(
                    "De ouders van %(name)s hebben (nog) geen toestemming gegeven voor de kansencoach. "
                    "Leg hun toestemming vast in het dossier; de voordracht blijft zolang staan."
                )
                % {"name": student.full_name}
            )
        if Placement.objects.active().filter(student=student, facility=facility).exists():
            raise ValidationError(_("%(name)s heeft al gesprekken met de kansencoach.") % {"name": student.full_name})
        try:
            with transaction.atomic():
                placement = Placement.objects.create(
                    school_id=facility.school_id,
                    student=student,
                    facility=facility,
                    referral=None,
                    kind=PlacementKind.COACHING,
                    start_on=start_on,
                    next_evaluation_on=None,
                    created_by=actor,
                )
        except IntegrityError as exc:  # a placement of another route raced this one
            raise ValidationError(
                _("%(name)s heeft al gesprekken met de kansencoach.") % {"name": student.full_name}
            ) from exc
        nomination.state = NominationState.STARTED
        nomination.placement = placement
        nomination.started_by = actor
        nomination.started_at = timezone.now()
        nomination.save(update_fields=["state", "placement", "started_by", "started_at"])
        # The same event as any placement: the file, the timeline and the figures know it.
        timeline_add(
            student=student,
            kind="referrals.placement_started",
            actor=actor,
            facility=facility.name,
            placement_id=placement.pk,
            plan=PlacementKind.COACHING.value,
            start=start_on,
        )
        _sync_support_status(student=student, actor=actor)
    return placement


def nomination_withdraw(*, nomination: CoachingNomination, actor) -> CoachingNomination:
    """The teacher or the IB'er takes an open nomination back (the parents said no)."""
    with transaction.atomic():
        nomination = CoachingNomination.objects.select_for_update().get(pk=nomination.pk)
        if not nomination.is_open:
            raise ValidationError(_("Deze voordracht is al %(state)s.") % {"state": nomination.get_state_display()})
        nomination.state = NominationState.WITHDRAWN
        nomination.save(update_fields=["state"])
        timeline_add(
            student=nomination.student,
            kind="referrals.coaching_withdrawn",
            actor=actor,
            facility=nomination.facility.name,
            nomination_id=nomination.pk,
        )
    return nomination


def coaching_conversation_add(
    *, placement: Placement, held_on: date | None, minutes, kind: str, actor, note: str = ""
) -> CoachingConversation:
    """Record one conversation of the kansencoach: dated, with its minutes (they count
    against the hours budget) and kind (the pupil, the parents, advice to the teacher)."""
    errors = {}
    if held_on is None:
        errors["held_on"] = _("Vul de datum van het gesprek in.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("Een gesprek kan niet in de toekomst gehouden zijn.")
    elif held_on < placement.start_on:
        errors["held_on"] = _("Deze datum ligt voor de start van de begeleiding (%(date)s).") % {
            "date": placement.start_on.strftime("%d-%m-%Y")
        }
    if minutes is None or minutes < 1:
        errors["minutes"] = _("Vul de duur van het gesprek in minuten in: minstens 1.")
    elif minutes > MAX_CONVERSATION_MINUTES:
        errors["minutes"] = _("Een gesprek duurt hoogstens %(n)s minuten.") % {"n": MAX_CONVERSATION_MINUTES}
    if kind not in ConversationKind.values:
        errors["kind"] = _("Kies met wie het gesprek was.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        placement = Placement.objects.select_for_update().select_related("student", "facility").get(pk=placement.pk)
        if placement.kind != PlacementKind.COACHING or not placement.is_active:
            raise ValidationError(_("Deze begeleiding is beëindigd."))
        conversation = CoachingConversation.objects.create(
            placement=placement, held_on=held_on, minutes=minutes, kind=kind, note=note.strip(), by=actor
        )
        # Kind and minutes only: the note is the coach's, the timeline is read more widely.
        timeline_add(
            student=placement.student,
            kind="referrals.coaching_conversation",
            actor=actor,
            facility=placement.facility.name,
            placement_id=placement.pk,
            conversation=kind,
            minutes=minutes,
            date=held_on,
        )
    return conversation


def coaching_end(*, placement: Placement, ended_on: date, outcome: str, actor, note: str = "") -> Placement:
    """End the coaching with an outcome: the placement's end, so the outcomes count it."""
    if placement.kind != PlacementKind.COACHING:
        raise ValidationError(_("Dit is geen begeleiding door de kansencoach."))
    last = placement.conversations.order_by("-held_on").values_list("held_on", flat=True).first()
    if last and ended_on < last:
        raise ValidationError(
            {
                "ended_on": _("Er is nog een gesprek op %(date)s: beëindig op of na die dag.")
                % {"date": last.strftime("%d-%m-%Y")}
            }
        )
    return placement_end(placement=placement, ended_on=ended_on, outcome=outcome, actor=actor, note=note)
