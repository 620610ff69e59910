"""The pupil file's "OPP" panel: the state of the groeidocument and a link to it, for those
who may read it (coordinator, mentor, coach of a placed pupil). Two queries at most."""

from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.sections import Section
from students.panels import Panel, register_panel

from . import selectors


@register_panel
def plan_panel(request, student, sections):
    if not access.can(request.user, "plan.read", student):
        return None
    return Panel(
        title=_("Groeidocument / OPP"),
        template="plans/_file_panel.html",
        section=Section.ADMINISTRATIE,
        context={"state": selectors.plan_state(student=student)},
        order=8,
    )
