"""The school leader's dashboard: figures of the school year, without names, small numbers
suppressed; who may see it; the export."""

import io

import pytest
from django.urls import reverse

from outcomes.selectors.leader import leader_dashboard
from outcomes.tests.factories import NOW, TODAY, school_year_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(school, school_class, coordinator):
    return school_year_of(school, school_class, by=coordinator)


def _shown(rows):
    return {row.label: [str(c) for c in row.cells] for row in rows}


def test_the_dashboard_counts_the_school_year_and_suppresses_small_numbers(year, school):
    dash = leader_dashboard(school=school, today=TODAY, now=NOW)
    # 6 concerns "Gedrag" and 2 "Zorgen thuis": the 2 is "< 5", and so is the 6 that
    # would give it away (8 - 6).
    assert _shown(dash.categories) == {"Gedrag": ["< 5"], "Zorgen thuis": ["< 5"]}
    assert str(dash.categories_total) == "8"
    assert _shown(dash.caseload) == {"Mentor": ["< 5"], "Zorgcoördinator": ["< 5"]}
    assert str(dash.caseload_total) == "8"
    assert str(dash.first_action_days) == "2 d"
    assert str(dash.open_long) == "8"
    # The viproom: 2 waiting (suppressed), 1 placed (suppressed, and so its occupancy).
    viproom = _shown(dash.facilities)["Viproom De Haven"]
    assert viproom == ["< 5", "< 5", "—", "< 5", "10", "< 5"]
    # 7 ended: 5 back in class, 2 at home -> the 2 and the 5 beside it are hidden, the total not.
    outcomes = _shown(dash.outcomes)["Viproom De Haven"]
    assert outcomes[0] == "< 5" and outcomes[4] == "< 5" and outcomes[-1] == "7"
    assert str(dash.return_rate) == "< 5"  # 5 of 7 shows that 2 did not go back
    # Signals per school week: 6 pupils from three weeks ago, 2 of them thuiszitter.
    weeks = _shown(dash.weeks)
    assert list(weeks.values())[-5:] == [["0", "0"], ["6", "0"], ["6", "< 5"], ["6", "< 5"], ["6", "< 5"]]
    assert str(dash.signals_now) == "6"
    assert str(dash.thuiszitters_now) == "< 5"
    assert str(dash.mas_overdue) == "< 5"


def test_a_dashboard_of_only_large_numbers_shows_them(school, school_class, coordinator):
    for _ in range(3):
        school_year_of(school, school_class, by=coordinator)
    dash = leader_dashboard(school=school, today=TODAY, now=NOW)
    assert _shown(dash.categories) == {"Gedrag": ["18"], "Zorgen thuis": ["6"]}
    assert str(dash.categories_total) == "24"
    # 15 back in class, 6 at home: every cell shown, and the rate.
    outcomes = _shown(dash.outcomes)["Viproom De Haven"]
    assert outcomes == ["15", "0", "0", "0", "6", "0", "21"]
    assert str(dash.return_rate) == "71%"
    assert str(dash.thuiszitters_now) == "6"


def test_schoolleider_sees_the_dashboard_without_a_name(client, schoolleider, year):
    client.force_login(schoolleider)
    response = client.get(reverse("outcomes:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Viproom De Haven" in html and "&lt; 5" in html and "Bijgewerkt op" in html
    for pupil in year.pupils:
        assert pupil.last_name not in html and pupil.first_name not in html


def test_coordinator_sees_the_dashboard(client, coordinator, year):
    client.force_login(coordinator)
    assert client.get(reverse("outcomes:dashboard")).status_code == 200


def test_the_export_holds_the_same_suppressed_figures_and_no_name(client, schoolleider, year):
    from openpyxl import load_workbook

    client.force_login(schoolleider)
    response = client.get(reverse("outcomes:dashboard_export"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert "< 5" in values and "Viproom De Haven" in " ".join(values)
    for pupil in year.pupils:
        assert all(pupil.last_name not in v for v in values)
    # No small count slipped through as a number.
    numbers = [v for row in sheet.iter_rows(min_row=2, values_only=True) for v in row[2:] if isinstance(v, int)]
    assert all(n == 0 or n >= 5 for n in numbers)


@pytest.mark.denies("school.view_outcomes")
@pytest.mark.parametrize("who", ["mentor", "coach", "beheerder", "aandachtsfunctionaris", "verzuimcoordinator"])
def test_staff_without_leader_or_coordinator_rights_get_403(client, who, request, year):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("outcomes:dashboard")).status_code == 403
    assert client.get(reverse("outcomes:dashboard_export")).status_code == 403


@pytest.mark.denies("school.view_outcomes")
def test_partner_gets_403(client, partner_user, year):
    client.force_login(partner_user)
    assert client.get(reverse("outcomes:dashboard")).status_code == 403


@pytest.mark.denies("school.view_outcomes")
def test_leader_of_another_school_cannot_open_this_schools_figures(client, other_school, year, school):
    from accounts.models import Role
    from accounts.tests.factories import staff

    leader_b = staff(other_school, Role.SCHOOLLEIDER, email="leider@b.test")
    client.force_login(leader_b)
    # Asking for school A (the school switch) falls back to their own school: B's figures.
    response = client.get(reverse("outcomes:dashboard"), {"school": school.pk})
    assert response.status_code == 200
    assert "Viproom De Haven" not in response.content.decode()
    from carecoord import access

    assert not access.can(leader_b, "school.view_outcomes", school)
