"""The funnel of a school year: concerns raised -> triaged (a first action) -> referred (a
referral made from the concern) -> placed -> outcome, per category and per facility, with
the median times between the steps, and the previous school year beside it.

The counts are records of the school year (1 August - 31 July): concerns raised in it,
referrals made in it, placements started in it, placements ended in it. `raw` keeps the
true counts for the proof that they equal the records (outcomes/tests/test_funnel.py); the
page and the export only ever show the suppressed cells."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from carecoord import suppression as s
from concerns.models import Concern
from referrals.models import Facility, Placement, Referral

from .common import (
    OUTCOME_GROUP_OF,
    OUTCOME_GROUPS,
    Row,
    day_after,
    day_start,
    days_between,
    school_year,
    school_year_label,
)

STEPS = [
    ("raised", _("Zorgmeldingen")),
    ("triaged", _("Opgepakt (eerste actie)")),
    ("referred", _("Aangemeld bij een voorziening")),
    ("placed", _("Geplaatst")),
    ("ended", _("Plaatsing beëindigd")),
]


@dataclass
class YearFunnel:
    label: str
    start: date
    end: date
    raw: dict = field(default_factory=dict)  # step -> count; outcome group -> count (never shown)
    steps: list = field(default_factory=list)  # Row(step label, [Cell])
    outcomes: list = field(default_factory=list)  # Row(outcome label, [Cell])
    outcome_total: s.Cell = s.Cell(None)
    times: list = field(default_factory=list)  # Row(label, [Cell days])
    per_category: list = field(default_factory=list)  # Row(category, [raised, triaged, referred])
    per_facility: list = field(default_factory=list)  # Row(facility, [referred, placed, ended, back])


def _steps_shown(raw: dict) -> list[s.Cell]:
    """Each step as a count. Triaged and referred are parts of the concerns raised: when
    what is left of them is a small number, the step is suppressed too (20 raised and 18
    triaged would show that 2 were not picked up). Placements are records of their own
    (a placement may follow a referral of last year), so they stand alone."""
    cells = []
    for key, _label in STEPS:
        cell = s.count(raw[key])
        if key in ("triaged", "referred") and s.is_small(raw["raised"] - raw[key]):
            cell = s.HIDDEN
        cells.append(cell)
    return cells


def _column_groups(rows: list[list[int]], totals: list[int]) -> list[list[s.Cell]]:
    """Per column, the rows' counts as a group whose total is shown elsewhere (the funnel step)."""
    out = [[None] * len(totals) for _r in rows]
    for c in range(len(totals)):
        cells, _total = s.group([row[c] for row in rows])
        for r, cell in enumerate(cells):
            out[r][c] = cell
    return out


def year_funnel(*, school, start: date, end: date) -> YearFunnel:
    """The funnel of `school` for the school year from `start` to `end`. Six queries."""
    since, until = day_start(start), day_after(end)
    funnel = YearFunnel(label=school_year_label(start), start=start, end=end)
    concerns = list(
        Concern.objects.filter(school=school, created_at__gte=since, created_at__lt=until)
        .annotate(first_referral=Min("referrals__created_at"))
        .values_list("pk", "category__name", "created_at", "first_action_at", "first_referral")
    )
    referrals = list(
        Referral.objects.filter(school=school, created_at__gte=since, created_at__lt=until).values_list(
            "facility_id", "created_at", "decided_at"
        )
    )
    started = list(
        Placement.objects.filter(school=school, start_on__gte=start, start_on__lte=end).values_list(
            "facility_id", "start_on"
        )
    )
    ended = list(
        Placement.objects.filter(school=school, ended_on__gte=start, ended_on__lte=end).values_list(
            "facility_id", "start_on", "ended_on", "outcome"
        )
    )
    raw = {
        "raised": len(concerns),
        "triaged": sum(1 for c in concerns if c[3] is not None),
        "referred": sum(1 for c in concerns if c[4] is not None),
        "placed": len(started),
        "ended": len(ended),
        "referrals": len(referrals),
    }
    per_group = defaultdict(int)
    for _f, _s, _e, outcome in ended:
        per_group[OUTCOME_GROUP_OF.get(outcome, "other")] += 1
    for key, _label, _o in OUTCOME_GROUPS:
        raw[f"outcome:{key}"] = per_group[key]
    funnel.raw = raw

    funnel.steps = [Row(str(label), [cell]) for (_k, label), cell in zip(STEPS, _steps_shown(raw), strict=True)]
    cells, funnel.outcome_total = s.group([per_group[key] for key, _l, _o in OUTCOME_GROUPS])
    funnel.outcomes = [Row(str(label), [cell]) for (_k, label, _o), cell in zip(OUTCOME_GROUPS, cells, strict=True)]

    funnel.times = [
        Row(
            str(_("Melding tot eerste actie")),
            [s.statistic([days_between(c[2], c[3]) for c in concerns if c[3]], unit=" d")],
        ),
        Row(
            str(_("Melding tot aanmelding")),
            [s.statistic([days_between(c[2], c[4]) for c in concerns if c[4] and c[4] >= c[2]], unit=" d")],
        ),
        Row(
            str(_("Aanmelding tot besluit")),
            [s.statistic([days_between(created, decided) for _f, created, decided in referrals if decided], unit=" d")],
        ),
        Row(
            str(_("Duur van de plaatsing")),
            [s.statistic([(e - st).days for _f, st, e, _o in ended], unit=" d", decimals=0)],
        ),
    ]

    categories = defaultdict(lambda: [0, 0, 0])
    for _pk, name, _c, first_action, first_referral in concerns:
        categories[name][0] += 1
        categories[name][1] += first_action is not None
        categories[name][2] += first_referral is not None
    names = sorted(categories)
    shown = _column_groups([categories[n] for n in names], [raw["raised"], raw["triaged"], raw["referred"]])
    funnel.per_category = [Row(n, cells) for n, cells in zip(names, shown, strict=True)]

    facilities = dict(Facility.objects.filter(school=school).values_list("pk", "name"))
    per_facility = defaultdict(lambda: [0, 0, 0])
    for facility_id, _c, _d in referrals:
        per_facility[facility_id][0] += 1
    for facility_id, _st in started:
        per_facility[facility_id][1] += 1
    for facility_id, _st, _e, _o in ended:
        per_facility[facility_id][2] += 1
    ids = sorted(per_facility, key=lambda pk: facilities.get(pk, ""))
    shown = _column_groups([per_facility[i] for i in ids], [raw["referrals"], raw["placed"], raw["ended"]])
    funnel.per_facility = [Row(facilities.get(i, "—"), cells) for i, cells in zip(ids, shown, strict=True)]
    return funnel


@dataclass
class Funnel:
    this: YearFunnel
    previous: YearFunnel
    differences: list  # per step: this - previous, suppressed when either side is


def school_funnel(*, school, today: date) -> Funnel:
    """This school year (to today) and the whole previous one, side by side."""
    start, end = school_year(today)
    this = year_funnel(school=school, start=start, end=min(end, today))
    previous = year_funnel(school=school, start=start.replace(year=start.year - 1), end=start - timedelta(days=1))
    differences = [s.difference(a.cells[0], b.cells[0]) for a, b in zip(this.steps, previous.steps, strict=True)]
    return Funnel(this, previous, differences)
