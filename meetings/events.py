"""The timeline events of the meetings app (section OVERLEG; see students/timeline.py)."""

from django.urls import reverse
from django.utils.translation import gettext

from carecoord.access.sections import Section
from students.events import shown_date
from students.timeline import register


def _meeting_url(params):
    return reverse("meetings:detail", args=[params["meeting_id"]]) if params.get("meeting_id") else None


register(
    "meetings.on_agenda",
    Section.OVERLEG,
    lambda p: (
        gettext("Op de agenda van %(meeting)s op %(date)s") % {"meeting": p["meeting"], "date": shown_date(p["date"])}
    ),
    icon="calendar-plus",
    url=_meeting_url,
)
register(
    "meetings.discussed",
    Section.OVERLEG,
    lambda p: (
        gettext("Besproken in %(meeting)s op %(date)s") % {"meeting": p["meeting"], "date": shown_date(p["date"])}
    ),
    icon="people",
    url=_meeting_url,
)


# The text of an agreement stays in its meeting: a partner may see this pupil's timeline
# without having attended that meeting. The line links to the meeting, which checks.
def _meeting_url(p):
    return reverse("meetings:detail", args=[p["meeting_id"]]) if p.get("meeting_id") else None


register(
    "meetings.agreement_made",
    Section.OVERLEG,
    lambda p: (
        gettext("Afspraak gemaakt in %(meeting)s — %(owner)s, uiterlijk %(due)s")
        % {"meeting": p["meeting"], "owner": p["owner"], "due": shown_date(p["due"])}
    ),
    icon="check2-square",
    url=_meeting_url,
)
register(
    "meetings.agreement_done",
    Section.OVERLEG,
    lambda p: gettext("Afspraak uit een overleg afgerond"),
    icon="check2-all",
    url=_meeting_url,
)
