"""What the zorgroute's services share: checked text, the timeline event of a concern, the
concern locked for a change, and the first triage step."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from students.models import SupportStatus
from students.services import student_set_support_status
from students.timeline import timeline_add

from ..models import Concern, ConcernStatus


def _closed_error():
    return ValidationError(_("Deze melding is afgerond en kan niet meer worden gewijzigd."))


def concern_event_kind(concern: Concern, name: str) -> str:
    """A Meldcode case writes its events in the Meldcode section, every other concern in Zorg."""
    return f"{'meldcode' if concern.is_meldcode else 'concerns'}.{name}"


def _event(concern: Concern, name: str, actor, **params) -> None:
    timeline_add(
        student=concern.student, kind=concern_event_kind(concern, name), actor=actor, concern_id=concern.pk, **params
    )


def _text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Vul dit veld in.")})
    if len(value) > max_length:
        raise ValidationError({field: _("Maximaal %(max)s tekens (nu %(n)s).") % {"max": max_length, "n": len(value)}})
    return value


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
