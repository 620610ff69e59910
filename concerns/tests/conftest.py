import pytest


@pytest.fixture(autouse=True)
def _handler_choices_read_on_every_request(monkeypatch):
    """The inbox reads its handler drop-down on every request, as the first request of a
    minute does in production: a test's query count does not depend on what an earlier
    request left in the cache (test_inbox_handler_cache.py sets the production value)."""
    monkeypatch.setattr("concerns.filters.HANDLER_CHOICES_SECONDS", 0)
