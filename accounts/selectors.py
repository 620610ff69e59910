"""Reads for schools, users and roles."""

from django.db.models import Exists, OuterRef, Prefetch

from .models import HolidayPeriod, Membership, User


def school_staff(*, school):
    """The people with a role at `school`, each with `school_memberships` (their roles there)
    and `has_two_factor` (an authenticator app or passkey).

    Two queries whatever the number of people.
    """
    from allauth.mfa.models import Authenticator

    here = Membership.objects.filter(school=school).order_by("role")
    devices = Authenticator.objects.filter(
        user=OuterRef("pk"), type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    )
    return (
        User.objects.filter(memberships__school=school)
        .distinct()
        .annotate(has_two_factor=Exists(devices))
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


def two_factor_status(*, user):
    """What second factors `user` has (their kinds) and the last reset (or None)."""
    from allauth.mfa.models import Authenticator

    kinds = sorted(set(Authenticator.objects.filter(user=user).values_list("type", flat=True)))
    last_reset = user.two_factor_resets.select_related("reset_by").first()
    return {
        "kinds": kinds,
        "enrolled": bool(set(kinds) - {Authenticator.Type.RECOVERY_CODES}),
        "last_reset": last_reset,
    }
