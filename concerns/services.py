"""Writes of the zorgroute: categories, raising a concern, triage, Meldcode steps and the
e-mail to handler and raiser. Each service owns its transaction, checks the rules itself
(not only the form), writes the pupil's timeline event in that transaction and queues
e-mail after commit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from carecoord import access
from notifications.services import notification_queue
from students.models import Consent, Student, SupportStatus
from students.services import student_set_support_status
from students.timeline import timeline_add

from .models import (
    HANDLER_ROLES,
    MELDCODE_ROLES,
    Concern,
    ConcernAction,
    ConcernCategory,
    ConcernStatus,
    HandlerKind,
    MeldcodeDecision,
    MeldcodeStep,
    MeldcodeStepNumber,
    Urgency,
)


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
    return settings.SITE_URL + reverse("concerns:concern_detail", args=[concern.pk])


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
    template = "concerns/email/concern_routed"
    if event == "feedback":
        recipients, template = [concern.raised_by], "concerns/email/concern_feedback"
    else:
        recipients = concern_recipients(concern)
        if not recipients:
            event, template = "unreachable", "concerns/email/concern_unreachable"
            recipients = _role_holders(concern.school_id, Role.ZORGCOORDINATOR)
    queued = 0
    for user in recipients:
        if user.pk == actor_id:
            continue  # nobody needs an e-mail about what they just did themselves
        message = notification_queue(
            key=f"concern:{concern.pk}:{event}:{user.pk}",
            recipient=user,
            kind=f"concerns.concern_{event}",
            template=template,
            context={"school": concern.school, "link": _link(concern)},
            school=concern.school,
        )
        queued += message is not None
    return queued
