"""Raising a concern through the zorgroute form."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from carecoord import access
from carecoord.access.handovers import check_file_open
from students.models import Student, SupportStatus
from students.services import student_set_support_status

from ..models import Concern, ConcernCategory, Urgency
from .categories import concern_route
from .common import _event, _text
from .notify import concern_notify


def concern_submit(
    *,
    school,
    student: Student,
    category: ConcernCategory,
    observation: str,
    urgency: int,
    submission_key,
    actor,
    already_done: str = "",
) -> tuple[Concern, bool]:
    """Raise a concern about `student` through the zorgroute of `school`.

    Returns (concern, created). The same `submission_key` twice (double click, back
    button, a retried request) returns the first concern and creates nothing. The handler
    comes from the category (`concern_route`) and is e-mailed after commit.
    """
    existing = Concern.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        if existing.raised_by_id != actor.pk:
            raise ValidationError(_("Dit formulier is al gebruikt. Open het formulier opnieuw."))
        return existing, False
    if not access.can(actor, "school.raise_concern", school):
        raise ValidationError(_("Je kunt op deze school geen zorgmelding doen."))
    if student.school_id == school.pk:
        check_file_open(student)  # closed after a handover: read-only (carecoord/access/handovers.py)
    pickable = Student.objects.filter(access.directory_q(actor), school=school, pk=student.pk).active()
    if student.school_id != school.pk or not pickable.exists():
        raise ValidationError({"student": _("Deze leerling staat niet (meer) ingeschreven op deze school.")})
    if category.school_id != school.pk or not category.is_active:
        raise ValidationError({"category": _("Deze categorie hoort niet bij de zorgroute van deze school.")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Kies hoe dringend het is.")})
    observation = _text(observation, "observation", max_length=4000)
    already_done = _text(already_done, "already_done", max_length=2000, required=False)
    with transaction.atomic():
        # The same form posted twice at the same moment: the raiser's row is locked, so the
        # second request waits and then finds the first one's concern. No insert is left to
        # fail on the unique key (PostgreSQL would log the failing statement, concern text
        # included); the constraint stays as the last guard.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        existing = Concern.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            if existing.raised_by_id != actor.pk:
                raise ValidationError(_("Dit formulier is al gebruikt. Open het formulier opnieuw."))
            return existing, False
        concern = Concern.objects.create(
            school=school,
            student=student,
            category=category,
            is_meldcode=category.follows_meldcode,
            raised_by=actor,
            observation=observation,
            already_done=already_done,
            urgency=urgency,
            home_situation=category.home_situation,
            submission_key=submission_key,
            **concern_route(category),
        )
        _event(concern, "raised", actor, category=category.name, raised_by=actor.name)
        # The mentor may see that a pupil is "gesignaleerd", never that a Meldcode case exists.
        if not concern.is_meldcode and student.support_status == SupportStatus.NONE:
            student_set_support_status(student=student, status=SupportStatus.SIGNALED, actor=actor)
        concern_notify(concern_id=concern.pk, event="routed", actor_id=actor.pk)
    return concern, True
