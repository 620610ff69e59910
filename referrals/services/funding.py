"""Group arrangements: the funding agreement of a group (who pays, the period, the
contracted hours or budget, the worker) and the worker's log of contacts outside the room."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import change_record, stored_values, values_of

from ..models import FacilityKind, GroupContact, GroupFunding

FUNDING_FIELDS = ("funder", "funder_name", "starts_on", "ends_on", "hours_per_week", "budget", "worker")


def _check_funding(fields) -> None:
    errors = {}
    starts_on, ends_on = fields.get("starts_on"), fields.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("Het contract eindigt vóór het begint. Kies een einddatum op of na de begindatum.")
    hours, budget = fields.get("hours_per_week"), fields.get("budget")
    if hours is not None and hours < 0:
        errors["hours_per_week"] = _("Het aantal uren per week kan niet negatief zijn.")
    if budget is not None and budget < 0:
        errors["budget"] = _("Het budget kan niet negatief zijn.")
    if hours is None and budget is None:
        errors["hours_per_week"] = _("Vul de gecontracteerde uren per week of het budget in (of beide).")
    if errors:
        raise ValidationError(errors)


def funding_save(*, facility, actor, instance: GroupFunding | None = None, **fields) -> GroupFunding:
    """Record or change the funding of a group facility (seed 003: a group is funded, not a
    pupil). Who changed what is kept in the change log."""
    if facility.kind != FacilityKind.GROUP:
        raise ValidationError(_("Alleen een groepsarrangement heeft een financiering per groep."))
    _check_funding(fields)
    with transaction.atomic():
        funding = instance or GroupFunding(facility=facility)
        before = stored_values(funding, FUNDING_FIELDS)
        for name, value in fields.items():
            setattr(funding, name, value)
        funding.full_clean()
        funding.save()
        change_record(
            school=facility.school,
            actor=actor,
            kind="referrals.funding_saved",
            obj=funding,
            before=before,
            after=values_of(funding, FUNDING_FIELDS),
        )
    return funding


def group_contact_log(*, facility, actor, on: date, minutes: int, kind: str, note: str = "") -> GroupContact:
    """Log time the group's worker spent with families, parents or the teacher: it counts
    as delivered hours in the funding report."""
    errors = {}
    if on > timezone.localdate():
        errors["on"] = _("Deze datum ligt in de toekomst.")
    if minutes < 1 or minutes > 12 * 60:
        errors["minutes"] = _("Vul de duur in minuten in: van 1 tot 720.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return GroupContact.objects.create(
            facility=facility, worker=actor, on=on, minutes=minutes, kind=kind, note=note.strip()
        )
