"""The school leader's dashboard: where the school stands, in figures without names.

Every figure goes through outcomes/suppression.py. About a dozen queries whatever the
size of the school (bench/outcomes.py measures a 2,000-pupil school with a year of data).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from absence.models import AbsenceSignal, SignalLevel
from absence.selectors import signal_calendar
from accounts.models import Role
from carecoord import suppression as s
from carecoord.charts import Series, bar_chart
from concerns.models import Concern, ConcernCategory, ConcernStatus
from plans.selectors import plans_evaluation_due, plans_overdue
from referrals.models import Facility, Placement, Referral, ReferralState
from students.models import TimelineEvent

from .common import (
    BACK_IN_CLASS,
    OUTCOME_GROUP_OF,
    OUTCOME_GROUPS,
    Row,
    day_after,
    day_start,
    days_between,
    school_year,
)

TWO_WEEKS = timedelta(days=14)


@dataclass
class Dashboard:
    school: object
    start: date
    end: date
    computed_at: datetime
    caseload: list = field(default_factory=list)  # Row(role, [Cell])
    caseload_total: s.Cell = s.Cell(None)
    categories: list = field(default_factory=list)  # Row(category, [Cell])
    categories_total: s.Cell = s.Cell(None)
    raised: s.Cell = s.Cell(None)
    first_action_days: s.Cell = s.Cell(None)
    open_long: s.Cell = s.Cell(None)
    facilities: list = field(default_factory=list)  # Row(facility, [waiting, median wait now, ...])
    outcome_labels: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)  # Row(facility, cells per outcome group, total)
    outcome_totals: list = field(default_factory=list)
    outcome_grand: s.Cell = s.Cell(None)
    return_rate: s.Cell = s.Cell(None)
    weeks: list = field(default_factory=list)  # Row(week label, [signals, thuiszitters])
    chart: object = None
    signals_now: s.Cell = s.Cell(None)
    thuiszitters_now: s.Cell = s.Cell(None)
    thuiszitter_days: s.Cell = s.Cell(None)
    mas_overdue: s.Cell = s.Cell(None)
    opp_overdue: s.Cell = s.Cell(None)
    opp_evaluation_due: s.Cell = s.Cell(None)

    FACILITY_COLUMNS = (
        "Op de wachtlijst",
        "Wachttijd nu (mediaan, dagen)",
        "Aanmelding tot besluit (mediaan, dagen)",
        "Geplaatst nu",
        "Plaatsen",
        "Bezetting",
    )

    def export_rows(self):
        """(part, label, value) for the XLSX: the same figures as the page, suppressed."""

        def v(cell):
            return str(cell) if cell.suppressed or cell.value is None else cell.value

        period = _("Schooljaar tot nu")
        yield (period, _("Zorgmeldingen gedaan"), v(self.raised))
        yield (period, _("Tijd tot eerste actie (mediaan, dagen)"), v(self.first_action_days))
        yield (period, _("Langer dan twee weken open"), v(self.open_long))
        for row in self.caseload:
            yield (_("Open meldingen per behandelaar"), row.label, v(row.cells[0]))
        yield (_("Open meldingen per behandelaar"), _("Totaal"), v(self.caseload_total))
        for row in self.categories:
            yield (_("Meldingen per categorie"), row.label, v(row.cells[0]))
        yield (_("Meldingen per categorie"), _("Totaal"), v(self.categories_total))
        for row in self.facilities:
            for title, cell in zip(self.FACILITY_COLUMNS, row.cells, strict=True):
                yield (row.label, _(title), v(cell))
        for row in self.outcomes:
            for label, cell in zip(self.outcome_labels, row.cells, strict=False):
                yield (_("Uitkomst: %(facility)s") % {"facility": row.label}, label, v(cell))
            yield (_("Uitkomst: %(facility)s") % {"facility": row.label}, _("Terug in de klas"), v(row.extra["rate"]))
        yield (_("Uitkomsten"), _("Terug in de klas (alle voorzieningen)"), v(self.return_rate))
        for row in self.weeks:
            yield (_("Verzuim per schoolweek"), row.label + " " + _("signalen"), v(row.cells[0]))
            yield (_("Verzuim per schoolweek"), row.label + " " + _("thuiszitters"), v(row.cells[1]))
        yield (_("Verzuim nu"), _("Verzuimsignalen"), v(self.signals_now))
        yield (_("Verzuim nu"), _("Thuiszitters"), v(self.thuiszitters_now))
        yield (_("Verzuim nu"), _("Thuiszitter sinds (mediaan, dagen)"), v(self.thuiszitter_days))
        yield (_("Verzuim nu"), _("MAS-stappen over tijd"), v(self.mas_overdue))
        yield (_("OPP"), _("Niet op tijd vastgesteld (zes weken)"), v(self.opp_overdue))
        yield (_("OPP"), _("Jaarlijkse evaluatie nodig"), v(self.opp_evaluation_due))


def _caseload(school, dash: Dashboard, now):
    """Open concerns per handling role (a partner organisation counts as one role)."""
    labels = dict(Role.choices)
    counts: dict[str, int] = defaultdict(int)
    for role, organisation, n in (
        Concern.objects.filter(school=school)
        .exclude(status=ConcernStatus.CLOSED)
        .values_list("handler_role", "handler_organisation")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if organisation:
            key = _("externe partner")
        elif role:
            key = str(labels.get(role, role))
        else:
            key = _("nog niet toegewezen")
        counts[key] += n
    keys = sorted(counts)
    cells, total = s.group([counts[k] for k in keys])
    dash.caseload = [Row(k, [c]) for k, c in zip(keys, cells, strict=True)]
    dash.caseload_total = total
    dash.open_long = s.count(
        Concern.objects.filter(school=school, created_at__lt=now - TWO_WEEKS)
        .exclude(status=ConcernStatus.CLOSED)
        .count()
    )


def _concerns(school, dash: Dashboard):
    since, until = day_start(dash.start), day_after(dash.end)
    in_year = Q(concerns__created_at__gte=since, concerns__created_at__lt=until)
    categories = list(
        ConcernCategory.objects.filter(school=school)
        .annotate(n=Count("concerns", filter=in_year))
        .order_by("position", "name")
        .values_list("name", "n")
    )
    categories = [(name, n) for name, n in categories if n]
    cells, total = s.group([n for _name, n in categories])
    dash.categories = [Row(name, [c]) for (name, _n), c in zip(categories, cells, strict=True)]
    dash.categories_total = total
    dash.raised = total
    waits = [
        days_between(raised, first)
        for raised, first in Concern.objects.filter(
            school=school, created_at__gte=since, created_at__lt=until, first_action_at__isnull=False
        ).values_list("created_at", "first_action_at")
    ]
    dash.first_action_days = s.statistic(waits, unit=" d")


def _facilities(school, dash: Dashboard, today):
    facilities = list(Facility.objects.filter(school=school, is_active=True).order_by("name"))
    waiting = defaultdict(list)
    decided = defaultdict(list)
    since, until = day_start(dash.start), day_after(dash.end)
    for facility_id, state, created, decided_at in Referral.objects.filter(
        Q(state=ReferralState.WAITING) | Q(decided_at__gte=since, decided_at__lt=until), school=school
    ).values_list("facility_id", "state", "created_at", "decided_at"):
        if state == ReferralState.WAITING:
            waiting[facility_id].append((today - timezone.localtime(created).date()).days)
        if decided_at and since <= decided_at < until:
            decided[facility_id].append(days_between(created, decided_at))
    active = dict(
        Placement.objects.filter(school=school, ended_on__isnull=True)
        .values_list("facility_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    ended = defaultdict(lambda: defaultdict(int))
    for facility_id, outcome, n in (
        Placement.objects.filter(school=school, ended_on__gte=dash.start, ended_on__lte=dash.end)
        .values_list("facility_id", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        ended[facility_id][outcome] += n

    for facility in facilities:
        n_active = active.get(facility.pk, 0)
        occupancy = (
            s.HIDDEN
            if s.is_small(n_active)
            else s.Cell(round(100 * n_active / facility.capacity) if facility.capacity else None, unit="%")
        )
        dash.facilities.append(
            Row(
                facility.name,
                [
                    s.count(len(waiting[facility.pk])),
                    s.statistic(waiting[facility.pk], decimals=0),
                    s.statistic(decided[facility.pk], decimals=0),
                    s.count(n_active),
                    s.Cell(facility.capacity),
                    occupancy,
                ],
            )
        )

    # Outcomes of the placements that ended this school year: facilities x outcome groups,
    # complementary suppression over rows and columns.
    dash.outcome_labels = [str(label) for _key, label, _o in OUTCOME_GROUPS]
    with_ended = [f for f in facilities if ended[f.pk]]
    matrix = []
    for facility in with_ended:
        per_group = defaultdict(int)
        for outcome, n in ended[facility.pk].items():
            per_group[OUTCOME_GROUP_OF.get(outcome, "other")] += n
        matrix.append([per_group[key] for key, _label, _o in OUTCOME_GROUPS])
    cells, row_totals, col_totals, grand = s.table(matrix)
    back_total = 0
    for facility, row, total, counts in zip(with_ended, cells, row_totals, matrix, strict=True):
        back = sum(n for outcome, n in ended[facility.pk].items() if outcome in BACK_IN_CLASS)
        back_total += back
        dash.outcomes.append(Row(facility.name, [*row, total], {"rate": s.percentage(back, sum(counts))}))
    dash.outcome_totals = [*col_totals, grand]
    dash.outcome_grand = grand
    dash.return_rate = s.percentage(back_total, sum(map(sum, matrix)))


def level_per_week(events, mondays: list[date]) -> list[tuple[int, int]]:
    """From the pupils' signal changes (student id, moment, level) in time order, per school
    week (its Monday) the number of pupils with a signal and of thuiszitters at the week's end."""
    per_pupil: dict[int, list] = defaultdict(list)
    for student_id, occurred_at, level in events:
        per_pupil[student_id].append((timezone.localtime(occurred_at).date(), level))
    out = []
    ends = [monday + timedelta(days=6) for monday in mondays]
    counts = [[0, 0] for _m in mondays]
    for changes in per_pupil.values():
        i, level = 0, 0
        for w, end in enumerate(ends):
            while i < len(changes) and changes[i][0] <= end:
                level = changes[i][1]
                i += 1
            if level >= SignalLevel.EARLY:
                counts[w][0] += 1
            if level >= SignalLevel.THUISZITTER:
                counts[w][1] += 1
    out = [tuple(c) for c in counts]
    return out


def _absence(school, dash: Dashboard, today):
    cal = signal_calendar(school=school, start=dash.start, end=min(dash.end, today))
    mondays = [m for m in cal.mondays if dash.start - timedelta(days=6) <= m <= today]
    events = (
        TimelineEvent.objects.filter(
            kind="absence.signal", student__school=school, occurred_at__lt=day_after(min(dash.end, today))
        )
        .order_by("student_id", "occurred_at", "pk")
        .values_list("student_id", "occurred_at", "params__level")
    )
    per_week = level_per_week(events, mondays)
    labels = [f"{m:%d-%m}" for m in mondays]
    signals = s.series([a for a, _b in per_week])
    thuis = s.series([b for _a, b in per_week])
    dash.weeks = [Row(label, [a, b]) for label, a, b in zip(labels, signals, thuis, strict=True)]
    top = max([a for a, _b in per_week] + [5])
    dash.chart = bar_chart(
        title=_("Verzuimsignalen en thuiszitters per schoolweek"),
        x_labels=labels,
        series=[Series(_("Leerlingen met een verzuimsignaal"), signals), Series(_("Thuiszitters"), thuis)],
        unit="",
        y_max=_nice(top),
        x_title=_("Schoolweek (maandag)"),
        summary=_(
            "Aantal leerlingen aan het eind van elke schoolweek; vakantieweken tellen niet mee. Onder 5 staat er '< 5'."
        ),
        table_open_rows=0,
    )
    now_rows = list(
        AbsenceSignal.objects.filter(school=school, level__gte=SignalLevel.EARLY).values_list(
            "level", "absent_since", "next_step_due"
        )
    )
    dash.signals_now = s.count(len(now_rows))
    thuis_now = [(today - since).days for level, since, _due in now_rows if level >= SignalLevel.THUISZITTER and since]
    dash.thuiszitters_now = s.count(sum(1 for level, _s, _d in now_rows if level >= SignalLevel.THUISZITTER))
    dash.thuiszitter_days = s.statistic(thuis_now, decimals=0)
    dash.mas_overdue = s.count(sum(1 for _l, _s, due in now_rows if due and due < today))


def _nice(top: float) -> float:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top <= step:
            return step
    return float(top)


def _plans(school, dash: Dashboard, today):
    dash.opp_overdue = s.count(plans_overdue(school=school, today=today).count())
    dash.opp_evaluation_due = s.count(plans_evaluation_due(school=school).count())


def leader_dashboard(*, school, today: date | None = None, now: datetime | None = None) -> Dashboard:
    """The dashboard of `school` for the school year up to today, every figure suppressed."""
    now = now or timezone.now()
    today = today or timezone.localtime(now).date()
    start, end = school_year(today)
    dash = Dashboard(school=school, start=start, end=min(end, today), computed_at=now)
    _caseload(school, dash, now)
    _concerns(school, dash)
    _facilities(school, dash, today)
    _absence(school, dash, today)
    _plans(school, dash, today)
    return dash
