"""The timeline kinds of the privacy app (see students/timeline.py): AVG requests and their
handling, in the consent section (who sees consent sees what the parents asked)."""

from django.utils.translation import gettext

from carecoord.access.sections import Section
from students.timeline import register

from .models import RightsRequestKind, RightsRequestStatus


def _kind(params):
    value = params.get("request_kind")
    return RightsRequestKind(value).label if value in RightsRequestKind.values else ""


register(
    "privacy.request",
    Section.TOESTEMMING,
    lambda p: gettext("AVG-verzoek ontvangen: %(kind)s") % {"kind": _kind(p)},
    icon="shield-check",
)
register(
    "privacy.request_handled",
    Section.TOESTEMMING,
    lambda p: (
        gettext("AVG-verzoek (%(kind)s) afgehandeld: %(status)s")
        % {
            "kind": _kind(p),
            "status": RightsRequestStatus(p["status"]).label if p.get("status") in RightsRequestStatus.values else "",
        }
    ),
    icon="shield-check",
)
