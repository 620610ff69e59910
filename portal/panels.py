"""The pupil file's "Ouderportaal" panel: for the zorgcoördinator, who has access and a link
to invite, revoke and share. One query at most (none for a pupil without any: students/presence.py)."""

from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.sections import Section
from students.panels import Panel, register_panel
from students.presence import holds, track

from .models import Participant

track(Participant)


@register_panel
def portal_panel(request, student, sections):
    if not access.can(request.user, "student.invite_participant", student):
        return None
    participants = []
    if holds(student, Participant):
        participants = list(Participant.objects.active().filter(student=student).select_related("guardian", "user"))
    return Panel(
        title=_("Ouderportaal"),
        template="portal/_file_panel.html",
        section=Section.TOESTEMMING,
        context={"participants": participants},
        order=12,
    )
