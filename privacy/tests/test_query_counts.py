"""The AVG page and the retention page make the same number of queries with few or many rows."""

import pytest
from django.utils import timezone

from carecoord.testing import query_count
from privacy.models import InzageExport, RetentionCount, RetentionRun
from privacy.services import rights_request_add, rights_request_handle

pytestmark = pytest.mark.django_db


def _requests(student, coordinator, n):
    for i in range(n):
        item = rights_request_add(
            student=student,
            actor=coordinator,
            kind="correctie",
            received_on=timezone.localdate(),
            requested_by="moeder",
            description=f"Verzoek {i}",
        )
        if i % 2:
            rights_request_handle(request=item, actor=coordinator, status="uitgevoerd", handling="Gedaan.")
        InzageExport.objects.create(school=student.school, student=student, requested_by=coordinator)


def test_the_avg_page_is_flat(client, coordinator, student):
    _requests(student, coordinator, 2)
    client.force_login(coordinator)
    url = f"/privacy/leerling/{student.pk}/"
    few = query_count(client, url)
    _requests(student, coordinator, 20)
    assert query_count(client, url) == few


def _runs(school, n):
    for _i in range(n):
        for dry_run in (True, False):
            run = RetentionRun.objects.create(school=school, dry_run=dry_run, finished_at=timezone.now())
            RetentionCount.objects.bulk_create(
                [RetentionCount(run=run, kind=f"k{k}", label=f"soort {k}", number=k + 1) for k in range(8)]
            )


def test_the_retention_page_is_flat(client, beheerder, school):
    _runs(school, 1)
    client.force_login(beheerder)
    few = query_count(client, "/privacy/bewaartermijnen/")
    _runs(school, 15)
    assert query_count(client, "/privacy/bewaartermijnen/") == few
