"""The demo leader's dashboard shows figures, not only "< 5"."""

import pytest
from django.core.management import call_command

from accounts.models import School
from outcomes.selectors.funnel import school_funnel
from outcomes.selectors.leader import leader_dashboard

pytestmark = pytest.mark.django_db


def test_the_demo_leader_sees_a_return_to_class_rate_and_last_year():
    call_command("seed_demo", "--pupils", "60", "--quiet")
    school = School.objects.get(brin_code="99WA")
    dash = leader_dashboard(school=school)
    assert not dash.return_rate.suppressed and dash.return_rate.value is not None
    assert dash.outcome_grand.value >= 20
    funnel = school_funnel(school=school, today=dash.end)
    assert funnel.previous.outcome_total.value >= 18
    placements = school.placements.count()
    call_command("seed_demo", "--pupils", "60", "--quiet")
    assert school.placements.count() == placements
