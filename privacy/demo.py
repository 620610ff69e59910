"""Demo of retention and AVG rights (see carecoord/demo.py). Idempotent: a school that has
AVG requests is skipped.

Per demo school: three former pupils who left three years ago, with a note and a consent
each (care data that is due), so the beheerder's "Bewaartermijnen" page shows a dry-run
report; one open AVG request (correction) and one handled (inzage) on pupils with care
history, so the coordinator's AVG page has something to show.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from records.models import Note, NoteKind
from records.services import note_add
from students.models import Student

from .models import RightsRequest
from .services import retention_run, rights_request_add, rights_request_handle


def seed(ctx):
    for key, school in ctx.schools.items():
        if RightsRequest.objects.filter(school=school).exists() or not ctx.students.get(key):
            continue
        with transaction.atomic():
            _seed_school(ctx, key, school)
        # The report the beheerder sees: what the nightly removal will take (a dry run changes nothing).
        retention_run(school=school, dry_run=True)


def _seed_school(ctx, key, school):
    coordinator = ctx.users[f"zc_{key}"]
    base = 190000 if key == "waard" else 290000
    left_on = ctx.today.replace(year=ctx.today.year - 3) - timedelta(days=30)
    for n, (first, last) in enumerate((("Timo", "Verhoef"), ("Lotte", "Brouwer"), ("Sem", "Kuipers"))):
        pupil, _created = Student.objects.get_or_create(
            school=school,
            student_number=str(base + n),
            defaults={
                "first_name": first,
                "last_name": last,
                "date_of_birth": ctx.today.replace(year=ctx.today.year - 19),
                "left_on": left_on,
            },
        )
        if not Note.objects.filter(student=pupil).exists():
            note_add(
                student=pupil,
                actor=coordinator,
                occurred_at=timezone.now() - timedelta(days=3 * 365 + 60),
                kind=NoteKind.PARENTS,
                text="Eindgesprek met ouders over de overstap naar het mbo.",
                section="zorg",
            )
    with_care = [s for s in ctx.students[key] if Note.objects.filter(student=s).exists()][:2]
    if len(with_care) < 2:
        return
    today = timezone.localdate()
    rights_request_add(
        student=with_care[0],
        actor=coordinator,
        kind="correctie",
        received_on=today - timedelta(days=5),
        requested_by="moeder",
        description="Het telefoonnummer van de vader in het dossier klopt niet meer.",
    )
    handled = rights_request_add(
        student=with_care[1],
        actor=coordinator,
        kind="inzage",
        received_on=today - timedelta(days=20),
        requested_by="de leerling zelf",
        description="Wil weten wat de school over haar heeft vastgelegd.",
    )
    rights_request_handle(
        request=handled,
        actor=coordinator,
        status="uitgevoerd",
        handling="Inzage-export gemaakt en in een gesprek met de leerling doorgenomen.",
    )
