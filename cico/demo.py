"""Demo data of the point card (see carecoord/demo.py). Idempotent: a placement that has a
card is left alone.

Every active check-in/check-out placement of a viproom gets a card with three to five
expectations, the lesson hours 2–7 scored, and the past eight weeks scored by the mentor,
with some days missing: the first pupil climbs past 80 %, the second slides down, the
others wander around the goal. Today the first two hours are scored and the pupil is
checked in; earlier days are checked out, some with a conclusion."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.selectors import holiday_dates
from referrals.models import FacilityKind, Placement, PlacementKind

from .models import Card, CardDay, CardPeriod, Expectation, PeriodScore, PeriodStatus

EXPECTATIONS = [
    "Ik begin binnen 5 minuten aan mijn taak",
    "Ik blijf op mijn plek en vraag toestemming als ik weg wil",
    "Ik vraag om hulp als ik vastzit",
    "Ik praat rustig tegen de docent en klasgenoten",
    "Ik heb mijn spullen bij me",
]
CONCLUSIONS = [
    "Goede dag, trots op gemaakt werk.",
    "Na de pauze onrustig; morgen eerst even bijpraten.",
    "Wiskunde lastig, verder prima.",
    "Moe, weinig geslapen. Rustig afgesloten.",
    "",
    "",
]
HOURS = range(2, 8)  # hour 1 is the check-in in the viproom
WEEKS = 8


def _profile(index: int, progress: float) -> float:
    """The pupil's mean score (0–1) at `progress` (0 = start, 1 = today)."""
    if index == 0:
        return 0.55 + 0.35 * progress  # climbs past 80 %
    if index == 1:
        return 0.85 - 0.3 * progress  # slides down
    return 0.78


def _points(rng, mean: float) -> int:
    value = mean + rng.gauss(0, 0.22)
    return 2 if value > 0.75 else 1 if value > 0.3 else 0


def _aware(day, moment: time):
    return timezone.make_aware(datetime.combine(day, moment))


def _seed_card(ctx, placement, index, teacher, coach):
    rng = ctx.rng_for("cico", placement.pk)
    today = timezone.localdate()
    # Eight weeks of history, also for a placement the demo started more recently: the
    # graphs need weeks to show a trend.
    start = today - timedelta(weeks=WEEKS)
    card = Card.objects.create(
        placement=placement,
        school_id=placement.school_id,
        student_id=placement.student_id,
        start_on=start,
        created_by=coach,
    )
    expectations = [
        Expectation.objects.create(card=card, text=text, position=n)
        for n, text in enumerate(EXPECTATIONS[: 3 + index % 3])
    ]
    CardPeriod.objects.bulk_create([CardPeriod(card=card, weekday=d, hour=h) for d in range(5) for h in HOURS])
    holidays = holiday_dates(school=placement.school, start=start, end=today)
    days = [
        start + timedelta(days=n)
        for n in range((today - start).days + 1)
        if (start + timedelta(days=n)).weekday() < 5 and start + timedelta(days=n) not in holidays
    ]
    for n, day in enumerate(days):
        is_today = day == today
        if not is_today and rng.random() < 0.1:
            continue  # not handed in: a missing day
        mean = _profile(index, n / max(len(days) - 1, 1))
        card_day = CardDay(card=card, day=day, checked_in_at=_aware(day, time(8, 35)), checked_in_by=coach)
        if not is_today:
            card_day.checked_out_at, card_day.checked_out_by = _aware(day, time(15, 25)), coach
            card_day.conclusion = rng.choice(CONCLUSIONS)
        card_day.save()
        scores = []
        for hour in list(HOURS)[:2] if is_today else HOURS:
            roll = rng.random()
            if roll < 0.04:
                scores.append(PeriodScore(day=card_day, hour=hour, status=PeriodStatus.NO_LESSON, scored_by=teacher))
            elif roll < 0.07:
                scores.append(PeriodScore(day=card_day, hour=hour, status=PeriodStatus.ABSENT, scored_by=teacher))
            elif roll < 0.12 and not is_today:
                continue  # a lesson nobody scored
            else:
                points = {str(e.pk): _points(rng, mean) for e in expectations}
                scores.append(
                    PeriodScore(
                        day=card_day,
                        hour=hour,
                        points=points,
                        scored_by=teacher,
                        scored_at=_aware(day, time(8 + hour, 15)),
                    )
                )
        PeriodScore.objects.bulk_create(scores)
        card_day.points = sum(s.total for s in scores)
        card_day.possible = sum(s.possible for s in scores)
        card_day.save(update_fields=["points", "possible"])


def seed(ctx):
    for key, school in ctx.schools.items():
        placements = list(
            Placement.objects.active()
            .filter(school=school, kind=PlacementKind.CHECK_IN_OUT, facility__kind=FacilityKind.VIPROOM)
            .select_related("school")
            .order_by("pk")
        )
        teacher = ctx.users.get(f"mentor_{key}")
        coach = ctx.users.get(f"coach_{key}") or teacher
        if teacher is None:
            continue
        with transaction.atomic():
            for index, placement in enumerate(placements):
                if not Card.objects.filter(placement=placement).exists():
                    _seed_card(ctx, placement, index, teacher, coach)
