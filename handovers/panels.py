"""The pupil file's panels of the handover app: "Overdracht" on a pupil who left (the
sending zorgcoördinator's buttons and the receipt) and "Overgedragen dossier" on a pupil
who arrived with a handover (read-only, the parts of the sections the reader may see)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.sections import Section
from students.panels import Panel, register_panel
from students.presence import holds, track

from . import selectors
from .models import Handover

track(Handover, "student", "received_student")


@register_panel
def handover_panels(request, student, sections):
    """Both panels from one query: the pupil's handover as the pupil who left (`student`)
    and as the pupil who arrived (`received_student`); each is one-to-one."""
    can_start = access.can(request.user, "student.handover_start", student)
    can_summary = access.can(request.user, "student.care_summary_export", student)
    sent_too = can_start or can_summary
    sent = received = None
    # No queryset at all for a pupil without a handover (nearly every pupil): even an empty
    # one (`none()`) is built and compiled when iterated, about a millisecond of the file.
    if holds(student, Handover):
        which = Q(received_student=student) | Q(student=student) if sent_too else Q(received_student=student)
        for handover in Handover.objects.filter(which).select_related("to_school", "accepted_by", "from_school"):
            if handover.student_id == student.pk:
                sent = handover
            if handover.received_student_id == student.pk:
                received = handover
    panels = []
    if sent_too:
        panels.append(
            Panel(
                title=_("Overdracht naar een andere school"),
                template="handovers/_handover_panel.html",
                section=Section.ZORG,
                context={
                    "handover": sent,
                    "can_start": can_start and student.left_on is not None,
                    "can_summary": can_summary,
                },
                order=90,
            )
        )
    if received is not None:
        received.received_student = student  # the same pupil: its file sections are known
        part = selectors.handover_received_part(user=request.user, handover=received)
        if part is not None:
            handover, summary, items = part
            panels.append(
                Panel(
                    title=_("Overgedragen dossier"),
                    template="handovers/_received_panel.html",
                    section=Section.ADMINISTRATIE,
                    context={"handover": handover, "summary": summary, "items": items},
                    order=6,
                )
            )
    return panels
