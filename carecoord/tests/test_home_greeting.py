"""The home page greets by the time of day in Amsterdam (issue 17, item 6)."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.utils import translation

from carecoord.views import greeting


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # Winter: Amsterdam is UTC+1.
        (datetime(2026, 11, 27, 5, 0, tzinfo=UTC), "Goedemorgen, Zorg"),  # 06:00
        (datetime(2026, 11, 27, 10, 59, tzinfo=UTC), "Goedemorgen, Zorg"),  # 11:59
        (datetime(2026, 11, 27, 11, 0, tzinfo=UTC), "Goedemiddag, Zorg"),  # 12:00
        (datetime(2026, 11, 27, 16, 59, tzinfo=UTC), "Goedemiddag, Zorg"),  # 17:59
        (datetime(2026, 11, 27, 17, 0, tzinfo=UTC), "Goedenavond, Zorg"),  # 18:00
        (datetime(2026, 11, 27, 23, 30, tzinfo=UTC), "Goedenavond, Zorg"),  # 00:30, the small hours
        (datetime(2026, 11, 28, 4, 59, tzinfo=UTC), "Goedenavond, Zorg"),  # 05:59
        # Summer: Amsterdam is UTC+2, so 05:30 UTC is already morning and 10:30 UTC afternoon.
        (datetime(2026, 7, 1, 5, 30, tzinfo=UTC), "Goedemorgen, Zorg"),
        (datetime(2026, 7, 1, 10, 30, tzinfo=UTC), "Goedemiddag, Zorg"),
    ],
)
def test_greeting_follows_the_clock_in_amsterdam(utc, expected):
    with translation.override("nl"):
        assert greeting("Zorg", now=utc) == expected


def test_greeting_in_english():
    with translation.override("en"):
        assert greeting("Zorg", now=datetime(2026, 11, 27, 8, 0, tzinfo=UTC)) == "Good morning, Zorg"


@pytest.mark.django_db
def test_coordinator_is_greeted_on_the_home_page_by_the_time_of_day(client, coordinator):
    client.force_login(coordinator)
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 11, 27, 13, 0, tzinfo=UTC)):
        response = client.get("/")
    assert "<h1>Goedemiddag, Zorg</h1>" in response.text


@pytest.mark.django_db
def test_the_greeting_escapes_the_name(client, coordinator):
    coordinator.name = "<b>Zorg</b> C"
    coordinator.save()
    client.force_login(coordinator)
    assert "&lt;b&gt;Zorg&lt;/b&gt;" in client.get("/").text
