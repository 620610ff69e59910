"""This app's menu items and home-page cards (see carecoord/navigation.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.navigation import TRAJECTEN, HomeCard, NavItem
from referrals.navigation import coached_facilities_of


def _has_cards(request) -> bool:
    """Does this school use point cards at all (one query, once per request)?"""
    cached = getattr(request, "_cico_has_cards", None)
    if cached is None:
        from .models import Card

        cached = Card.objects.active().filter(school=request.school).exists()
        request._cico_has_cards = cached
    return cached


def nav_items(request):
    if access.can(request.user, "school.score_cards", request.school) and _has_cards(request):
        return [NavItem(_("Puntenkaarten"), reverse("cico:card_list"), "check2-square", TRAJECTEN)]
    return []


def home_cards(request):
    """The coach: the day's point cards of each room they coach."""
    # The rooms come from the referrals app's list of this request (its board cards come
    # first on the page): no query of its own, and none at all without the coach role. Only
    # a coach's home page asks whether the school uses point cards.
    facilities = coached_facilities_of(request)
    if not facilities or not _has_cards(request):
        return []
    return [
        HomeCard(
            _("Puntenkaarten %(name)s") % {"name": facility.name},
            reverse("cico:facility_day", args=[facility.pk]),
            _("In- en uitchecken, de scores van vandaag tegen het doel."),
            icon="check2-square",
        )
        for facility in facilities
    ]
