"""Demo tasks: the mentor, coordinator, coach and a partner each have open, due-today and
overdue tasks from several sources, and one no-show on today's board. Idempotent: every
row is found by its key (or description and owner) before it is made."""

from datetime import timedelta

from django.db import transaction


def seed(ctx):
    with transaction.atomic():
        for key in ctx.schools:
            if f"mentor_{key}" in ctx.users:
                _school(ctx, key)


def _school(ctx, key):
    from concerns.models import Concern, ConcernAction
    from referrals.models import Placement
    from students.models import Student

    from .models import Task, TaskKind

    school = ctx.schools[key]
    today = ctx.today
    mentor, coordinator, coach = ctx.users[f"mentor_{key}"], ctx.users[f"zc_{key}"], ctx.users[f"coach_{key}"]
    verzuim = ctx.users[f"verzuim_{key}"]

    # Concern actions given by the coordinator to the mentor (the "Bel ouders over verzuim").
    own_pupils = Student.objects.filter(school=school, school_class__mentors=mentor, left_on__isnull=True).order_by(
        "pk"
    )
    concerns = list(Concern.objects.filter(school=school, student__in=own_pupils, is_meldcode=False).order_by("pk")[:3])
    for concern, (text, days) in zip(
        concerns,
        [("Bel ouders over verzuim", -2), ("Gesprek met de leerling plannen", 0), ("Terugkoppeling aan de klas", 5)],
        strict=False,
    ):
        if not ConcernAction.objects.filter(concern=concern, owner=mentor, description=text).exists():
            ConcernAction.objects.create(
                concern=concern,
                description=text,
                owner=mentor,
                due_on=today + timedelta(days=days),
                created_by=coordinator,
            )
    # And to the coordinator: one overdue, one today.
    for concern, (text, days) in zip(
        Concern.objects.filter(school=school, is_meldcode=False).order_by("-pk")[:2],
        [("Dossier bijwerken na het gesprek", -1), ("Aanmelding bij het jeugdteam voorbereiden", 0)],
        strict=False,
    ):
        if not ConcernAction.objects.filter(concern=concern, owner=coordinator, description=text).exists():
            ConcernAction.objects.create(
                concern=concern,
                description=text,
                owner=coordinator,
                due_on=today + timedelta(days=days),
                created_by=coordinator,
            )

    def task(user, title, days, student=None, kind=TaskKind.OTHER, suffix=""):
        Task.objects.get_or_create(
            key=f"demo:{key}:{user.pk}:{title}{suffix}",
            defaults={
                "school": school,
                "assignee": user,
                "student": student,
                "kind": kind,
                "title": title,
                "due_on": today + timedelta(days=days),
                "created_by": coordinator,
            },
        )

    placement = Placement.objects.active().filter(school=school, facility__coaches=coach).order_by("pk").first()
    task(coach, "Weekplanning van de viproom maken", 0)
    task(coach, "Doelen bespreken met de leerling", -1, student=placement.student if placement else None)
    task(coach, "Materiaal voor de SO+ groep bestellen", 4)

    partner = ctx.users.get("partner_jeugdteam")
    if partner is not None and school.partner_organisations.filter(pk=partner.organisation_id).exists():
        seen = Student.objects.visible_to(partner).filter(school=school).order_by("pk").first()
        task(partner, "Huisbezoek plannen", 0, student=seen)
        task(partner, "Verslag voor het OT aanleveren", -3, student=seen)
        task(partner, "Terugbellen over de hulpvraag", 6, student=seen)

    # One no-show on today's board (a school day only): the absence record and the tasks.
    if placement is not None and today.weekday() < 5:
        _no_show(placement, today, key, [mentor, verzuim])


def _no_show(placement, today, key, people):
    from absence.models import AbsenceKind, AbsenceRecord, AbsenceSource

    from .models import Task, TaskKind

    AbsenceRecord.objects.get_or_create(
        student=placement.student,
        date=today,
        lesson=1,
        kind=AbsenceKind.NO_SHOW,
        source=AbsenceSource.VIPROOM,
        defaults={"school": placement.school, "minutes": 50},
    )
    title = f"Niet verschenen in de Viproom ({placement.facility.name}, lesuur 1, {today:%d-%m-%Y})"
    mentors = (
        set(placement.student.school_class.mentors.values_list("pk", flat=True))
        if placement.student.school_class_id
        else set()
    )
    for person in people:
        if person.pk not in mentors and person is people[0]:
            continue  # the demo mentor is not this pupil's mentor
        Task.objects.get_or_create(
            key=f"noshow:{placement.student_id}:{today.isoformat()}:{person.pk}",
            defaults={
                "school": placement.school,
                "assignee": person,
                "student": placement.student,
                "kind": TaskKind.NO_SHOW,
                "title": title,
                "due_on": today,
            },
        )
