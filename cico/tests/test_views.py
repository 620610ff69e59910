"""The coach's day (check-in with yesterday's result, check-out with the conclusion), the
paper card, the graphs with their tables, the proposal, the printed card; query counts."""

import pytest
from django.urls import reverse

from carecoord.testing import query_count
from cico.models import CardDay, CardProposal, PeriodScore
from cico.tests.factories import card_for, school_day, scored_day
from referrals.tests.factories import FacilityFactory
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(school, coach):
    return FacilityFactory(school=school, name="Viproom", coaches=[coach])


@pytest.fixture
def card(student, room, coordinator):
    return card_for(student, facility=room, by=coordinator)


def _d(day):
    return f"{day:%Y-%m-%d}"


def test_day_view_shows_yesterday_at_check_in_and_today_against_the_goal(client, card, room, coach):
    scored_day(card, school_day(1), {1: [2, 2, 2], 2: [2, 2, 1]})  # 92 %
    scored_day(card, school_day(0), {1: [1, 1, 1]})  # 50 %, hours 2-4 open
    client.force_login(coach)
    text = client.get(reverse("cico:facility_day", args=[room.pk]) + f"?dag={_d(school_day(0))}").content.decode()
    assert "92%" in text and "50%" in text and "3 lesuren open" in text and "onder het doel" in text
    client.post(reverse("cico:day_check_in", args=[card.pk, _d(school_day(0))]))
    client.post(reverse("cico:day_check_in", args=[card.pk, _d(school_day(0))]))  # a double tap
    day = CardDay.objects.get(card=card, day=school_day(0))
    assert day.checked_in_by == coach
    response = client.post(
        reverse("cico:day_check_out", args=[card.pk, _d(school_day(0))]), {"conclusion": "Na de pauze onrustig."}
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.checked_out_by == coach and day.conclusion == "Na de pauze onrustig."


def test_day_view_query_count_is_flat(client, room, coach, coordinator, school_class):
    client.force_login(coach)

    def add(n):
        for _ in range(n):
            card = card_for(StudentFactory(school_class=school_class), facility=room, by=coordinator)
            scored_day(card, school_day(1), {1: [2, 2, 1], 2: "absent"})
            scored_day(card, school_day(0), {1: [1, 1, 1], 2: [2, 2, 2]})

    add(5)
    url = reverse("cico:facility_day", args=[room.pk])
    five = query_count(client, url)
    add(25)
    assert query_count(client, url) == five


def test_coach_enters_a_paper_card_all_or_nothing(client, card, coach):
    client.force_login(coach)
    url = reverse("cico:day_entry", args=[card.pk, _d(school_day(1))])
    assert client.get(url).status_code == 200
    ids = [e.pk for e in card.expectations.all()]
    data = {
        "h1-status": "scored",
        **{f"h1-e{i}": "2" for i in ids},
        "h1-remark": "Top",
        "h2-status": "absent",
        "h3-status": "scored",
        f"h3-e{ids[0]}": "1",  # incomplete: nothing is saved
    }
    bad = client.post(url, data)
    assert bad.status_code == 200 and "Lesuur 3" in bad.content.decode()
    assert 'value="Top"' in bad.content.decode()  # what was typed stays
    assert not PeriodScore.objects.exists()
    data.update({f"h3-e{i}": "1" for i in ids})
    assert client.post(url, data).status_code == 302
    day = CardDay.objects.get()
    assert (day.points, day.possible, day.percent) == (9, 12, 75)


def test_graphs_have_their_data_as_a_table(client, card, coordinator):
    for n, points in enumerate([[2, 2, 2], [1, 1, 1], [2, 1, 2]], start=1):
        scored_day(card, school_day(n), {1: points})
    client.force_login(coordinator)
    text = client.get(card.get_absolute_url()).content.decode()
    assert text.count("<svg") >= 3 and text.count("<table") >= 3
    assert "Percentage per dag" in text and "Gemiddelde per week" in text and "Per verwachting" in text
    assert "Doel 80 %" in text
    assert "style=" not in text.split("<main", 1)[-1]


def test_coach_proposes_for_the_evaluation_and_the_coordinator_sees_it(client, card, coach, coordinator):
    client.force_login(coach)
    client.post(
        reverse("cico:card_propose", args=[card.pk]), {"proposal": "fade_out", "note": "Vier weken boven 80 %."}
    )
    assert CardProposal.objects.get().proposal == "fade_out"
    client.force_login(coordinator)
    text = client.get(reverse("referrals:placement_evaluate", args=[card.placement_id])).content.decode()
    assert "afbouwen" in text and "Vier weken boven 80 %." in text


def test_printed_card_has_a_qr_code_to_the_scoring_screen(client, card, coach):
    client.force_login(coach)
    day = _d(school_day(0))
    text = client.get(reverse("cico:card_print", args=[card.pk, day]) + "?formaat=a5").content.decode()
    assert 'aria-label="QR-code"' in text and "print-a5.css" in text
    assert "Ik begin binnen 5 minuten aan mijn taak" in text


def test_card_list_links_to_todays_scoring_screen(client, card, mentor):
    client.force_login(mentor)
    text = client.get(reverse("cico:card_list")).content.decode()
    assert reverse("cico:score", args=[card.pk, _d(school_day(0))]).split("?")[0][:-11] in text
    assert "Daan Jansen" in text


def test_the_board_leads_to_the_days_cards(client, card, room, coach):
    client.force_login(coach)
    text = client.get(reverse("referrals:facility_board", args=[room.pk])).content.decode()
    assert reverse("cico:facility_day", args=[room.pk]) in text
    other = FacilityFactory(school=room.school, name="Andere ruimte", coaches=[coach])
    text = client.get(reverse("referrals:facility_board", args=[other.pk])).content.decode()
    assert reverse("cico:facility_day", args=[other.pk]) not in text
