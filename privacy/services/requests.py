"""AVG requests of parents and pupils (inzage, correction, removal, objection), recorded
with their handling. The request and each change to it are versions (simple_history)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from students.timeline import timeline_add

from ..models import RightsRequest, RightsRequestKind, RightsRequestStatus


def rights_request_add(
    *, student, actor, kind: str, received_on: date, requested_by: str, description: str
) -> RightsRequest:
    """Record a request. The school must answer within a month of `received_on` (AVG art. 12(3))."""
    errors = {}
    if kind not in RightsRequestKind.values:
        errors["kind"] = _("Kies wat er wordt gevraagd.")
    if received_on is None or received_on > timezone.localdate():
        errors["received_on"] = _("Een verzoek kan niet in de toekomst ontvangen zijn.")
    if not (requested_by or "").strip():
        errors["requested_by"] = _("Schrijf op wie het verzoek doet.")
    if not (description or "").strip():
        errors["description"] = _("Schrijf op wat er wordt gevraagd.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = RightsRequest(
            school_id=student.school_id,
            student=student,
            kind=kind,
            received_on=received_on,
            requested_by=requested_by.strip(),
            description=description.strip(),
            recorded_by=actor,
        )
        request._history_user = actor
        request.save()
        timeline_add(student=student, kind="privacy.request", actor=actor, request_kind=kind)
    return request


def rights_request_handle(*, request: RightsRequest, actor, status: str, handling: str) -> RightsRequest:
    """Record how a request was handled: what was done (or why not), by whom, when."""
    errors = {}
    if status not in RightsRequestStatus.values or status == RightsRequestStatus.OPEN:
        errors["status"] = _("Kies hoe het verzoek is afgehandeld.")
    if not (handling or "").strip():
        errors["handling"] = _("Schrijf op wat er met het verzoek is gedaan (of waarom niet).")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = RightsRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != RightsRequestStatus.OPEN:
            raise ValidationError(_("Dit verzoek is al afgehandeld."))
        request.status, request.handling = status, handling.strip()
        request.handled_on, request.handled_by = timezone.localdate(), actor
        request._history_user = actor
        request.save()
        timeline_add(
            student=request.student,
            kind="privacy.request_handled",
            actor=actor,
            request_kind=request.kind,
            status=status,
        )
    return request
