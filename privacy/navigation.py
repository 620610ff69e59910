"""Menu items of the privacy app: the beheerder's retention terms and report."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.navigation import BEHEER, NavItem


def nav_items(request):
    if request.school is None or not access.can(request.user, "school.manage_retention", request.school):
        return []
    return [NavItem(_("Bewaartermijnen"), reverse("privacy:retention"), "hourglass-split", BEHEER)]


def home_cards(request):
    return []
