"""Referrals to external partners (doorverwijzingen): send (with consent for that
organisation, checked here), accept, decline (back to the coordinator), end with a summary."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from carecoord.access import people_with_role
from notifications.services import notification_queue
from students.timeline import timeline_add

from ..models import EXTERNAL_KINDS, ExternalReferral, ExternalState
from .consent import sharing_consent


def _notify(referral, recipients, what):
    from django.conf import settings
    from django.urls import reverse

    link = settings.SITE_URL + reverse("plans:referral", args=[referral.pk])
    for user in recipients:
        notification_queue(
            key=f"plans:{what}:{referral.pk}:{user.pk}",
            recipient=user,
            kind=f"plans.{what}",
            template=f"plans/email/{what}",
            context={"referral": referral, "link": link, "school": referral.school},
            school=referral.school,
        )


def _locked(referral, *states):
    locked = (
        ExternalReferral.objects.select_for_update()
        .select_related("school", "student", "organisation")
        .get(pk=referral.pk)
    )
    if locked.state not in states:
        raise ValidationError(
            _("Deze doorverwijzing is al %(state)s; dat kan niet meer.") % {"state": locked.get_state_display()}
        )
    return locked


def external_referral_send(
    *, student, actor, organisation, question: str, contact_person: str = ""
) -> ExternalReferral:
    """Refer the pupil to an external partner. Needs active consent for that organisation."""
    errors = {}
    if organisation is None or organisation.kind not in EXTERNAL_KINDS:
        errors["organisation"] = _(
            "Een doorverwijzing gaat naar het jeugdteam, SMW, jeugdhulp of de JGZ; een aanvraag bij het "
            "samenwerkingsverband dient u in via het OPP."
        )
    elif not organisation.schools.filter(pk=student.school_id).exists():
        errors["organisation"] = _("Deze partner werkt niet met deze school.")
    if not question.strip():
        errors["question"] = _("Schrijf de hulpvraag.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = sharing_consent(
            student=student,
            organisation=organisation,
            refused=_(
                "Er is geen geldige toestemming om gegevens met %(org)s te delen. Leg die eerst vast bij Toestemmingen."
            ),
        )
        referral = ExternalReferral(
            school_id=student.school_id,
            student=student,
            organisation=organisation,
            question=question,
            contact_person=contact_person,
            consent=consent,
            sent_by=actor,
        )
        referral._history_user = actor
        referral.save()
        timeline_add(
            student=student,
            kind="plans.external_sent",
            actor=actor,
            referral_id=referral.pk,
            organisation=organisation.name,
        )
        from accounts.models import User

        _notify(referral, User.objects.filter(organisation=organisation, is_active=True), "external_sent")
    return referral


def external_referral_accept(*, referral, actor, help_started_on: date | None = None) -> ExternalReferral:
    with transaction.atomic():
        locked = _locked(referral, ExternalState.SENT)
        locked.state = ExternalState.ACCEPTED
        locked.answered_by, locked.answered_at = actor, timezone.now()
        locked.help_started_on = help_started_on
        locked._history_user = actor
        locked.save()
        timeline_add(
            student=locked.student,
            kind="plans.external_accepted",
            actor=actor,
            referral_id=locked.pk,
            organisation=locked.organisation.name,
        )
    return locked


def external_referral_decline(*, referral, actor, reason: str) -> ExternalReferral:
    """The partner declines: the referral returns to the coordinator's tasks."""
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van het afwijzen.")})
    with transaction.atomic():
        locked = _locked(referral, ExternalState.SENT)
        locked.state = ExternalState.DECLINED
        locked.answered_by, locked.answered_at = actor, timezone.now()
        locked.decline_reason = reason
        locked._history_user = actor
        locked.save()
        timeline_add(
            student=locked.student,
            kind="plans.external_declined",
            actor=actor,
            referral_id=locked.pk,
            organisation=locked.organisation.name,
        )
        _notify(locked, people_with_role(locked.school_id, Role.ZORGCOORDINATOR), "external_declined")
    return locked


def external_referral_end(
    *, referral, actor, help_ended_on: date, summary: str, help_started_on: date | None = None
) -> ExternalReferral:
    """The partner ends their help: start (if not yet recorded), end and a short summary."""
    errors = {}
    if not summary.strip():
        errors["summary"] = _("Schrijf een korte samenvatting.")
    start = help_started_on or referral.help_started_on
    if help_ended_on is None:
        errors["help_ended_on"] = _("Vul de einddatum van de hulp in.")
    elif start and help_ended_on < start:
        errors["help_ended_on"] = _("De einddatum ligt vóór de start van de hulp.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(referral, ExternalState.ACCEPTED)
        locked.state = ExternalState.ENDED
        locked.help_started_on = start
        locked.help_ended_on, locked.summary = help_ended_on, summary
        locked._history_user = actor
        locked.save()
        timeline_add(
            student=locked.student,
            kind="plans.external_ended",
            actor=actor,
            referral_id=locked.pk,
            organisation=locked.organisation.name,
        )
    return locked


def external_referral_decline_seen(*, referral) -> None:
    """The coordinator opened the declined referral: its task is done."""
    ExternalReferral.objects.filter(pk=referral.pk, state=ExternalState.DECLINED, decline_seen_at__isnull=True).update(
        decline_seen_at=timezone.now()
    )
