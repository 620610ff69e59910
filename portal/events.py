"""The timeline events of the portal (students/timeline.py). Parent actions carry the
parent as actor and say "ouderportaal", so staff see them on the file's timeline."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carecoord.access.sections import Section
from students.timeline import register

register("portal.invited", Section.TOESTEMMING, _("Uitgenodigd voor het ouderportaal: %(who)s"), icon="envelope-paper")
register("portal.revoked", Section.TOESTEMMING, _("Toegang tot het ouderportaal ingetrokken: %(who)s"), icon="person-x")
register(
    "portal.signed_in",
    Section.TOESTEMMING,
    lambda p: {
        "uitnodiging": gettext("Ingelogd op het ouderportaal (met de uitnodiging)"),
        "app": gettext("Ingelogd op het ouderportaal (met de code uit een app)"),
    }.get(p.get("how"), gettext("Ingelogd op het ouderportaal (met een code)")),
    icon="box-arrow-in-right",
)
register(
    "portal.app_added",
    Section.TOESTEMMING,
    _("Authenticator-app gekoppeld voor het ouderportaal door %(who)s"),
    icon="phone",
)
register(
    "portal.app_removed",
    Section.TOESTEMMING,
    _("Authenticator-app verwijderd uit het ouderportaal door %(who)s"),
    icon="phone",
)
register("portal.shared", Section.TOESTEMMING, _("Gedeeld met ouders via het portaal: %(what)s"), icon="share")
register("portal.unshared", Section.TOESTEMMING, _("Niet meer gedeeld met ouders: %(what)s"), icon="eye-slash")
register(
    "portal.view_written",
    Section.OVERLEG,
    _("Kijk van %(who)s geschreven voor %(meeting)s (ouderportaal)"),
    icon="chat-square-text",
)
register(
    "portal.plan_agreed", Section.TRAJECT, _("Ingestemd met het plan door %(who)s (ouderportaal)"), icon="check2-square"
)
register(
    "portal.plan_disagreed",
    Section.TRAJECT,
    _("Niet ingestemd met het plan door %(who)s (ouderportaal)"),
    icon="x-square",
)
register(
    "portal.opp_view_written",
    Section.TRAJECT,
    _("Kijk van %(who)s geschreven bij OPP versie %(number)s (ouderportaal)"),
    icon="chat-square-text",
)
