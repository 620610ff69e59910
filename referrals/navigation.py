"""This app's menu items and home-page cards (see carecoord/navigation.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access import placements as placement_access
from carecoord.navigation import TRAJECTEN, HomeCard, NavItem


def _coached_facilities(request):
    """The facilities of this school where the user is a coach (one query, once per request)."""
    cached = getattr(request, "_coached_facilities", None)
    if cached is None:
        cached = list(placement_access.coached_facilities(request.user, request.school))
        request._coached_facilities = cached
    return cached


def nav_items(request):
    user, school = request.user, request.school
    items = []
    if _coached_facilities(request):
        items.append(NavItem(_("Bord"), reverse("referrals:facility_board_home"), "grid-3x3-gap"))
    if access.can(user, "school.manage_referrals", school):
        items.append(NavItem(_("Aanmeldingen"), reverse("referrals:referral_list"), "box-arrow-in-right", TRAJECTEN))
    if access.can(user, "school.manage_referrals", school) or _coached_facilities(request):
        items.append(NavItem(_("Plaatsingen"), reverse("referrals:placement_list"), "door-open", TRAJECTEN))
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
        for facility in _coached_facilities(request)
    ]
    if access.can(user, "school.manage_referrals", school):
        from .models import Placement, Referral, ReferralState

        referrals = Referral.objects.visible_to(user).filter(school=school)
        cards.append(
            HomeCard(
                _("Aanmeldingen"),
                reverse("referrals:referral_list"),
                _("Lopende aanmeldingen: intake, besluit, wachtlijst."),
                figure=referrals.open().count(),
                icon="box-arrow-in-right",
            )
        )
        cards.append(
            HomeCard(
                _("Wachtlijst"),
                reverse("referrals:referral_waiting_list"),
                _("Wie wacht op een plek, en hoe lang al."),
                figure=referrals.filter(state=ReferralState.WAITING).count(),
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
    elif access.can(user, "school.list_facilities", school) and not _coached_facilities(request):
        cards.append(
            HomeCard(
                _("Voorzieningen"),
                reverse("referrals:facility_list"),
                _("Bezetting, terug naar de klas, wachttijden."),
                icon="bar-chart",
            )
        )
    return cards
