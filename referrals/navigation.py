"""This app's menu items and home-page cards (see carecoord/navigation.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from carecoord import access
from carecoord.navigation import BEHEER, TRAJECTEN, ZORG, HomeCard, NavItem

# --- Zorgroute ---------------------------------------------------------------------------

# Roles that work from the concern inbox; others reach it through a home card when a
# concern is assigned to them.
INBOX_ROLES = {Role.ZORGCOORDINATOR, Role.AANDACHTSFUNCTIONARIS, access.PARTNER}


def concern_nav_items(request):
    user, school = request.user, request.school
    items = []
    if access.can(user, "school.raise_concern", school):
        items.append(NavItem(_("Zorg melden"), reverse("referrals:concern_create"), "megaphone", ZORG))
        items.append(NavItem(_("Mijn meldingen"), reverse("referrals:concern_mine"), "chat-square-text", ZORG))
    if request.roles & INBOX_ROLES:
        items.append(NavItem(_("Meldingen"), reverse("referrals:concern_inbox"), "inbox", ZORG))
    if access.can(user, "school.view_concern_figures", school) and Role.ZORGCOORDINATOR not in request.roles:
        items.append(NavItem(_("Cijfers zorgroute"), reverse("referrals:concern_figures"), "bar-chart", ZORG))
    if access.can(user, "school.manage_concern_categories", school):
        items.append(NavItem(_("Zorgroute"), reverse("referrals:category_list"), "signpost-split", BEHEER))
    return items


def concern_home_cards(request):
    from . import selectors

    user, school = request.user, request.school
    cards = []
    if access.can(user, "school.raise_concern", school):
        cards.append(HomeCard(_("Zorg melden"), reverse("referrals:concern_create"), icon="megaphone", primary=True))
        cards.append(
            HomeCard(
                _("Mijn meldingen"),
                reverse("referrals:concern_mine"),
                _("De status en de terugkoppeling van wat je hebt gemeld."),
                icon="chat-square-text",
            )
        )
    if access.can(user, "school.concern_inbox", school):
        count = selectors.open_handled_count(user=user, school=school)
        if count or request.roles & INBOX_ROLES:
            cards.append(
                HomeCard(
                    _("Meldingen"),
                    reverse("referrals:concern_inbox"),
                    _("Open zorgmeldingen die jij behandelt."),
                    figure=count,
                    icon="inbox",
                )
            )
    if access.can(user, "school.view_concern_figures", school):
        cards.append(
            HomeCard(
                _("Cijfers zorgroute"),
                reverse("referrals:concern_figures"),
                _("Meldingen per categorie, thuissituatie, doorlooptijd."),
                icon="bar-chart",
            )
        )
    return cards


# --- Aanmeldingen en voorzieningen ---------------------------------------------------------


def _coached_facilities(request):
    """The facilities of this school where the user is a coach (one query, once per request)."""
    cached = getattr(request, "_coached_facilities", None)
    if cached is None:
        from accounts.models import Role

        from .models import Facility

        cached = []
        if Role.COACH in request.roles:
            cached = list(
                Facility.objects.filter(school=request.school, coaches=request.user, is_active=True).order_by("name")
            )
        request._coached_facilities = cached
    return cached


def trajectory_nav_items(request):
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


def trajectory_home_cards(request):
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


def nav_items(request):
    return [*concern_nav_items(request), *trajectory_nav_items(request)]


def home_cards(request):
    return [*concern_home_cards(request), *trajectory_home_cards(request)]
