"""A reader in English opens a concern: the page works and the read log stays in Dutch
(the English section label did not fit the read log's column; found by the English
accessibility crawl, issue 17)."""

import pytest

from students.models import FileAccess

from .factories import ConcernFactory, route


@pytest.mark.parametrize("meldcode", [False, True])
def test_coordinator_reading_in_english_opens_a_concern(client, coordinator, mentor, school, student, meldcode):
    categories = route(school)
    concern = ConcernFactory(
        student=student, raised_by=mentor, category=categories["veiligheid" if meldcode else "gedrag"]
    )
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    response = client.get(f"/zorg/meldingen/{concern.pk}/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    row = FileAccess.objects.get(student=student)
    assert row.section.startswith("zorgmelding (")
