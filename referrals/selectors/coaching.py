"""Reads of the kansencoach: the caseload, the nominations and the hours per week against
the budget (seed 004: two hours a week)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Sum
from django.utils import timezone

from ..models import CoachingConversation, CoachingNomination, Facility, Placement, PlacementKind

HOURS_WEEKS = 10  # the hours table and chart: this week and the nine before


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def coaching_caseload(*, facility: Facility):
    """The pupils in coaching now, with their minutes so far and the last conversation
    (one query)."""
    return list(
        Placement.objects.active()
        .filter(facility=facility, kind=PlacementKind.COACHING)
        .select_related("student__school_class", "nomination__nominated_by")
        .annotate(
            minutes_total=Sum("conversations__minutes"),
            conversation_count=Count("conversations"),
            last_conversation_on=Max("conversations__held_on"),
        )
        .order_by("student__last_name", "student__first_name")
    )


def open_nominations(*, user, facility: Facility):
    """The open nominations of this coach `user` may see (the coach: only those the parents
    agreed to), oldest first, each with `consent_ok` (one query)."""
    from carecoord.access.coaching import consent_for_coach_q

    return list(
        CoachingNomination.objects.visible_to(user)
        .open()
        .filter(facility=facility)
        .annotate(consent_ok=consent_for_coach_q())
        .select_related("student__school_class", "nominated_by")
        .order_by("created_at", "pk")
    )


@dataclass
class WeekHours:
    starts_on: date
    minutes: int
    budget_hours: Decimal

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))

    @property
    def over_budget(self) -> bool:
        return Decimal(self.minutes) > self.budget_hours * 60

    @property
    def percent(self) -> int | None:
        if not self.budget_hours:
            return None
        return round(Decimal(self.minutes) / (self.budget_hours * 60) * 100)


def coaching_hours(*, facility: Facility, weeks: int = HOURS_WEEKS, today: date | None = None) -> list[WeekHours]:
    """Minutes of conversations per week (Monday to Sunday), this week last, against the
    facility's hours per week (one query)."""
    today = today or timezone.localdate()
    first = week_start(today) - timedelta(weeks=weeks - 1)
    per_day = (
        CoachingConversation.objects.filter(placement__facility=facility, held_on__gte=first, held_on__lte=today)
        .values("held_on")
        .annotate(minutes=Sum("minutes"))
    )
    totals: dict[date, int] = {}
    for row in per_day:
        monday = week_start(row["held_on"])
        totals[monday] = totals.get(monday, 0) + row["minutes"]
    return [
        WeekHours(first + timedelta(weeks=n), totals.get(first + timedelta(weeks=n), 0), facility.hours_per_week)
        for n in range(weeks)
    ]
