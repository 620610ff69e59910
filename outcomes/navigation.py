"""This app's menu items and home-page cards (see carecoord/navigation.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.navigation import ZORG, HomeCard, NavItem


def nav_items(request):
    user, school = request.user, request.school
    items = []
    if access.can(user, "school.view_outcomes", school):
        items.append(NavItem(_("Uitkomsten"), reverse("outcomes:dashboard"), "graph-up", ZORG))
    if _region_organisation(user) is not None:
        items.append(NavItem(_("Regiocijfers"), reverse("outcomes:region"), "graph-up"))
    return items


def _region_organisation(user):
    organisation = user.organisation if getattr(user, "organisation_id", None) else None
    if organisation is not None and access.can(user, "organisation.view_region_outcomes", organisation):
        return organisation
    return None


def home_cards(request):
    user, school = request.user, request.school
    cards = []
    if access.can(user, "school.view_outcomes", school):
        cards.append(
            HomeCard(
                _("Uitkomsten"),
                reverse("outcomes:dashboard"),
                _("Werkt het? Caseload, wachttijden, bezetting, terug in de klas, verzuim: cijfers zonder namen."),
                icon="graph-up",
            )
        )
    if _region_organisation(user) is not None:
        cards.append(
            HomeCard(
                _("Regiocijfers"),
                reverse("outcomes:region"),
                _("Thuiszitters, aanvragen, bezetting en terug in de klas per school: zonder namen."),
                icon="graph-up",
            )
        )
    return cards
