"""The versions of what forms the care record ("Geschiedenis"), from django-simple-history.

Every model that forms the record has `history = HistoricalRecords()` in its own app
(minutes and agenda items, agreements, placements with goals and evaluations, concerns and
Meldcode steps, notes, documents, consents, guardians and pupils). This module turns an
object's historical rows into versions a person can read: who, when, and per changed
field the old value beside the new one. Whether the reader may see them is the object's
own reading rule (carecoord/access/records.py, "record.view_history").
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The word in the URL -> the model. Only these have a "Geschiedenis" page.
HISTORY_KINDS = {
    "leerling": "students.Student",
    "ouder": "students.Guardian",
    "toestemming": "students.Consent",
    "zorgmelding": "concerns.Concern",
    "meldcodestap": "concerns.MeldcodeStep",
    "plaatsing": "referrals.Placement",
    "doel": "referrals.PlacementGoal",
    "evaluatie": "referrals.PlacementEvaluation",
    "agendapunt": "meetings.AgendaItem",
    "afspraak": "meetings.Agreement",
    "notitie": "records.Note",
    "document": "records.Document",
    "opp-versie": "plans.PlanVersion",
    "aanvraag-swv": "plans.SupportRequest",
    "doorverwijzing": "plans.ExternalReferral",
}
# Bookkeeping that says nothing to a reader.
HIDDEN_FIELDS = {"id", "position", "sequence", "uid", "import_position", "scheduled_at"}

CHANGE_LABELS = {"+": gettext_lazy("aangemaakt"), "~": gettext_lazy("gewijzigd"), "-": gettext_lazy("verwijderd")}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Version:
    number: int
    at: datetime
    by: str
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def history_model(kind: str):
    label = HISTORY_KINDS.get(kind)
    return apps.get_model(label) if label else None


def kind_of(obj) -> str:
    label = obj._meta.label
    return next(kind for kind, model in HISTORY_KINDS.items() if model == label)


def student_of(obj):
    """The pupil an object of the record is about (None for an agreement without one)."""
    label = obj._meta.label_lower
    if label == "students.student":
        return obj
    if label in {"referrals.placementgoal", "referrals.placementevaluation"}:
        return obj.placement.student
    if label == "concerns.meldcodestep":
        return obj.concern.student
    if label == "plans.planversion":
        return obj.plan.student
    return getattr(obj, "student", None)


def _fields(model):
    history_fields = {f.name for f in model.history.model._meta.fields}
    return [
        f
        for f in model._meta.concrete_fields
        if f.name in history_fields and f.name not in HIDDEN_FIELDS and not f.name.endswith("_ptr")
    ]


def _related_names(rows, fields) -> dict:
    """{(model, pk): str} for every foreign key value in `rows`: one query per related model."""
    wanted: dict = {}
    for f in fields:
        if f.is_relation:
            ids = {getattr(row, f.attname) for row in rows} - {None}
            if ids:
                wanted.setdefault(f.related_model, set()).update(ids)
    names = {}
    for model, ids in wanted.items():
        for obj in model._base_manager.filter(pk__in=ids):
            names[(model, obj.pk)] = getattr(obj, "name", None) or str(obj)
    return names


def shown_value(f, value, names) -> str:
    """A stored value as a person reads it (a name for a relation, the label of a choice,
    dd-mm-jjjj); also used by the inzage export (privacy/collect.py)."""
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def versions(obj) -> list[Version]:
    """The versions of `obj`, newest first. A fixed number of queries: the history rows
    (with their authors) and one per kind of related object named in them."""
    model = type(obj)
    rows = list(obj.history.all().select_related("history_user").order_by("history_date", "history_id"))
    fields = _fields(model)
    names = _related_names(rows, fields)
    shown = []
    previous = None
    for number, row in enumerate(rows, start=1):
        changes = []
        for f in fields:
            new = getattr(row, f.attname)
            old = getattr(previous, f.attname) if previous is not None else None
            if previous is None and new in (None, ""):
                continue
            if previous is not None and old == new:
                continue
            changes.append(
                FieldChange(
                    label=str(f.verbose_name),
                    old=shown_value(f, old, names) if previous is not None else "",
                    new=shown_value(f, new, names),
                )
            )
        shown.append(
            Version(
                number=number,
                at=row.history_date,
                by=row.history_user.name if row.history_user_id else _("het systeem"),
                kind=str(CHANGE_LABELS.get(row.history_type, row.history_type)),
                reason=row.history_change_reason or "",
                changes=changes,
            )
        )
        previous = row
    return list(reversed(shown))


def is_model_with_history(obj) -> bool:
    return isinstance(obj, models.Model) and obj._meta.label in HISTORY_KINDS.values()
