"""Demo data of the kansencoach at OBS De Aanloop (seed 004), called from referrals/demo.py:
"juf Corrie", two hours a week; three pupils in conversations (nominated by their teacher,
the parents agreed, no intake), one nomination waiting for the parents, and a few weeks of
conversations with the pupil, the parents and advice to the teacher."""

from datetime import time, timedelta

from students.models import Consent, ConsentPurpose

from .models import (
    CoachingConversation,
    CoachingNomination,
    ConversationKind,
    NominationState,
    Placement,
    PlacementKind,
)

REASONS = [
    "Is sinds de scheiding van de ouders stil en teruggetrokken in de groep; huilt soms om niets.",
    "Raakt snel boos op klasgenoten en loopt weg uit de groep; thuis is veel onrust.",
    "Komt vaak zonder ontbijt en moe op school; wil niet vertellen wat er thuis speelt.",
    "Durft niet meer naar buiten in de pauze na een ruzie; buikpijn op maandag.",
]
NOTES = {
    ConversationKind.PUPIL: [
        "Gesprek over wat er thuis gebeurt; samen gezocht naar wie ze kan vertellen hoe het gaat.",
        "Geoefend met het benoemen van boosheid voordat hij wegloopt (stoplicht).",
        "Tekening gemaakt van een fijne en een moeilijke dag; rustiger dan vorige week.",
    ],
    ConversationKind.PARENTS: [
        "Moeder kwam na schooltijd langs; afgesproken dat zij het ontbijt thuis oppakt met hulp van het sociaal team.",
        "Vader gebeld: hij ziet thuis hetzelfde; volgende week samen met de leerkracht.",
    ],
    ConversationKind.TEACHER: [
        "Advies aan de leerkracht: bij onrust een vaste plek en een taak, niet de gang op sturen.",
    ],
}
# The coach is in school on Tuesday afternoon (two hours a week).
COACH_WEEKDAY = 1


def seed_kansencoach(seeder, facility, worker) -> None:
    rng, today = seeder.rng, seeder.today
    pupils = [s for s in seeder.pool if s.school_class_id][:4]
    seeder.pool = [s for s in seeder.pool if s not in pupils]
    for n, student in enumerate(pupils):
        teacher = student.school_class.mentors.order_by("pk").first() or seeder.coordinator
        nominated_on = today - timedelta(days=rng.randrange(28, 50)) if n < 3 else today - timedelta(days=3)
        nomination = CoachingNomination.objects.create(
            school=seeder.school,
            student=student,
            facility=facility,
            reason=REASONS[n],
            nominated_by=teacher,
            created_at=seeder.aware(nominated_on, time(15, 30)),
        )
        seeder.event(
            student,
            "referrals.coaching_nominated",
            nomination.created_at,
            facility=facility.name,
            nomination_id=nomination.pk,
        )
        if n == 3:
            continue  # the parents have not said yes yet: the nomination waits
        given_on = nominated_on + timedelta(days=2 + n)
        seeder.consent(student, ConsentPurpose.KANSENCOACH, given_on)
        if not Consent.objects.filter(student=student, purpose=ConsentPurpose.KANSENCOACH).exists():
            continue  # no guardian with authority to ask: the nomination waits too
        start = given_on + timedelta(days=1)
        placement = Placement.objects.create(
            school=seeder.school,
            student=student,
            facility=facility,
            referral=None,
            kind=PlacementKind.COACHING,
            start_on=start,
            created_by=worker,
            created_at=seeder.aware(start, time(13, 0)),
        )
        nomination.state, nomination.placement = NominationState.STARTED, placement
        nomination.started_by, nomination.started_at = worker, placement.created_at
        nomination.save()
        seeder.event(
            student,
            "referrals.placement_started",
            placement.created_at,
            facility=facility.name,
            placement_id=placement.pk,
            plan=PlacementKind.COACHING.value,
            start=start.isoformat(),
        )
        _conversations(seeder, placement, worker, offset=n)


def _conversations(seeder, placement, worker, *, offset):
    """One conversation a week on the coach's day, about half an hour (three pupils fit in the
    two hours); every third week with the parents, and once advice to the teacher."""
    rng, today = seeder.rng, seeder.today
    monday = placement.start_on - timedelta(days=placement.start_on.weekday())
    rows, week = [], 0
    while True:
        day = monday + timedelta(weeks=week, days=COACH_WEEKDAY)
        if day > today:
            break
        if day >= placement.start_on and day not in seeder.off:
            if week == 1:
                kind = ConversationKind.TEACHER
            elif (week + offset) % 3 == 2:
                kind = ConversationKind.PARENTS
            else:
                kind = ConversationKind.PUPIL
            rows.append(
                CoachingConversation(
                    placement=placement,
                    held_on=day,
                    minutes=rng.choice([25, 30, 35]) if kind != ConversationKind.TEACHER else 15,
                    kind=kind,
                    note=rng.choice(NOTES[kind]),
                    by=worker,
                    created_at=seeder.aware(day, time(15, 45)),
                )
            )
        week += 1
    CoachingConversation.objects.bulk_create(rows)
    for row in rows:
        seeder.event(
            placement.student,
            "referrals.coaching_conversation",
            row.created_at,
            facility=placement.facility.name,
            placement_id=placement.pk,
            conversation=row.kind.value if hasattr(row.kind, "value") else row.kind,
            minutes=row.minutes,
            date=row.held_on.isoformat(),
        )
