"""Reads for schools, users and roles."""

from django.db.models import Prefetch

from .models import HolidayPeriod, Membership, User


def school_staff(*, school):
    """The people with a role at `school`, each with `school_memberships` (their roles there).

    Two queries whatever the number of people.
    """
    here = Membership.objects.filter(school=school).order_by("role")
    return (
        User.objects.filter(memberships__school=school)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=here, to_attr="school_memberships"))
        .order_by("name")
    )


def school_calendar(*, school, start=None, end=None):
    """Holidays for `school` (its region's and its own), optionally overlapping [start, end]."""
    qs = HolidayPeriod.objects.for_school(school)
    if start:
        qs = qs.filter(end__gte=start)
    if end:
        qs = qs.filter(start__lte=end)
    return qs.order_by("start")


def holiday_dates(*, school, start, end) -> set:
    """Every date in [start, end] that falls in a holiday of `school` (one query)."""
    from datetime import timedelta

    dates = set()
    for holiday in school_calendar(school=school, start=start, end=end):
        day = max(holiday.start, start)
        while day <= min(holiday.end, end):
            dates.add(day)
            day += timedelta(days=1)
    return dates
