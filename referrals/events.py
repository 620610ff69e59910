"""The timeline events of this app (see students/timeline.py)."""

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from carecoord.access.sections import Section
from students.events import shown_date
from students.timeline import register

# Params hold names and codes only (no question for help, no notes): the TRAJECT section is
# open to the facility's coach and to partners with consent, who must not read care content.


def _label(choices, code):
    return str(dict(choices).get(code, code))


def _state(code):
    from .models import ReferralState

    return _label(ReferralState.choices, code)


def _placement_url(params):
    return reverse("referrals:placement_detail", args=[params["placement_id"]]) if params.get("placement_id") else None


def _referral_state_text(p):
    return gettext("Aanmelding %(facility)s: %(state)s") % {"facility": p["facility"], "state": _state(p["to"])}


def _placement_started_text(p):
    from .models import PlacementKind

    return gettext("Geplaatst in %(facility)s (%(kind)s) vanaf %(date)s") % {
        "facility": p["facility"],
        "kind": _label(PlacementKind.choices, p["plan"]),
        "date": shown_date(p["start"]),
    }


def _placement_plan_text(p):
    from .models import PlacementKind

    return gettext("Plan %(facility)s gewijzigd: %(kind)s") % {
        "facility": p["facility"],
        "kind": _label(PlacementKind.choices, p["plan"]),
    }


def _placement_evaluated_text(p):
    from .models import EvaluationDecision

    return gettext("Evaluatie plaatsing %(facility)s: %(decision)s") % {
        "facility": p["facility"],
        "decision": _label(EvaluationDecision.choices, p["decision"]),
    }


def _placement_ended_text(p):
    from .models import Outcome

    return gettext("Plaatsing %(facility)s beëindigd per %(date)s: %(outcome)s") % {
        "facility": p["facility"],
        "date": shown_date(p["date"]),
        "outcome": _label(Outcome.choices, p["outcome"]),
    }


def _visits_day_text(p):
    hours, minutes = divmod(int(p["minutes"]), 60)
    visits = ngettext("%(count)s bezoek", "%(count)s bezoeken", int(p["count"])) % {"count": p["count"]}
    text = gettext("%(facility)s op %(date)s: %(visits)s, %(duration)s") % {
        "facility": p["facility"],
        "date": shown_date(p["day"]),
        "visits": visits,
        "duration": f"{hours}:{minutes:02d} u",
    }
    if p.get("unplanned"):
        text += " · " + gettext("%(n)s ongepland") % {"n": p["unplanned"]}
    if p.get("auto_closed"):
        text += " · " + gettext("automatisch uitgecheckt")
    return text


register(
    "referrals.referral_created",
    Section.AANMELDING,
    _("Aangemeld bij %(facility)s"),
    icon="box-arrow-in-right",
)
register("referrals.referral_state", Section.AANMELDING, _referral_state_text, icon="signpost-split")
register("referrals.placement_started", Section.TRAJECT, _placement_started_text, icon="door-open", url=_placement_url)
register("referrals.placement_plan", Section.TRAJECT, _placement_plan_text, icon="calendar-week", url=_placement_url)
register(
    "referrals.placement_evaluated",
    Section.TRAJECT,
    _placement_evaluated_text,
    icon="clipboard-check",
    url=_placement_url,
)
register("referrals.placement_ended", Section.TRAJECT, _placement_ended_text, icon="door-closed", url=_placement_url)
register("referrals.visits_day", Section.TRAJECT, _visits_day_text, icon="clock-history", url=_placement_url)


# --- The kansencoach (seed 004): a nomination, the conversations (kind and minutes, no note).


def _nomination_url(params):
    return (
        reverse("referrals:coaching_nomination", args=[params["nomination_id"]])
        if params.get("nomination_id")
        else None
    )


def _conversation_text(p):
    from .models import ConversationKind

    return gettext("Gesprek kansencoach (%(kind)s) op %(date)s, %(minutes)s min") % {
        "kind": _label(ConversationKind.choices, p["conversation"]),
        "date": shown_date(p["date"]),
        "minutes": p["minutes"],
    }


register(
    "referrals.coaching_nominated",
    Section.TRAJECT,
    _("Voorgedragen bij %(facility)s"),
    icon="person-raised-hand",
    url=_nomination_url,
)
register(
    "referrals.coaching_withdrawn",
    Section.TRAJECT,
    _("Voordracht bij %(facility)s ingetrokken"),
    icon="x-circle",
    url=_nomination_url,
)
register("referrals.coaching_conversation", Section.TRAJECT, _conversation_text, icon="chat-dots", url=_placement_url)
