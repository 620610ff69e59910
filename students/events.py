"""The timeline events of the students app (see students/timeline.py)."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carecoord.access.sections import Section

from .models import SupportStatus
from .timeline import register


def shown_date(iso: str) -> str:
    return date_format(date.fromisoformat(iso), "SHORT_DATE_FORMAT") if iso else ""


def _fields(params):
    return ", ".join(params.get("fields", []))


register("students.imported", Section.ADMINISTRATIE, _("Ingelezen uit het LVS, klas %(klas)s"), icon="cloud-arrow-down")
register(
    "students.updated",
    Section.ADMINISTRATIE,
    lambda p: gettext("Gegevens gewijzigd: %(fields)s") % {"fields": _fields(p)},
    icon="pencil",
)
register(
    "students.import_updated",
    Section.ADMINISTRATIE,
    lambda p: gettext("Bijgewerkt uit het LVS: %(fields)s") % {"fields": _fields(p)},
    icon="cloud-arrow-down",
)
register(
    "students.left",
    Section.ADMINISTRATIE,
    lambda p: gettext("Uitgeschreven per %(date)s") % {"date": shown_date(p["date"])},
    icon="box-arrow-right",
)
register("students.returned", Section.ADMINISTRATIE, _("Weer ingeschreven"), icon="arrow-return-left")
register(
    "students.support_status",
    Section.ADMINISTRATIE,
    lambda p: gettext("Ondersteuning: %(status)s") % {"status": SupportStatus(p["status"]).label},
    icon="signpost",
)
register("students.guardian_added", Section.ADMINISTRATIE, _("Ouder/verzorger toegevoegd: %(name)s"), icon="people")


def _consent_given(p):
    text = gettext("Toestemming voor %(scope)s, gegeven door %(giver)s op %(date)s") % {
        "scope": p["scope"],
        "giver": p["giver"],
        "date": shown_date(p["date"]),
    }
    if p.get("backdated"):
        # Dated more than 30 days before it was recorded (students.services.BACKDATE_DAYS).
        text += " " + gettext("(teruggedateerd; reden: %(reason)s)") % {"reason": p.get("reason", "")}
    return text


register("students.consent_given", Section.TOESTEMMING, _consent_given, icon="check2-circle")
register(
    "students.consent_withdrawn",
    Section.TOESTEMMING,
    _("Toestemming voor %(scope)s ingetrokken door %(by)s"),
    icon="x-circle",
)
register("students.partner_linked", Section.NETWERK, _("%(partner)s betrokken (%(role)s)"), icon="person-badge")
register("students.partner_unlinked", Section.NETWERK, _("%(partner)s niet meer betrokken"), icon="person-dash")
