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


def concern_rows(*, student, kinds) -> dict[bool, list[ConcernRow]]:
    """The newest concerns about `student` of each kind in `kinds` (is_meldcode: False for
    care, True for Meldcode), at most CONCERNS_ON_FILE of each, in one query. The handler is
    named as `Concern.handler_label` names it."""
    shown = {meldcode: [] for meldcode in kinds}
    if not kinds or not holds(student, Concern):
        return shown
    detail_url = row_address("concerns:concern_detail")
    statuses = dict(ConcernStatus.choices)
    concerns = Concern.objects.filter(student=student)
    if len(kinds) == 1:
        concerns = concerns.filter(is_meldcode=kinds[0])
    rows = concerns.order_by("-created_at").values_list(
        "is_meldcode",
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
    )
    # Both kinds: no limit, the rows are cut per kind below (one query instead of one per
    # panel; a pupil has a few concerns, at most 3 of the region's 7,500).
    if len(kinds) == 1:
        rows = rows[:CONCERNS_ON_FILE]
    for meldcode, pk, category, status, created_at, raised_by, handler_id, handler, org_id, org, role in rows:
        if len(shown[meldcode]) == CONCERNS_ON_FILE:
            continue
        if handler_id:
            handler_label = handler
        elif org_id:
            handler_label = org
        else:
            handler_label = str(Role(role).label) if role else "—"
        shown[meldcode].append(
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
def concern_panels(request, student, sections):
    """The pupil's concerns (Zorg section: the coordinator) and Meldcode cases (only for the
    coordinator and the aandachtsfunctionaris; no panel without a case). Both from one query."""
    care, meldcode = Section.ZORG in sections, Section.MELDCODE in sections
    rows = concern_rows(student=student, kinds=[kind for kind, shown in ((False, care), (True, meldcode)) if shown])
    panels = []
    if care:
        panels.append(
            Panel(_("Zorgmeldingen"), "concerns/_concern_panel.html", Section.ZORG, {"concerns": rows[False]}, order=20)
        )
    if meldcode and rows[True]:
        panels.append(
            Panel(_("Meldcode"), "concerns/_concern_panel.html", Section.MELDCODE, {"concerns": rows[True]}, order=15)
        )
    return panels
