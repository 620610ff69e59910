"""The timeline events of this app (see students/timeline.py)."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carecoord.access.sections import Section
from students.events import shown_date
from students.timeline import register

# Every concern event exists twice: "concerns.*" in the Zorg section and "meldcode.*" in the
# Meldcode section, which only the coordinator and the aandachtsfunctionaris see. A
# Meldcode case writes only meldcode.* events (services.concern_event_kind).


def _concern_url(params):
    return reverse("concerns:concern_detail", args=[params["concern_id"]]) if params.get("concern_id") else None


def _due(params):
    if not params.get("due_on"):
        return params["description"]
    return gettext("%(description)s (uiterlijk %(date)s)") % {
        "description": params["description"],
        "date": shown_date(params["due_on"]),
    }


CONCERN_EVENTS = {
    "raised": (_("Zorgmelding %(category)s, gemeld door %(raised_by)s"), "megaphone"),
    "assigned": (_("Behandelaar: %(handler)s"), "person-check"),
    "recategorised": (_("Categorie gewijzigd van %(old)s naar %(new)s"), "arrow-left-right"),
    "action_added": (lambda p: gettext("Actie: %(text)s") % {"text": _due(p)}, "list-check"),
    "action_done": (_("Actie gedaan: %(description)s"), "check2-square"),
    "closed": (_("Zorgmelding afgerond, terugkoppeling aan %(raised_by)s"), "check2-circle"),
}

for name, (message, icon) in CONCERN_EVENTS.items():
    register(f"concerns.{name}", Section.ZORG, message, icon=icon, url=_concern_url)
    register(f"meldcode.{name}", Section.MELDCODE, message, icon=icon, url=_concern_url)


def _step(params):
    from .models import MeldcodeStepNumber

    return gettext("Meldcode, stap %(label)s") % {"label": MeldcodeStepNumber(params["step"]).label}


register("meldcode.step", Section.MELDCODE, _step, icon="shield-check", url=_concern_url)
