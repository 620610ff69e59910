"""Requests to the samenwerkingsverband: send (with the parents' consent, checked here),
the thread of questions and answers, a consultation, the decision, withdrawal, and the
six-week flag (swept by Celery beat)."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind, Role, User
from carecoord.access import people_with_role
from notifications.services import notification_queue
from students.timeline import timeline_add

from ..models import REQUEST_OPEN_FLAG, Plan, RequestKind, RequestMessage, RequestState, SupportRequest
from ..sharing import document_source
from .consent import sharing_consent


def _link(request: SupportRequest) -> str:
    return settings.SITE_URL + reverse("plans:request", args=[request.pk])


def _swv_users(organisation_id):
    return User.objects.filter(organisation_id=organisation_id, is_active=True).order_by("pk")


def _notify(request: SupportRequest, recipients, what: str) -> None:
    # E-mails carry no pupil names: only what happened and a link that needs a login.
    for user in recipients:
        notification_queue(
            key=f"plans:{what}:{request.pk}:{user.pk}",
            recipient=user,
            kind=f"plans.{what}",
            template=f"plans/email/{what}",
            context={"request": request, "link": _link(request), "school": request.school},
            school=request.school,
        )


def _locked_open(request: SupportRequest) -> SupportRequest:
    locked = SupportRequest.objects.select_for_update().select_related("school", "student").get(pk=request.pk)
    if not locked.is_open:
        raise ValidationError(
            _("Deze aanvraag is al %(state)s; er kan niets meer aan worden veranderd.")
            % {"state": locked.get_state_display()}
        )
    return locked


def request_send(
    *, student, actor, organisation, kind: str, question: str, tlv_category: str = "", documents=()
) -> SupportRequest:
    """Send an aanvraag to the SWV with a frozen copy of the pupil's current groeidocument and
    the chosen documents of the file (only those the sender may read). Requires active
    consent of the parents (or the pupil from 16) for sharing with that SWV."""
    errors = {}
    if organisation is None or organisation.kind != OrganisationKind.SWV:
        errors["organisation"] = _("Een aanvraag kan alleen naar een samenwerkingsverband.")
    elif not organisation.schools.filter(pk=student.school_id).exists():
        errors["organisation"] = _("Dit samenwerkingsverband werkt niet met deze school.")
    if kind not in RequestKind.values:
        errors["kind"] = _("Kies de soort aanvraag.")
    if kind == RequestKind.TLV and not tlv_category:
        errors["tlv_category"] = _("Kies de gevraagde categorie voor de TLV.")
    if not question.strip():
        errors["question"] = _("Schrijf de vraag aan het samenwerkingsverband.")
    if errors:
        raise ValidationError(errors)
    sent_documents = []
    if documents:
        source = document_source()
        if source is None:
            raise ValidationError({"documents": _("Documenten meesturen kan hier niet.")})
        sent_documents = source.describe(actor, student, documents)
    with transaction.atomic():
        consent = sharing_consent(
            student=student,
            organisation=organisation,
            refused=_(
                "Er is geen geldige toestemming van ouders (of de leerling vanaf 16) om gegevens met "
                "%(org)s te delen. Leg die eerst vast bij Toestemmingen."
            ),
        )
        plan = Plan.objects.filter(student=student).first()
        version = plan.versions.order_by("-number").first() if plan else None
        if version is None:
            raise ValidationError(
                _("Maak eerst het groeidocument (OPP) van deze leerling; het gaat mee met de aanvraag.")
            )
        request = SupportRequest(
            school_id=student.school_id,
            student=student,
            organisation=organisation,
            kind=kind,
            tlv_category=tlv_category if kind == RequestKind.TLV else "",
            question=question,
            plan_version=version,
            groeidocument={**version.content(), "number": version.number, "state": version.state},
            documents=sent_documents,
            consent=consent,
            sent_by=actor,
        )
        request._history_user = actor
        request.save()
        timeline_add(
            student=student,
            kind="plans.request_sent",
            actor=actor,
            request_id=request.pk,
            request_kind=request.get_kind_display(),
            organisation=organisation.name,
        )
        _notify(request, _swv_users(organisation.pk), "request_sent")
    return request


def request_message_add(*, request: SupportRequest, actor, text: str, from_swv: bool) -> RequestMessage:
    """A question of the SWV (the request waits for the school) or the coordinator's answer."""
    if not text.strip():
        raise ValidationError({"text": _("Schrijf een bericht.")})
    with transaction.atomic():
        locked = _locked_open(request)
        message = RequestMessage.objects.create(request=locked, author=actor, from_swv=from_swv, text=text)
        locked.state = RequestState.QUESTION if from_swv else RequestState.SENT
        locked._history_user = actor
        locked.save()
        if from_swv:
            recipients = people_with_role(locked.school_id, Role.ZORGCOORDINATOR)
            what = "request_question"
        else:
            recipients = _swv_users(locked.organisation_id)
            what = "request_answer"
        for user in recipients:
            notification_queue(
                key=f"plans:{what}:{message.pk}:{user.pk}",
                recipient=user,
                kind=f"plans.{what}",
                template=f"plans/email/{what}",
                context={"request": locked, "link": _link(locked), "school": locked.school},
                school=locked.school,
            )
    return message


def request_meeting_plan(*, request: SupportRequest, actor, meeting_at, place: str) -> SupportRequest:
    """The SWV plans a consultation: an overleg (meetings app) of an hour with the SWV user
    and the school's coordinators, the pupil on its agenda; everyone gets an invitation
    (which names no pupil). Its time and place are kept on the request too."""
    from datetime import timedelta

    from meetings.models import MeetingKind
    from meetings.services import agenda_item_add, meeting_create

    if meeting_at is None:
        raise ValidationError({"meeting_at": _("Vul datum en tijd van het gesprek in.")})
    local = timezone.localtime(meeting_at)
    with transaction.atomic():
        locked = _locked_open(request)
        coordinators = list(people_with_role(locked.school_id, Role.ZORGCOORDINATOR))
        try:
            meeting = meeting_create(
                school=locked.school,
                actor=actor,
                kind=MeetingKind.OTHER,
                title=_("Consultatie samenwerkingsverband"),
                day=local.date(),
                start_time=local.time(),
                end_time=(local + timedelta(hours=1)).time(),
                location=place,
                participants=[actor, *coordinators],
            )
        except ValidationError as exc:
            messages = exc.messages
            raise ValidationError({"meeting_at": messages}) from exc
        agenda_item_add(meeting=meeting, student=locked.student, actor=actor, question=_("Consultatie"))
        locked.meeting_at, locked.meeting_place, locked.meeting = meeting_at, place, meeting
        locked._history_user = actor
        locked.save()
        timeline_add(student=locked.student, kind="plans.request_meeting", actor=actor, at=meeting_at, place=place)
        _notify(locked, coordinators, "request_meeting")
    return locked


def request_decide(
    *,
    request: SupportRequest,
    actor,
    outcome: str,
    reasons: str = "",
    hours: Decimal | None = None,
    budget: Decimal | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    granted_category: str = "",
) -> SupportRequest:
    """The SWV decides: granted (hours or budget, start, end; a TLV its category and end
    date) or refused (with reasons). The decision goes on the file's timeline and into the
    coordinator's tasks."""
    errors = {}
    if outcome not in (RequestState.GRANTED, RequestState.REFUSED):
        errors["outcome"] = _("Kies toekennen of afwijzen.")
    if outcome == RequestState.REFUSED and not reasons.strip():
        errors["reasons"] = _("Geef de reden van de afwijzing.")
    if outcome == RequestState.GRANTED:
        if starts_on is None:
            errors["starts_on"] = _("Vul de ingangsdatum in.")
        if starts_on and ends_on and ends_on < starts_on:
            errors["ends_on"] = _("De einddatum ligt vóór de ingangsdatum.")
        if request.kind == RequestKind.TLV:
            if not granted_category:
                errors["granted_category"] = _("Kies de toegekende categorie.")
            if ends_on is None:
                errors["ends_on"] = _("Een TLV heeft een einddatum.")
        elif request.kind == RequestKind.ARRANGEMENT and hours is None and budget is None:
            errors["hours"] = _("Vul de uren of het budget van het arrangement in.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_open(request)
        locked.state = outcome
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.reasons = reasons
        if outcome == RequestState.GRANTED:
            locked.hours, locked.budget, locked.starts_on, locked.ends_on = hours, budget, starts_on, ends_on
            locked.granted_category = granted_category if locked.kind == RequestKind.TLV else ""
        locked._history_user = actor
        locked.save()
        timeline_add(
            student=locked.student,
            kind="plans.request_decided",
            actor=actor,
            request_id=locked.pk,
            request_kind=locked.get_kind_display(),
            outcome=outcome,
            organisation=locked.organisation.name,
            starts_on=locked.starts_on,
            ends_on=locked.ends_on,
            hours=str(locked.hours) if locked.hours is not None else "",
            category=locked.get_granted_category_display() if locked.granted_category else "",
        )
        _notify(locked, people_with_role(locked.school_id, Role.ZORGCOORDINATOR), "request_decided")
    return locked


def request_withdraw(*, request: SupportRequest, actor, reason: str) -> SupportRequest:
    """The school withdraws its request (it can no longer be decided)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van het intrekken.")})
    with transaction.atomic():
        locked = _locked_open(request)
        locked.state = RequestState.WITHDRAWN
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.reasons = reason
        locked.decision_seen_at = locked.decided_at
        locked._history_user = actor
        locked.save()
        timeline_add(
            student=locked.student,
            kind="plans.request_withdrawn",
            actor=actor,
            request_id=locked.pk,
            request_kind=locked.get_kind_display(),
        )
        _notify(locked, _swv_users(locked.organisation_id), "request_withdrawn")
    return locked


def request_decision_seen(*, request: SupportRequest, actor) -> None:  # noqa: ARG001 (who saw it is in the read log)
    """The coordinator opened the decided request: its task is done."""
    SupportRequest.objects.filter(pk=request.pk, decision_seen_at__isnull=True, decided_at__isnull=False).update(
        decision_seen_at=timezone.now()
    )


def requests_flag_overdue(*, now=None) -> int:
    """Flag, once, every request open longer than six weeks: one e-mail to the school's
    coordinators and one to the SWV's users. Safe to run twice at the same time."""
    now = now or timezone.now()
    flagged = 0
    with transaction.atomic():
        due = list(
            SupportRequest.objects.select_for_update(skip_locked=True)
            .select_related("school")
            .filter(state__in=[RequestState.SENT, RequestState.QUESTION], flagged_at__isnull=True)
            .filter(sent_at__lte=now - REQUEST_OPEN_FLAG)
            .order_by("pk")[:500]
        )
        for request in due:
            request.flagged_at = now
            request.save(update_fields=["flagged_at"])
            recipients = [
                *people_with_role(request.school_id, Role.ZORGCOORDINATOR),
                *_swv_users(request.organisation_id),
            ]
            _notify(request, recipients, "request_overdue")
            flagged += 1
    return flagged
