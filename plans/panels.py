"""The pupil file's "OPP" panel: the state of the groeidocument and a link to it, for those
who may read it (coordinator, mentor, coach of a placed pupil). Two queries at most, none
for a pupil without one (students/presence.py)."""

from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.sections import Section
from students.panels import Panel, register_panel
from students.presence import holds, track

from . import selectors
from .models import Plan

track(Plan)


@register_panel
def plan_panel(request, student, sections):
    if not access.can(request.user, "plan.read", student):
        return None
    return Panel(
        title=_("Groeidocument / OPP"),
        template="plans/_file_panel.html",
        section=Section.ADMINISTRATIE,
        context={"state": selectors.plan_state(student=student) if holds(student, Plan) else selectors.no_plan()},
        order=8,
    )
