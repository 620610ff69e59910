"""What each app adds to the shell: menu items and cards on the home page.

Every app has a `navigation.py` with `nav_items(request)` and `home_cards(request)`;
both return only what the user's roles at `request.school` allow (the app asks the
access module). The shell lists the apps here, in menu order.
"""

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .kept import kept

# The menu bar is the same on every page of one user at one school with the same roles;
# asking thirteen apps for the menu cost about a quarter of a simple page's server time, and
# rendering the bar (menu, school switcher, user menu) some 2 ms more (bench/region.py,
# "layout only"). The rendered bar is kept a minute: a menu item that depends on data rather
# than on roles (a coach newly linked to a facility gets "Bord"), a school newly added to the
# switcher or a changed name appears within a minute (settings.NAV_MENU_SECONDS). Links only:
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


# Stand-ins in the kept menu for what differs per page: the page's CSRF token (a new mask on
# every page) and its address (where "Taal" returns to). Letters only: escaping keeps them.
CSRF_STAND_IN = "ccmenucsrftokenstandin"
NEXT_STAND_IN = "ccmenunextpathstandin"


def role_labels(request) -> list[str]:
    """The user's roles at this school as shown under their name (a partner: their organisation)."""
    from accounts.models import Role
    from accounts.words import role_label

    user = request.user
    labels = dict(Role.choices)
    partner = str(user.organisation) if user.organisation_id else "-"
    # In the school's words (a primary school's leerkracht); a partner's "role" is their organisation.
    return sorted(role_label(role, request.school) if role in labels else partner for role in request.roles)


def render_main_menu(request) -> str:
    """The signed-in menu bar (templates/partials/_main_menu.html) for this user, school, roles
    and language, with the stand-ins still in it."""
    from . import access

    user = request.user
    return render_to_string(
        "partials/_main_menu.html",
        {
            "user": user,
            "nav_menu": nav_menu(request),
            "user_schools": access.schools_of(user),
            "current_school": request.school,
            "current_role_labels": role_labels(request),
            "csrf_token": CSRF_STAND_IN,
            "next_path": NEXT_STAND_IN,
        },
    )


def _kept_main_menu(request) -> str:
    """render_main_menu(request), kept NAV_MENU_SECONDS per user, school, roles and language."""
    user = request.user
    school_id = request.school.pk if request.school is not None else 0
    roles = ".".join(sorted(request.roles))
    key = f"main-menu:{user.pk}:{school_id}:{user.organisation_id or 0}:{roles}:{get_language()}"
    return kept(key, settings.NAV_MENU_SECONDS, lambda: render_main_menu(request))


def main_menu(request) -> SafeString:
    """The menu bar of this page: the kept menu with this page's CSRF token and address, and
    its link marked as the current page when it is a menu link (a plain link, not one in a
    dropdown, as before)."""
    menu = _kept_main_menu(request)
    menu = menu.replace(CSRF_STAND_IN, get_token(request)).replace(NEXT_STAND_IN, escape(request.get_full_path()))
    here = f'<a class="nav-link" href="{escape(request.path)}">'
    menu = menu.replace(here, f'<a class="nav-link active" aria-current="page" href="{escape(request.path)}">', 1)
    return mark_safe(menu)  # noqa: S308 (rendered by the template; the path is escaped)


class MainMenu:
    """base.html's `{{ main_menu }}`: rendered only when a page shows it (an htmx partial
    renders with the same context processors but has no menu bar)."""

    def __init__(self, request):
        self.request = request

    def __html__(self):
        return main_menu(self.request)

    __str__ = __html__


def home_cards(request) -> list[HomeCard]:
    return _collect(request, "home_cards")
