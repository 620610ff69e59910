"""Demo handovers (see carecoord/demo.py), issue 23: two pupils of SG De Waard with a care
history left for Het Rivierlyceum; one handover was accepted there (the pupil shows at Het
Rivierlyceum with "Overgedragen dossier"), one waits for the coordinator of Het Rivierlyceum.
Idempotent: skipped when SG De Waard has handovers."""

from datetime import timedelta

from django.utils import timezone

from concerns.models import Concern
from referrals.models import Placement
from students.models import Student
from students.services import student_leave

from .models import Handover
from .services import handover_accept, handover_choices, handover_start


def seed(ctx):
    waard, rivier = ctx.schools.get("waard"), ctx.schools.get("rivier")
    if waard is None or rivier is None or Handover.objects.filter(from_school=waard).exists():
        return
    coordinator, receiver = ctx.users["zc_waard"], ctx.users["zc_rivier"]
    mentor = ctx.users.get("mentor_waard")
    with_concerns = Concern.objects.filter(school=waard, is_meldcode=False).values_list("student_id", flat=True)
    placed = Placement.objects.filter(school=waard).values_list("student_id", flat=True)
    candidates = list(
        Student.objects.filter(school=waard, left_on__isnull=True, pk__in=with_concerns)
        .exclude(pk__in=placed)
        .exclude(school_class__mentors=mentor)
        .exclude(concerns__is_meldcode=True)
        .distinct()
        .order_by("pk")[:2]
    )
    if len(candidates) < 2:
        return
    for n, pupil in enumerate(candidates):
        student_leave(student=pupil, on=ctx.today - timedelta(days=5 + n), actor=coordinator)
        notes, documents = handover_choices(pupil)
        handover = handover_start(
            student=pupil,
            actor=coordinator,
            to_school=rivier,
            basis="ouders",
            basis_note="Moeder gaf telefonisch akkoord op "
            + (ctx.today - timedelta(days=6)).strftime("%d-%m-%Y")
            + ".",
            notes=list(notes.exclude(section="meldcode")[:2]),
            documents=list(documents.exclude(section="meldcode")[:1]),
        )
        Handover.objects.filter(pk=handover.pk).update(started_at=timezone.now() - timedelta(days=4 - n))
        if n == 0:
            handover_accept(handover=handover, actor=receiver, student_number=f"R{900001 + n}")
