"""The steps of the Meldcode huiselijk geweld en kindermishandeling."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Concern, MeldcodeDecision, MeldcodeStep, MeldcodeStepNumber
from .common import _event, _first_action, _locked, _text


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
