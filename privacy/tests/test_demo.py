import pytest
from django.core.management import call_command

from accounts.models import School, User
from privacy.models import RetentionRun, RightsRequest

pytestmark = pytest.mark.django_db


def test_demo_shows_a_dry_run_report_and_avg_requests(client):
    call_command("seed_demo", "--pupils", "60", "--quiet")
    for school in School.objects.all():
        run = RetentionRun.objects.get(school=school, dry_run=True)
        assert {c.kind: c.number for c in run.counts.all()}["notities"] == 3
        assert RightsRequest.objects.filter(school=school, status="open").count() == 1
        assert RightsRequest.objects.filter(school=school, status="uitgevoerd").count() == 1
    client.force_login(User.objects.get(email="beheerder@dewaard.test"))
    assert "notities" in client.get("/privacy/bewaartermijnen/").text
    call_command("seed_demo", "--pupils", "60", "--quiet")
    assert RetentionRun.objects.count() == School.objects.count()
    assert RightsRequest.objects.count() == 2 * School.objects.count()
