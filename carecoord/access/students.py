"""Which pupils a user may see, and which parts of their file.

Each *rule* says: for this user, these pupils (a Q on Student, or None when the rule
does not apply to them), and these sections of the file. A user sees a pupil when any
rule matches, and sees the union of the sections of the rules that match that pupil.
Another app adds a rule with `student_rule(...)` in its own module of this package
(e.g. the viproom coach through a placement, in `referrals.py`), without editing this one.

Nothing here is cached between requests: a withdrawn consent counts on the next request.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Role
from carecoord.requestid import NO_REQUEST, current_request_id

from .core import PARTNER, can, permission, role_permission, roles_at, school_ids_with_role, school_q
from .sections import ALL_SECTIONS, Section

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class StudentRule:
    name: str
    scope: Callable  # (user) -> Q on Student | None
    sections: frozenset[str]


_RULES: list[StudentRule] = []


def student_rule(name: str, sections):
    """Register `scope(user) -> Q | None` as a rule that opens `sections` of the file."""

    def register(scope):
        if any(rule.name == name for rule in _RULES):
            raise RuntimeError(f"Student rule {name!r} is registered twice")
        _RULES.append(StudentRule(name, scope, frozenset(sections)))
        return scope

    return register


def rules() -> list[StudentRule]:
    return list(_RULES)


def _applicable(user):
    """(rule, Q) for every rule that applies to this user."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    found = []
    for rule in _RULES:
        q = rule.scope(user)
        if q is not None:
            found.append((rule, q))
    return found


def students_q(user) -> Q:
    """Pupils the user may see: the union of the rules that apply to them."""
    combined = None
    for _rule, q in _applicable(user):
        combined = q if combined is None else combined | q
    return combined if combined is not None else NOTHING


def file_sections(user, student) -> frozenset[str]:
    """The sections of `student`'s file this user may see (empty: none, answer 404).

    One small query per rule that applies to the user (most users: one). Within one request
    the answer is kept on the pupil object: the file page asks it three times for the same
    pupil (the view, and the records panel's access checks). Outside a request (a task, a
    test calling this directly) it is never kept, so a changed consent counts at once.
    """
    from students.models import Student

    memo = getattr(student, "_file_sections_memo", None)
    request_id = current_request_id()
    if memo is not None and request_id != NO_REQUEST and memo[:2] == (request_id, user.pk):
        return memo[2]
    sections: set[str] = set()
    for rule, q in _applicable(user):
        if rule.sections <= sections:
            continue
        if Student.objects.filter(q, pk=student.pk).exists():
            sections |= rule.sections
    found = frozenset(sections)
    _remember(user, student, found, matched=None)
    return found


def _remember(user, student, sections, *, matched):
    """Keep the sections (and, when known, the names of the rules that matched) on the
    pupil object for the rest of this request; never outside a request."""
    request_id = current_request_id()
    if request_id != NO_REQUEST:
        student._file_sections_memo = (request_id, user.pk, sections, matched)


def file_student(user, queryset, pk):
    """(pupil `pk` from `queryset` within `user`'s scope, the sections they may see), or
    (None, empty) outside the scope. The file page's door.

    One query for a user to whom one rule applies (most users): the pupil was found through
    that rule alone, so it matched and its sections are the answer. With more rules, which of
    them match is asked as in `file_sections`."""
    applicable = _applicable(user)
    if not applicable:
        return None, frozenset()
    combined = applicable[0][1]
    for _rule, q in applicable[1:]:
        combined |= q
    student = queryset.filter(combined, pk=pk).first()
    if student is None:
        return None, frozenset()
    if len(applicable) > 1:
        return student, file_sections(user, student)
    rule = applicable[0][0]
    _remember(user, student, rule.sections, matched=frozenset({rule.name}))
    return student, rule.sections


def matched_rules(user, student) -> frozenset[str] | None:
    """The names of the rules that gave `user` this pupil's file, when `file_student` found
    them earlier in this request; None when not known (ask the rules)."""
    memo = getattr(student, "_file_sections_memo", None)
    if memo is not None and current_request_id() != NO_REQUEST and memo[:2] == (current_request_id(), user.pk):
        return memo[3]
    return None


# --- The rules of the pupil file ---------------------------------------------------------


@student_rule("zorgcoordinator", ALL_SECTIONS)
def _coordinator(user):
    # The zorgcoördinator owns the care files of their school: every part, Meldcode included.
    ids = school_ids_with_role(user, Role.ZORGCOORDINATOR)
    return Q(school_id__in=ids) if ids else None


@student_rule("functioneel beheerder", {Section.ADMINISTRATIE, Section.TOESTEMMING, Section.NETWERK})
def _beheerder(user):
    # Manages pupil data (import, classes, consent forms), not the care itself.
    ids = school_ids_with_role(user, Role.BEHEERDER)
    return Q(school_id__in=ids) if ids else None


@student_rule("verzuimcoordinator", {Section.ADMINISTRATIE, Section.VERZUIM})
def _attendance(user):
    ids = school_ids_with_role(user, Role.VERZUIMCOORDINATOR)
    return Q(school_id__in=ids) if ids else None


@student_rule("mentor", {Section.ADMINISTRATIE})
def _mentor(user):
    # Mentors see the pupils of their own classes: who they are and how to reach the
    # parents, plus the support status, never the care details.
    ids = school_ids_with_role(user, Role.MENTOR)
    if not ids:
        return None
    from students.models import SchoolClass

    return Q(school_id__in=ids, school_class__in=SchoolClass.objects.filter(mentors=user, school_id__in=ids))


def possible_mentors(school):
    """Who may be a class's mentor (and so see its pupils, above): staff with the mentor
    role at the school."""
    from accounts.models import User

    return User.objects.filter(memberships__school=school, memberships__role=Role.MENTOR).distinct()


def linked_and_consented_q(user) -> Q | None:
    """Pupils a partner user is linked to (personally or as organisation) AND whose active
    consent covers their organisation, at the schools their organisation works with."""
    if not user.organisation_id:
        return None
    from students.models import Consent, PartnerLink

    ids = school_ids_with_role(user, PARTNER)
    if not ids:
        return None
    links = PartnerLink.objects.active().filter(
        Q(user=user) | Q(user__isnull=True), organisation_id=user.organisation_id, student=OuterRef("pk")
    )
    consents = Consent.objects.active(timezone.localdate()).filter(
        organisation_id=user.organisation_id, student=OuterRef("pk")
    )
    return Q(Exists(links), Exists(consents), school_id__in=ids)


@student_rule("partner met toestemming", {Section.ADMINISTRATIE, Section.NETWERK, Section.TRAJECT, Section.OVERLEG})
def _partner(user):
    return linked_and_consented_q(user)


# --- Other pupil data --------------------------------------------------------------------


def directory_q(user) -> Q:
    """Pupils a staff member may *pick* (name and class only), e.g. to raise a concern
    about any pupil of their school. Not a right to open the file. Partners: none."""
    ids = school_ids_with_role(user, *Role.values)
    return Q(school_id__in=ids) if ids else NOTHING


def classes_q(user) -> Q:
    """Classes a user may see in lists and filters: those of their schools."""
    return school_q(user)


def consents_q(user) -> Q:
    """Consent records: for whoever may see the consent section, i.e. coordinator and
    functional administrator of the school (partners see their own pupils' file)."""
    return school_q(user, Role.ZORGCOORDINATOR, Role.BEHEERDER, field="student__school")


def partner_links_q(user) -> Q:
    return school_q(user, Role.ZORGCOORDINATOR, Role.BEHEERDER, field="student__school")


def file_access_q(user) -> Q:
    """Read-log rows: the coordinator and functional administrator of the pupil's school."""
    return school_q(user, Role.ZORGCOORDINATOR, Role.BEHEERDER)


# --- Actions -----------------------------------------------------------------------------

_school_of_student = lambda student: student.school_id  # noqa: E731

role_permission("student.edit", Role.ZORGCOORDINATOR, Role.BEHEERDER, school_of=_school_of_student)
role_permission("student.manage_consent", Role.ZORGCOORDINATOR, Role.BEHEERDER, school_of=_school_of_student)


@permission("student.give_consent")
def _give_consent(user, student):
    # Recording a new consent: not in a file closed after a handover (the new school asks
    # again, consents never travel). Withdrawing stays possible: it always counts at once.
    from .handovers import file_closed

    return can(user, "student.manage_consent", student) and not file_closed(student)


role_permission("student.manage_partners", Role.ZORGCOORDINATOR, school_of=_school_of_student)
role_permission("student.view_access_log", Role.ZORGCOORDINATOR, Role.BEHEERDER, school_of=_school_of_student)
role_permission("student.set_support_status", Role.ZORGCOORDINATOR, school_of=_school_of_student)

# School-level actions: `obj` is the school.
role_permission("school.export_students", Role.ZORGCOORDINATOR, Role.BEHEERDER, school_of=lambda s: s.pk)
role_permission("school.import_students", Role.ZORGCOORDINATOR, Role.BEHEERDER, school_of=lambda s: s.pk)
role_permission("school.manage_classes", Role.BEHEERDER, school_of=lambda s: s.pk)
role_permission("school.view_access_log", Role.BEHEERDER, school_of=lambda s: s.pk)


@permission("school.list_students")
def _list_students(user, school):
    # Everyone who may see pupils here has a pupil list (filtered by the rules above);
    # school leaders see figures, not files.
    return bool(roles_at(user, school) - {Role.SCHOOLLEIDER})
