"""This app's menu items and home-page cards (see carecoord/navigation.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access import concerns as concern_access
from carecoord.navigation import BEHEER, ZORG, HomeCard, NavItem


def nav_items(request):
    user, school = request.user, request.school
    items = []
    if access.can(user, "school.raise_concern", school):
        items.append(NavItem(_("Zorg melden"), reverse("concerns:concern_create"), "megaphone", ZORG))
        items.append(NavItem(_("Mijn meldingen"), reverse("concerns:concern_mine"), "chat-square-text", ZORG))
    if concern_access.inbox_in_menu(user, school):
        items.append(NavItem(_("Te behandelen"), reverse("concerns:concern_inbox"), "inbox", ZORG))
    if concern_access.figures_in_menu(user, school):
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
        if count or concern_access.inbox_in_menu(user, school):
            cards.append(
                HomeCard(
                    _("Te behandelen"),
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
