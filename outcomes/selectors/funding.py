"""The funding report of a group arrangement for its funder (seed 003: the funder needs
results to keep the group alive): per month of the contract, the hours contracted against
the hours delivered (referrals/selectors/funding.py), the pupils in the group and the
outcomes of the placements that ended.

The number of pupils in a funded group is what the contract is about and names no one:
it is shown. What became of them is about each pupil: the outcomes go through the
suppression (per month, and in total over the contract)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from carecoord import suppression as s
from referrals.models import Placement
from referrals.selectors.funding import funding_report

from .common import OUTCOME_GROUP_OF, OUTCOME_GROUPS


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


@dataclass
class MonthRow:
    month: date
    school_days: int
    contracted: float | None
    delivered: float
    board: float
    contacts: float
    difference: float | None
    pupils: int
    outcomes: list  # Cell per outcome group


@dataclass
class GroupFundingReport:
    facility: object
    funding: object
    computed_at: datetime
    outcome_labels: list = field(default_factory=list)
    months: list = field(default_factory=list)
    outcome_totals: list = field(default_factory=list)  # Cell per outcome group, over the contract
    outcome_total: s.Cell = s.Cell(None)
    contracted: float = 0
    delivered: float = 0


def group_funding_report(*, facility, now: datetime | None = None) -> GroupFundingReport:
    """Hours per month from the referrals app's report, plus pupils and outcomes. Seven queries."""
    now = now or timezone.now()
    hours = funding_report(facility=facility, now=now)
    report = GroupFundingReport(
        facility=facility,
        funding=hours.funding,
        computed_at=now,
        outcome_labels=[str(label) for _k, label, _o in OUTCOME_GROUPS],
    )
    if not hours.months:
        return report
    first = hours.months[0].month
    last_month = hours.months[-1].month
    placements = list(
        Placement.objects.filter(facility=facility, start_on__lt=_next_month(last_month))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .values_list("student_id", "start_on", "ended_on", "outcome")
    )
    per_month_outcomes = defaultdict(lambda: defaultdict(int))
    totals = defaultdict(int)
    for _student, _start, ended, outcome in placements:
        if ended and ended >= first:
            key = OUTCOME_GROUP_OF.get(outcome, "other")
            per_month_outcomes[ended.replace(day=1)][key] += 1
            totals[key] += 1
    for m in hours.months:
        # Pupils placed in the group at some day of the month.
        pupils = {
            student
            for student, start, ended, _o in placements
            if start < _next_month(m.month) and (ended is None or ended >= m.month)
        }
        report.months.append(
            MonthRow(
                m.month,
                m.school_days,
                m.contracted,
                m.delivered,
                m.board,
                m.contacts,
                m.difference,
                len(pupils),
                s.series([per_month_outcomes[m.month][key] for key, _l, _o in OUTCOME_GROUPS]),
            )
        )
    report.outcome_totals, report.outcome_total = s.group([totals[key] for key, _l, _o in OUTCOME_GROUPS])
    report.contracted = round(sum(m.contracted or 0 for m in hours.months), 2)
    report.delivered = round(sum(m.delivered for m in hours.months), 2)
    return report


def export_rows(report: GroupFundingReport):
    def v(cell):
        return str(cell) if cell.suppressed or cell.value is None else cell.value

    for m in report.months:
        yield [
            f"{m.month:%m-%Y}",
            m.school_days,
            m.contracted,
            m.delivered,
            m.difference,
            m.pupils,
            *[v(c) for c in m.outcomes],
        ]


def report_pdf(report: GroupFundingReport) -> bytes:
    """The report as a PDF (WeasyPrint), in the look of the file as a PDF."""
    import weasyprint
    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string

    html = render_to_string("outcomes/group_funding_print.html", {"report": report, "facility": report.facility})
    return weasyprint.HTML(string=html).write_pdf(
        stylesheets=[weasyprint.CSS(filename=finders.find("records/file-print.css"))]
    )
