"""The task list in the menu, with the number of tasks due today or overdue."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.navigation import BEHEER, NavItem


def _signed_in_fully(request) -> bool:
    """The count loads by itself after the page: not while the second factor is still to come
    (its request would be sent on to the code step and take the page with it)."""
    from accounts import twofactor
    from carecoord.access.twofactor import two_factor_required

    return twofactor.second_factor_passed(request) or not two_factor_required(request.user)


def nav_items(request):
    items = []
    if access.can(request.user, "school.view_tasks", request.school):
        badge = reverse("todo:menu_count") if _signed_in_fully(request) else None
        items.append(NavItem(_("Mijn taken"), reverse("todo:list"), "list-check", badge_url=badge))
    if access.can(request.user, "school.view_schedule", request.school):
        items.append(NavItem(_("Geplande taken"), reverse("todo:schedule"), "clock-history", BEHEER))
    return items


def home_cards(request):
    return []
