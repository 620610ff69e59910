"""What a document can be attached to besides the pupil file: a note, concern, referral,
placement, evaluation or agenda item of the same pupil.

The document keeps (kind, id) of its object; this module knows per kind the model, the
section a document there belongs to by default, and the page to link to. Whether the
uploader may see the object is an access rule (carecoord/access/records.py).
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carecoord.access.sections import Section

from .models import AttachTarget


@dataclass(frozen=True)
class Target:
    model: str  # "app_label.ModelName"
    label: object
    default_section: object  # callable(obj) -> section
    url: object  # callable(obj) -> str


TARGETS = {
    AttachTarget.NOTE: Target("records.Note", _("notitie"), lambda o: o.section, lambda o: o.get_absolute_url()),
    AttachTarget.CONCERN: Target(
        "concerns.Concern",
        _("zorgmelding"),
        lambda o: Section.MELDCODE if o.is_meldcode else Section.ZORG,
        lambda o: o.get_absolute_url(),
    ),
    AttachTarget.REFERRAL: Target(
        "referrals.Referral",
        _("aanmelding"),
        lambda o: Section.AANMELDING,
        lambda o: reverse("referrals:referral_detail", args=[o.pk]),
    ),
    AttachTarget.PLACEMENT: Target(
        "referrals.Placement", _("plaatsing"), lambda o: Section.TRAJECT, lambda o: o.get_absolute_url()
    ),
    AttachTarget.EVALUATION: Target(
        "referrals.PlacementEvaluation",
        _("evaluatie"),
        lambda o: Section.TRAJECT,
        lambda o: reverse("referrals:placement_detail", args=[o.placement_id]),
    ),
    AttachTarget.AGENDA_ITEM: Target(
        "meetings.AgendaItem", _("agendapunt"), lambda o: Section.OVERLEG, lambda o: o.meeting.get_absolute_url()
    ),
    # The signed form of a consent (records/consent_forms.py).
    AttachTarget.CONSENT: Target(
        "students.Consent", _("toestemming"), lambda o: Section.TOESTEMMING, lambda o: o.student.get_absolute_url()
    ),
}
_BY_MODEL = {target.model.lower(): key for key, target in TARGETS.items()}


def target_key(obj) -> tuple[str, int | None]:
    """(target_type, target_id) of an object, ("", None) for the pupil file itself."""
    if obj is None:
        return "", None
    return str(_BY_MODEL[obj._meta.label_lower]), obj.pk


def target_object(target_type: str, target_id):
    """The object a document is (to be) attached to, or None when there is no such object."""
    target = TARGETS.get(target_type)
    if target is None:
        return None
    model = apps.get_model(target.model)
    related = {
        "concerns.concern": ("student",),
        "referrals.referral": ("student",),
        "referrals.placement": ("student", "facility"),
        "referrals.placementevaluation": ("placement__student",),
        "meetings.agendaitem": ("student", "meeting"),
        "records.note": ("student",),
        "students.consent": ("student",),
    }[model._meta.label_lower]
    try:
        return model.objects.select_related(*related).filter(pk=int(target_id)).first()
    except (TypeError, ValueError):
        return None


def target_student(obj):
    return obj.placement.student if obj._meta.label_lower == "referrals.placementevaluation" else obj.student


def target_section(obj) -> str:
    target_type, _id = target_key(obj)
    return str(TARGETS[target_type].default_section(obj)) if obj is not None else str(Section.ADMINISTRATIE)


def target_label(obj) -> str:
    target_type, _id = target_key(obj)
    return f"{TARGETS[target_type].label} {obj}"


def target_url(obj) -> str:
    target_type, _id = target_key(obj)
    return TARGETS[target_type].url(obj)
