"""This app's menu items and home-page cards (see carecoord/navigation.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from carecoord import access
from carecoord.navigation import BEHEER, ZORG, HomeCard, NavItem

# Roles that work from the concern inbox; others reach it through a home card when a
# concern is assigned to them.
INBOX_ROLES = {Role.ZORGCOORDINATOR, Role.AANDACHTSFUNCTIONARIS, access.PARTNER}


def nav_items(request):
    user, school = request.user, request.school
    items = []
    if access.can(user, "school.raise_concern", school):
        items.append(NavItem(_("Zorg melden"), reverse("concerns:concern_create"), "megaphone", ZORG))
        items.append(NavItem(_("Mijn meldingen"), reverse("concerns:concern_mine"), "chat-square-text", ZORG))
    if request.roles & INBOX_ROLES:
        items.append(NavItem(_("Meldingen"), reverse("concerns:concern_inbox"), "inbox", ZORG))
    if access.can(user, "school.view_concern_figures", school) and Role.ZORGCOORDINATOR not in request.roles:
        items.append(NavItem(_("Cijfers zorgroute"), reverse("concerns:concern_figures"), "bar-chart", ZORG))
    if access.can(user, "school.manage_concern_categories", school):
        items.append(NavItem(_("Zorgroute"), reverse("concerns:category_list"), "signpost-split", BEHEER))
    return items


def home_cards(request):
    from . import selectors

    user, school = request.user, request.school
    cards = []
    if access.can(user, "school.raise_concern", school):
        cards.append(HomeCard(_("Zorg melden"), reverse("concerns:concern_create"), icon="megaphone", primary=True))
        cards.append(
            HomeCard(
                _("Mijn meldingen"),
                reverse("concerns:concern_mine"),
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
                    reverse("concerns:concern_inbox"),
                    _("Open zorgmeldingen die jij behandelt."),
                    figure=count,
                    icon="inbox",
                )
            )
    if access.can(user, "school.view_concern_figures", school):
        cards.append(
            HomeCard(
                _("Cijfers zorgroute"),
                reverse("concerns:concern_figures"),
                _("Meldingen per categorie, thuissituatie, doorlooptijd."),
                icon="bar-chart",
            )
        )
    return cards
