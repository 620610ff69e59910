"""Parts of other apps' pages this app adds: the pupil file's placement panel (see
students/panels.py) and, on a concern's page, the referrals made for it (concerns/parts.py)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.sections import Section
from carecoord.addresses import row_address
from concerns.parts import ConcernPart, register_concern_part
from students.panels import Panel, register_panel
from students.presence import holds, track

from . import selectors
from .models import Placement, Referral, ReferralState, Visit, VisitReason

VISITS_ON_FILE = 8

for _model in (Placement, Referral, Visit):
    track(_model)


@dataclass(frozen=True)
class OpenReferralRow:
    url: str
    facility: str
    state_label: str
    created_at: datetime


@dataclass(frozen=True)
class VisitRow:
    checked_in_at: datetime
    checked_out_at: datetime | None
    facility: str
    planned: bool
    reason_label: str
    note: str


def _open_referrals(user, student) -> list[OpenReferralRow]:
    """The pupil's open referrals as the panel lists them (one query, values only)."""
    detail_url = row_address("referrals:referral_detail")
    states = dict(ReferralState.choices)
    rows = (
        Referral.objects.visible_to(user)
        .open()
        .filter(student=student)
        .order_by("-created_at", "-pk")  # as Referral.Meta
        .values_list("pk", "facility__name", "state", "created_at")
    )
    return [
        OpenReferralRow(detail_url(pk), facility, str(states.get(state, state)), at) for pk, facility, state, at in rows
    ]


def _recent_visits(user, student) -> list[VisitRow]:
    """As referrals.selectors.recent_visits, for the few fields the panel shows (one query)."""
    reasons = dict(VisitReason.choices)
    rows = (
        Visit.objects.visible_to(user)
        .filter(student=student)
        .order_by("-checked_in_at")
        .values_list("checked_in_at", "checked_out_at", "facility__name", "planned", "reason", "note")[:VISITS_ON_FILE]
    )
    return [
        VisitRow(checked_in, checked_out, facility, planned, str(reasons.get(reason, reason)), note)
        for checked_in, checked_out, facility, planned, reason, note in rows
    ]


@register_panel
def placement_panel(request, student, sections):
    """Placements (plan, goals, next evaluations) and the latest visits; for the
    zorgcoördinator also the open referrals. At most five queries, none for what the pupil
    has none of (students/presence.py)."""
    if Section.TRAJECT not in sections:
        return None
    placements = selectors.student_placements(user=request.user, student=student) if holds(student, Placement) else []
    can_refer = access.can(request.user, "school.manage_referrals", student.school)
    referrals = _open_referrals(request.user, student) if can_refer and holds(student, Referral) else []
    if not (placements or referrals or can_refer):
        return None
    return Panel(
        title=_("Aanmeldingen en plaatsingen") if can_refer else _("Plaatsing en bezoeken"),
        template="referrals/_placement_panel.html",
        section=Section.TRAJECT,
        order=30,
        context={
            "placements": placements,
            "referrals": referrals,
            "visits": _recent_visits(request.user, student) if holds(student, Visit) else [],
            "can_refer": can_refer,
        },
    )


@register_concern_part
def concern_referrals(request, concern):
    """On a concern's page: the referrals made for it, and "Aanmelden" for the coordinator.
    The concern's handlers who triage see the links; a closed concern shows none. One query."""
    if concern.is_closed or not access.can(request.user, "concern.triage", concern):
        return None
    can_refer = access.can(request.user, "school.manage_referrals", concern.school)
    referrals = list(Referral.objects.filter(concerns=concern).select_related("facility"))
    if not (referrals or can_refer):
        return None
    return ConcernPart("referrals/_concern_referrals.html", {"referrals": referrals, "can_refer": can_refer})
