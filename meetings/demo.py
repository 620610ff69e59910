"""Demo overleg (see carecoord/demo.py). Idempotent: a school that has its series is skipped.

Per demo school: the ondersteuningsteam every six weeks (leerplicht, SMW, JGZ, jeugdteam,
samenwerkingsverband) and a weekly short line (leerplicht, jeugdteam), from some weeks ago
to the summer. Past meetings have agenda items with minutes and agreements (some done,
some overdue); the next OT has pupils on its agenda; later ones are empty. No e-mail is
queued here: the reminder scheduler picks the future meetings up when it runs.
"""

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import OrganisationKind
from carecoord.access.meetings import consent_gaps
from students.models import Consent, ConsentPurpose
from students.timeline import timeline_add_many

from .forms import end_of_school_year
from .models import AgendaItem, Agreement, HolidayPolicy, MeetingKind, MeetingSeries
from .recurrence import series_dates
from .services import create_occurrences

QUESTIONS = [
    "Verzuim loopt op (vooral maandag en vrijdag). Wat is de volgende stap?",
    "Thuiszitten dreigt. Wie pakt het gesprek met ouders op en welke hulp past?",
    "Ouders vragen om hulp thuis; is het jeugdteam al betrokken?",
    "Terug naar de klas na de plaatsing in de viproom: hoe bouwen we dat op?",
    "Zorgen over concentratie en slaap. Schoolarts inschakelen?",
    "Wordt het arrangement verlengd? Het samenwerkingsverband vraagt om een evaluatie.",
]
NOTES = [
    "Leerplicht heeft een gesprek gehad met moeder; er speelt veel thuis. Mentor ziet kleine verbetering in de les.",
    "Jeugdteam is betrokken sinds vorige maand, eerste gesprekken lopen. Leerling geeft aan school 'te druk' te vinden.",
    "Schoolarts ziet geen medische oorzaak voor het verzuim; advies: vaste structuur in de ochtend.",
    "Viproom gaat goed: drie dagen per week, twee vakken weer in de klas. Succeservaring bij wiskunde.",
    "SMW heeft contact met vader; afspraken over huiswerkbegeleiding thuis werken nog niet.",
]
DECISIONS = [
    "Over zes weken opnieuw bespreken; leerplicht blijft betrokken.",
    "Aanmelden bij de viproom voor check-in/check-out.",
    "Jeugdteam doet een gezinsgesprek; school stemt het rooster daarop af.",
    "Schoolarts nodigt leerling en ouder uit voor een consult.",
    "Afschalen: het gaat goed, mentor houdt vinger aan de pols.",
]
AGREEMENTS = [
    "Gesprek met ouders plannen",
    "Verzuimgesprek met leerling voeren",
    "Rooster aanpassen voor opbouw",
    "Consult schoolarts plannen",
    "Terugkoppeling aan mentor geven",
    "Verslag gezinsgesprek delen",
    "Aanvraag arrangement bij het samenwerkingsverband indienen",
]

OT_PARTNERS = [
    OrganisationKind.LEERPLICHT,
    OrganisationKind.SMW,
    OrganisationKind.JGZ,
    OrganisationKind.JEUGDTEAM,
    OrganisationKind.SWV,
]
SHORT_LINE_PARTNERS = [OrganisationKind.LEERPLICHT, OrganisationKind.JEUGDTEAM]
# Seed 004: the 1-2-3-4-overleg of a primary school has the director and the IB'er, the JGZ,
# the ondersteuner passend onderwijs (SWV) and the social team (jeugdteam).
OVERLEG_1234_PARTNERS = [OrganisationKind.JGZ, OrganisationKind.SWV, OrganisationKind.JEUGDTEAM]

# Each school has its own rhythm: (weekday, start, end, location) of its big meeting (OT or
# 1-2-3-4-overleg, every six weeks) and of its weekly short line (None: none). The partners
# are shared across the region, so no two time windows overlap, not even when a holiday moves
# an OT to another weekday: nobody is double-booked (carecoord/tests/test_demo_region.py).
SCHEDULE = {
    "waard": (
        (1, time(14, 0), time(15, 30), "Vergaderruimte 1.12"),
        (3, time(8, 30), time(9, 15), "Kamer zorgcoördinator"),
    ),
    "rivier": (
        (3, time(10, 30), time(12, 0), "Mediatheek, kamer 2"),
        (0, time(12, 30), time(13, 15), "Kamer zorgcoördinator"),
    ),
    "aanloop": ((2, time(9, 30), time(10, 30), "Kamer van de IB'er"), None),
    "bolster": ((0, time(15, 45), time(17, 0), "Teamkamer"), (4, time(13, 30), time(14, 0), "Kamer van de IB'er")),
}


def seed(ctx):
    for key, school in ctx.schools.items():
        if MeetingSeries.objects.filter(school=school).exists():
            continue
        with transaction.atomic():
            _school(ctx, key, school)


def _series(
    ctx, school, key, *, kind, title, weeks, weekday, start, end, weeks_back, location, partner_kinds, staff=()
):
    coordinator = ctx.users[f"zc_{key}"]
    participants = [coordinator, *staff] + [
        ctx.users[f"partner_{k}"] for k in partner_kinds if f"partner_{k}" in ctx.users
    ]
    today = ctx.today
    first = today - timedelta(weeks=weeks_back)
    first += timedelta(days=(weekday - first.weekday()) % 7)
    series = MeetingSeries.objects.create(
        school=school,
        kind=kind,
        title=title,
        interval_weeks=weeks,
        weekday=weekday,
        start_time=start,
        end_time=end,
        starts_on=first,
        ends_on=end_of_school_year(today),
        holiday_policy=HolidayPolicy.MOVE if kind == MeetingKind.OT else HolidayPolicy.SKIP,
        location=location,
        organiser=coordinator,
    )
    series.participants.set(participants)
    dates = [
        d
        for d in series_dates(
            school=school,
            weekday=weekday,
            interval_weeks=weeks,
            starts_on=first,
            ends_on=series.ends_on,
            move=series.holiday_policy == HolidayPolicy.MOVE,
        )
        if d.date
    ]
    return series, create_occurrences(series=series, dates=dates, participants=participants), participants


def _school(ctx, key, school):
    rng = ctx.rng_for("meetings", key)
    now = timezone.now()
    coordinator = ctx.users[f"zc_{key}"]
    big, short = SCHEDULE[key]
    primary = key in ("aanloop",)
    weekday, start, end, location = big
    ot, ot_meetings, ot_people = _series(
        ctx,
        school,
        key,
        kind=MeetingKind.OVERLEG_1234 if primary else MeetingKind.OT,
        title="1-2-3-4-overleg" if primary else "Ondersteuningsteam",
        weeks=6,
        weekday=weekday,
        start=start,
        end=end,
        weeks_back=11,
        location=location,
        partner_kinds=OVERLEG_1234_PARTNERS if primary else OT_PARTNERS,
        staff=[ctx.users[f"leider_{key}"]] if primary else [],
    )
    line_meetings, line_people = [], []
    if short is not None:
        weekday, start, end, location = short
        _line, line_meetings, line_people = _series(
            ctx,
            school,
            key,
            kind=MeetingKind.KORTE_LIJN,
            title="Korte lijn",
            weeks=1,
            weekday=weekday,
            start=start,
            end=end,
            weeks_back=4,
            location=location,
            partner_kinds=SHORT_LINE_PARTNERS,
        )

    students = {s.pk: s for s in ctx.students.get(key, [])}
    active = Consent.objects.active(ctx.today).filter(student__school=school)
    ot_pupils = [
        students[pk]
        for pk in active.filter(purpose=ConsentPurpose.OT_BESPREKING).values_list("student_id", flat=True).distinct()
        if pk in students
    ]
    line_orgs = [ctx.organisations[str(k)] for k in SHORT_LINE_PARTNERS if str(k) in ctx.organisations]
    line_pupils = [
        students[pk]
        for pk in active.filter(organisation__in=line_orgs).values_list("student_id", flat=True).distinct()
        if pk in students
    ]
    ot_pupils.sort(key=lambda s: s.pk)
    line_pupils.sort(key=lambda s: s.pk)

    events = []
    past_ot = [m for m in ot_meetings if m.ends_at < now]
    future_ot = [m for m in ot_meetings if m.starts_at > now]
    past_line = [m for m in line_meetings if m.ends_at < now][-3:]
    for meeting in past_ot:
        _fill(ctx, rng, meeting, rng.sample(ot_pupils, k=min(4, len(ot_pupils))), ot_people, coordinator, events)
    for meeting in past_line:
        _fill(ctx, rng, meeting, rng.sample(line_pupils, k=min(2, len(line_pupils))), line_people, coordinator, events)
    if future_ot:
        # The next OT is being prepared: two pupils with a question, no minutes yet.
        upcoming = future_ot[0]
        for n, student in enumerate(rng.sample(ot_pupils, k=min(2, len(ot_pupils)))):
            AgendaItem.objects.create(
                meeting=upcoming,
                student=student,
                question=QUESTIONS[n],
                reason="Toestemming voor bespreking in het OT",
                position=n + 1,
                added_by=coordinator,
            )
            events.append(_event(student, "meetings.on_agenda", coordinator, upcoming, now))
    timeline_add_many(events)


def _event(student, kind, actor, meeting, occurred_at, **params):
    return {
        "student": student,
        "kind": kind,
        "actor": actor,
        "occurred_at": occurred_at,
        "params": {
            "meeting": meeting.get_kind_display(),
            "date": timezone.localdate(meeting.starts_at).isoformat(),
            "meeting_id": meeting.pk,
            **params,
        },
    }


def _fill(ctx, rng, meeting, pupils, people, coordinator, events):
    """Agenda items with minutes and agreements for a past meeting."""
    today = ctx.today
    held = timezone.localdate(meeting.starts_at)
    gaps = consent_gaps(meeting=meeting, students=pupils, participants=people)
    for n, student in enumerate(pupils):
        item = AgendaItem.objects.create(
            meeting=meeting,
            student=student,
            question=rng.choice(QUESTIONS),
            reason="",
            position=n + 1,
            notes=rng.choice(NOTES),
            decision=rng.choice(DECISIONS),
            discussed_at=meeting.ends_at,
            added_by=coordinator,
        )
        events.append(
            _event(student, "meetings.on_agenda", coordinator, meeting, meeting.starts_at - timedelta(days=7))
        )
        events.append(_event(student, "meetings.discussed", coordinator, meeting, meeting.ends_at))
        lacking = {p.pk for p in gaps.get(student.pk, [])}
        owners = [p for p in people if p.pk not in lacking]
        for description in rng.sample(AGREEMENTS, k=rng.randint(1, 2)):
            owner = rng.choice(owners)
            due = held + timedelta(days=rng.choice([7, 14, 21, 28]))
            # Roughly: what fell due long ago is mostly done; some stays open (overdue).
            done = due < today and rng.random() < 0.6
            Agreement.objects.create(
                school=meeting.school,
                meeting=meeting,
                item=item,
                student=student,
                description=description,
                owner=owner,
                due_on=due,
                done_at=meeting.ends_at + timedelta(days=rng.randint(1, 6)) if done else None,
                done_by=owner if done else None,
                created_by=coordinator,
            )
            events.append(
                {
                    "student": student,
                    "kind": "meetings.agreement_made",
                    "actor": coordinator,
                    "occurred_at": meeting.ends_at,
                    "params": {
                        "owner": owner.name,
                        "due": due.isoformat(),
                        "meeting": meeting.get_kind_display(),
                        "meeting_id": meeting.pk,
                    },
                }
            )
