"""Writes of the daily point card: setting it up, scoring a lesson, check-in and check-out,
the paper card of a whole day, and the coach's proposal for the evaluation. Each owns its
transaction; the day row is locked while a score is written, so two teachers scoring the
same lesson at once are saved one after the other (the later one wins, both are in the
history) and the day's totals always match its scores."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import change_record, values_of
from carecoord import access
from referrals.models import WEEKDAYS, Placement, PlacementKind

from .models import (
    MAX_EXPECTATIONS,
    POINTS,
    Card,
    CardDay,
    CardPeriod,
    CardProposal,
    Expectation,
    PeriodScore,
    PeriodStatus,
    Proposal,
)

CARD_KINDS = (PlacementKind.CHECK_IN_OUT, PlacementKind.HOURS)


def card_save(
    *,
    placement: Placement,
    actor,
    expectations: list[str],
    periods: list[tuple[int, int]],
    goal_percent: int,
    start_on: date,
) -> Card:
    """Create or change the card of a placement. Expectations are kept by position: a
    changed text is a new version of the same expectation (its history keeps the old
    one); a removed one is retired, so its past scores keep their meaning."""
    texts = [t.strip()[:200] for t in expectations if t and t.strip()]
    if not texts:
        raise ValidationError({"expectation_1": _("Schrijf ten minste één verwachting op.")})
    if len(texts) > MAX_EXPECTATIONS:
        raise ValidationError(_("Een kaart heeft hoogstens %(n)s verwachtingen.") % {"n": MAX_EXPECTATIONS})
    if not periods:
        raise ValidationError({"periods": _("Kies de lesuren die gescoord worden.")})
    if not 1 <= goal_percent <= 100:
        raise ValidationError({"goal_percent": _("Het dagdoel is een percentage van 1 tot en met 100.")})
    if placement.kind not in CARD_KINDS:
        raise ValidationError(
            _("Een puntenkaart hoort bij in- en uitchecken of specifieke lesuren, niet bij voltijds.")
        )
    if not placement.is_active:
        raise ValidationError(_("Deze plaatsing is beëindigd."))
    with transaction.atomic():
        placement = Placement.objects.select_for_update().get(pk=placement.pk)
        card = Card.objects.filter(placement=placement).first()
        before = values_of(card, ["goal_percent", "start_on"]) if card else None
        if card is None:
            card = Card.objects.create(
                placement=placement,
                school_id=placement.school_id,
                student_id=placement.student_id,
                goal_percent=goal_percent,
                start_on=start_on,
                created_by=actor,
            )
        elif (card.goal_percent, card.start_on) != (goal_percent, start_on):
            card.goal_percent, card.start_on = goal_percent, start_on
            card.save(update_fields=["goal_percent", "start_on"])
        current = list(card.expectations.filter(retired_on__isnull=True).order_by("position", "pk"))
        today = timezone.localdate()
        for position, text in enumerate(texts):
            if position < len(current):
                expectation = current[position]
                if expectation.text != text:
                    expectation.text = text
                    expectation.save(update_fields=["text"])
            else:
                Expectation.objects.create(card=card, text=text, position=position)
        for expectation in current[len(texts) :]:
            expectation.retired_on = today
            expectation.save(update_fields=["retired_on"])
        wanted = set(periods)
        have = {(p.weekday, p.hour): p for p in card.periods.all()}
        CardPeriod.objects.filter(pk__in=[p.pk for key, p in have.items() if key not in wanted]).delete()
        CardPeriod.objects.bulk_create(
            [CardPeriod(card=card, weekday=w, hour=h) for w, h in sorted(wanted - set(have))]
        )
        change_record(
            school=placement.school_id,
            student=placement.student,
            actor=actor,
            kind="cico.card_saved",
            obj=card,
            before=before,
            after={**values_of(card, ["goal_percent", "start_on"]), "expectations": texts, "periods": sorted(wanted)},
            hidden={"expectations"},
        )
    return card


def _day_for_update(card: Card, day: date) -> CardDay:
    """The day row, locked until the end of the transaction (created when missing: a
    racing creation ends in the unique constraint, and get_or_create then reads it)."""
    locked = CardDay.objects.select_for_update().filter(card=card, day=day).first()
    if locked is None:
        CardDay.objects.get_or_create(card=card, day=day)
        locked = CardDay.objects.select_for_update().get(card=card, day=day)
    return locked


def _retotal(day: CardDay, scores: list[PeriodScore]) -> None:
    day.points = sum(s.total for s in scores)
    day.possible = sum(s.possible for s in scores)
    day.save(update_fields=["points", "possible"])


def _check_day(card: Card, day: date) -> None:
    if not card.is_active:
        raise ValidationError(
            _("De plaatsing van %(name)s is beëindigd: er valt niets meer te scoren.")
            % {"name": card.student.full_name}
        )
    if day > timezone.localdate():
        raise ValidationError({"day": _("Een dag in de toekomst kun je nog niet scoren.")})
    if day < card.start_on:
        raise ValidationError(
            {"day": _("De kaart begint op %(date)s.") % {"date": date_format(card.start_on, "SHORT_DATE_FORMAT")}}
        )


def card_hours_on(card: Card, day: date) -> list[int]:
    """The lesson hours scored on `day` (its weekday's periods)."""
    return sorted(p.hour for p in card.periods.all() if p.weekday == day.weekday())


def period_score(
    *,
    card: Card,
    day: date,
    hour: int,
    actor,
    status: str = PeriodStatus.SCORED,
    points: dict | None = None,
    remark: str = "",
) -> tuple[PeriodScore, PeriodScore | None]:
    """Score one lesson hour. Returns the saved score and, when someone else had scored
    this hour already, a copy of what was replaced (the history keeps both).

    `points` is {expectation id: 0, 1 or 2} for every current expectation of the card;
    "afwezig" and "geen les" carry no points. After check-out only the coach (or the
    zorgcoördinator) may still change the day.
    """
    _check_day(card, day)
    if hour not in card_hours_on(card, day):
        raise ValidationError(
            {
                "hour": _("Lesuur %(hour)s staat niet op de kaart van %(name)s op %(weekday)s.")
                % {"hour": hour, "name": card.student.full_name, "weekday": dict(WEEKDAYS).get(day.weekday(), "")}
            }
        )
    if status not in PeriodStatus.values:
        raise ValidationError({"status": _("Kies gescoord, afwezig of geen les.")})
    clean: dict[str, int] = {}
    if status == PeriodStatus.SCORED:
        expected = {e.pk for e in card.expectations.all() if e.retired_on is None}
        given = {}
        for key, value in (points or {}).items():
            try:
                given[int(key)] = int(value)
            except (TypeError, ValueError):
                raise ValidationError({"points": _("Een score is 0, 1 of 2.")}) from None
        if any(v not in POINTS for v in given.values()):
            raise ValidationError({"points": _("Een score is 0, 1 of 2.")})
        if set(given) != expected:
            raise ValidationError({"points": _("Geef elke verwachting 0, 1 of 2 punten.")})
        clean = {str(k): v for k, v in sorted(given.items())}
    with transaction.atomic():
        card_day = _day_for_update(card, day)
        if card_day.checked_out_at and not access.can(actor, "card.correct", card):
            raise ValidationError(
                _("%(name)s is al uitgecheckt voor deze dag: alleen de coach kan de scores nog wijzigen.")
                % {"name": card.student.full_name}
            )
        scores = list(card_day.scores.all())
        existing = next((s for s in scores if s.hour == hour), None)
        replaced = None
        if existing is not None:
            replaced = PeriodScore(
                pk=existing.pk,
                day=card_day,
                hour=hour,
                status=existing.status,
                points=dict(existing.points),
                remark=existing.remark,
                scored_by_id=existing.scored_by_id,
                scored_at=existing.scored_at,
            )
            existing.status, existing.points, existing.remark = status, clean, remark.strip()[:200]
            existing.scored_by, existing.scored_at = actor, timezone.now()
            existing.save()
            score = existing
        else:
            score = PeriodScore.objects.create(
                day=card_day, hour=hour, status=status, points=clean, remark=remark.strip()[:200], scored_by=actor
            )
            scores.append(score)
        _retotal(card_day, scores)
    return score, replaced


def day_scores_save(*, card: Card, day: date, actor, periods: dict[int, dict]) -> CardDay:
    """The coach enters a paper card: every hour of the day in one go ({hour: {"status",
    "points", "remark"}}). All or nothing: one wrong hour and nothing is saved."""
    if not access.can(actor, "card.correct", card):
        raise ValidationError(_("Alleen de coach voert een papieren kaart in."))
    with transaction.atomic():
        for hour, entry in sorted(periods.items()):
            period_score(card=card, day=day, hour=hour, actor=actor, **entry)
    return CardDay.objects.get(card=card, day=day)


def day_check_in(*, card: Card, day: date, actor) -> CardDay:
    """The morning check-in with the coach (a second tap changes nothing)."""
    _check_day(card, day)
    with transaction.atomic():
        card_day = _day_for_update(card, day)
        if card_day.checked_in_at is None:
            card_day.checked_in_at, card_day.checked_in_by = timezone.now(), actor
            card_day.save(update_fields=["checked_in_at", "checked_in_by"])
    return card_day


def day_check_out(*, card: Card, day: date, actor, conclusion: str = "") -> CardDay:
    """The check-out at the end of the day, with the coach's short conclusion. After it,
    teachers can no longer change the day's scores; the coach still can. Checking out again
    changes only the conclusion."""
    _check_day(card, day)
    with transaction.atomic():
        card_day = _day_for_update(card, day)
        before = values_of(card_day, ["conclusion"])
        if card_day.checked_out_at is None:
            card_day.checked_out_at, card_day.checked_out_by = timezone.now(), actor
        card_day.conclusion = conclusion.strip()[:500]
        card_day.save(update_fields=["checked_out_at", "checked_out_by", "conclusion"])
        change_record(
            school=card.school_id,
            student=card.student,
            actor=actor,
            kind="cico.checked_out",
            obj=card_day,
            before=before,
            after=values_of(card_day, ["conclusion"]),
            hidden={"conclusion"},
        )
    return card_day


def card_propose(*, card: Card, actor, proposal: str, note: str = "") -> CardProposal:
    """The coach proposes continue / adjust / fade out / end for the next evaluation."""
    if proposal not in Proposal.values:
        raise ValidationError({"proposal": _("Kies een voorstel.")})
    if not card.is_active:
        raise ValidationError(_("Deze plaatsing is beëindigd."))
    with transaction.atomic():
        made = CardProposal.objects.create(card=card, proposal=proposal, note=note.strip()[:500], by=actor)
        change_record(
            school=card.school_id,
            student=card.student,
            actor=actor,
            kind="cico.proposal",
            obj=made,
            after={"proposal": proposal, "note": made.note},
            hidden={"note"},
        )
    return made
