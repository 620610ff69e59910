"""Reads of the daily point card: the figures (day, week, expectation), the trend since
the last evaluation, the graphs, and the coach's day view of a facility.

How the figures are counted (docs/cico.md):
- a **day**: the points of its scored lesson hours divided by the possible points (2 per
  expectation per scored hour). "Afwezig", "geen les" and hours nobody scored count for
  nothing, so a missing hour never pulls the day down; a day without any scored hour has
  no percentage;
- a **week**: the mean of the day percentages of the days that have one (as SWIS CICO);
- an **expectation**: its points over the period divided by 2 × the hours it was scored;
- the **goal**: the card's own (80 % unless set otherwise); a day meets it at or above it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from carecoord.charts import Series, bar_chart, line_chart
from referrals.models import Facility, PlacementEvaluation

from .models import Card, CardDay, CardPeriod, Expectation, PeriodScore, PeriodStatus, Proposal

TREND_POINTS_PER_WEEK = 2  # a slope below this (in percentage points per week) is "stable"


def _short(day: date) -> str:
    return date_format(day, "d-m")


def week_average(percents: list[int | None]) -> float | None:
    values = [p for p in percents if p is not None]
    return round(sum(values) / len(values), 1) if values else None


def slope_per_week(percents: list[int]) -> float | None:
    """Least-squares slope of the day percentages, in percentage points per school week
    (five scored days); None with fewer than three days."""
    n = len(percents)
    if n < 3:
        return None
    mean_x, mean_y = (n - 1) / 2, sum(percents) / n
    num = sum((i - mean_x) * (y - mean_y) for i, y in enumerate(percents))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return round(5 * num / den, 1)


@dataclass
class Summary:
    days: list  # CardDay, oldest first
    average: float | None
    days_scored: int
    days_met: int
    slope: float | None
    goal: int

    @property
    def trend(self) -> str:
        if self.slope is None:
            return ""
        if self.slope > TREND_POINTS_PER_WEEK:
            return "up"
        if self.slope < -TREND_POINTS_PER_WEEK:
            return "down"
        return "flat"

    @property
    def trend_label(self) -> str:
        return {"up": _("stijgend"), "down": _("dalend"), "flat": _("gelijkblijvend")}.get(self.trend, "—")

    @property
    def share_met(self) -> int | None:
        return round(100 * self.days_met / self.days_scored) if self.days_scored else None

    @property
    def suggestion(self) -> str:
        """A starting point for the coach's proposal, never a decision: at or above the goal
        on four of five days for four weeks and not falling, fade out; below it and falling,
        adjust; else continue."""
        if self.days_scored < 5 or self.average is None:
            return ""
        if self.average >= self.goal and self.trend != "down":
            if self.days_scored >= 20 and (self.share_met or 0) >= 80:
                return Proposal.FADE_OUT
            return Proposal.CONTINUE
        if self.trend == "down":
            return Proposal.ADJUST
        return Proposal.CONTINUE

    @property
    def suggestion_label(self) -> str:
        return Proposal(self.suggestion).label if self.suggestion else ""


def card_days(card: Card, *, since: date | None = None, until: date | None = None) -> list[CardDay]:
    qs = CardDay.objects.filter(card=card)
    if since:
        qs = qs.filter(day__gte=since)
    if until:
        qs = qs.filter(day__lte=until)
    return list(qs.order_by("day").only("day", "points", "possible", "checked_out_at", "conclusion"))


def summarise(card: Card, days: list[CardDay]) -> Summary:
    percents = [d.percent for d in days if d.percent is not None]
    return Summary(
        days=days,
        average=week_average(percents),
        days_scored=len(percents),
        days_met=sum(1 for p in percents if p >= card.goal_percent),
        slope=slope_per_week(percents),
        goal=card.goal_percent,
    )


def last_evaluation_on(card: Card) -> date | None:
    return (
        PlacementEvaluation.objects.filter(placement_id=card.placement_id)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )


def since_last_evaluation(card: Card) -> tuple[date, Summary]:
    """The figures from the last evaluation (or the card's start) until today."""
    since = last_evaluation_on(card) or card.start_on
    return since, summarise(card, card_days(card, since=since, until=timezone.localdate()))


def since_title(since: date) -> str:
    return _("Percentage per dag sinds %(date)s") % {"date": date_format(since, "SHORT_DATE_FORMAT")}


# --- graphs -----------------------------------------------------------------------------------


def _goal_label(card: Card) -> str:
    return _("Doel %(n)s %%") % {"n": card.goal_percent}


def daily_chart(card: Card, days: list[CardDay], *, title: str | None = None):
    scored = [d for d in days if d.percent is not None]
    return line_chart(
        title=title or _("Percentage per dag"),
        x_labels=[_short(d.day) for d in scored],
        series=[Series(_("Dag"), [d.percent for d in scored])],
        goal=card.goal_percent,
        goal_label=_goal_label(card),
        x_title=_("Dag"),
        id=f"cico-{card.pk}-days",
    )


def weekly_rows(days: list[CardDay]) -> list[tuple[date, float | None]]:
    weeks: dict[date, list] = {}
    for d in days:
        monday = d.day - timedelta(days=d.day.weekday())
        weeks.setdefault(monday, []).append(d.percent)
    return [(monday, week_average(percents)) for monday, percents in sorted(weeks.items())]


def weekly_chart(card: Card, days: list[CardDay]):
    rows = [(monday, avg) for monday, avg in weekly_rows(days) if avg is not None]
    return bar_chart(
        title=_("Gemiddelde per week"),
        x_labels=[_("wk %(n)s") % {"n": monday.isocalendar()[1]} for monday, _avg in rows],
        series=[Series(_("Week"), [avg for _monday, avg in rows])],
        goal=card.goal_percent,
        goal_label=_goal_label(card),
        x_title=_("Week"),
        id=f"cico-{card.pk}-weeks",
    )


def expectation_chart(card: Card, *, since: date | None = None, until: date | None = None):
    """Per expectation, its percentage per week (one query over the period's scores)."""
    expectations = list(card.expectations.all())
    scores = PeriodScore.objects.filter(day__card=card, status=PeriodStatus.SCORED)
    if since:
        scores = scores.filter(day__day__gte=since)
    if until:
        scores = scores.filter(day__day__lte=until)
    weeks: dict[date, dict[str, list[int]]] = {}
    for day, points in scores.values_list("day__day", "points"):
        monday = day - timedelta(days=day.weekday())
        week = weeks.setdefault(monday, {})
        for key, value in points.items():
            got = week.setdefault(key, [0, 0])
            got[0] += value
            got[1] += 2
    mondays = sorted(weeks)
    series = []
    for e in expectations:
        key = str(e.pk)
        values = []
        for monday in mondays:
            got = weeks[monday].get(key)
            values.append(round(100 * got[0] / got[1]) if got and got[1] else None)
        if any(v is not None for v in values):
            series.append(Series(e.text if len(e.text) <= 40 else e.text[:39] + "…", values))
    return line_chart(
        title=_("Per verwachting, per week"),
        x_labels=[_("wk %(n)s") % {"n": m.isocalendar()[1]} for m in mondays],
        series=series,
        goal=card.goal_percent,
        goal_label=_goal_label(card),
        x_title=_("Week"),
        id=f"cico-{card.pk}-expectations",
    )


# --- the coach's day view -------------------------------------------------------------------


@dataclass
class DayRow:
    card: Card
    today: CardDay | None
    previous: CardDay | None
    hours: list[int]
    scores: dict  # hour -> PeriodScore

    @property
    def open_hours(self) -> list[int]:
        return [h for h in self.hours if h not in self.scores]


def facility_day(*, facility: Facility, day: date) -> list[DayRow]:
    """Every active card of the facility's placements with the day's scores and the last
    earlier day (yesterday's result at check-in). Five queries, whatever the number of pupils."""
    cards = list(
        Card.objects.active()
        .filter(placement__facility=facility)
        .select_related("student__school_class", "placement")
        .prefetch_related(
            Prefetch("expectations", queryset=Expectation.objects.filter(retired_on__isnull=True)),
            Prefetch("periods", queryset=CardPeriod.objects.filter(weekday=day.weekday())),
        )
        .order_by("student__last_name", "student__first_name", "pk")
    )
    ids = [c.pk for c in cards]
    todays = {
        d.card_id: d
        for d in CardDay.objects.filter(card_id__in=ids, day=day).prefetch_related(
            Prefetch("scores", queryset=PeriodScore.objects.select_related("scored_by"))
        )
    }
    # The last scored day of the past three weeks (a holiday in between): later rows win.
    previous = {
        d.card_id: d
        for d in CardDay.objects.filter(
            card_id__in=ids, day__lt=day, day__gte=day - timedelta(days=21), possible__gt=0
        ).order_by("day")
    }
    return [
        DayRow(
            card=c,
            today=todays.get(c.pk),
            previous=previous.get(c.pk),
            hours=sorted(p.hour for p in c.periods.all()),
            scores={s.hour: s for s in todays[c.pk].scores.all()} if c.pk in todays else {},
        )
        for c in cards
    ]


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG (no image request, no style attribute: CSP)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR-code" ', 1)
