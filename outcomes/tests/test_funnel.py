"""The school-year funnel: its counts equal the records of a fixture school year; the
previous year beside it; small numbers suppressed; who may see it."""

from datetime import date

import pytest
from django.urls import reverse

from concerns.models import Concern
from concerns.tests.factories import ConcernFactory
from outcomes.selectors.funnel import school_funnel, year_funnel
from outcomes.tests.factories import TODAY, at, school_year_of
from referrals.models import Placement, Referral

pytestmark = pytest.mark.django_db

START, END = date(2025, 8, 1), date(2026, 7, 31)


@pytest.fixture
def year(school, school_class, coordinator):
    year = school_year_of(school, school_class, by=coordinator)
    # Three of the concerns led to a referral (the two waiting ones and one more).
    waiting = list(Referral.objects.filter(school=school, state="waiting"))
    for referral, concern in zip(waiting, Concern.objects.filter(school=school).order_by("pk")[:2], strict=True):
        referral.concerns.add(concern)
    Placement.objects.filter(school=school).first().referral.concerns.add(Concern.objects.order_by("pk")[2])
    # Last school year: one concern, not picked up.
    ConcernFactory(student=year.pupils[0], raised_by=coordinator, created_at=at(date(2024, 10, 1)))
    return year


def test_the_funnel_counts_equal_the_records_of_the_school_year(year, school):
    funnel = year_funnel(school=school, start=START, end=END)
    since, until = at(START, 0), at(date(2026, 8, 1), 0)
    concerns = Concern.objects.filter(school=school, created_at__gte=since, created_at__lt=until)
    assert funnel.raw["raised"] == concerns.count() == 8
    assert funnel.raw["triaged"] == concerns.filter(first_action_at__isnull=False).count() == 8
    assert funnel.raw["referred"] == concerns.filter(referrals__isnull=False).distinct().count() == 3
    assert funnel.raw["placed"] == Placement.objects.filter(school=school, start_on__range=(START, END)).count() == 8
    assert funnel.raw["ended"] == Placement.objects.filter(school=school, ended_on__range=(START, END)).count() == 7
    assert funnel.raw["outcome:back_fully"] == 5 and funnel.raw["outcome:at_home"] == 2
    assert (
        funnel.raw["referrals"]
        == Referral.objects.filter(school=school, created_at__gte=since, created_at__lt=until).count()
    )
    # Per category and per facility add up to the steps.
    assert sum(int(str(r.cells[0])) for r in funnel.per_category if not r.cells[0].suppressed) <= 8


def test_the_funnel_shows_suppressed_cells_and_last_year_beside(year, school):
    funnel = school_funnel(school=school, today=TODAY)
    shown = {row.label: str(row.cells[0]) for row in funnel.this.steps}
    assert shown == {
        "Zorgmeldingen": "8",
        "Opgepakt (eerste actie)": "8",
        "Aangemeld bij een voorziening": "< 5",
        "Geplaatst": "8",
        "Plaatsing beëindigd": "7",
    }
    assert {row.label: str(row.cells[0]) for row in funnel.previous.steps}["Zorgmeldingen"] == "< 5"
    # The difference with a suppressed side is suppressed: 8 - "< 5" would give it away.
    assert str(funnel.differences[0]) == "< 5"
    assert {r.label: str(r.cells[0]) for r in funnel.this.outcomes}["volledig terug in de klas"] == "< 5"
    assert str(funnel.this.outcome_total) == "7"
    assert str(funnel.this.times[0].cells[0]) == "2 d"


def test_a_step_whose_remainder_is_small_is_suppressed(school, school_class, coordinator):
    year = school_year_of(school, school_class, by=coordinator)
    Concern.objects.filter(pk=Concern.objects.filter(school=school).first().pk).update(first_action_at=None)
    funnel = year_funnel(school=school, start=START, end=END)
    # 7 of 8 picked up shows that 1 was not.
    assert funnel.raw["triaged"] == 7 and str(funnel.steps[1].cells[0]) == "< 5"
    assert year


def test_schoolleider_sees_the_funnel_without_names(client, schoolleider, year):
    client.force_login(schoolleider)
    response = client.get(reverse("outcomes:funnel"))
    assert response.status_code == 200
    html = response.content.decode()
    for pupil in year.pupils:
        assert pupil.last_name not in html


@pytest.mark.denies("school.view_outcomes")
def test_mentor_cannot_open_the_funnel(client, mentor):
    client.force_login(mentor)
    assert client.get(reverse("outcomes:funnel")).status_code == 403
