"""Parts of other apps' pages this app adds: the pupil file's placement panel (see
students/panels.py) and, on a concern's page, the referrals made for it (concerns/parts.py)."""

from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.sections import Section
from concerns.parts import ConcernPart, register_concern_part
from students.panels import Panel, register_panel

from . import selectors
from .models import Referral


@register_panel
def placement_panel(request, student, sections):
    """Placements (plan, goals, next evaluations) and the latest visits; for the
    zorgcoördinator also the open referrals. At most five queries."""
    if Section.TRAJECT not in sections:
        return None
    placements = selectors.student_placements(user=request.user, student=student)
    can_refer = access.can(request.user, "school.manage_referrals", student.school)
    referrals = []
    if can_refer:
        referrals = list(Referral.objects.visible_to(request.user).filter(student=student).select_related("facility"))
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
            "visits": selectors.recent_visits(user=request.user, student=student, limit=8),
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
