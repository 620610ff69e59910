"""The pupil file's panels of the handover app: "Overdracht" on a pupil who left (the
sending zorgcoördinator's buttons and the receipt) and "Overgedragen dossier" on a pupil
who arrived with a handover (read-only, the parts of the sections the reader may see)."""

from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.sections import Section
from students.panels import Panel, register_panel

from . import selectors
from .models import Handover


@register_panel
def handover_panel(request, student, sections):
    can_start = access.can(request.user, "student.handover_start", student)
    can_summary = access.can(request.user, "student.care_summary_export", student)
    if not (can_start or can_summary):
        return None
    handover = Handover.objects.filter(student=student).select_related("to_school", "accepted_by").first()
    return Panel(
        title=_("Overdracht naar een andere school"),
        template="handovers/_handover_panel.html",
        section=Section.ZORG,
        context={
            "handover": handover,
            "can_start": can_start and student.left_on is not None,
            "can_summary": can_summary,
        },
        order=90,
    )


@register_panel
def received_panel(request, student, sections):
    part = selectors.received_part(user=request.user, student=student)
    if part is None:
        return None
    handover, summary, items = part
    return Panel(
        title=_("Overgedragen dossier"),
        template="handovers/_received_panel.html",
        section=Section.ADMINISTRATIE,
        context={"handover": handover, "summary": summary, "items": items},
        order=6,
    )
