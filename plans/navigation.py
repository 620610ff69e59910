"""Menu items and home cards of the plans app (see carecoord/navigation.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.navigation import TRAJECTEN, HomeCard, NavItem


def nav_items(request):
    user, school = request.user, request.school
    items = []
    if access.can(user, "school.plan_tasks", school):
        items.append(NavItem(_("OPP-taken"), reverse("plans:tasks"), "clipboard2-check", TRAJECTEN))
        items.append(NavItem(_("Aanvragen SWV"), reverse("plans:request_list"), "send", TRAJECTEN))
        items.append(NavItem(_("Doorverwijzingen"), reverse("plans:referral_list"), "box-arrow-up-right", TRAJECTEN))
    elif access.can(user, "school.list_swv_requests", school):
        items.append(NavItem(_("Aanvragen"), reverse("plans:request_list"), "send"))
    elif access.can(user, "school.list_external_referrals", school):
        items.append(NavItem(_("Doorverwijzingen"), reverse("plans:referral_list"), "box-arrow-up-right"))
    return items


def home_cards(request):
    user, school = request.user, request.school
    cards = []
    if access.can(user, "school.plan_tasks", school):
        from . import selectors

        count = selectors.coordinator_task_count(school=school)
        cards.append(
            HomeCard(
                _("OPP en samenwerkingsverband"),
                reverse("plans:tasks"),
                _("OPP's die vastgesteld of geëvalueerd moeten worden, besluiten en vragen van het SWV."),
                figure=count,
                icon="clipboard2-check",
            )
        )
    elif access.can(user, "school.list_swv_requests", school):
        from .models import SupportRequest

        count = SupportRequest.objects.visible_to(user).open().count()
        cards.append(
            HomeCard(
                _("Aanvragen"),
                reverse("plans:request_list"),
                _("Aanvragen voor arrangementen en TLV's die op een besluit wachten."),
                figure=count,
                icon="send",
                primary=True,
            )
        )
    return cards
