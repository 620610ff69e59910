"""Setting up point cards for tests (no services: the tests of the services use those)."""

from datetime import date, timedelta

from django.utils import timezone

from cico.models import Card, CardDay, CardPeriod, Expectation, PeriodScore, PeriodStatus
from referrals.models import PlacementKind
from referrals.tests.factories import FacilityFactory, placed

TEXTS = ["Ik begin binnen 5 minuten aan mijn taak", "Ik blijf op mijn plek", "Ik vraag om hulp als ik vastzit"]


def card_for(
    student, *, facility=None, coach=None, hours=(1, 2, 3, 4), expectations=TEXTS, goal=80, start_on=None, by=None
):
    """An active check-in/check-out placement with a card scored on `hours` every weekday."""
    facility = facility or FacilityFactory(school=student.school, coaches=[coach] if coach else [])
    placement = placed(student, facility, kind=PlacementKind.CHECK_IN_OUT, slots=[(d, 1) for d in range(5)], by=by)
    card = Card.objects.create(
        placement=placement,
        school=student.school,
        student=student,
        goal_percent=goal,
        start_on=start_on or timezone.localdate() - timedelta(days=60),
        created_by=placement.created_by,
    )
    for n, text in enumerate(expectations):
        Expectation.objects.create(card=card, text=text, position=n)
    CardPeriod.objects.bulk_create([CardPeriod(card=card, weekday=d, hour=h) for d in range(5) for h in hours])
    return card


def school_day(back: int = 0) -> date:
    """The `back`-th school day (Mon–Fri) before today, or today's when it is one (back=0)."""
    day = timezone.localdate()
    while day.weekday() > 4:
        day -= timedelta(days=1)
    while back:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            back -= 1
    return day


def scored_day(card, day, per_hour: dict, *, by=None):
    """Write a day directly: {hour: [points...] | "absent" | "no_lesson"}."""
    expectations = list(card.expectations.filter(retired_on__isnull=True))
    card_day, _ = CardDay.objects.get_or_create(card=card, day=day)
    total = possible = 0
    for hour, value in per_hour.items():
        if isinstance(value, str):
            PeriodScore.objects.create(day=card_day, hour=hour, status=value, scored_by=by or card.created_by)
            continue
        points = {str(e.pk): p for e, p in zip(expectations, value, strict=True)}
        PeriodScore.objects.create(
            day=card_day, hour=hour, status=PeriodStatus.SCORED, points=points, scored_by=by or card.created_by
        )
        total += sum(value)
        possible += 2 * len(value)
    card_day.points, card_day.possible = total, possible
    card_day.save()
    return card_day
