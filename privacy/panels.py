"""The pupil file's "AVG" panel: inzage export and requests, for the zorgcoördinator. One query
(none for a pupil without any request: students/presence.py)."""

from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.sections import Section
from students.panels import Panel, register_panel
from students.presence import holds, track

from .models import RightsRequest, RightsRequestStatus

track(RightsRequest)


@register_panel
def privacy_panel(request, student, sections):
    if not access.can(request.user, "student.rights_requests", student):
        return None
    return Panel(
        title=_("AVG: inzage en verzoeken"),
        template="privacy/_file_panel.html",
        section=Section.ADMINISTRATIE,
        context={
            "open_requests": RightsRequest.objects.filter(student=student, status=RightsRequestStatus.OPEN).count()
            if holds(student, RightsRequest)
            else 0,
        },
        order=90,
    )
