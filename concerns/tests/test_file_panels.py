"""The pupil file's concern panels (concerns/panels.py): care concerns and Meldcode cases,
the newest CONCERNS_ON_FILE of each kind, read in one query."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carecoord.testing import query_count
from concerns.panels import CONCERNS_ON_FILE
from concerns.tests.factories import ConcernCategoryFactory, ConcernFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds(school):
    return (
        ConcernCategoryFactory(school=school, name="Gedrag"),
        ConcernCategoryFactory(school=school, name="Veiligheid", follows_meldcode=True),
    )


def _concerns(student, category, raised_by, *, count, days_ago):
    """`count` concerns, the newest `days_ago` days old, one day apart."""
    now = timezone.now()
    return [
        ConcernFactory(
            student=student, category=category, raised_by=raised_by, created_at=now - timedelta(days=days_ago + n)
        )
        for n in range(count)
    ]


def test_coordinator_sees_the_newest_concerns_of_each_kind(client, coordinator, student, kinds):
    """Many newer care concerns do not push the older Meldcode cases out of their panel."""
    care, meldcode = kinds
    newest_care = _concerns(student, care, coordinator, count=2 * CONCERNS_ON_FILE + 1, days_ago=1)
    cases = _concerns(student, meldcode, coordinator, count=2, days_ago=100)
    client.force_login(coordinator)
    page = client.get(student.get_absolute_url()).content.decode()
    assert "Zorgmeldingen" in page and "Meldcode</h2>" in page
    assert page.count(">Gedrag</a>") == CONCERNS_ON_FILE
    assert page.count(">Veiligheid</a>") == 2
    shown = [c for c in newest_care if f'href="{c.get_absolute_url()}"' in page]
    assert shown == newest_care[:CONCERNS_ON_FILE]
    assert all(f'href="{c.get_absolute_url()}"' in page for c in cases)


def test_both_panels_cost_one_query(client, coordinator, student, kinds):
    """A pupil without concerns costs no concern query (students/presence.py); one with
    concerns of both kinds costs one."""
    care, meldcode = kinds
    client.force_login(coordinator)
    url = student.get_absolute_url()
    without = query_count(client, url)
    _concerns(student, care, coordinator, count=3, days_ago=1)
    _concerns(student, meldcode, coordinator, count=3, days_ago=2)
    assert query_count(client, url) == without + 1


def test_aandachtsfunctionaris_sees_the_meldcode_cases_only(client, aandachtsfunctionaris, coordinator, student, kinds):
    care, meldcode = kinds
    _concerns(student, care, coordinator, count=2, days_ago=1)
    _concerns(student, meldcode, coordinator, count=1, days_ago=5)
    client.force_login(aandachtsfunctionaris)
    page = client.get(student.get_absolute_url()).content.decode()
    assert "Meldcode</h2>" in page and page.count(">Veiligheid</a>") == 1
    assert "Zorgmeldingen" not in page and ">Gedrag</a>" not in page
