"""Access rules of the kansencoach (seed 004, issue 25; referrals/models/coaching.py).

| who | what |
|---|---|
| leerkracht / mentor | nominates (draagt voor) a pupil of their own groep/klas with a short reason; sees the state of their own nominations, never the conversations (the status, not the details) |
| IB'er / zorgcoördinator | nominates any pupil of the school; sees every nomination, the caseload, the conversations and the hours against the budget; starts and ends coaching |
| kansencoach (coach of the kansencoach facility) | sees a nomination once the parents agreed (before that the family has not said yes to the coach); starts it; records conversations and ends coaching of their own caseload; sees the hours |
| partner | nothing of the kansencoach: not the nominations and not the conversations, with or without consent |

The kansencoach comes from the social team: without the parents' consent for the purpose
"kansencoach" (or for the team's organisation) the coach sees neither the pupil nor the
teacher's reason, so a waiting nomination is the IB'er's to follow up with the parents.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Role

from .core import has_role, permission, school_ids_with_role, school_q
from .placements import is_facility_coach
from .students import NOTHING


def _is_kansencoach(facility) -> bool:
    from referrals.models import FacilityKind

    return facility.kind == FacilityKind.KANSENCOACH


def consent_for_coach_q() -> Exists:
    """An active consent that covers the nomination's coach: the purpose kansencoach, or the
    organisation (the social team) that provides the facility's workers."""
    from students.models import Consent, ConsentPurpose

    consents = Consent.objects.active(timezone.localdate()).filter(student=OuterRef("student"))
    return Exists(
        consents.filter(
            Q(purpose=ConsentPurpose.KANSENCOACH) | Q(organisation_id=OuterRef("facility__partner_organisation_id"))
        )
    )


# --- Querysets -----------------------------------------------------------------------------


def nominations_q(user) -> Q:
    q = school_q(user, Role.ZORGCOORDINATOR)
    mentor_ids = school_ids_with_role(user, Role.MENTOR)
    if mentor_ids:
        # Their own nominations, while they are still a teacher at that school.
        q |= Q(nominated_by=user, school_id__in=mentor_ids)
    coach_ids = school_ids_with_role(user, Role.COACH)
    if coach_ids:
        q |= Q(consent_for_coach_q(), facility__coaches=user, school_id__in=coach_ids)
    return q


def conversations_q(user) -> Q:
    """The coach's notes are care content: the IB'er/zorgcoördinator of the school, and the
    coach of the facility while the coaching runs (their access ends with it, as a viproom
    coach's does)."""
    q = school_q(user, Role.ZORGCOORDINATOR, field="placement__school")
    coach_ids = school_ids_with_role(user, Role.COACH)
    if coach_ids:
        q |= Q(
            placement__facility__coaches=user,
            placement__school_id__in=coach_ids,
            placement__ended_on__isnull=True,
        )
    return q


def nominable_students_q(user, school) -> Q:
    """The pupils `user` may nominate at `school`: every pupil for the IB'er/zorgcoördinator,
    those of their own groep/klas for a teacher."""
    school_id = getattr(school, "pk", school)
    if has_role(user, school_id, Role.ZORGCOORDINATOR):
        return Q(school_id=school_id, left_on__isnull=True)
    if has_role(user, school_id, Role.MENTOR):
        return Q(school_id=school_id, left_on__isnull=True, school_class__mentors=user)
    return NOTHING


# --- Actions -------------------------------------------------------------------------------


@permission("school.nominate_for_coaching")
def _nominate_at_school(user, school):
    # The nomination page: teachers (seed 004, "de leerkracht draagt voor") and the IB'er.
    return has_role(user, school.pk, Role.ZORGCOORDINATOR, Role.MENTOR)


@permission("student.nominate_for_coaching")
def _nominate_student(user, student):
    # A pupil of another school, or of another teacher's groep: no.
    from students.models import Student

    return Student.objects.filter(nominable_students_q(user, student.school_id), pk=student.pk).exists()


@permission("nomination.start")
def _start(user, nomination):
    # The coach starts as soon as the parents agreed; the IB'er may start it for them.
    return has_role(user, nomination.school_id, Role.ZORGCOORDINATOR) or is_facility_coach(user, nomination.facility)


@permission("nomination.withdraw")
def _withdraw(user, nomination):
    return has_role(user, nomination.school_id, Role.ZORGCOORDINATOR) or (
        nomination.nominated_by_id == user.pk and has_role(user, nomination.school_id, Role.MENTOR)
    )


@permission("facility.view_caseload")
def _view_caseload(user, facility):
    # The caseload names pupils: the coach and the IB'er/zorgcoördinator, not the school
    # leader (figures, not files).
    return _is_kansencoach(facility) and (
        has_role(user, facility.school_id, Role.ZORGCOORDINATOR) or is_facility_coach(user, facility)
    )


@permission("coaching.view")
def _view_coaching(user, placement):
    # The conversations page: the IB'er/zorgcoördinator, and the coach while it runs. A
    # partner with consent sees the placement's plan (TRAJECT), not the coach's notes.
    from referrals.models import PlacementKind

    if placement.kind != PlacementKind.COACHING:
        return False
    if has_role(user, placement.school_id, Role.ZORGCOORDINATOR):
        return True
    return placement.is_active and is_facility_coach(user, placement.facility)


@permission("coaching.log_conversation")
def _log_conversation(user, placement):
    # The coach's own hours count against the budget: only the coach records them.
    return placement.is_active and is_facility_coach(user, placement.facility)


@permission("coaching.end")
def _end(user, placement):
    return placement.is_active and (
        has_role(user, placement.school_id, Role.ZORGCOORDINATOR) or is_facility_coach(user, placement.facility)
    )
