"""A pupil's before / during / after of one placement: absence per school week for the 8
school weeks before the start, the weeks of the placement and the 8 after its end (school
weeks only: a holiday week is skipped, not counted as a week without absence), concerns
raised per month, the point card's weekly average, with the events marked: the placement's
start and end, its evaluations and the ondersteuningsteam's decisions about the pupil.

These are the pupil's own figures (care data): the view writes the read log. No
suppression: it is one pupil, seen by their coordinator. The OT decisions are only those
the viewer may see (carecoord/access/meetings.py) and are marked by date, never by their
text: the decision itself stays on the meeting page."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from absence.models import AbsenceKind, AbsenceRecord
from absence.selectors import signal_calendar
from carecoord.charts import Marker, Series, line_chart
from cico.models import CardDay
from concerns.models import Concern
from meetings.models import AgendaItem, MeetingKind, MeetingStatus

WEEKS_AROUND = 8

BEFORE, DURING, AFTER = "before", "during", "after"
PHASE_LABELS = {BEFORE: "voor", DURING: "tijdens", AFTER: "na"}


@dataclass
class WeekRow:
    monday: date
    phase: str
    unauthorised: float  # hours
    authorised: float
    card_percent: float | None = None

    @property
    def phase_label(self) -> str:
        return _(PHASE_LABELS[self.phase])


@dataclass
class PhaseTotal:
    phase: str
    weeks: int
    unauthorised: float
    authorised: float

    @property
    def label(self) -> str:
        return _(PHASE_LABELS[self.phase])

    @property
    def per_week(self) -> float | None:
        return round(self.unauthorised / self.weeks, 1) if self.weeks else None


@dataclass
class PupilOutcome:
    placement: object
    weeks: list = field(default_factory=list)
    phases: list = field(default_factory=list)
    months: list = field(default_factory=list)  # (first of month, concerns raised)
    events: list = field(default_factory=list)  # (date, label)
    chart: object = None
    card_chart: object = None  # the point card's weekly average, when the pupil has a card
    has_card: bool = False


def _week_ranges(cal, start: date, end: date | None, today: date) -> list[tuple[int, str]]:
    """(school week number, phase) for the 8 school weeks before `start`, the weeks from
    `start` to `end` (today while the placement runs), and up to 8 after `end` (not past today)."""
    first = cal.week_at(start)
    # `week_at` gives the week containing the day or the last one before it; a start in a
    # holiday week belongs to the first school week after it.
    if first < 0 or cal.mondays[first] + timedelta(days=6) < start:
        first += 1
    last_day = min(end or today, today)
    last = cal.week_at(last_day)
    today_week = cal.week_at(today)
    weeks = [(w, BEFORE) for w in range(max(first - WEEKS_AROUND, 0), first)]
    weeks += [(w, DURING) for w in range(first, last + 1)]
    if end is not None:
        weeks += [(w, AFTER) for w in range(last + 1, min(last + WEEKS_AROUND, today_week) + 1)]
    return [(w, phase) for w, phase in weeks if 0 <= w < len(cal.mondays)]


def _ot_decisions(*, student, viewer, first: date, last: date) -> list[tuple[date, str]]:
    """(meeting date, label) per ondersteuningsteam meeting between `first` and `last` with
    the pupil on its agenda that `viewer` may see. One query, however many meetings."""
    items = (
        AgendaItem.objects.visible_to(viewer)
        .filter(
            student=student,
            meeting__kind=MeetingKind.OT,
            meeting__status=MeetingStatus.PLANNED,
            meeting__starts_at__date__gte=first,
            meeting__starts_at__date__lte=last,
        )
        # Whether a decision was recorded, not what it says: the label carries no decision text.
        .annotate(decided=ExpressionWrapper(~Q(decision=""), output_field=BooleanField()))
        .order_by("meeting__starts_at")
        .values_list("meeting__starts_at", "decided")
    )
    return [
        (timezone.localtime(starts_at).date(), _("OT-besluit") if decided else _("OT-bespreking"))
        for starts_at, decided in items
    ]


def pupil_outcome(*, placement, viewer, today: date | None = None) -> PupilOutcome:
    """The figures of `placement`'s pupil around it, as `viewer` may see them. Six queries
    (the OT decisions are one, however many meetings)."""
    today = today or timezone.localdate()
    student = placement.student
    start, end = placement.start_on, placement.ended_on
    # Calendar weeks enough for 8 school weeks either side across the longest holiday.
    span_start = start - timedelta(weeks=WEEKS_AROUND + 9)
    span_end = min((end or today) + timedelta(weeks=WEEKS_AROUND + 9), today)
    cal = signal_calendar(school=student.school, start=span_start, end=max(span_end, start))
    weeks = _week_ranges(cal, start, end, today)
    out = PupilOutcome(placement=placement)
    if not weeks:
        return out
    first_monday = cal.mondays[weeks[0][0]]
    last_sunday = cal.mondays[weeks[-1][0]] + timedelta(days=6)

    minutes = defaultdict(lambda: [0, 0])
    for day, kind, n in AbsenceRecord.objects.filter(
        student=student,
        date__gte=first_monday,
        date__lte=last_sunday,
        kind__in=[AbsenceKind.UNAUTHORISED, AbsenceKind.AUTHORISED],
    ).values_list("date", "kind", "minutes"):
        if day not in cal.week_of:
            continue  # a registration on a holiday or weekend day is no school absence
        minutes[cal.week_of[day]][0 if kind == AbsenceKind.UNAUTHORISED else 1] += n

    card = defaultdict(list)
    goals = set()
    for day, points, possible, goal in CardDay.objects.filter(
        card__student=student, day__gte=first_monday, day__lte=last_sunday, possible__gt=0
    ).values_list("day", "points", "possible", "card__goal_percent"):
        if day in cal.week_of:
            card[cal.week_of[day]].append(100 * points / possible)
            goals.add(goal)
    out.has_card = bool(card)

    for w, phase in weeks:
        un, au = minutes[w]
        percents = card.get(w)
        out.weeks.append(
            WeekRow(
                cal.mondays[w],
                phase,
                round(un / 60, 1),
                round(au / 60, 1),
                round(sum(percents) / len(percents)) if percents else None,
            )
        )
    for phase in (BEFORE, DURING, AFTER):
        rows = [r for r in out.weeks if r.phase == phase]
        if rows or phase != AFTER or end is not None:
            out.phases.append(
                PhaseTotal(
                    phase,
                    len(rows),
                    round(sum(r.unauthorised for r in rows), 1),
                    round(sum(r.authorised for r in rows), 1),
                )
            )

    counts = dict(
        Concern.objects.filter(
            student=student, created_at__date__gte=first_monday.replace(day=1), created_at__date__lte=last_sunday
        )
        .annotate(month=TruncMonth("created_at"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {timezone.localtime(k).date().replace(day=1) if hasattr(k, "hour") else k: v for k, v in counts.items()}
    month = first_monday.replace(day=1)
    while month <= last_sunday:
        out.months.append((month, counts.get(month, 0)))
        month = (month + timedelta(days=32)).replace(day=1)

    out.events = [(start, _("start plaatsing"))]
    out.events += [
        (held_on, _("evaluatie: %(decision)s") % {"decision": label})
        for held_on, label in (
            (e.held_on, e.get_decision_display()) for e in placement.evaluations.all().order_by("held_on")
        )
    ]
    if end:
        out.events.append((end, _("einde plaatsing")))
    # The meetings of the weeks shown, up to today (a meeting still to come decided nothing).
    out.events += _ot_decisions(student=student, viewer=viewer, first=first_monday, last=min(last_sunday, today))
    out.events.sort(key=lambda event: event[0])  # stable: on one day the placement's own events first
    mondays = [r.monday for r in out.weeks]
    markers = []
    for day, label in out.events:
        index = max((i for i, m in enumerate(mondays) if m <= day), default=None)
        if index is not None:
            markers.append(Marker(index, f"{day:%d-%m-%Y}: {label}"))
    top = max([r.unauthorised + r.authorised for r in out.weeks] + [4])
    out.chart = line_chart(
        title=_("Verzuim per schoolweek, voor, tijdens en na de plaatsing"),
        x_labels=[f"{r.monday:%d-%m}" for r in out.weeks],
        series=[
            Series(_("Ongeoorloofd (uur)"), [r.unauthorised for r in out.weeks]),
            Series(_("Geoorloofd (uur)"), [r.authorised for r in out.weeks]),
        ],
        unit=" u",
        y_max=float(-(-top // 4) * 4),
        x_title=_("Schoolweek (maandag)"),
        summary=_("Vakantieweken tellen niet mee. De lijnen met nummers zijn gebeurtenissen (zie de lijst)."),
        markers=markers,
        table_open_rows=0,
    )
    if out.has_card:
        # A goal line only when every card of these weeks had the same goal.
        goal = next(iter(goals)) if len(goals) == 1 else None
        # Its own chart under the absence chart, on the same weeks with the same events: a
        # percentage on the hours' axis would mislead. The figures stay in the week table too.
        out.card_chart = line_chart(
            title=_("Puntenkaart: gemiddelde per schoolweek"),
            x_labels=[f"{r.monday:%d-%m}" for r in out.weeks],
            series=[Series(_("Puntenkaart (gemiddeld)"), [r.card_percent for r in out.weeks])],
            goal=goal,
            goal_label=_("Doel %(n)s %%") % {"n": goal} if goal is not None else "",
            x_title=_("Schoolweek (maandag)"),
            summary=_(
                "Het gemiddelde van de dagscores van de puntenkaart per schoolweek; dezelfde gebeurtenissen als hierboven."
            ),
            markers=markers,
            table_open_rows=0,
        )
    return out
