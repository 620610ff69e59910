"""What each app adds to the shell: menu items and cards on the home page.

Every app has a `navigation.py` with `nav_items(request)` and `home_cards(request)`;
both return only what the user's roles at `request.school` allow (the app asks the
access module). The shell lists the apps here, in menu order.
"""

import logging
from dataclasses import dataclass, replace
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# The menu is the same on every page of one user at one school with the same roles; asking
# thirteen apps for it cost about a quarter of a simple page's server time. It is kept a
# minute: a menu item that depends on data rather than on roles (a coach newly linked to a
# facility gets "Bord") appears within a minute (settings.NAV_MENU_SECONDS). Links only:
# every view checks access itself.

APPS = [
    "todo",
    "students",
    "concerns",
    "referrals",
    "cico",
    "meetings",
    "absence",
    "records",
    "plans",
    "outcomes",
    "handovers",
    "privacy",
    "accounts",
]

# Menu groups, so the menu stays one line on a laptop and a tablet. A group with one item
# for this user shows as a plain link; the administrator's group always comes last.
ZORG = _("Zorg")
TRAJECTEN = _("Trajecten")
OVERLEG = _("Overleggen")
BEHEER = _("Beheer")


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str = ""  # a Bootstrap Icons name, e.g. "people"
    group: str = ""  # items sharing a group show as one dropdown (e.g. "Beheer")
    # A count beside the label, loaded after the page (htmx) so no page waits for it or
    # makes a query more for it (e.g. tasks due today): the URL of a partial.
    badge_url: str = ""


@dataclass(frozen=True)
class HomeCard:
    title: str
    url: str
    text: str = ""
    figure: str | int | None = None  # a number worth seeing at a glance
    icon: str = ""
    primary: bool = False  # the one thing this role comes for (e.g. "Zorg melden")


def _collect(request, name):
    # Without a school (applicatiebeheer, a partner whose organisation has no school yet) only
    # the accounts app has something to offer: the installation's own pages.
    apps = APPS if request.school is not None else ["accounts"]
    if not getattr(request.user, "is_authenticated", False):
        return []
    items = []
    for app in apps:
        items.extend(getattr(import_module(f"{app}.navigation"), name)(request))
    return items


def nav_items(request) -> list[NavItem]:
    return _collect(request, "nav_items")


def nav_menu(request) -> list[tuple[str, list[NavItem]]]:
    """Menu entries in order: ("", [item]) for a plain link, (group, items) for a dropdown."""
    menu: list[tuple[str, list[NavItem]]] = []
    groups: dict[str, list[NavItem]] = {}
    for item in nav_items(request):
        if not item.group:
            menu.append(("", [item]))
        elif item.group in groups:
            groups[item.group].append(item)
        else:
            groups[item.group] = [item]
            menu.append((item.group, groups[item.group]))
    menu = [("", items) if group and len(items) == 1 else (group, items) for group, items in menu]
    return sorted(menu, key=lambda entry: entry[0] == BEHEER)


def cached_nav_menu(request) -> list[tuple[str, list[NavItem]]]:
    """nav_menu(request), kept NAV_MENU_SECONDS per user, school, roles and language. Without
    the cache (Redis down) the menu is computed as before: a page never fails for it."""
    if not settings.NAV_MENU_SECONDS:
        return nav_menu(request)
    user = request.user
    school_id = request.school.pk if request.school is not None else 0
    key = (
        f"nav-menu:{user.pk}:{school_id}:{user.organisation_id or 0}:{'.'.join(sorted(request.roles))}:{get_language()}"
    )
    try:
        menu = cache.get(key)
    except Exception:  # the cache is a speed-up, not a dependency
        logger.warning("navigation: the cache cannot be read", exc_info=True)
        return nav_menu(request)
    if menu is None:
        # Labels as plain text in the language of the key (lazy texts do not travel).
        menu = [
            (str(group), [replace(item, label=str(item.label), group=str(item.group)) for item in items])
            for group, items in nav_menu(request)
        ]
        try:
            cache.set(key, menu, settings.NAV_MENU_SECONDS)
        except Exception:
            logger.warning("navigation: the cache cannot be written", exc_info=True)
    return menu


def home_cards(request) -> list[HomeCard]:
    return _collect(request, "home_cards")
