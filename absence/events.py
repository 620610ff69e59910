"""The timeline events of the absence app (see students/timeline.py). All in the VERZUIM
section: the coordinators, the verzuimcoördinator and leerplicht (for signalled pupils)."""

from django.utils.formats import number_format
from django.utils.translation import gettext

from carecoord.access.sections import Section
from students.events import shown_date
from students.timeline import register

from .models import AbsenceKind, MasStep, SignalLevel


def _hours(value) -> str:
    return number_format(value or 0, 1)


def _signal(p) -> str:
    level = SignalLevel(p["level"])
    if level == SignalLevel.NONE:
        return gettext("Verzuimsignaal vervallen (was: %(previous)s)") % {"previous": SignalLevel(p["previous"]).label}
    text = gettext("Verzuimsignaal: %(level)s — %(hours)s uur ongeoorloofd in 4 schoolweken") % {
        "level": level.label,
        "hours": _hours(p.get("hours")),
    }
    if p.get("crossed_on"):
        text += "; " + gettext("wettelijke grens van 16 uur bereikt op %(date)s") % {
            "date": shown_date(p["crossed_on"])
        }
    if p.get("absent_since"):
        text += "; " + gettext("elke schooldag afwezig sinds %(date)s") % {"date": shown_date(p["absent_since"])}
    return text


def _kind(p) -> str:
    return AbsenceKind(p["absence_kind"]).label


def _recorded(p) -> str:
    return gettext("Verzuim geregistreerd: %(kind)s op %(date)s (%(minutes)s min)") % {
        "kind": _kind(p),
        "date": shown_date(p["date"]),
        "minutes": p["minutes"],
    }


def _removed(p) -> str:
    return gettext("Verzuimregistratie verwijderd: %(kind)s op %(date)s") % {
        "kind": _kind(p),
        "date": shown_date(p["date"]),
    }


def _step(p) -> str:
    return gettext("MAS-stap: %(step)s op %(date)s, door %(who)s. Uitkomst: %(outcome)s") % {
        "step": MasStep(p["step"]).label,
        "date": shown_date(p["date"]),
        "who": p["who"],
        "outcome": p["outcome"],
    }


register("absence.signal", Section.VERZUIM, _signal, icon="exclamation-triangle")
register("absence.recorded", Section.VERZUIM, _recorded, icon="calendar-x")
register("absence.record_removed", Section.VERZUIM, _removed, icon="calendar-minus")
register("absence.step", Section.VERZUIM, _step, icon="signpost-split")
