"""Writes of the referrals app: concerns and Meldcode steps, referrals, placements and
visits. Each service owns its transaction, checks the rules itself (not only the form),
writes the pupil's timeline event in that transaction and queues e-mail after commit."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from accounts.models import Role
from carecoord import access
from notifications.services import notification_queue
from students.models import Consent, Student, SupportStatus
from students.services import student_set_support_status
from students.timeline import timeline_add

from .models import (
    DECISION_STATES,
    EVALUATION_WEEKS,
    HANDLER_ROLES,
    MELDCODE_ROLES,
    Concern,
    ConcernAction,
    ConcernCategory,
    ConcernStatus,
    EvaluationDecision,
    Facility,
    HandlerKind,
    LessonHour,
    MeldcodeDecision,
    MeldcodeStep,
    MeldcodeStepNumber,
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
    Urgency,
    Visit,
)

# --- Zorgroute ---------------------------------------------------------------------------


def _closed_error():
    return ValidationError(_("Deze melding is afgerond en kan niet meer worden gewijzigd."))


def concern_event_kind(concern: Concern, name: str) -> str:
    """A Meldcode case writes its events in the Meldcode section, every other concern in Zorg."""
    return f"{'meldcode' if concern.is_meldcode else 'concerns'}.{name}"


def _event(concern: Concern, name: str, actor, **params) -> None:
    timeline_add(
        student=concern.student, kind=concern_event_kind(concern, name), actor=actor, concern_id=concern.pk, **params
    )


def _has_staff_role(user, school_id, *roles) -> bool:
    """Does `user` (active) hold one of `roles` (any staff role when none) at the school?"""
    return access.has_role(user, school_id, *(roles or Role.values))


def _role_holders(school_id, role) -> list:
    from accounts.models import User

    return list(
        User.objects.filter(memberships__school_id=school_id, memberships__role=role, is_active=True).order_by("pk")
    )


def _text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Vul dit veld in.")})
    if len(value) > max_length:
        raise ValidationError({field: _("Maximaal %(max)s tekens (nu %(n)s).") % {"max": max_length, "n": len(value)}})
    return value


# --- Categories ---------------------------------------------------------------------------


def category_save(*, school, actor, instance: ConcernCategory | None = None, **fields) -> ConcernCategory:
    """Create or change a category of the school's zorgroute. The handler must fit the
    kind chosen; a Meldcode category goes to the coordinator or the aandachtsfunctionaris."""
    category = instance or ConcernCategory(school=school)
    for name, value in fields.items():
        setattr(category, name, value)
    kind = category.handler_kind
    if kind != HandlerKind.ROLE:
        category.handler_role = ""
    if kind != HandlerKind.PERSON:
        category.handler_user = None
    if kind != HandlerKind.ORGANISATION:
        category.handler_organisation = None
    if kind == HandlerKind.ROLE and category.handler_role not in HANDLER_ROLES:
        raise ValidationError({"handler_role": _("Kies de rol die deze meldingen behandelt.")})
    if kind == HandlerKind.PERSON:
        if category.handler_user is None:
            raise ValidationError({"handler_user": _("Kies de persoon die deze meldingen behandelt.")})
        if not _has_staff_role(category.handler_user, school.pk):
            raise ValidationError({"handler_user": _("Deze persoon heeft geen rol op deze school.")})
    if kind == HandlerKind.ORGANISATION:
        organisation = category.handler_organisation
        if organisation is None:
            raise ValidationError({"handler_organisation": _("Kies de partnerorganisatie.")})
        if not organisation.schools.filter(pk=school.pk).exists():
            raise ValidationError({"handler_organisation": _("Deze partner werkt niet met deze school.")})
    if category.follows_meldcode:
        # Meldcode: only the coordinator and the aandachtsfunctionaris may see the case.
        if kind == HandlerKind.ORGANISATION:
            raise ValidationError(
                {"handler_kind": _("Een Meldcode-categorie gaat naar de aandachtsfunctionaris, niet naar een partner.")}
            )
        if kind == HandlerKind.ROLE and category.handler_role not in MELDCODE_ROLES:
            raise ValidationError(
                {"handler_role": _("Kies voor de Meldcode de aandachtsfunctionaris of de zorgcoördinator.")}
            )
        if kind == HandlerKind.PERSON and not _has_staff_role(category.handler_user, school.pk, *MELDCODE_ROLES):
            raise ValidationError(
                {"handler_user": _("Voor de Meldcode: kies de aandachtsfunctionaris of een zorgcoördinator.")}
            )
    clash = ConcernCategory.objects.filter(school=school, name__iexact=category.name.strip()).exclude(pk=category.pk)
    if clash.exists():
        raise ValidationError({"name": _("Deze zorgroute heeft al een categorie met deze naam.")})
    category.name = category.name.strip()
    category.full_clean()
    category.save()
    return category


def concern_route(category: ConcernCategory) -> dict:
    """The handler a new concern of `category` gets: the category's role, person or
    partner. When the person no longer works at the school, the coordinators take it;
    a Meldcode case never goes to anyone but the coordinator or the aandachtsfunctionaris."""
    route = {"handler_role": "", "handler": None, "handler_organisation": None}
    kind = category.handler_kind
    if kind == HandlerKind.PERSON and category.handler_user_id:
        roles = MELDCODE_ROLES if category.follows_meldcode else ()
        if _has_staff_role(category.handler_user, category.school_id, *roles):
            return {**route, "handler": category.handler_user}
    elif kind == HandlerKind.ORGANISATION and category.handler_organisation_id and not category.follows_meldcode:
        return {**route, "handler_organisation": category.handler_organisation}
    elif kind == HandlerKind.ROLE and category.handler_role:
        allowed = MELDCODE_ROLES if category.follows_meldcode else HANDLER_ROLES
        if category.handler_role in allowed:
            return {**route, "handler_role": category.handler_role}
    fallback = Role.AANDACHTSFUNCTIONARIS if category.follows_meldcode else Role.ZORGCOORDINATOR
    return {**route, "handler_role": fallback}


# --- Raising a concern -------------------------------------------------------------------


def concern_submit(
    *,
    school,
    student: Student,
    category: ConcernCategory,
    observation: str,
    urgency: int,
    submission_key,
    actor,
    already_done: str = "",
) -> tuple[Concern, bool]:
    """Raise a concern about `student` through the zorgroute of `school`.

    Returns (concern, created). The same `submission_key` twice (double click, back
    button, a retried request) returns the first concern and creates nothing. The handler
    comes from the category (`concern_route`) and is e-mailed after commit.
    """
    existing = Concern.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        if existing.raised_by_id != actor.pk:
            raise ValidationError(_("Dit formulier is al gebruikt. Open het formulier opnieuw."))
        return existing, False
    if not access.can(actor, "school.raise_concern", school):
        raise ValidationError(_("Je kunt op deze school geen zorgmelding doen."))
    pickable = Student.objects.filter(access.directory_q(actor), school=school, pk=student.pk).active()
    if student.school_id != school.pk or not pickable.exists():
        raise ValidationError({"student": _("Deze leerling staat niet (meer) ingeschreven op deze school.")})
    if category.school_id != school.pk or not category.is_active:
        raise ValidationError({"category": _("Deze categorie hoort niet bij de zorgroute van deze school.")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Kies hoe dringend het is.")})
    observation = _text(observation, "observation", max_length=4000)
    already_done = _text(already_done, "already_done", max_length=2000, required=False)
    try:
        with transaction.atomic():
            concern = Concern.objects.create(
                school=school,
                student=student,
                category=category,
                is_meldcode=category.follows_meldcode,
                raised_by=actor,
                observation=observation,
                already_done=already_done,
                urgency=urgency,
                home_situation=category.home_situation,
                submission_key=submission_key,
                **concern_route(category),
            )
            _event(concern, "raised", actor, category=category.name, raised_by=actor.name)
            # The mentor may see that a pupil is "gesignaleerd", never that a Meldcode case exists.
            if not concern.is_meldcode and student.support_status == SupportStatus.NONE:
                student_set_support_status(student=student, status=SupportStatus.SIGNALED, actor=actor)
            concern_notify(concern_id=concern.pk, event="routed", actor_id=actor.pk)
    except IntegrityError:
        # The same form, posted twice at the same moment: the other request made it.
        existing = Concern.objects.filter(submission_key=submission_key, raised_by=actor).first()
        if existing is None:
            raise
        return existing, False
    return concern, True


# --- Triage --------------------------------------------------------------------------------


def _locked(concern: Concern) -> Concern:
    """The concern, locked for this transaction and re-read: raises when it was closed."""
    locked = Concern.objects.select_for_update().select_related("student", "category").get(pk=concern.pk)
    if locked.is_closed:
        raise _closed_error()
    return locked


def _first_action(concern: Concern, actor, now=None) -> list[str]:
    """Mark the first triage step: status "in behandeling", and the time for the figures."""
    changed = []
    if concern.first_action_at is None:
        concern.first_action_at = now or timezone.now()
        changed.append("first_action_at")
    if concern.status == ConcernStatus.NEW:
        concern.status = ConcernStatus.IN_PROGRESS
        changed.append("status")
        if not concern.is_meldcode and concern.student.support_status in (SupportStatus.NONE, SupportStatus.SIGNALED):
            student_set_support_status(student=concern.student, status=SupportStatus.IN_BEGELEIDING, actor=actor)
    return changed


def concern_assign(*, concern: Concern, actor, handler=None, handler_role: str = "", handler_organisation=None) -> bool:
    """Give the concern one handler: a person, a role at the school, or a partner. The new
    handler gets an e-mail after commit. Returns False when nothing changed."""
    if sum(bool(x) for x in (handler, handler_role, handler_organisation)) != 1:
        raise ValidationError({"handler": _("Kies één behandelaar.")})
    with transaction.atomic():
        concern = _locked(concern)
        if handler is not None:
            roles = MELDCODE_ROLES if concern.is_meldcode else ()
            if not _has_staff_role(handler, concern.school_id, *roles):
                raise ValidationError(
                    {
                        "handler": _("Een Meldcode-casus behandelt de zorgcoördinator of de aandachtsfunctionaris.")
                        if concern.is_meldcode
                        else _("Deze persoon heeft geen rol op deze school.")
                    }
                )
        if handler_role and concern.is_meldcode and handler_role not in MELDCODE_ROLES:
            raise ValidationError(
                {"handler": _("Een Meldcode-casus behandelt de zorgcoördinator of de aandachtsfunctionaris.")}
            )
        if handler_role and handler_role not in HANDLER_ROLES:
            raise ValidationError({"handler": _("Kies één behandelaar.")})
        if handler_organisation is not None:
            if concern.is_meldcode:
                raise ValidationError({"handler": _("Een Meldcode-casus gaat niet naar een partner.")})
            if not handler_organisation.schools.filter(pk=concern.school_id).exists():
                raise ValidationError({"handler": _("Deze partner werkt niet met deze school.")})
        new = (getattr(handler, "pk", None), handler_role, getattr(handler_organisation, "pk", None))
        if new == (concern.handler_id, concern.handler_role, concern.handler_organisation_id):
            return False
        concern.handler, concern.handler_role, concern.handler_organisation = (
            handler,
            handler_role,
            handler_organisation,
        )
        changed = ["handler", "handler_role", "handler_organisation", *_first_action(concern, actor)]
        concern.save(update_fields=changed)
        _event(concern, "assigned", actor, handler=concern.handler_label)
        concern_notify(concern_id=concern.pk, event="assigned", actor_id=actor.pk)
    return True


def concern_classify(*, concern: Concern, category: ConcernCategory, home_situation: bool, actor) -> bool:
    """Change the category and/or the home-situation mark. Moving a concern into a
    Meldcode category makes it a Meldcode case (routed again); a case never leaves it."""
    with transaction.atomic():
        concern = _locked(concern)
        if category.school_id != concern.school_id or not category.is_active:
            raise ValidationError({"category": _("Deze categorie hoort niet bij de zorgroute van deze school.")})
        if concern.is_meldcode and not category.follows_meldcode:
            raise ValidationError(
                {"category": _("Een Meldcode-casus blijft een Meldcode-casus: kies een Meldcode-categorie.")}
            )
        changed, becomes_meldcode = [], False
        if concern.home_situation != home_situation:
            concern.home_situation = home_situation
            changed.append("home_situation")
        if category.pk != concern.category_id:
            old = concern.category.name
            becomes_meldcode = category.follows_meldcode and not concern.is_meldcode
            concern.category = category
            concern.is_meldcode = concern.is_meldcode or category.follows_meldcode
            changed += ["category", "is_meldcode"]
            if becomes_meldcode:
                # The old handler may not see a Meldcode case: route it as if raised here.
                for field, value in concern_route(category).items():
                    setattr(concern, field, value)
                changed += ["handler", "handler_role", "handler_organisation"]
            _event(concern, "recategorised", actor, old=old, new=category.name)
        if changed:
            concern.save(update_fields=changed)
        if becomes_meldcode:
            concern_notify(concern_id=concern.pk, event="routed", actor_id=actor.pk)
    return bool(changed)


def concern_action_add(*, concern: Concern, description: str, actor, due_on=None, owner=None) -> ConcernAction:
    """Add a triage action with an optional due date and person."""
    description = _text(description, "description", max_length=300)
    if due_on and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("Deze datum ligt in het verleden.")})
    with transaction.atomic():
        concern = _locked(concern)
        if owner is not None and not _has_staff_role(owner, concern.school_id):
            raise ValidationError({"owner": _("Deze persoon heeft geen rol op deze school.")})
        action = ConcernAction.objects.create(
            concern=concern, description=description, due_on=due_on, owner=owner, created_by=actor
        )
        changed = _first_action(concern, actor)
        if changed:
            concern.save(update_fields=changed)
        _event(concern, "action_added", actor, description=description, due_on=due_on)
    return action


def concern_action_done(*, action: ConcernAction, actor) -> bool:
    with transaction.atomic():
        concern = _locked(action.concern)
        action = ConcernAction.objects.select_for_update().get(pk=action.pk)
        if action.done_at is not None:
            return False
        action.done_at, action.done_by = timezone.now(), actor
        action.save(update_fields=["done_at", "done_by"])
        _event(concern, "action_done", actor, description=action.description)
    return True


def concern_close(*, concern: Concern, feedback: str, actor) -> Concern:
    """Close the concern with feedback (terugkoppeling) to whoever raised it; they get an
    e-mail with a link. A Meldcode case closes only after step 5 (the decision)."""
    feedback = _text(feedback, "feedback", max_length=2000)
    with transaction.atomic():
        concern = _locked(concern)
        if concern.is_meldcode and not concern.meldcode_steps.filter(step=MeldcodeStepNumber.DECISION).exists():
            raise ValidationError(_("Een Meldcode-casus kan pas worden afgerond als stap 5 (beslissen) is vastgelegd."))
        now = timezone.now()
        changed = _first_action(concern, actor, now)
        concern.status = ConcernStatus.CLOSED
        concern.closed_at, concern.closed_by, concern.feedback = now, actor, feedback
        concern.save(update_fields=[*changed, "status", "closed_at", "closed_by", "feedback"])
        _event(concern, "closed", actor, raised_by=concern.raised_by.name)
        concern_notify(concern_id=concern.pk, event="feedback", actor_id=actor.pk)
    return concern


def meldcode_step_record(
    *,
    concern: Concern,
    step: int,
    occurred_on,
    participants: str,
    notes: str,
    actor,
    veilig_thuis_consulted: bool = False,
    acute_unsafety: bool | None = None,
    structural_unsafety: bool | None = None,
    decision: str = "",
) -> MeldcodeStep:
    """Record a step of the Meldcode huiselijk geweld en kindermishandeling. Step 4 (weighing)
    answers both questions (acute? structural?); step 5 (the decision) comes once, after
    steps 1 to 4."""
    participants = _text(participants, "participants", max_length=300)
    notes = _text(notes, "notes", max_length=4000)
    if step not in MeldcodeStepNumber.values:
        raise ValidationError({"step": _("Kies een stap.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("Deze datum ligt in de toekomst.")})
    if step == MeldcodeStepNumber.WEIGHING and (acute_unsafety is None or structural_unsafety is None):
        raise ValidationError({"acute_unsafety": _("Beantwoord bij het wegen beide vragen.")})
    if step == MeldcodeStepNumber.DECISION and decision not in MeldcodeDecision.values:
        raise ValidationError({"decision": _("Kies het besluit.")})
    if step != MeldcodeStepNumber.DECISION:
        decision = ""
    if step != MeldcodeStepNumber.WEIGHING:
        acute_unsafety = structural_unsafety = None
    if step != MeldcodeStepNumber.CONSULTATION:
        veilig_thuis_consulted = False
    with transaction.atomic():
        concern = _locked(concern)
        if not concern.is_meldcode:
            raise ValidationError(_("Dit is geen Meldcode-casus."))
        done = set(concern.meldcode_steps.values_list("step", flat=True))
        if step == MeldcodeStepNumber.DECISION:
            if MeldcodeStepNumber.DECISION in done:
                raise ValidationError({"step": _("Het besluit (stap 5) is al vastgelegd.")})
            missing = [str(n) for n in range(1, 5) if n not in done]
            if missing:
                raise ValidationError(
                    {"step": _("Leg eerst stap %(steps)s vast; dan pas het besluit.") % {"steps": ", ".join(missing)}}
                )
        record = MeldcodeStep.objects.create(
            concern=concern,
            step=step,
            occurred_on=occurred_on,
            participants=participants,
            notes=notes,
            veilig_thuis_consulted=veilig_thuis_consulted,
            acute_unsafety=acute_unsafety,
            structural_unsafety=structural_unsafety,
            decision=decision,
            recorded_by=actor,
        )
        changed = _first_action(concern, actor)
        if changed:
            concern.save(update_fields=changed)
        _event(concern, "step", actor, step=step)
    return record


# --- E-mail to the handler and the raiser ----------------------------------------------------


def concern_recipients(concern: Concern) -> list:
    """Who handles the concern now, as people to e-mail. A partner organisation's people
    only when consent covers them (else they could not open the link)."""
    if concern.handler_id:
        return [concern.handler] if concern.handler.is_active else []
    if concern.handler_role:
        return _role_holders(concern.school_id, concern.handler_role)
    if concern.handler_organisation_id and not concern.is_meldcode:
        organisation = concern.handler_organisation
        consented = Consent.objects.active().filter(organisation=organisation, student_id=concern.student_id).exists()
        if consented and organisation.schools.filter(pk=concern.school_id).exists():
            return list(organisation.users.filter(is_active=True).order_by("pk"))
    return []


def _link(concern: Concern) -> str:
    return settings.SITE_URL + reverse("referrals:concern_detail", args=[concern.pk])


def concern_notify(*, concern_id: int, event: str, actor_id: int | None = None) -> int:
    """E-mail the people an event concerns; exactly once per (concern, event, person),
    however often this runs. The mails name no pupil and no care detail: only a link.

    Called inside the caller's transaction: the messages are stored with the concern (an
    outbox row with a unique key) and `notifications.tasks.notification_send` is queued on
    commit, so a rolled-back concern mails nobody and a lost broker message is re-sent by
    the notifications sweeper.

    - "routed" / "assigned": the handler(s); when nobody can be reached (a partner without
      consent, an empty role), the school's coordinators instead.
    - "feedback": whoever raised the concern.
    Returns the number of messages queued now.
    """
    concern = (
        Concern.objects.select_related("school", "raised_by", "handler", "handler_organisation")
        .filter(pk=concern_id)
        .first()
    )
    if concern is None:
        return 0
    template = "referrals/email/concern_routed"
    if event == "feedback":
        recipients, template = [concern.raised_by], "referrals/email/concern_feedback"
    else:
        recipients = concern_recipients(concern)
        if not recipients:
            event, template = "unreachable", "referrals/email/concern_unreachable"
            recipients = _role_holders(concern.school_id, Role.ZORGCOORDINATOR)
    queued = 0
    for user in recipients:
        if user.pk == actor_id:
            continue  # nobody needs an e-mail about what they just did themselves
        message = notification_queue(
            key=f"concern:{concern.pk}:{event}:{user.pk}",
            recipient=user,
            kind=f"referrals.concern_{event}",
            template=template,
            context={"school": concern.school, "link": _link(concern)},
            school=concern.school,
        )
        queued += message is not None
    return queued


# --- Aanmeldingen en voorzieningen ---------------------------------------------------------

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
