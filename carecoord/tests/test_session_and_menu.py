"""Two costs every page paid at region scale (issue 22): a session write per request and
asking thirteen apps for the menu. Both are now kept, without changing what a user gets."""

import re

import pytest
from django.contrib.sessions.models import Session

from carecoord import middleware, navigation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_values(settings):
    settings.NAV_MENU_SECONDS = 60
    settings.SESSION_REFRESH_SECONDS = 60


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_the_idle_end_slides_with_use_but_the_session_is_written_at_most_once_a_minute(
    client, coordinator, monkeypatch
):
    clock = [1_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])
    client.force_login(coordinator)
    client.get("/")
    first = _expiry(client)

    clock[0] += 30
    client.get("/leerlingen/")
    assert _expiry(client) == first, "written again within the minute"

    clock[0] += 31
    client.get("/leerlingen/")
    assert _expiry(client) > first, "the idle end did not move after a minute of use"


def test_the_menu_is_asked_of_the_apps_once_per_user_school_roles_and_language(client, coordinator, monkeypatch):
    asked = []
    original = navigation.nav_menu

    def counting(request):
        asked.append((request.user.pk, request.LANGUAGE_CODE))
        return original(request)

    monkeypatch.setattr(navigation, "nav_menu", counting)
    client.force_login(coordinator)
    first = client.get("/leerlingen/")
    second = client.get("/leerlingen/")
    assert len(asked) == 1
    assert b"Leerlingen" in second.content

    # The same menu, from the cache, as computed.
    def nav(response):
        menu = response.content.decode().split("<nav", 1)[1].split("</nav>", 1)[0]
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", menu)  # a new token per page

    assert nav(first) == nav(second)

    client.cookies["django_language"] = "en"
    english = client.get("/leerlingen/", HTTP_ACCEPT_LANGUAGE="en")
    assert len(asked) == 2
    assert b"Pupils" in english.content or b"Students" in english.content


def test_a_page_keeps_its_menu_when_the_cache_is_down(client, coordinator, monkeypatch):
    class DeadCache:
        def get(self, *args, **kwargs):
            raise ConnectionError("redis is down")

        set = get

    monkeypatch.setattr("carecoord.kept.cache", DeadCache())
    client.force_login(coordinator)
    response = client.get("/leerlingen/")
    assert response.status_code == 200
    assert b'href="/leerlingen/"' in response.content


def _kept(client, coordinator, monkeypatch):
    """Sign in and fill the cache with the coordinator's menu bar; count renders after that."""
    rendered = []
    original = navigation.render_main_menu

    def counting(request):
        rendered.append(request.path)
        return original(request)

    monkeypatch.setattr(navigation, "render_main_menu", counting)
    client.force_login(coordinator)
    client.get("/")
    return rendered


def test_the_kept_menu_bar_marks_this_page_and_returns_the_language_form_here(client, coordinator, monkeypatch):
    rendered = _kept(client, coordinator, monkeypatch)
    page = client.get("/leerlingen/?q=de%20<b>").content.decode()
    assert rendered == ["/"], "the second page rendered the menu bar again"
    assert '<a class="nav-link active" aria-current="page" href="/leerlingen/">' in page
    assert page.count('aria-current="page"') == 1
    assert '<input type="hidden" name="next" value="/leerlingen/?q=de%20%3Cb%3E">' in page
    assert navigation.CSRF_STAND_IN not in page and navigation.NEXT_STAND_IN not in page

    home = client.get("/").content.decode()
    assert 'aria-current="page"' not in home.split("</nav>", 1)[0]  # home is the brand link, not a menu link


def test_the_forms_of_a_kept_menu_bar_carry_a_working_token(coordinator, monkeypatch):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    rendered = _kept(client, coordinator, monkeypatch)
    page = client.get("/leerlingen/").content.decode()
    assert len(rendered) == 1
    logout_form = page.split('action="/account/logout/"', 1)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', logout_form).group(1)

    assert client.post("/account/logout/", {"csrfmiddlewaretoken": "x" * 64}).status_code == 403
    response = client.post("/account/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_each_person_gets_their_own_kept_menu_bar(client, coordinator, mentor, monkeypatch):
    _kept(client, coordinator, monkeypatch)
    client.force_login(mentor)
    page = client.get("/").content.decode()
    menu = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert "Mentor Eén" in menu and "Zorg Coördinator" not in menu
