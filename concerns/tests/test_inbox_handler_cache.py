"""The handler drop-down of the inbox is kept a minute per school (concerns.filters.handler_choices)."""

from unittest import mock

import pytest

from accounts.models import Role
from accounts.tests.factories import staff
from carecoord.testing import query_count
from concerns.filters import handler_choices

from .factories import ConcernFactory, route

pytestmark = pytest.mark.django_db

INBOX = "/zorg/meldingen/"


@pytest.fixture(autouse=True)
def production_value(monkeypatch):
    monkeypatch.setattr("concerns.filters.HANDLER_CHOICES_SECONDS", 60)


def options(client) -> str:
    body = client.get(INBOX).text
    return body[body.index('name="handler"') : body.index("</select>", body.index('name="handler"'))]


def test_the_handlers_are_read_once_a_minute_per_school(client, school, coordinator, mentor, student):
    gedrag = route(school)["gedrag"]
    ConcernFactory(student=student, category=gedrag, raised_by=mentor, handler=coordinator)
    client.force_login(coordinator)
    first = query_count(client, INBOX)
    assert query_count(client, INBOX) == first - 2  # the people and the organisations
    assert f'value="user:{coordinator.pk}"' in options(client)

    # Someone handling a concern here for the first time shows once the minute is over.
    newcomer = staff(school, Role.MENTOR, email="nieuw@a.test", name="Nieuwe Behandelaar")
    ConcernFactory(student=student, category=gedrag, raised_by=mentor, handler=newcomer)
    assert "Nieuwe Behandelaar" not in options(client)
    from carecoord.kept import cache

    cache.delete(f"concern-inbox-handlers:{school.pk}")  # what the minute passing does
    assert "Nieuwe Behandelaar" in options(client)
    assert set(handler_choices(school)[0]) == {(newcomer.pk, "Nieuwe Behandelaar"), (coordinator.pk, coordinator.name)}


def test_without_the_cache_the_handlers_are_read_as_before(client, school, coordinator, mentor, student):
    gedrag = route(school)["gedrag"]
    ConcernFactory(student=student, category=gedrag, raised_by=mentor, handler=coordinator)
    client.force_login(coordinator)
    with (
        mock.patch("carecoord.kept.cache.get", side_effect=ConnectionError("Redis is down")),
        mock.patch("carecoord.kept.cache.set", side_effect=ConnectionError("Redis is down")),
    ):
        assert f'value="user:{coordinator.pk}"' in options(client)
        assert query_count(client, INBOX) == query_count(client, INBOX)


def test_the_handlers_of_one_school_are_not_another_schools(school, coordinator, mentor, student):
    from accounts.tests.factories import SchoolFactory

    ConcernFactory(student=student, category=route(school)["gedrag"], raised_by=mentor, handler=coordinator)
    assert handler_choices(school)[0] == [(coordinator.pk, coordinator.name)]
    assert handler_choices(SchoolFactory()) == ([], [])
