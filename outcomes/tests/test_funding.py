"""The funding report of a group arrangement with pupils and outcomes per month, as a page,
XLSX and PDF; outcomes suppressed; who may see it."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.selectors.funding import group_funding_report
from referrals.models import FacilityKind, GroupFunding, Outcome
from referrals.tests.factories import FacilityFactory, placed
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(school, coach, coordinator, school_class):
    group = FacilityFactory(school=school, name="SO+ klas", kind=FacilityKind.GROUP, capacity=4, coaches=[coach])
    start = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)  # first of last month
    GroupFunding.objects.create(
        facility=group,
        funder="gemeente",
        funder_name="Gemeente Emmen",
        starts_on=start,
        ends_on=start + timedelta(days=330),
        hours_per_week=Decimal("10.0"),
    )
    pupils = [StudentFactory(school_class=school_class, last_name=f"Groepslid{i}") for i in range(4)]
    for pupil in pupils[:3]:
        placed(pupil, group, by=coordinator, start_on=start)
    placed(
        pupils[3],
        group,
        by=coordinator,
        start_on=start,
        ended_on=start + timedelta(days=10),
        outcome=Outcome.TO_MAINSTREAM,
    )
    group.pupils = pupils
    return group


def test_the_report_counts_pupils_per_month_and_suppresses_outcomes(group):
    report = group_funding_report(facility=group)
    assert [m.pupils for m in report.months][:2] == [4, 3]
    first = report.months[0]
    assert first.contracted is not None and [str(c) for c in first.outcomes].count("< 5") == 1
    assert report.outcome_total.suppressed


def test_schoolleider_gets_the_page_xlsx_and_pdf_without_names(client, schoolleider, group):
    from openpyxl import load_workbook

    client.force_login(schoolleider)
    page = client.get(reverse("outcomes:group_funding", args=[group.pk]))
    assert page.status_code == 200 and "Gemeente Emmen" in page.content.decode()
    xlsx = client.get(reverse("outcomes:group_funding_xlsx", args=[group.pk]))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][5] == "Leerlingen in de groep" and rows[1][5] == 4
    assert "< 5" in rows[1]
    pdf = client.get(reverse("outcomes:group_funding_pdf", args=[group.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for body in (page.content, xlsx.content):
        assert not any(p.last_name.encode() in body for p in group.pupils)


@pytest.mark.denies("facility.view_funding")
def test_mentor_gets_403_on_the_funding_report(client, mentor, group):
    client.force_login(mentor)
    assert client.get(reverse("outcomes:group_funding", args=[group.pk])).status_code == 403
    assert client.get(reverse("outcomes:group_funding_pdf", args=[group.pk])).status_code == 403


def test_coordinator_of_another_school_gets_404(client, other_coordinator, group):
    client.force_login(other_coordinator)
    assert client.get(reverse("outcomes:group_funding", args=[group.pk])).status_code == 404
