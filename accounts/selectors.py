"""Reads for schools, users and roles."""

from django.db.models import Exists, OuterRef, Prefetch

from .models import HolidayPeriod, Membership, User


def school_staff(*, school):
    """The people with a role at `school`, each with `school_memberships` (their roles there)
    and `has_two_factor` (an authenticator app or passkey).

    Two queries whatever the number of people.
    """
    from allauth.mfa.models import Authenticator

    here = Membership.objects.filter(school=school).select_related("school").order_by("role")
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


# --- Applicatiebeheer and invitations ------------------------------------------------------------


def region_schools():
    """Every school of the installation with its number of functioneel beheerders and open
    invitations (one query)."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from carecoord.access.region import administrators_q

    from .models import School

    now = timezone.now()
    return School.objects.annotate(
        administrators=Count(
            "memberships",
            filter=administrators_q(prefix="memberships__") & Q(memberships__user__is_active=True),
            distinct=True,
        ),
        open_invitations=Count(
            "invitations",
            filter=Q(
                invitations__accepted_at__isnull=True,
                invitations__revoked_at__isnull=True,
                invitations__expires_at__gt=now,
            ),
            distinct=True,
        ),
    ).order_by("name")


def region_organisations():
    from django.db.models import Count

    from .models import Organisation

    return (
        Organisation.objects.select_related("contact")
        .prefetch_related("schools")
        .annotate(professionals=Count("users", distinct=True))
        .order_by("name")
    )


def school_administrators(*, school):
    from carecoord.access.region import administrators_q

    return User.objects.filter(administrators_q(prefix="memberships__"), memberships__school=school).distinct()


def administrator_invitations(*, school):
    from carecoord.access.region import first_administrator_roles

    from .models import Invitation

    return [
        i
        for i in Invitation.objects.filter(school=school).select_related("user", "invited_by")
        if set(i.invited_roles) & set(first_administrator_roles())
    ]


def school_invitations(*, school):
    """The school's invitations that are not accepted (open, expired or revoked), newest first."""
    from .models import Invitation

    return Invitation.objects.filter(school=school, accepted_at__isnull=True).select_related(
        "user", "invited_by", "school"
    )


def roles_that_do_not_count(*, school):
    """What holds a role that means nothing at `school` (its type changed since: an IB'er at a
    school that is VO now; the rule is carecoord.access.accounts' `roles_not_counting_at`): the
    people, each with those roles, and the open invitations naming one. Two queries (none where
    every role counts)."""
    from carecoord.access.accounts import roles_not_counting_at

    from .models import Invitation

    out_of_place = set(roles_not_counting_at(school))
    if not out_of_place:  # a PO or SO school: every role counts
        return [], []
    people = {}
    memberships = Membership.objects.filter(school=school, role__in=out_of_place).select_related("user")
    for membership in memberships.order_by("user__name", "user__email", "role"):
        people.setdefault(membership.user, []).append(membership.role)
    invitations = [
        invitation
        for invitation in Invitation.objects.open().filter(school=school).select_related("user").order_by("user__email")
        if out_of_place.intersection(invitation.invited_roles)
    ]
    return list(people.items()), invitations


def organisation_professionals(*, organisation):
    """The professionals of a partner organisation, switched-off ones included (they are in
    the change log; the list says so), with their organisation (for the access rule)."""
    return User.objects.filter(organisation=organisation).select_related("organisation").order_by("-is_active", "name")


def organisation_invitations(*, organisation):
    from .models import Invitation

    return Invitation.objects.filter(organisation=organisation).select_related("user", "invited_by", "organisation")


def onboarding_log():
    """The changes applicatiebeheer reads: schools, partner organisations, roles, invitations
    (carecoord/access/region.py ONBOARDING_KINDS); never a change about a pupil."""
    from functools import reduce
    from operator import or_

    from django.db.models import Q

    from audit.models import Change
    from carecoord.access.region import onboarding_kinds

    kinds = reduce(or_, (Q(kind__startswith=k) for k in onboarding_kinds()))
    return Change.objects.filter(kinds, student__isnull=True).select_related("actor", "school").order_by("-at", "-pk")
