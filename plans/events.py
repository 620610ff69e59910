"""The timeline kinds of the plans app (see students/timeline.py).

OPP events are in the TRAJECT section (the coordinator, and the coach of a placed pupil,
see them; the content of the plan stays on the OPP page). Requests to the SWV are the
coordinator's part (AANMELDING), like the school's own referrals.
"""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carecoord.access.sections import Section
from students.timeline import register

from .models import RequestState


def _decided(params):
    if params.get("outcome") == RequestState.GRANTED:
        text = gettext("%(kind)s toegekend door %(organisation)s") % {
            "kind": str(params.get("request_kind", "")).capitalize(),
            "organisation": params.get("organisation", ""),
        }
        if params.get("category"):
            text += f" ({params['category']})"
        if params.get("starts_on"):
            text += " " + gettext("vanaf %(start)s") % {"start": _day(params["starts_on"])}
        if params.get("ends_on"):
            text += " " + gettext("tot en met %(end)s") % {"end": _day(params["ends_on"])}
        return text
    return gettext("%(kind)s afgewezen door %(organisation)s") % {
        "kind": str(params.get("request_kind", "")).capitalize(),
        "organisation": params.get("organisation", ""),
    }


def _request_url(params):
    return reverse("plans:request", args=[params["request_id"]]) if params.get("request_id") else None


def _day(value):
    # Stored as ISO (JSON); shown dd-mm-jjjj.
    try:
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    except (TypeError, ValueError):
        return ""


def _started(params):
    return gettext("OPP gestart (vaststellen vóór %(deadline)s)") % {"deadline": _day(params.get("deadline"))}


register("plans.started", Section.TRAJECT, _started, icon="clipboard2")
register("plans.discussed", Section.TRAJECT, _("OPP versie %(number)s besproken met ouders"), icon="people")


def _consent(params):
    text = gettext("Instemming met het handelingsdeel van OPP versie %(number)s: %(giver)s") % {
        "number": params.get("number", ""),
        "giver": params.get("giver", ""),
    }
    if params.get("online"):
        # Given by the parent or the pupil themselves in the parents' portal (issue 19).
        text += " " + gettext("(online, via het ouderportaal)")
    return text


register("plans.consent", Section.TRAJECT, _consent, icon="check2-square")
register(
    "plans.adopted",
    Section.TRAJECT,
    _("OPP versie %(number)s vastgesteld"),
    icon="clipboard2-check",
    url=lambda p: reverse("plans:version", args=[p["version_id"]]) if p.get("version_id") else None,
)
register(
    "plans.request_sent",
    Section.AANMELDING,
    _("Aanvraag %(request_kind)s ingediend bij %(organisation)s"),
    icon="send",
    url=_request_url,
)
register("plans.request_decided", Section.AANMELDING, _decided, icon="envelope-check", url=_request_url)
register(
    "plans.request_withdrawn",
    Section.AANMELDING,
    _("Aanvraag %(request_kind)s ingetrokken"),
    icon="x-circle",
    url=_request_url,
)
register(
    "plans.request_meeting",
    Section.AANMELDING,
    _("Consultatiegesprek met het samenwerkingsverband gepland"),
    icon="calendar-event",
)


def _referral_url(params):
    return reverse("plans:referral", args=[params["referral_id"]]) if params.get("referral_id") else None


register(
    "plans.external_sent",
    Section.AANMELDING,
    _("Doorverwezen naar %(organisation)s"),
    icon="box-arrow-up-right",
    url=_referral_url,
)
register(
    "plans.external_accepted",
    Section.AANMELDING,
    _("Doorverwijzing geaccepteerd door %(organisation)s"),
    icon="check2-circle",
    url=_referral_url,
)
register(
    "plans.external_declined",
    Section.AANMELDING,
    _("Doorverwijzing afgewezen door %(organisation)s"),
    icon="x-circle",
    url=_referral_url,
)
register(
    "plans.external_ended",
    Section.AANMELDING,
    _("Hulp door %(organisation)s afgerond"),
    icon="flag",
    url=_referral_url,
)
