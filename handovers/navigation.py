"""Menu item of the handover app: the zorgcoördinator's list of handovers from and to the school."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.navigation import ZORG, NavItem


def nav_items(request):
    if request.school is None or not access.can(request.user, "school.handovers", request.school):
        return []
    return [NavItem(_("Overdrachten"), reverse("handovers:list"), "box-arrow-right", ZORG)]


def home_cards(request):
    return []
