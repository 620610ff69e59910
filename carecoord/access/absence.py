"""Access rules of the absence app (registered through carecoord.access.core and .students).

Who sees absence (the VERZUIM section of the pupil file, the absence overview):

- the zorgcoördinator and the verzuimcoördinator of the pupil's school (their pupil rules in
  students.py open VERZUIM); they import, enter absence by hand, record MAS steps and set
  the school's thresholds;
- leerplicht: a user of a partner organisation of kind LEERPLICHT that works with the
  school sees the pupils of that school *that have an absence signal*, with their
  administrative data and the VERZUIM section (signal, registrations, MAS steps). The basis
  is the law, not consent: the Leerplichtwet 1969 (art. 21a: the school reports 16 hours of
  unauthorised absence in 4 school weeks; art. 16 ff.: leerplicht supervises attendance)
  and the regional MAS agreement for the early signals. When the signal ends, so does this
  access (the next request after the computation).

Everyone else (mentor, coach, school leader, functional administrator, other partners,
even with consent) does not see absence.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.models import OrganisationKind, Role

from .core import PARTNER, has_role, permission, role_permission, school_ids_with_role
from .sections import Section
from .students import NOTHING, rules, student_rule

ABSENCE_STAFF = (Role.ZORGCOORDINATOR, Role.VERZUIMCOORDINATOR)


def absence_staff_by_school(school_ids) -> dict[int, list]:
    """The people told about rising absence signals, per school (one query): the school's
    zorgcoördinatoren and verzuimcoördinatoren, active accounts only."""
    from accounts.models import Membership

    staff: dict[int, dict] = {}
    memberships = Membership.objects.filter(
        school_id__in=list(school_ids), role__in=ABSENCE_STAFF, user__is_active=True
    ).select_related("user")
    for membership in memberships:
        staff.setdefault(membership.school_id, {})[membership.user_id] = membership.user
    return {school_id: list(people.values()) for school_id, people in staff.items()}


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_leerplicht(user) -> bool:
    """Is this a professional of a leerplicht organisation? (The organisation is cached on
    the user object, which lives for one request.)"""
    return _active(user) and bool(user.organisation_id) and user.organisation.kind == OrganisationKind.LEERPLICHT


def leerplicht_school_ids(user) -> frozenset[int]:
    """The schools where `user` acts as leerplicht (their organisation works with them)."""
    return school_ids_with_role(user, PARTNER) if is_leerplicht(user) else frozenset()


@student_rule("leerplicht: verzuimsignaal", {Section.ADMINISTRATIE, Section.VERZUIM})
def _leerplicht(user):
    # A legal basis, not consent (see the module docstring): pupils of linked schools with a
    # current signal (any level above none).
    ids = leerplicht_school_ids(user)
    if not ids:
        return None
    from absence.models import AbsenceSignal, SignalLevel

    signalled = AbsenceSignal.objects.filter(student=OuterRef("pk"), level__gt=SignalLevel.NONE)
    return Q(Exists(signalled), school_id__in=ids)


def absence_students_q(user) -> Q:
    """Pupils whose absence (the VERZUIM section) `user` may see: the union of every pupil
    rule that opens that section, whichever app registered it."""
    if not _active(user):
        return NOTHING
    combined = None
    for rule in rules():
        if Section.VERZUIM not in rule.sections:
            continue
        q = rule.scope(user)
        if q is not None:
            combined = q if combined is None else combined | q
    return combined if combined is not None else NOTHING


def absence_q(user) -> Q:
    """Absence rows (registrations, signals, MAS steps) the user may see: those of the pupils
    above. For models with a `student` foreign key."""
    from students.models import Student

    return Q(student__in=Student.objects.filter(absence_students_q(user)).values("pk"))


# --- Actions -----------------------------------------------------------------------------


@permission("school.view_absence")
def _view_absence(user, school):
    # The overview: absence staff see the school's pupils; leerplicht sees signalled pupils
    # (the list itself is filtered through AbsenceSignal.objects.visible_to).
    if school is None:
        return False
    return has_role(user, school, *ABSENCE_STAFF) or school.pk in leerplicht_school_ids(user)


role_permission("school.import_absence", *ABSENCE_STAFF, school_of=lambda school: school.pk)
role_permission("school.manage_absence_policy", *ABSENCE_STAFF, school_of=lambda school: school.pk)
# The table of MAS step deadlines is a school setting (the regional MAS agreement), not a
# care decision: the functioneel beheerder keeps it, on the school settings page.
role_permission("school.manage_mas_deadlines", Role.BEHEERDER, school_of=lambda school: school.pk)
role_permission("student.record_absence", *ABSENCE_STAFF, school_of=lambda student: student.school_id)
role_permission("student.add_absence_step", *ABSENCE_STAFF, school_of=lambda student: student.school_id)
