"""The pupil file's panel "Overleggen en afspraken" (section OVERLEG): where the pupil is on
the agenda next and the agreements about them that are still open. Two queries at most (none
for a pupil never on an agenda nor in an agreement: students/presence.py), each for the few
fields shown (values, not model instances: the panel is on every file)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord.access.sections import Section
from carecoord.addresses import row_address
from students.panels import Panel, register_panel
from students.presence import holds, track

from .models import AgendaItem, Agreement, MeetingStatus

track(AgendaItem)
track(Agreement)


@dataclass(frozen=True)
class UpcomingRow:
    url: str
    title: str
    starts_at: datetime


@dataclass(frozen=True)
class AgreementRow:
    description: str
    owner: str
    due_on: date


@register_panel
def meetings_panel(request, student, sections):
    if Section.OVERLEG not in sections:
        return None
    meeting_url = row_address("meetings:detail")
    upcoming = agreements = []
    if holds(student, AgendaItem):
        upcoming = [
            UpcomingRow(meeting_url(pk), title, starts_at)
            for pk, title, starts_at in AgendaItem.objects.visible_to(request.user)
            .filter(student=student, meeting__status=MeetingStatus.PLANNED, meeting__ends_at__gte=timezone.now())
            .order_by("meeting__starts_at")
            .values_list("meeting_id", "meeting__title", "meeting__starts_at")[:5]
        ]
    if holds(student, Agreement):
        agreements = [
            AgreementRow(*row)
            for row in Agreement.objects.visible_to(request.user)
            .open()
            .filter(student=student)
            .order_by("due_on", "pk")
            .values_list("description", "owner__name", "due_on")[:20]
        ]
    if not upcoming and not agreements:
        return None
    return Panel(
        title=_("Overleggen en afspraken"),
        template="meetings/_student_panel.html",
        section=Section.OVERLEG,
        context={"upcoming": upcoming, "agreements": agreements, "today": timezone.localdate()},
        order=60,
    )
