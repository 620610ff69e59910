"""Menu items of the records app: the coordinator's review of family links the import found."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.navigation import ZORG, NavItem


def nav_items(request):
    if request.school is None or not access.can(request.user, "school.review_families", request.school):
        return []
    return [NavItem(_("Gezinnen"), reverse("records:family_suggestions"), "people-fill", ZORG)]


def home_cards(request):
    return []
