"""Triage of a concern: its handler, category, actions and closing with feedback."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carecoord.access import concerns as concern_access
from todo.services import task_assigned_notify

from ..models import Concern, ConcernAction, ConcernCategory, ConcernStatus, MeldcodeStepNumber
from .categories import concern_route
from .common import _event, _first_action, _locked, _text
from .notify import concern_notify


def concern_assign(*, concern: Concern, actor, handler=None, handler_role: str = "", handler_organisation=None) -> bool:
    """Give the concern one handler: a person, a role at the school, or a partner. The new
    handler gets an e-mail after commit. Returns False when nothing changed."""
    if sum(bool(x) for x in (handler, handler_role, handler_organisation)) != 1:
        raise ValidationError({"handler": _("Kies één behandelaar.")})
    with transaction.atomic():
        concern = _locked(concern)
        meldcode = concern.is_meldcode
        if handler is not None and not concern_access.may_handle(handler, concern.school_id, meldcode=meldcode):
            raise ValidationError(
                {
                    "handler": _("Een Meldcode-casus behandelt de zorgcoördinator of de aandachtsfunctionaris.")
                    if meldcode
                    else _("Deze persoon heeft geen rol op deze school.")
                }
            )
        if handler_role and handler_role not in concern_access.handler_roles(meldcode=meldcode):
            raise ValidationError(
                {
                    "handler": _("Een Meldcode-casus behandelt de zorgcoördinator of de aandachtsfunctionaris.")
                    if meldcode
                    else _("Kies één behandelaar.")
                }
            )
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
        if owner is not None and not concern_access.may_handle(owner, concern.school_id, meldcode=False):
            raise ValidationError({"owner": _("Deze persoon heeft geen rol op deze school.")})
        action = ConcernAction.objects.create(
            concern=concern, description=description, due_on=due_on, owner=owner, created_by=actor
        )
        changed = _first_action(concern, actor)
        if changed:
            concern.save(update_fields=changed)
        _event(concern, "action_added", actor, description=description, due_on=due_on)
        if owner is not None:
            # Assigning means telling: one mail, no pupil data, a link to "Mijn taken".
            task_assigned_notify(
                key=f"zorgactie-{action.pk}",
                recipient=owner,
                actor=actor,
                school=concern.school,
                url=reverse("todo:list"),
            )
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


def concern_close(*, concern: Concern, feedback: str, actor, close_open_actions: bool = False) -> Concern:
    """Close the concern with feedback (terugkoppeling) to whoever raised it; they get an
    e-mail with a link. A Meldcode case closes only after step 5 (the decision).

    A concern with open actions is never closed silently: the closer must say so
    (`close_open_actions`), and the open actions are then closed with the feedback as reason."""
    feedback = _text(feedback, "feedback", max_length=2000)
    with transaction.atomic():
        concern = _locked(concern)
        if concern.is_meldcode and not concern.meldcode_steps.filter(step=MeldcodeStepNumber.DECISION).exists():
            raise ValidationError(_("Een Meldcode-casus kan pas worden afgerond als stap 5 (beslissen) is vastgelegd."))
        now = timezone.now()
        open_actions = ConcernAction.objects.select_for_update().filter(concern=concern, done_at__isnull=True)
        count = open_actions.count()
        if count and not close_open_actions:
            raise ValidationError(
                {
                    "close_open_actions": ngettext(
                        "Er staat nog %(n)s actie open. Vink aan dat je die met de melding sluit, of rond hem eerst af.",
                        "Er staan nog %(n)s acties open. Vink aan dat je die met de melding sluit, of rond ze eerst af.",
                        count,
                    )
                    % {"n": count}
                }
            )
        if count:
            open_actions.update(done_at=now, done_by=actor, closed_reason=feedback)
        changed = _first_action(concern, actor, now)
        concern.status = ConcernStatus.CLOSED
        concern.closed_at, concern.closed_by, concern.feedback = now, actor, feedback
        concern.save(update_fields=[*changed, "status", "closed_at", "closed_by", "feedback"])
        _event(concern, "closed", actor, raised_by=concern.raised_by.name)
        concern_notify(concern_id=concern.pk, event="feedback", actor_id=actor.pk)
    return concern
