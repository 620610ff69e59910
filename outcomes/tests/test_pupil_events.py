"""A pupil's before / during / after: the ondersteuningsteam's decisions marked as events
(only meetings in the weeks shown, of the viewer's school, never their text, one query)
and the point card's weekly average as its own chart."""

from datetime import date, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cico.models import CardDay
from cico.tests.factories import card_for
from meetings.models import MeetingKind, MeetingStatus
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from outcomes.selectors.pupil import pupil_outcome
from referrals.models import Outcome
from referrals.tests.factories import FacilityFactory, placed

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 26)
DECISION = "Aanmelden bij de jeugdarts en het rooster halveren"


@pytest.fixture
def placement(school, student, coach, coordinator):
    viproom = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    # Weeks shown: 8 school weeks from 05-01-2026 to 26-06-2026 (no holidays set up).
    return placed(
        student,
        viproom,
        by=coordinator,
        start_on=date(2026, 3, 2),
        ended_on=date(2026, 4, 10),
        outcome=Outcome.BACK_FULLY,
    )


def _ot(school, organiser, student, day, *, decision=DECISION, kind=MeetingKind.OT, **kwargs):
    meeting = MeetingFactory(
        school=school,
        organiser=organiser,
        kind=kind,
        starts_at=timezone.make_aware(datetime.combine(day, time(14, 0))),
        **kwargs,
    )
    return AgendaItemFactory(meeting=meeting, student=student, decision=decision)


def test_an_ot_meeting_in_the_weeks_shown_is_marked_by_date_without_its_decision(
    school, other_school, other_coordinator, coordinator, student, placement
):
    _ot(school, coordinator, student, date(2026, 3, 18))  # during: marked
    _ot(school, coordinator, student, date(2026, 5, 6), decision="")  # after, nothing decided yet
    _ot(school, coordinator, student, date(2025, 11, 12))  # before the 8 weeks: not shown
    _ot(school, coordinator, student, date(2026, 7, 1))  # after today: decided nothing yet
    _ot(school, coordinator, student, date(2026, 3, 25), status=MeetingStatus.CANCELLED)
    _ot(school, coordinator, student, date(2026, 3, 26), kind=MeetingKind.KORTE_LIJN)  # not the OT
    # The pupil on the agenda of another school's OT (a pupil who changed schools, say).
    _ot(other_school, other_coordinator, student, date(2026, 3, 19))

    out = pupil_outcome(placement=placement, viewer=coordinator, today=TODAY)

    assert out.events == [
        (date(2026, 3, 2), "start plaatsing"),
        (date(2026, 3, 18), "OT-besluit"),
        (date(2026, 4, 10), "einde plaatsing"),
        (date(2026, 5, 6), "OT-bespreking"),
    ]
    labels = [m.label for m in out.chart.markers]
    assert "18-03-2026: OT-besluit" in labels and len(labels) == 4
    # Marked at the school week of the meeting.
    x_labels = out.chart.x_labels
    assert x_labels[next(m.index for m in out.chart.markers if "OT-besluit" in m.label)] == "16-03"
    assert not any(DECISION in label for label in labels)


def test_query_count_does_not_grow_with_the_meetings(school, coordinator, student, placement):
    _ot(school, coordinator, student, date(2026, 3, 4))
    # Once first: the viewer's roles and the school calendar are cached after the first call.
    pupil_outcome(placement=placement, viewer=coordinator, today=TODAY)
    with CaptureQueriesContext(connection) as one:
        first = pupil_outcome(placement=placement, viewer=coordinator, today=TODAY)
    for day in (11, 18, 25):
        _ot(school, coordinator, student, date(2026, 3, day))
    _ot(school, coordinator, student, date(2026, 4, 8))
    with CaptureQueriesContext(connection) as five:
        second = pupil_outcome(placement=placement, viewer=coordinator, today=TODAY)
    assert len([e for e in first.events if e[1] == "OT-besluit"]) == 1
    assert len([e for e in second.events if e[1] == "OT-besluit"]) == 5
    assert len(five) == len(one)


def test_the_page_marks_the_decision_but_never_shows_its_text(client, school, coordinator, student, placement):
    _ot(school, coordinator, student, placement.start_on)
    client.force_login(coordinator)
    page = client.get(reverse("outcomes:placement_outcome", args=[placement.pk])).content.decode()
    assert "02-03-2026: OT-besluit" in page
    assert DECISION not in page


def test_no_card_no_card_chart(coordinator, placement):
    out = pupil_outcome(placement=placement, viewer=coordinator, today=TODAY)
    assert not out.has_card and out.card_chart is None


def test_the_card_average_is_a_second_chart_and_stays_in_the_table(client, coordinator, student, placement):
    card = card_for(student, by=coordinator, goal=70, start_on=date(2026, 3, 2))
    CardDay.objects.create(card=card, day=date(2026, 3, 3), points=6, possible=10)
    CardDay.objects.create(card=card, day=date(2026, 3, 4), points=8, possible=10)
    CardDay.objects.create(card=card, day=date(2026, 3, 10), points=9, possible=10)

    out = pupil_outcome(placement=placement, viewer=coordinator, today=TODAY)

    assert out.has_card
    chart = out.card_chart
    values = dict(zip(chart.x_labels, chart.series[0].values, strict=True))
    assert values["02-03"] == 70 and values["09-03"] == 90 and values["16-03"] is None
    assert chart.goal == 70 and chart.unit == "%"
    assert [m.label for m in chart.markers] == [m.label for m in out.chart.markers]
    assert {r.monday: r.card_percent for r in out.weeks}[date(2026, 3, 2)] == 70

    client.force_login(coordinator)
    page = client.get(reverse("outcomes:placement_outcome", args=[placement.pk])).content.decode()
    assert 'data-testid="card-chart"' in page and "Puntenkaart: gemiddelde per schoolweek" in page
