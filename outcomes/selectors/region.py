"""The samenwerkingsverband's view across its schools: per school and in total,
thuiszitters and how long, arrangement requests and their state, occupancy and waiting of
the facilities, return to class. No names; small numbers suppressed per column (the
schools' cells add up to the total shown below them). And one school's row against the
region's median, for its own leader.

A fixed number of queries whatever the number of schools (grouped by school)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from absence.models import AbsenceSignal, SignalLevel
from carecoord import suppression as s
from plans.models import RequestState, SupportRequest
from referrals.models import Facility, Placement, Referral, ReferralState

from .common import BACK_IN_CLASS, Row, school_year

OPEN_STATES = [RequestState.SENT, RequestState.QUESTION]

# (key, label, kind): "count" columns add up over the schools; "median" and "percent" not.
COLUMNS = [
    ("thuis", _("Thuiszitters"), "count"),
    ("thuis_days", _("Thuis sinds (mediaan, dagen)"), "median"),
    ("requests_open", _("Aanvragen lopend"), "count"),
    ("requests_granted", _("Aanvragen toegekend (dit schooljaar)"), "count"),
    ("requests_refused", _("Aanvragen afgewezen (dit schooljaar)"), "count"),
    ("placed", _("Geplaatst nu"), "count"),
    ("occupancy", _("Bezetting"), "percent"),
    ("waiting", _("Op de wachtlijst"), "count"),
    ("waiting_days", _("Wachttijd nu (mediaan, dagen)"), "median"),
    ("ended", _("Plaatsingen beëindigd (dit schooljaar)"), "count"),
    ("back", _("Terug in de klas"), "percent"),
]


@dataclass
class RegionFigures:
    organisation: object
    start: date
    computed_at: datetime
    columns: list = field(default_factory=list)  # labels
    schools: list = field(default_factory=list)  # Row(school name, cells), extra: {"school_id"}
    total: list = field(default_factory=list)  # cells
    median: list = field(default_factory=list)  # cells: the region's median school
    raw: dict = field(default_factory=dict)  # school id -> key -> value (never shown)


def _raw_figures(school_ids, organisation, today: date, start: date) -> dict:
    raw = {sid: defaultdict(int) for sid in school_ids}
    lists = {sid: defaultdict(list) for sid in school_ids}
    for sid, since in AbsenceSignal.objects.filter(
        school_id__in=school_ids, level__gte=SignalLevel.THUISZITTER
    ).values_list("school_id", "absent_since"):
        raw[sid]["thuis"] += 1
        if since:
            lists[sid]["thuis_days"].append((today - since).days)
    year_start = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    for sid, state, n in (
        SupportRequest.objects.filter(school_id__in=school_ids, organisation=organisation)
        .filter(Q(state__in=OPEN_STATES) | Q(decided_at__gte=year_start))
        .values_list("school_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if state in OPEN_STATES:
            raw[sid]["requests_open"] += n
        elif state == RequestState.GRANTED:
            raw[sid]["requests_granted"] += n
        elif state == RequestState.REFUSED:
            raw[sid]["requests_refused"] += n
    capacity = dict(
        Facility.objects.filter(school_id__in=school_ids, is_active=True)
        .values_list("school_id")
        .annotate(c=Sum("capacity"))
        .order_by()
    )
    for sid, n in (
        Placement.objects.filter(school_id__in=school_ids, ended_on__isnull=True)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        raw[sid]["placed"] = n
    for sid, created in Referral.objects.filter(school_id__in=school_ids, state=ReferralState.WAITING).values_list(
        "school_id", "created_at"
    ):
        raw[sid]["waiting"] += 1
        lists[sid]["waiting_days"].append((today - timezone.localtime(created).date()).days)
    for sid, outcome, n in (
        Placement.objects.filter(school_id__in=school_ids, ended_on__gte=start, ended_on__lte=today)
        .values_list("school_id", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        raw[sid]["ended"] += n
        if outcome in BACK_IN_CLASS:
            raw[sid]["back_n"] += n
    for sid in school_ids:
        raw[sid]["capacity"] = capacity.get(sid) or 0
        raw[sid]["lists"] = lists[sid]
    return raw


def _cells_for(raw: dict) -> dict:
    """The non-count cells of one school (or the total)."""
    placed, capacity = raw["placed"], raw["capacity"]
    occupancy = (
        s.HIDDEN if s.is_small(placed) else s.Cell(round(100 * placed / capacity) if capacity else None, unit="%")
    )
    return {
        "thuis_days": s.statistic(raw["lists"]["thuis_days"], decimals=0),
        "waiting_days": s.statistic(raw["lists"]["waiting_days"], decimals=0),
        "occupancy": occupancy,
        "back": s.percentage(raw["back_n"], raw["ended"]),
    }


def _total(raws: list[dict]) -> dict:
    total = defaultdict(int)
    lists = defaultdict(list)
    for raw in raws:
        for key, value in raw.items():
            if key == "lists":
                for k, v in value.items():
                    lists[k].extend(v)
            else:
                total[key] += value
    total["lists"] = lists
    return total


def _shown_median(values) -> s.Cell:
    return s.count(round(median(values))) if values else s.Cell(None)


def region_figures(*, organisation, schools, today: date | None = None, now: datetime | None = None) -> RegionFigures:
    """Per school of `schools` (a list) and in total; the median school per column."""
    now = now or timezone.now()
    today = today or timezone.localtime(now).date()
    start, _end = school_year(today)
    ids = [school.pk for school in schools]
    raw = _raw_figures(ids, organisation, today, start)
    figures = RegionFigures(organisation=organisation, start=start, computed_at=now, raw=raw)
    figures.columns = [str(label) for _k, label, _kind in COLUMNS]
    per_school = {sid: _cells_for(raw[sid]) for sid in ids}
    for key, _label, kind in COLUMNS:
        if kind == "count":
            cells, _total_cell = s.group([raw[sid][key] for sid in ids])
            for sid, cell in zip(ids, cells, strict=True):
                per_school[sid][key] = cell
    figures.schools = [
        Row(school.name, [per_school[school.pk][key] for key, _l, _k in COLUMNS], {"school_id": school.pk})
        for school in schools
    ]
    total_raw = _total([raw[sid] for sid in ids])
    total_cells = _cells_for(total_raw)
    for key, _label, kind in COLUMNS:
        if kind == "count":
            total_cells[key] = s.group([raw[sid][key] for sid in ids])[1]
    figures.total = [total_cells[key] for key, _l, _k in COLUMNS]
    # The median school. Counts: over every school's true count, shown as "< 5" when small
    # (a median names no school). Percentages and medians of days: over the schools whose
    # own figure is shown (a figure on fewer than 5 pupils is no figure of the school).
    for c, (key, _label, kind) in enumerate(COLUMNS):
        if kind == "count":
            figures.median.append(_shown_median([raw[sid][key] for sid in ids]))
            continue
        shown = [row.cells[c].value for row in figures.schools if row.cells[c].shown is not None]
        unit = "%" if kind == "percent" else ""
        figures.median.append(s.Cell(round(median(shown)), unit=unit) if shown else s.Cell(None))
    return figures


@dataclass
class Comparison:
    organisation: object
    school: object
    rows: list  # (label, own cell, median cell, difference cell)
    computed_at: datetime


def school_against_region(*, school, organisation, today: date | None = None) -> Comparison:
    """The school's own row beside the region's median, the difference suppressed when
    either side is."""
    schools = list(organisation.schools.order_by("name"))
    figures = region_figures(organisation=organisation, schools=schools, today=today)
    own = next(row for row in figures.schools if row.extra["school_id"] == school.pk)
    rows = [
        (label, mine, middle, s.difference(mine, middle))
        for label, mine, middle in zip(figures.columns, own.cells, figures.median, strict=True)
    ]
    return Comparison(organisation, school, rows, figures.computed_at)
