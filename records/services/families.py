"""Families: pupils of one school linked as siblings or one household.

The LVS import suggests links between pupils who share a guardian (the same e-mail
address, or the same name with the same phone number); the zorgcoördinator confirms or
rejects each suggestion, and links pupils by hand. A rejected pair is never suggested again.
"""

import re
from collections import defaultdict
from itertools import combinations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from students.models import Guardian

from ..models import FamilyKind, FamilyLink, FamilyLinkStatus

# A key shared by more pupils than this is no family (a placeholder address of the
# school, a foster organisation's phone number): it suggests nothing.
MAX_FAMILY_SIZE = 6


def guardian_keys(name: str, phone: str, email: str) -> set[tuple]:
    """What makes two guardian records the same person: the e-mail address, or the name
    with the phone number (names alone are not enough: two J. de Vries)."""
    keys = set()
    email = (email or "").strip().lower()
    if email:
        keys.add(("e", email))
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("31"):
        digits = "0" + digits[2:]
    name_key = " ".join((name or "").lower().split())
    if len(digits) >= 8 and name_key:
        keys.add(("p", name_key, digits))
    return keys


def shared_guardian_pairs(*, school) -> dict[tuple[int, int], set[str]]:
    """{(pupil id, pupil id): names of the guardians they share} for the active pupils of
    `school`. One query."""
    by_key = defaultdict(dict)  # key -> {student id: guardian name}
    rows = Guardian.objects.filter(student__school=school, student__left_on__isnull=True).values_list(
        "student_id", "name", "phone", "email"
    )
    for student_id, name, phone, email in rows:
        for key in guardian_keys(name, phone, email):
            by_key[key][student_id] = name
    pairs = defaultdict(set)
    for students in by_key.values():
        if not 2 <= len(students) <= MAX_FAMILY_SIZE:
            continue
        for a, b in combinations(sorted(students), 2):
            pairs[(a, b)].add(students[a])
    return pairs


def family_suggest(*, school) -> int:
    """Suggest a link for every pair of pupils that share a guardian and are not linked,
    suggested or rejected yet. Returns how many new suggestions. Safe to run twice (the
    pair is unique; a pair that exists is left alone: INSERT … ON CONFLICT DO NOTHING)."""
    pairs = shared_guardian_pairs(school=school)
    if not pairs:
        return 0
    known = set(FamilyLink.objects.filter(school=school).values_list("student_a_id", "student_b_id"))
    new = [pair for pair in pairs if pair not in known]
    FamilyLink.objects.bulk_create(
        [
            FamilyLink(
                school=school,
                student_a_id=a,
                student_b_id=b,
                kind=FamilyKind.SIBLINGS,
                status=FamilyLinkStatus.SUGGESTED,
                from_import=True,
            )
            for a, b in new
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return len(new)


def _pair(student, other):
    return (student, other) if student.pk < other.pk else (other, student)


def family_link(*, student, other, kind: str, actor) -> FamilyLink:
    """Link two pupils by hand (confirmed at once). An existing suggestion or rejection of
    the pair becomes this confirmed link (a new version in its history)."""
    if other.pk == student.pk:
        raise ValidationError({"other": _("Kies een andere leerling dan deze.")})
    if other.school_id != student.school_id:
        raise ValidationError({"other": _("Deze leerling zit niet op dezelfde school.")})
    if kind not in FamilyKind.values:
        raise ValidationError({"kind": _("Kies broer/zus of zelfde huishouden.")})
    a, b = _pair(student, other)
    with transaction.atomic():
        link = FamilyLink.objects.select_for_update().filter(student_a=a, student_b=b).first()
        if link is None:
            link = FamilyLink(school_id=student.school_id, student_a=a, student_b=b)
        elif link.status == FamilyLinkStatus.CONFIRMED and link.kind == kind:
            return link
        link.kind = kind
        link.status = FamilyLinkStatus.CONFIRMED
        link.decided_by = actor
        link.decided_at = timezone.now()
        link._history_user = actor
        link.save()
    return link


def family_decide(*, link: FamilyLink, actor, confirm: bool, kind: str | None = None) -> FamilyLink:
    """Confirm or reject a link (a suggestion, or end a confirmed one: rejected)."""
    if kind is not None and kind not in FamilyKind.values:
        raise ValidationError({"kind": _("Kies broer/zus of zelfde huishouden.")})
    with transaction.atomic():
        link = FamilyLink.objects.select_for_update().get(pk=link.pk)
        link.status = FamilyLinkStatus.CONFIRMED if confirm else FamilyLinkStatus.REJECTED
        if kind:
            link.kind = kind
        link.decided_by = actor
        link.decided_at = timezone.now()
        link._history_user = actor
        link.save()
    return link
