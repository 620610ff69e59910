import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _dutch():
    """Services called outside a request speak the active language: Dutch, like the product."""
    with translation.override("nl"):
        yield
