"""Who may score: any staff member of the school for a pupil with a card (only the card);
a partner or a staff member of another school gets a 404; after check-out only the coach.
Who sets up the card, checks in and out, and sees the graphs."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from carecoord import access
from cico.models import Card, CardDay, PeriodScore
from cico.tests.factories import card_for, school_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(student, coach, coordinator):
    return card_for(student, coach=coach, by=coordinator)


@pytest.fixture
def teacher(school):
    """A teacher of one of the pupil's lessons: staff of the school, not the pupil's mentor."""
    return staff(school, Role.MENTOR, email="docent@a.test", name="Docent Wiskunde")


def _score_url(card, day=None, hour=1):
    day = day or school_day(0)
    return reverse("cico:score", args=[card.pk, f"{day:%Y-%m-%d}"]) + f"?uur={hour}"


def _post_score(client, card, day=None, hour=1, values=(2, 1, 2), **extra):
    data = {
        "hour": hour,
        "status": "scored",
        **{f"e{e.pk}": v for e, v in zip(card.expectations.all(), values, strict=True)},
    }
    data.update(extra)
    day = day or school_day(0)
    return client.post(reverse("cico:score", args=[card.pk, f"{day:%Y-%m-%d}"]), data)


def test_any_teacher_of_the_school_can_score_and_sees_only_the_card(client, card, teacher):
    client.force_login(teacher)
    page = client.get(_score_url(card))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Daan Jansen" in text and "Ik blijf op mijn plek" in text and "2K1" in text
    # Not the file: no guardian, no question for help, no link into the file.
    assert "Ouder Jansen" not in text and card.placement.referral.question not in text
    assert card.student.get_absolute_url() not in text
    response = _post_score(client, card)
    assert response.status_code == 302
    score = PeriodScore.objects.get()
    assert (score.scored_by, score.points) == (
        teacher,
        {str(e.pk): v for e, v in zip(card.expectations.all(), (2, 1, 2), strict=True)},
    )
    assert CardDay.objects.get().percent == 83


def test_a_teacher_cannot_open_the_graphs_or_the_file(client, card, teacher):
    client.force_login(teacher)
    assert client.get(reverse("cico:card_detail", args=[card.pk])).status_code == 404
    assert client.get(card.student.get_absolute_url()).status_code in (403, 404)


@pytest.mark.denies("card.score")
def test_partner_cannot_score(client, card, consented_partner):
    client.force_login(consented_partner)
    assert client.get(_score_url(card)).status_code == 404
    assert _post_score(client, card).status_code == 404
    assert not access.can(consented_partner, "card.score", card)
    assert not PeriodScore.objects.exists()


def test_staff_of_another_school_gets_404(client, card, other_coordinator):
    client.force_login(other_coordinator)
    assert client.get(_score_url(card)).status_code == 404
    assert _post_score(client, card).status_code == 404
    assert client.get(reverse("cico:card_detail", args=[card.pk])).status_code == 404
    assert not PeriodScore.objects.exists()


def test_ended_placement_cannot_be_scored_anymore(client, card, teacher):
    card.placement.ended_on, card.placement.outcome = timezone.localdate(), "back_fully"
    card.placement.save()
    client.force_login(teacher)
    assert client.get(_score_url(card)).status_code == 404


def test_after_check_out_a_teacher_gets_a_clear_message_and_the_coach_can_correct(client, card, teacher, coach):
    day = school_day(0)
    client.force_login(coach)
    client.post(reverse("cico:day_check_out", args=[card.pk, f"{day:%Y-%m-%d}"]), {"conclusion": "Goede dag"})
    client.force_login(teacher)
    response = _post_score(client, card)
    assert response.status_code == 200
    assert "alleen de coach" in response.content.decode()
    assert not PeriodScore.objects.exists()
    client.force_login(coach)
    assert _post_score(client, card, values=(2, 2, 2)).status_code == 302
    assert CardDay.objects.get().percent == 100


@pytest.mark.denies("card.correct")
def test_teacher_cannot_check_in_or_out_or_enter_a_paper_card(client, card, teacher):
    client.force_login(teacher)
    day = f"{school_day(0):%Y-%m-%d}"
    assert client.post(reverse("cico:day_check_in", args=[card.pk, day])).status_code == 403
    assert client.post(reverse("cico:day_check_out", args=[card.pk, day])).status_code == 403
    assert client.get(reverse("cico:day_entry", args=[card.pk, day])).status_code == 403
    assert not CardDay.objects.exists()


@pytest.mark.denies("facility.cico_day")
def test_teacher_cannot_open_the_coachs_day_view(client, card, teacher):
    client.force_login(teacher)
    assert client.get(reverse("cico:facility_day", args=[card.placement.facility_id])).status_code == 403


@pytest.mark.denies("card.manage")
def test_coordinator_cannot_change_the_card_of_an_ended_placement(client, card, coordinator):
    card.placement.ended_on, card.placement.outcome = timezone.localdate(), "back_fully"
    card.placement.save()
    client.force_login(coordinator)
    assert client.get(reverse("cico:card_edit", args=[card.placement_id])).status_code == 403


@pytest.mark.denies("school.score_cards")
def test_partner_gets_no_list_of_cards(client, card, consented_partner):
    client.force_login(consented_partner)
    assert client.get(reverse("cico:card_list")).status_code == 403


def test_coach_sets_up_a_card_on_the_placement(client, student, coach, coordinator):
    from referrals.models import PlacementKind
    from referrals.tests.factories import FacilityFactory, lesson_hours, placed

    lesson_hours(student.school)
    facility = FacilityFactory(school=student.school, coaches=[coach])
    placement = placed(student, facility, kind=PlacementKind.CHECK_IN_OUT, slots=[(0, 1)], by=coordinator)
    client.force_login(coach)
    url = reverse("cico:card_edit", args=[placement.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"goal_percent": "150", "start_on": "01-09-2026", "periods": ["0-2"]})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "1 tot en met 100" in text and "ten minste één verwachting" in text
    assert 'value="0-2" aria-label="ma 2" checked' in text  # what was typed stays
    ok = client.post(
        url,
        {
            "expectation_1": "Ik begin binnen 5 minuten aan mijn taak",
            "expectation_2": "Ik blijf op mijn plek",
            "goal_percent": "80",
            "start_on": f"{timezone.localdate():%d-%m-%Y}",
            "periods": ["0-2", "0-3", "1-2"],
        },
    )
    card = Card.objects.get()
    assert ok.status_code == 302 and ok["Location"] == card.get_absolute_url()
    assert [e.text for e in card.expectations.all()] == [
        "Ik begin binnen 5 minuten aan mijn taak",
        "Ik blijf op mijn plek",
    ]
    assert sorted(card.periods.values_list("weekday", "hour")) == [(0, 2), (0, 3), (1, 2)]
    # The placement and the evaluation form show the card.
    client.force_login(coordinator)
    assert "Ik blijf op mijn plek" in client.get(placement.get_absolute_url()).content.decode()
    assert (
        "Ik blijf op mijn plek"
        in client.get(reverse("referrals:placement_evaluate", args=[placement.pk])).content.decode()
    )


def test_bad_input_on_the_scoring_screen_gets_a_clear_message_and_keeps_the_taps(client, card, teacher):
    from datetime import timedelta

    client.force_login(teacher)
    ids = [e.pk for e in card.expectations.all()]
    future = client.post(
        reverse("cico:score", args=[card.pk, f"{timezone.localdate() + timedelta(days=7):%Y-%m-%d}"]),
        {"hour": 1, "status": "scored", **{f"e{i}": 2 for i in ids}},
    )
    assert "Een dag in de toekomst kun je nog niet scoren." in future.content.decode()
    missing = _post_score(client, card, values=(2, 1, 2), **{f"e{ids[2]}": "5"})
    text = missing.content.decode()
    assert missing.status_code == 200 and "Een score is 0, 1 of 2." in text
    assert f'id="e{ids[0]}-2" value="2" checked' in text  # the first tap stays
    off_card = _post_score(client, card, hour=7)
    assert "Lesuur 7 staat niet op de kaart" in off_card.content.decode()
    assert not PeriodScore.objects.exists()


def test_a_second_teacher_on_the_same_hour_is_told_it_replaced_a_score(client, card, teacher, coach):
    client.force_login(coach)
    _post_score(client, card, values=(0, 0, 0))
    client.force_login(teacher)
    response = _post_score(client, card, values=(2, 2, 2))
    text = client.get(response["Location"]).content.decode()
    assert "Het was al gescoord om" in text and "beide staan in de geschiedenis" in text
    assert PeriodScore.objects.get().history.count() == 2
