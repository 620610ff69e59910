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

    monkeypatch.setattr(navigation, "cache", DeadCache())
    client.force_login(coordinator)
    response = client.get("/leerlingen/")
    assert response.status_code == 200
    assert b'href="/leerlingen/"' in response.content
