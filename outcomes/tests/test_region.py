"""The samenwerkingsverband's view over its schools and a school's row against the
region's median: no names, small numbers suppressed, who may see what."""

import pytest
from django.urls import reverse

from outcomes.selectors.region import region_figures, school_against_region
from outcomes.tests.crawl import crawl, pupil_pages
from outcomes.tests.factories import NOW, TODAY, school_year_of
from plans.tests.factories import swv_organisation, swv_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def swv(school, other_school):
    organisation = swv_organisation(school)
    organisation.schools.add(other_school)
    return organisation


@pytest.fixture
def year(school, school_class, coordinator):
    return school_year_of(school, school_class, by=coordinator)


def _row(figures, name):
    return [str(c) for c in next(r for r in figures.schools if r.label == name).cells]


def test_per_school_total_and_median_with_small_numbers_suppressed(swv, year, school, other_school, other_coordinator):
    from students.tests.factories import SchoolClassFactory

    for _ in range(3):
        school_year_of(other_school, SchoolClassFactory(school=other_school), by=other_coordinator)
    figures = region_figures(organisation=swv, schools=[school, other_school], today=TODAY, now=NOW)
    a, b = _row(figures, "School A"), _row(figures, "School B")
    # A: 2 thuiszitters, B: 6 -> A's "< 5", and B's 6 with it (the total 8 would give A away).
    assert a[0] == "< 5" and b[0] == "< 5" and str(figures.total[0]) == "8"
    # Placed now: 1 and 3 -> both "< 5"; the total 4 too.
    assert a[5] == "< 5" and b[5] == "< 5" and str(figures.total[5]) == "< 5"
    # Ended this year: 7 and 21; back in class 5 of 7 (hidden: 2 did not) and 15 of 21.
    assert a[9] == "7" and b[9] == "21" and a[10] == "< 5" and b[10] == "71%"
    assert str(figures.total[9]) == "28" and str(figures.total[10]) == "71%"
    # The median school: of the counts 7 and 21 -> 14.
    assert str(figures.median[9]) == "14"


def test_a_school_sees_its_row_against_the_median_and_differences_follow_suppression(swv, year, school, other_school):
    comparison = school_against_region(school=school, organisation=swv, today=TODAY)
    rows = {label: (str(mine), str(middle), str(diff)) for label, mine, middle, diff in comparison.rows}
    assert rows["Thuiszitters"][0] == "< 5" and rows["Thuiszitters"][2] == "< 5"
    assert rows["Plaatsingen beëindigd (dit schooljaar)"] == ("7", "< 5", "< 5")


def test_swv_user_sees_the_region_and_reaches_no_name(client, swv, year):
    user = swv_user(swv)
    client.force_login(user)
    response = client.get(reverse("outcomes:region"))
    assert response.status_code == 200
    assert "School A" in response.content.decode() and "School B" in response.content.decode()
    pages = crawl(client, "/uitkomsten/regio/")
    names = [p.last_name for p in year.pupils] + [p.first_name for p in year.pupils]
    for url, page in pages:
        if page.status_code == 200:
            body = page.content.decode(errors="ignore")
            assert not [n for n in names if n in body], url
    assert pupil_pages(pages) == []
    assert client.get(reverse("outcomes:region_export")).status_code == 200


@pytest.mark.denies("organisation.view_region_outcomes")
def test_partner_of_another_kind_gets_403(client, partner_user, swv):
    client.force_login(partner_user)
    assert client.get(reverse("outcomes:region")).status_code == 403
    assert client.get(reverse("outcomes:region_export")).status_code == 403


@pytest.mark.denies("school.view_outcomes")
def test_swv_user_cannot_open_a_schools_dashboard(client, swv):
    client.force_login(swv_user(swv))
    assert client.get(reverse("outcomes:dashboard")).status_code == 403


def test_schoolleider_compares_with_the_region(client, schoolleider, swv, year):
    client.force_login(schoolleider)
    assert reverse("outcomes:region_compare") in client.get(reverse("outcomes:dashboard")).content.decode()
    response = client.get(reverse("outcomes:region_compare"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mediaan regio" in html and "School B" not in html


@pytest.mark.denies("school.compare_with_region")
def test_schoolleider_of_a_school_without_swv_gets_403(client, schoolleider, year):
    client.force_login(schoolleider)
    assert client.get(reverse("outcomes:region_compare")).status_code == 403


@pytest.mark.denies("school.compare_with_region")
def test_mentor_cannot_compare(client, mentor, swv):
    client.force_login(mentor)
    assert client.get(reverse("outcomes:region_compare")).status_code == 403


@pytest.mark.denies("organisation.view_region_outcomes")
def test_schoolleider_cannot_open_the_region_view(client, schoolleider, swv):
    client.force_login(schoolleider)
    assert client.get(reverse("outcomes:region")).status_code == 403
