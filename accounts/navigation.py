"""Menu items and home cards of accounts: the functional administrator's Beheer menu."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.navigation import BEHEER, HomeCard, NavItem


def nav_items(request):
    items = []
    if access.can(request.user, "region.manage"):
        items.append(NavItem(_("Regio"), reverse("accounts:region_home"), "buildings", BEHEER))
        items.append(NavItem(_("Logboek"), reverse("accounts:region_log"), "journal-text", BEHEER))
    organisation = request.user.organisation if request.user.is_authenticated else None
    if organisation and access.can(request.user, "organisation.invite_professionals", organisation):
        items.append(NavItem(_("Professionals"), reverse("accounts:professionals"), "people", BEHEER))
    if access.can(request.user, "school.manage_users", request.school):
        items.append(NavItem(_("Medewerkers"), reverse("accounts:staff_list"), "people", BEHEER))
    if access.can(request.user, "school.manage_settings", request.school):
        items.append(NavItem(_("School en vrije dagen"), reverse("accounts:school_settings"), "gear", BEHEER))
    if access.can(request.user, "school.view_delivery_log", request.school):
        items.append(NavItem(_("Verzonden e-mails"), reverse("notifications:delivery_log"), "envelope", BEHEER))
    return items


def home_cards(request):
    if access.can(request.user, "region.manage"):
        return [
            HomeCard(
                _("Regio: scholen en partners"),
                reverse("accounts:region_home"),
                _("Scholen, partnerorganisaties en de eerste functioneel beheerder per school."),
                icon="buildings",
            )
        ]
    if not access.can(request.user, "school.manage_users", request.school):
        return []
    return [
        HomeCard(
            _("Medewerkers"), reverse("accounts:staff_list"), _("Wie heeft welke rol op deze school."), icon="people"
        ),
        HomeCard(
            _("School en vrije dagen"),
            reverse("accounts:school_settings"),
            _("Naam, vakantieregio en eigen vrije dagen."),
            icon="gear",
        ),
    ]
