"""The coach's home card per room they coach, when the school uses point cards; nobody
else has one, and asking costs them no query."""

import pytest

from referrals.tests.factories import FacilityFactory
from students.tests.factories import StudentFactory

from .factories import card_for

pytestmark = pytest.mark.django_db


def _titles(client, user):
    client.force_login(user)
    response = client.get("/")
    return [card.title for card in (*response.context["primary_cards"], *response.context["cards"])]


def test_coach_sees_point_cards_of_each_room_they_coach(client, coach, school, school_class):
    room = FacilityFactory(school=school, name="Viproom Noord", coaches=[coach])
    FacilityFactory(school=school, name="Viproom Zuid", coaches=[coach])
    FacilityFactory(school=school, name="Viproom Oost")  # not theirs
    card_for(StudentFactory(school_class=school_class), facility=room)
    titles = _titles(client, coach)
    assert [t for t in titles if t.startswith("Puntenkaarten")] == [
        "Puntenkaarten Viproom Noord",
        "Puntenkaarten Viproom Zuid",
    ]


def test_coach_cannot_see_point_cards_where_the_school_uses_none(client, coach, school):
    FacilityFactory(school=school, name="Viproom Noord", coaches=[coach])
    assert not [t for t in _titles(client, coach) if t.startswith("Puntenkaarten")]


def test_coordinator_cannot_see_point_cards_and_asking_costs_no_query(
    client, coordinator, coach, school, school_class, rf, django_assert_num_queries
):
    from carecoord import access
    from cico.navigation import home_cards

    room = FacilityFactory(school=school, name="Viproom Noord", coaches=[coach])
    card_for(StudentFactory(school_class=school_class), facility=room)
    assert not [t for t in _titles(client, coordinator) if t.startswith("Puntenkaarten")]
    access.roles_at(coordinator, school)  # the roles are read once per request, by the middleware
    request = rf.get("/")
    request.user, request.school = coordinator, school
    with django_assert_num_queries(0):
        assert home_cards(request) == []
