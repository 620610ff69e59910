"""Access rules of the groeidocument / OPP and the requests to the samenwerkingsverband (the plans app, issue 18).

| who | what |
|---|---|
| zorgcoördinator | every OPP of the school: starts it, writes it, records the talk with the parents and their instemming, adopts it, prints it; sends, answers and withdraws requests to the SWV |
| mentor of the pupil's class | reads the OPP and writes the mentor's part of the draft |
| coach of a facility where the pupil is placed | reads the OPP and writes the coach's part of the draft |
| SWV user (partner of kind samenwerkingsverband) | **only the requests sent to their organisation**, and only while the parents' consent for that organisation is active: the question, the frozen copy of the groeidocument and the thread; asks questions, plans a consultation, decides. Nothing else of the pupil or the school |
| others (partners, school leader, beheerder) | none |
| anyone, once the file is closed after a handover (`handovers.file_closed`) | reads as above; no new OPP version, contribution, request or referral |

Consent is read on every request (never cached): withdrawn consent closes the request to
the SWV at once.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import OrganisationKind, Role

from .core import PARTNER, has_role, permission, role_permission, school_ids_with_role
from .handovers import file_closed
from .students import NOTHING


def _is_mentor_of(user, student) -> bool:
    if not student.school_class_id or not has_role(user, student.school_id, Role.MENTOR):
        return False
    return student.school_class.mentors.filter(pk=user.pk).exists()


def _is_coach_of(user, student) -> bool:
    if not has_role(user, student.school_id, Role.COACH):
        return False
    from referrals.models import Placement

    return Placement.objects.filter(
        student=student, ended_on__isnull=True, facility__coaches=user, facility__school_id=student.school_id
    ).exists()


def _is_coordinator(user, school_id) -> bool:
    return has_role(user, school_id, Role.ZORGCOORDINATOR)


# --- OPP -------------------------------------------------------------------------------------


def plans_q(user) -> Q:
    """OPPs in lists: the coordinator's school (mentors and coaches open one pupil's OPP
    from the pupil's file; `plan.read` decides)."""
    ids = school_ids_with_role(user, Role.ZORGCOORDINATOR)
    return Q(school_id__in=ids) if ids else NOTHING


@permission("plan.read")
def _plan_read(user, student):
    # obj: the pupil. The OPP is written with the mentor and the coach (their parts).
    return _is_coordinator(user, student.school_id) or _is_mentor_of(user, student) or _is_coach_of(user, student)


role_permission("plan.manage", Role.ZORGCOORDINATOR, school_of=lambda student: student.school_id)


@permission("plan.contribute_mentor")
def _contribute_mentor(user, student):
    # A file closed after a handover is read-only (access/handovers.py); the services refuse too.
    return _is_mentor_of(user, student) and not file_closed(student)


@permission("plan.contribute_coach")
def _contribute_coach(user, student):
    return _is_coach_of(user, student) and not file_closed(student)


role_permission("school.plan_tasks", Role.ZORGCOORDINATOR, school_of=lambda school: school.pk)


# --- Requests to the samenwerkingsverband ----------------------------------------------------


def _consent_for_org_q(organisation_id) -> Q:
    from students.models import Consent

    active = Consent.objects.active(timezone.localdate()).filter(
        organisation_id=organisation_id, student=OuterRef("student")
    )
    return Q(Exists(active))


def _swv_partner(user) -> bool:
    organisation = getattr(user, "organisation", None)
    return bool(user.organisation_id) and organisation.kind == OrganisationKind.SWV


def requests_q(user) -> Q:
    """Requests a user may open: the coordinator's school's; for an SWV user the ones sent
    to their organisation, at schools it works with, whose consent is still active."""
    q = NOTHING
    ids = school_ids_with_role(user, Role.ZORGCOORDINATOR)
    if ids:
        q = Q(school_id__in=ids)
    if _swv_partner(user):
        partner_ids = school_ids_with_role(user, PARTNER)
        if partner_ids:
            q |= Q(organisation_id=user.organisation_id, school_id__in=partner_ids) & _consent_for_org_q(
                user.organisation_id
            )
    return q


def is_swv_side(user, request) -> bool:
    """Does `user` act for the SWV the request went to (organisation, school, active consent)?"""
    if not _swv_partner(user) or user.organisation_id != request.organisation_id:
        return False
    if not has_role(user, request.school_id, PARTNER):
        return False
    from students.models import Consent

    return (
        Consent.objects.active(timezone.localdate())
        .filter(organisation_id=request.organisation_id, student_id=request.student_id)
        .exists()
    )


@permission("swv_request.read")
def _request_read(user, request):
    return _is_coordinator(user, request.school_id) or is_swv_side(user, request)


@permission("swv_request.manage")
def _request_manage(user, request):
    # The school's side: answer the SWV's questions, withdraw.
    return _is_coordinator(user, request.school_id)


@permission("swv_request.decide")
def _request_decide(user, request):
    # The SWV's side: ask for more information, plan a consultation, decide.
    return is_swv_side(user, request)


@permission("student.send_swv_request")
def _send_request(user, student):
    return _is_coordinator(user, student.school_id) and not file_closed(student)


@permission("school.list_swv_requests")
def _list_requests(user, school):
    return _is_coordinator(user, school.pk) or (_swv_partner(user) and has_role(user, school.pk, PARTNER))


def swv_organisations(school):
    """The samenwerkingsverbanden the school works with (where a request can go)."""
    from accounts.models import Organisation

    return Organisation.objects.filter(schools=school, kind=OrganisationKind.SWV).order_by("name")


# --- Referrals to external partners (doorverwijzingen) -------------------------------------


def external_referrals_q(user) -> Q:
    """The coordinator's school's; for a partner user those sent to their organisation at
    schools it works with, while the consent for that organisation is active."""
    q = NOTHING
    ids = school_ids_with_role(user, Role.ZORGCOORDINATOR)
    if ids:
        q = Q(school_id__in=ids)
    if user.organisation_id:
        partner_ids = school_ids_with_role(user, PARTNER)
        if partner_ids:
            q |= Q(organisation_id=user.organisation_id, school_id__in=partner_ids) & _consent_for_org_q(
                user.organisation_id
            )
    return q


def is_partner_side(user, referral) -> bool:
    """Does `user` work for the organisation the pupil was referred to, with active consent?"""
    if not user.organisation_id or user.organisation_id != referral.organisation_id:
        return False
    if not has_role(user, referral.school_id, PARTNER):
        return False
    from students.models import Consent

    return (
        Consent.objects.active(timezone.localdate())
        .filter(organisation_id=referral.organisation_id, student_id=referral.student_id)
        .exists()
    )


@permission("external_referral.read")
def _external_read(user, referral):
    return _is_coordinator(user, referral.school_id) or is_partner_side(user, referral)


@permission("external_referral.respond")
def _external_respond(user, referral):
    # The partner's side: accept, decline, record the help's start, end and summary.
    return is_partner_side(user, referral)


@permission("student.refer_external")
def _refer_external(user, student):
    return _is_coordinator(user, student.school_id) and not file_closed(student)


@permission("school.list_external_referrals")
def _list_external(user, school):
    return _is_coordinator(user, school.pk) or (bool(user.organisation_id) and has_role(user, school.pk, PARTNER))


def external_organisations(school):
    """The partners a pupil can be referred to (not the SWV, not leerplicht)."""
    from accounts.models import Organisation

    return Organisation.objects.filter(
        schools=school,
        kind__in=[
            OrganisationKind.JEUGDTEAM,
            OrganisationKind.SMW,
            OrganisationKind.JEUGDHULP,
            OrganisationKind.JGZ,
            OrganisationKind.OTHER,
        ],
    ).order_by("name")
