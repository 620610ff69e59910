"""This app's menu items and home-page cards (see carecoord/navigation.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access import placements as placement_access
from carecoord.navigation import TRAJECTEN, HomeCard, NavItem

from .models import FacilityKind


def coached_facilities_of(request):
    """The facilities of this school where the user is a coach (one query, once per request;
    no query without the coach role). The point cards' home card (cico) reads it too."""
    cached = getattr(request, "_coached_facilities", None)
    if cached is None:
        cached = list(placement_access.coached_facilities(request.user, request.school))
        request._coached_facilities = cached
    return cached


def _kansencoaches(request):
    """The school's kansencoach facilities in use (one query, once per request)."""
    cached = getattr(request, "_kansencoaches", None)
    if cached is None:
        from .models import Facility, FacilityKind

        cached = list(
            Facility.objects.filter(school=request.school, kind=FacilityKind.KANSENCOACH, is_active=True).order_by(
                "name"
            )
        )
        request._kansencoaches = cached
    return cached


def _caseloads(request):
    """The kansencoach caseloads this user may open (the coach's own; the IB'er's all)."""
    if request.school is None:
        return []
    return [f for f in _kansencoaches(request) if access.can(request.user, "facility.view_caseload", f)]


def nav_items(request):
    user, school = request.user, request.school
    items = []
    if any(f.kind != FacilityKind.KANSENCOACH for f in coached_facilities_of(request)):
        items.append(NavItem(_("Bord"), reverse("referrals:facility_board_home"), "grid-3x3-gap"))
    if access.can(user, "school.manage_referrals", school):
        items.append(NavItem(_("Aanmeldingen"), reverse("referrals:referral_list"), "box-arrow-in-right", TRAJECTEN))
    if access.can(user, "school.manage_referrals", school) or coached_facilities_of(request):
        items.append(NavItem(_("Plaatsingen"), reverse("referrals:placement_list"), "door-open", TRAJECTEN))
    for facility in _caseloads(request):
        items.append(
            NavItem(
                _("Kansencoach") if len(_kansencoaches(request)) == 1 else facility.name,
                reverse("referrals:coaching_caseload", args=[facility.pk]),
                "chat-heart",
                TRAJECTEN,
            )
        )
    if school is not None and _kansencoaches(request) and access.can(user, "school.nominate_for_coaching", school):
        items.append(
            NavItem(
                _("Voordragen kansencoach"), reverse("referrals:coaching_nominate"), "person-raised-hand", TRAJECTEN
            )
        )
    if access.can(user, "school.list_facilities", school):
        items.append(NavItem(_("Voorzieningen"), reverse("referrals:facility_list"), "building", TRAJECTEN))
    return items


def home_cards(request):
    user, school = request.user, request.school
    cards = [
        HomeCard(
            _("Bord %(name)s") % {"name": facility.name},
            reverse("referrals:facility_board", args=[facility.pk]),
            icon="grid-3x3-gap",
            primary=True,
        )
        for facility in coached_facilities_of(request)
        if facility.kind != FacilityKind.KANSENCOACH
    ]
    # The kansencoach has no board: a caseload, and the hours of this week.
    from .models import CoachingNomination

    for facility in _caseloads(request):
        if access.can(user, "school.manage_referrals", school) or facility in coached_facilities_of(request):
            cards.append(
                HomeCard(
                    _("Kansencoach: %(name)s") % {"name": facility.name},
                    reverse("referrals:coaching_caseload", args=[facility.pk]),
                    _("Leerlingen in begeleiding, voordrachten en uren tegen het budget."),
                    figure=CoachingNomination.objects.visible_to(user).open().filter(facility=facility).count(),
                    icon="chat-heart",
                    primary=facility in coached_facilities_of(request),
                )
            )
    if access.can(user, "school.manage_referrals", school):
        from django.db.models import Count, Q

        from .models import OPEN_STATES, Placement, Referral, ReferralState

        # Both figures in one query (the home page is opened often): open as in `.open()`.
        referrals = (
            Referral.objects.visible_to(user)
            .filter(school=school)
            .aggregate(
                open=Count("pk", filter=Q(state__in=OPEN_STATES)),
                waiting=Count("pk", filter=Q(state=ReferralState.WAITING)),
            )
        )
        cards.append(
            HomeCard(
                _("Aanmeldingen"),
                reverse("referrals:referral_list"),
                _("Lopende aanmeldingen: intake, besluit, wachtlijst."),
                figure=referrals["open"],
                icon="box-arrow-in-right",
            )
        )
        cards.append(
            HomeCard(
                _("Wachtlijst"),
                reverse("referrals:referral_waiting_list"),
                _("Wie wacht op een plek, en hoe lang al."),
                figure=referrals["waiting"],
                icon="hourglass-split",
            )
        )
        due = (
            Placement.objects.visible_to(user)
            .filter(
                school=school,
                ended_on__isnull=True,
                next_evaluation_on__lte=timezone.localdate() + timezone.timedelta(days=14),
            )
            .count()
        )
        cards.append(
            HomeCard(
                _("Evaluaties binnen twee weken"),
                reverse("referrals:placement_list"),
                _("Plaatsingen waarvan de evaluatie eraan komt of over tijd is."),
                figure=due,
                icon="clipboard-check",
            )
        )
    elif access.can(user, "school.list_facilities", school) and not coached_facilities_of(request):
        cards.append(
            HomeCard(
                _("Voorzieningen"),
                reverse("referrals:facility_list"),
                _("Bezetting, terug naar de klas, wachttijden."),
                icon="bar-chart",
            )
        )
    return cards
