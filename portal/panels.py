"""The pupil file's "Ouderportaal" panel: for the zorgcoördinator, who has access and a link
to invite, revoke and share. Two queries."""

from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.sections import Section
from students.panels import Panel, register_panel

from .models import Participant


@register_panel
def portal_panel(request, student, sections):
    if not access.can(request.user, "student.invite_participant", student):
        return None
    participants = list(Participant.objects.active().filter(student=student).select_related("guardian", "user"))
    return Panel(
        title=_("Ouderportaal"),
        template="portal/_file_panel.html",
        section=Section.TOESTEMMING,
        context={"participants": participants},
        order=12,
    )
