"""Parts of the pupil file this app adds (see students/panels.py)."""

from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.sections import Section
from students.panels import Panel, register_panel

from . import selectors
from .models import Referral

# --- Zorgroute ---------------------------------------------------------------------------


@register_panel
def concern_panel(request, student, sections):
    """The pupil's concerns (Zorg section: the coordinator). One query."""
    if Section.ZORG not in sections:
        return None
    concerns = selectors.concerns_of_student(student=student, meldcode=False)
    return Panel(_("Zorgmeldingen"), "referrals/_concern_panel.html", Section.ZORG, {"concerns": concerns}, order=20)


@register_panel
def meldcode_panel(request, student, sections):
    """Meldcode cases: only for the coordinator and the aandachtsfunctionaris. One query."""
    if Section.MELDCODE not in sections:
        return None
    concerns = selectors.concerns_of_student(student=student, meldcode=True)
    if not concerns:
        return None
    return Panel(_("Meldcode"), "referrals/_concern_panel.html", Section.MELDCODE, {"concerns": concerns}, order=15)


# --- Aanmeldingen en voorzieningen ---------------------------------------------------------


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
