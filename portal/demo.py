"""Demo participants (see carecoord/demo.py). Idempotent: a school with participants is skipped.

Per demo school: one guardian who accepted the invitation and gave a consent online (with
an OT agenda item, a plan and a document shared with them), one guardian whose invitation
is still open, and one pupil of 16+ with their own access. `make run` lists the parent's and
the pupil's address; they sign in at /ouders/inloggen/ with the code printed in the
terminal (the console mail). And one mother with a child at two schools (students/demo_families.py),
signed in at both: her portal lists both children.
"""

from django.utils import timezone

from meetings.models import AgendaItem
from records.models import Document
from referrals.models import Placement
from students.demo_families import GUARDIAN_EMAILS, PORTAL_FAMILY_EMAIL
from students.models import Consent, ConsentPurpose, Guardian, Student

from . import services
from .models import Invitation, Participant


def seed(ctx):
    for key, school in ctx.schools.items():
        if Participant.objects.filter(student__school=school).exists() or not ctx.students.get(key):
            continue
        _seed_school(ctx, key, school)
    # After the schools: their "already seeded" check looks at any participant of the school.
    _parent_at_two_schools(ctx)


def _parent_at_two_schools(ctx):
    """A mother with a child at OBS De Aanloop and one at SG De Waard (students/demo_families.py),
    signed in at both: the portal lists her two children, each school sees only its own pupil."""
    guardians = Guardian.objects.filter(email=PORTAL_FAMILY_EMAIL, has_authority=True).select_related("student__school")
    names = []
    for guardian in guardians.order_by("student__school__name", "pk"):
        student = guardian.student
        names.append(f"{student.first_name} ({student.school.name})")
        if Participant.objects.filter(guardian=guardian).exists():
            continue
        key = next(k for k, school in ctx.schools.items() if school.pk == student.school_id)
        participant = services.participant_invite(student=student, actor=ctx.users[f"zc_{key}"], guardian=guardian)
        participant.invitations.update(used_at=timezone.now())
        Participant.objects.filter(pk=participant.pk).update(activated_at=timezone.now())
    if len(names) > 1:
        ctx.logins.append((PORTAL_FAMILY_EMAIL, f"ouder van {' en '.join(names)} (ouderportaal, code in de terminal)"))


def _under_16_with_guardian(school, exclude=()):
    today = timezone.localdate()
    born_after = today.replace(year=today.year - 16)
    guardians = Guardian.objects.filter(
        student__school=school,
        student__left_on__isnull=True,
        student__date_of_birth__gt=born_after,
        has_authority=True,
    ).exclude(student_id__in=exclude)
    # Not a family with a child at another school: its e-mail address stays the one both schools hold.
    guardians = guardians.exclude(student__guardians__email__in=GUARDIAN_EMAILS)
    upcoming = AgendaItem.objects.filter(meeting__school=school, meeting__starts_at__gt=timezone.now()).values(
        "student_id"
    )
    return (
        guardians.filter(student_id__in=upcoming).order_by("student_id", "pk").first()
        or guardians.order_by("student_id", "pk").first()
    )


def _seed_school(ctx, key, school):
    coordinator = ctx.users[f"zc_{key}"]
    # 1. A guardian who signed in and gave a consent online.
    guardian = _under_16_with_guardian(school)
    if guardian is None:
        return
    student = guardian.student
    guardian.email = f"ouder.{key}@thuis.test"
    guardian.save(update_fields=["email"])
    participant = services.participant_invite(student=student, actor=coordinator, guardian=guardian)
    invitation = participant.invitations.get()
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
    Participant.objects.filter(pk=participant.pk).update(activated_at=timezone.now())
    participant.refresh_from_db()
    for item in AgendaItem.objects.filter(student=student).order_by("-meeting__starts_at")[:2]:
        services.share_set(item=item, student=student, section="", shared=True, actor=coordinator)
    for placement in Placement.objects.filter(student=student)[:1]:
        services.share_set(item=placement, student=student, section="", shared=True, actor=coordinator)
    for document in Document.objects.filter(student=student, section__in=["administratie", "traject"])[:1]:
        services.share_set(item=document, student=student, section=document.section, shared=True, actor=coordinator)
    active = set(Consent.objects.active().filter(student=student).values_list("purpose", flat=True))
    purpose = next((p for p in ConsentPurpose.values if p not in active), None)
    if purpose:
        services.portal_consent_give(participant=participant, actor=participant.user, purpose=purpose)
    ctx.logins.append(
        (
            guardian.email,
            f"ouder van {student.first_name} — {school.name} (ouderportaal: /ouders/inloggen/, code in de terminal)",
        )
    )
    # 2. A guardian whose invitation is still open.
    other = _under_16_with_guardian(school, exclude=[student.pk])
    if other is not None:
        other.email = f"ouder2.{key}@thuis.test"
        other.save(update_fields=["email"])
        services.participant_invite(student=other.student, actor=coordinator, guardian=other)
    # 3. A pupil of 16 or older with their own access.
    today = timezone.localdate()
    pupil = (
        Student.objects.filter(
            school=school, left_on__isnull=True, date_of_birth__lte=today.replace(year=today.year - 16)
        )
        .order_by("pk")
        .first()
    )
    if pupil is not None:
        own = services.participant_invite(student=pupil, actor=coordinator, email=f"leerling.{key}@thuis.test")
        Participant.objects.filter(pk=own.pk).update(activated_at=timezone.now())
        own.invitations.update(used_at=timezone.now())
        ctx.logins.append((own.user.email, f"leerling van 16+ — {school.name} (ouderportaal, code in de terminal)"))
