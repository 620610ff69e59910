"""The pupil file's panel "Overleggen en afspraken" (section OVERLEG): where the pupil is on
the agenda next and the agreements about them that are still open. Two queries."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord.access.sections import Section
from students.panels import Panel, register_panel

from .models import AgendaItem, Agreement, MeetingStatus


@register_panel
def meetings_panel(request, student, sections):
    if Section.OVERLEG not in sections:
        return None
    upcoming = list(
        AgendaItem.objects.visible_to(request.user)
        .filter(student=student, meeting__status=MeetingStatus.PLANNED, meeting__ends_at__gte=timezone.now())
        .select_related("meeting")
        .order_by("meeting__starts_at")[:5]
    )
    agreements = list(
        Agreement.objects.visible_to(request.user)
        .open()
        .filter(student=student)
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")[:20]
    )
    if not upcoming and not agreements:
        return None
    return Panel(
        title=_("Overleggen en afspraken"),
        template="meetings/_student_panel.html",
        section=Section.OVERLEG,
        context={"upcoming": upcoming, "agreements": agreements, "today": timezone.localdate()},
        order=60,
    )
