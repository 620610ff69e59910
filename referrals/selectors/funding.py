"""The funding report of a group arrangement: per month of the contract, the hours
contracted against the hours delivered — in the room (the board's visits: the time the
group met) and outside it (the worker's log: families, parents, the teacher)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.selectors import holiday_dates

from ..models import Facility, GroupContact, GroupFunding, Visit
from .figures import _minutes, _union_minutes
from .timetable import day_bounds


@dataclass
class FundingMonth:
    month: date  # the first of the month
    school_days: int
    contracted: float | None  # hours; None when the contract is a budget only
    board: float  # hours the group met (someone checked in)
    contacts: float  # hours of the worker's log
    delivered: float

    @property
    def difference(self) -> float | None:
        return None if self.contracted is None else round(self.delivered - self.contracted, 2)


@dataclass
class FundingReport:
    funding: GroupFunding | None
    months: list  # FundingMonth, oldest first
    contacts: list  # the latest GroupContact rows


def _months(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def funding_report(*, facility: Facility, now: datetime | None = None) -> FundingReport:
    """The current (else the latest) funding of `facility` and its months up to today.
    Five queries, whatever the length of the contract or the number of visits."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    fundings = list(GroupFunding.objects.filter(facility=facility).select_related("worker").order_by("-starts_on"))
    funding = next((f for f in fundings if f.starts_on <= today <= f.ends_on), fundings[0] if fundings else None)
    contacts = list(GroupContact.objects.filter(facility=facility).select_related("worker")[:10])
    if funding is None or funding.starts_on > today:
        return FundingReport(funding, [], contacts)
    first, last = funding.starts_on, min(funding.ends_on, today)
    lower, _ = day_bounds(first)
    _, upper = day_bounds(last)
    visits = list(
        Visit.objects.filter(facility=facility, checked_in_at__gte=lower, checked_in_at__lt=upper).only(
            "checked_in_at", "checked_out_at"
        )
    )
    logged = GroupContact.objects.filter(facility=facility, on__gte=first, on__lte=last).values_list("on", "minutes")
    off = holiday_dates(school=facility.school, start=first, end=last)

    per_day: dict[date, list] = {}
    for visit in visits:
        day = timezone.localtime(visit.checked_in_at).date()
        per_day.setdefault(day, []).append(
            (visit.checked_in_at, visit.checked_in_at + timedelta(minutes=_minutes(visit, now)))
        )
    contact_minutes: dict[date, int] = {}
    for on, minutes in logged:
        month = on.replace(day=1)
        contact_minutes[month] = contact_minutes.get(month, 0) + minutes

    rows = []
    for month in _months(first, last):
        start, end = max(month, first), min(_month_end(month), last)
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        school_days = sum(1 for d in days if d.weekday() < 5 and d not in off)
        board = sum(_union_minutes(per_day[d]) for d in days if d in per_day) / 60
        contacts_h = contact_minutes.get(month, 0) / 60
        contracted = None
        if funding.hours_per_week is not None:
            # Contracted per school week (five school days); holidays are no school days.
            contracted = round(float(funding.hours_per_week * Decimal(school_days) / 5), 2)
        rows.append(
            FundingMonth(
                month, school_days, contracted, round(board, 2), round(contacts_h, 2), round(board + contacts_h, 2)
            )
        )
    return FundingReport(funding, rows, contacts)
