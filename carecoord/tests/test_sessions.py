"""Sessions read from the cache and kept in the database (carecoord.sessions), also when the
cache does not answer. Run with the engine set here, so the SQLite run (no Redis, the
database engine in settings) proves the same as CI's Redis."""

import logging
from datetime import timedelta

import pytest
from django.conf import settings as configured
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobs.models import DeferredJob
from jobs.services import jobs_sweep

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every call to this cache fails at once.
UNREACHABLE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = "carecoord.sessions"


@pytest.fixture
def unreachable_cache(settings, cached_sessions):
    settings.CACHES = {**settings.CACHES, "default": UNREACHABLE}


def _session_queries(client, path="/leerlingen/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT") and "django_session" in q["sql"]]


def test_a_page_reads_its_session_from_the_cache_and_the_database_keeps_it(client, coordinator, cached_sessions):
    client.force_login(coordinator)
    assert _session_queries(client) == []
    # The database holds the session too: an emptied cache signs nobody out.
    assert Session.objects.filter(session_key=client.session.session_key).exists()
    caches["default"].delete("django.contrib.sessions.cached_db" + client.session.session_key)  # emptied
    assert len(_session_queries(client)) == 1
    assert _session_queries(client) == [], "read once, then from the cache again"


def test_signing_out_ends_the_session_in_the_cache_as_well(client, coordinator, cached_sessions):
    client.force_login(coordinator)
    cookie = client.cookies["sessionid"].value
    assert client.get("/").status_code == 200
    client.post("/account/logout/")
    client.cookies["sessionid"] = cookie  # the old cookie, as a copied browser profile would send
    assert client.get("/").status_code == 302
    assert not Session.objects.filter(session_key=cookie).exists()


def test_an_unreachable_cache_costs_the_database_read_not_an_error_page(client, coordinator, unreachable_cache, caplog):
    client.force_login(coordinator)
    with caplog.at_level(logging.WARNING, logger="carecoord.sessions"):
        assert len(_session_queries(client)) == 1
    assert "read from the database" in caplog.text
    cookie = client.cookies["sessionid"].value
    with caplog.at_level(logging.ERROR, logger="carecoord.sessions"):
        response = client.post("/account/logout/")
    assert response.status_code == 302
    assert "left to the sweep" in caplog.text
    client.cookies["sessionid"] = cookie
    assert client.get("/").status_code == 302, "signed out: the database no longer holds the session"


def test_a_session_signed_out_while_the_cache_was_away_leaves_the_cache_when_it_is_back(
    client, coordinator, cached_sessions, settings
):
    client.force_login(coordinator)
    assert client.get("/").status_code == 200
    cookie = client.cookies["sessionid"].value
    cached = "django.contrib.sessions.cached_db" + cookie
    assert caches["default"].get(cached) is not None
    reachable = settings.CACHES
    settings.CACHES = {**reachable, "default": UNREACHABLE}
    assert client.post("/account/logout/").status_code == 302
    settings.CACHES = reachable  # the cache answers again, and still holds the copy
    assert caches["default"].get(cached) is not None
    job = DeferredJob.objects.get()
    assert cookie not in job.key, "the admin's list of jobs names no session"

    assert jobs_sweep(now=timezone.now() + timedelta(minutes=5)) == 1
    assert caches["default"].get(cached) is None
    client.cookies["sessionid"] = cookie
    assert client.get("/").status_code == 302, "the old cookie opens nothing"
    assert jobs_sweep(now=timezone.now() + timedelta(minutes=10)) == 0, "done once"


@pytest.mark.skipif(not configured.REDIS_URL, reason="the idle end in Redis needs Redis")
def test_the_cached_copy_ends_with_the_idle_time(client, coordinator, cached_sessions, settings):
    client.force_login(coordinator)
    client.get("/")
    cache = caches[settings.SESSION_CACHE_ALIAS]
    key = cache.make_key("django.contrib.sessions.cached_db" + client.session.session_key)
    seconds_left = cache._cache.get_client(key).ttl(key)
    assert settings.SESSION_COOKIE_AGE - 5 <= seconds_left <= settings.SESSION_COOKIE_AGE
