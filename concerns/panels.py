"""Parts of the pupil file this app adds (see students/panels.py)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from carecoord.access.sections import Section
from carecoord.addresses import row_address
from students.panels import Panel, register_panel
from students.presence import holds, track

from .models import Concern, ConcernStatus

CONCERNS_ON_FILE = 20  # per panel, newest first

track(Concern)


@dataclass(frozen=True)
class ConcernRow:
    """A concern as the panel lists it: the few fields shown, read as values (a full
    Concern with four related objects per row was most of the panel's time)."""

    url: str
    category: str
    status: str
    status_label: str
    created_at: datetime
    raised_by: str
    handler_label: str

    @property
    def is_closed(self) -> bool:
        return self.status == ConcernStatus.CLOSED


def concern_rows(*, student, meldcode: bool) -> list[ConcernRow]:
    """The newest concerns of one kind about `student` (one query). The handler is named
    as `Concern.handler_label` names it."""
    if not holds(student, Concern):
        return []
    detail_url = row_address("concerns:concern_detail")
    statuses = dict(ConcernStatus.choices)
    rows = (
        Concern.objects.filter(student=student, is_meldcode=meldcode)
        .order_by("-created_at")
        .values_list(
            "pk",
            "category__name",
            "status",
            "created_at",
            "raised_by__name",
            "handler_id",
            "handler__name",
            "handler_organisation_id",
            "handler_organisation__name",
            "handler_role",
        )[:CONCERNS_ON_FILE]
    )
    shown = []
    for pk, category, status, created_at, raised_by, handler_id, handler, org_id, org, role in rows:
        if handler_id:
            handler_label = handler
        elif org_id:
            handler_label = org
        else:
            handler_label = str(Role(role).label) if role else "—"
        shown.append(
            ConcernRow(
                detail_url(pk),
                category,
                status,
                str(statuses.get(status, status)),
                created_at,
                raised_by,
                handler_label,
            )
        )
    return shown


@register_panel
def concern_panel(request, student, sections):
    """The pupil's concerns (Zorg section: the coordinator). One query."""
    if Section.ZORG not in sections:
        return None
    concerns = concern_rows(student=student, meldcode=False)
    return Panel(_("Zorgmeldingen"), "concerns/_concern_panel.html", Section.ZORG, {"concerns": concerns}, order=20)


@register_panel
def meldcode_panel(request, student, sections):
    """Meldcode cases: only for the coordinator and the aandachtsfunctionaris. One query."""
    if Section.MELDCODE not in sections:
        return None
    concerns = concern_rows(student=student, meldcode=True)
    if not concerns:
        return None
    return Panel(_("Meldcode"), "concerns/_concern_panel.html", Section.MELDCODE, {"concerns": concerns}, order=15)
