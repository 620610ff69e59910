"""Demo absence: twelve weeks of registrations for the demo pupils (bulk inserts), with a
handful crossing each threshold, one thuiszitter, MAS steps, and the signals computed as
the nightly run would have (three weeks of history, then today).

Per school: six early warnings by hours, two by lateness, two fresh statutory crossings,
one older crossing whose report is overdue, one crossing that was reported, and (at De
Waard) one thuiszitter. Skips a school that already has absence registrations.
"""

import math
from datetime import timedelta

from django.db import transaction

from accounts.selectors import holiday_dates

from .models import AbsenceCodeMapping, AbsenceKind, AbsenceRecord, AbsenceSource, CodeTarget, MasStep
from .signals import Calendar

WEEKS = 12
LESSON = 50


# The codes of the demo schools' LVS (Magister-style) that are not the same everywhere:
# mapped once, as a school does in its first absence import.
DEMO_CODES = [
    ("absent", "Absent", CodeTarget.BY_COLUMN),
    ("medisch", "Medisch", CodeTarget.AUTHORISED),
    ("huiswerk vergeten", "Huiswerk vergeten", CodeTarget.IGNORE),
    ("boeken vergeten", "Boeken vergeten", CodeTarget.IGNORE),
]


def _codes(ctx):
    for key, school in ctx.schools.items():
        for code, label, target in DEMO_CODES:
            AbsenceCodeMapping.objects.get_or_create(
                school=school,
                code=code,
                defaults={"label": label, "target": target, "updated_by": ctx.users[f"zc_{key}"]},
            )


def seed(ctx):
    from .services import escalation_step_add, signals_compute

    _codes(ctx)
    seeded = []
    for key, school in ctx.schools.items():
        pupils = ctx.students.get(key) or []
        if len(pupils) < 20 or AbsenceRecord.objects.filter(school=school).exists():
            continue
        with transaction.atomic():
            steps = _records(ctx, key, school, pupils)
        seeded.append((school, steps))
    if not seeded:
        return
    ids = [school.pk for school, _steps in seeded]
    # The nightly computation of the last three weeks, so signals have a history.
    for days_ago in (21, 14, 7, 0):
        signals_compute(school_ids=ids, as_of=ctx.today - timedelta(days=days_ago), notify=False)
    # The steps taken so far; each recomputes its pupil (a report resolves the crossing).
    for school, steps in seeded:
        for pupil, step, on, who, outcome in steps:
            escalation_step_add(
                student=pupil, step=step, on=on, who=who, outcome=outcome, actor=ctx.users[_coordinator(ctx, school)]
            )


def _coordinator(ctx, school):
    return "zc_" + next(key for key, s in ctx.schools.items() if s.pk == school.pk)


def _records(ctx, key, school, pupils):
    """Bulk-insert the registrations; return the MAS steps to record (pupil, step, date, who, outcome)."""
    rng = ctx.rng_for("absence", key)
    end = ctx.today - timedelta(days=1)  # today's registrations are not in yet
    start = end - timedelta(weeks=WEEKS)
    cal = Calendar(start=start, end=end, holidays=holiday_dates(school=school, start=start, end=end))
    days = [d for d in cal.school_days if d <= end]
    if len(days) < 30:
        return []
    by_week: dict[int, list] = {}
    for day in days:
        by_week.setdefault(cal.week_of[day], []).append(day)
    weeks = [by_week[w] for w in sorted(by_week)]  # oldest first
    last4 = [d for week in weeks[-4:] for d in week]

    records: dict[tuple, AbsenceRecord] = {}

    def add(pupil, day, kind, minutes, lesson=0):
        records[(pupil.pk, day, lesson, kind)] = AbsenceRecord(
            student=pupil,
            school=school,
            date=day,
            lesson=lesson,
            kind=kind,
            minutes=minutes,
            source=AbsenceSource.IMPORT,
        )

    def lessons(pupil, pool, count):
        """`count` unauthorised lessons on random days of `pool`, spread: a day gets a
        second lesson only when every day has one, and so on (at most six a day)."""
        per_day = dict.fromkeys(pool, 0)
        order = list(pool)
        rng.shuffle(order)
        for n in range(min(count, 6 * len(order))):
            day = order[n % len(order)]
            per_day[day] += 1
            add(pupil, day, AbsenceKind.UNAUTHORISED, LESSON, lesson=per_day[day] + 2)

    # Everyday absence: a sick day now and then, late a few times, a skipped lesson rarely.
    for pupil in pupils:
        for day in days:
            roll = rng.random()
            if roll < 0.02:
                add(pupil, day, AbsenceKind.AUTHORISED, 300)
            elif roll < 0.045:
                add(pupil, day, AbsenceKind.LATE, rng.randrange(3, 20), lesson=1)
            elif roll < 0.05:
                add(pupil, day, AbsenceKind.UNAUTHORISED, LESSON, lesson=rng.randrange(2, 8))
            elif roll < 0.051:
                add(pupil, day, AbsenceKind.SENT_OUT, LESSON, lesson=rng.randrange(2, 8))

    special = rng.sample(pupils, k=14)
    early, late, fresh, older, reported = special[:6], special[6:8], special[8:10], special[10], special[11]
    steps = []
    coordinator = ctx.users[f"zc_{key}"].name

    for n, pupil in enumerate(early):  # 8 to 14 hours in the last four school weeks
        lessons(pupil, last4, math.ceil(rng.uniform(8.3, 14.2) * 60 / LESSON))
        if n % 2 == 0:
            steps.append(
                (
                    pupil,
                    MasStep.MENTOR_CONTACT,
                    last4[-rng.randrange(1, 5)],
                    _mentor(pupil),
                    "Moeder gebeld: ze wist niet dat hij lessen miste. Afgesproken dat ze het thuis bespreekt.",
                )
            )
    week = next((w for w in reversed(weeks) if len(w) >= 4), weeks[-1])
    for n, pupil in enumerate(late):  # three or four times late in one school week
        for day in week[: 3 + n]:
            add(pupil, day, AbsenceKind.LATE, rng.randrange(5, 25), lesson=1)
    for pupil in fresh:  # 20 lessons (16.7 hours) in the last two school weeks
        lessons(pupil, weeks[-3][-2:] + weeks[-2] + weeks[-1], 20)
    steps.append(
        (
            fresh[0],
            MasStep.COORDINATOR_TALK,
            weeks[-1][0],
            coordinator,
            "Gesprek met leerling en vader over het spijbelen op maandag; leerling zegt dat hij opziet tegen gym.",
        )
    )
    lessons(older, weeks[-7] + weeks[-6], 20)  # crossed weeks ago; the report is overdue
    lessons(reported, weeks[-6] + weeks[-5], 20)  # crossed and reported
    lessons(reported, last4, 10)  # still an early warning after the report
    steps.append(
        (
            reported,
            MasStep.REPORT,
            weeks[-5][-1],
            coordinator,
            "Gemeld in het DUO-verzuimregister; leerplicht nodigt ouders uit voor een gesprek.",
        )
    )
    if key == "waard":
        thuiszitter = special[12]
        for day in [d for w in weeks[-6:] for d in w]:  # every school day for six school weeks
            add(thuiszitter, day, AbsenceKind.UNAUTHORISED, 300)
        steps += [
            (
                thuiszitter,
                MasStep.MENTOR_CONTACT,
                weeks[-6][1],
                _mentor(thuiszitter),
                "Ouders telefonisch niet bereikt; e-mail gestuurd.",
            ),
            (
                thuiszitter,
                MasStep.COORDINATOR_TALK,
                weeks[-5][1],
                coordinator,
                "Thuisbezoek met de jeugdteamprofessional. Leerling komt de deur niet uit; ouders handelingsverlegen.",
            ),
            (
                thuiszitter,
                MasStep.ADVIESGESPREK,
                weeks[-3][2],
                "Osman Kaya (leerplicht)",
                "Adviesgesprek met ouders: aanmelding bij het ondersteuningsteam afgesproken, melding volgt.",
            ),
        ]
    AbsenceRecord.objects.bulk_create(records.values(), batch_size=2000)
    return steps


def _mentor(pupil):
    mentor = pupil.school_class.mentors.first() if pupil.school_class_id else None
    return mentor.name if mentor else "mentor"
