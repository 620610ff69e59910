"""The demo region a school recognises (issue 25): four schools of their own type and rhythm,
shared partners that are never double-booked, class names that fit each school's type and
years, and realistic Dutch names."""

import re

import pytest
from django.core.management import call_command

from accounts.models import Membership, Role, School, SchoolType, User
from carecoord.demo import FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES
from meetings.models import Meeting, MeetingKind, MeetingStatus
from referrals.models import (
    CoachingConversation,
    CoachingNomination,
    Facility,
    FacilityKind,
    Funder,
    GroupFunding,
    NominationState,
    Outcome,
    Placement,
    PlacementKind,
)
from referrals.selectors import funding_report
from referrals.selectors.coaching import coaching_hours
from students.models import MAX_YEAR, Guardian, SchoolClass, Student, class_fit_errors

pytestmark = pytest.mark.django_db


def _double_bookings():
    """(person, meeting, meeting) for every two planned meetings of one person that overlap."""
    through = Meeting.participants.through
    rows = through.objects.filter(meeting__status=MeetingStatus.PLANNED).values_list(
        "user_id", "meeting_id", "meeting__starts_at", "meeting__ends_at"
    )
    per_person = {}
    for user_id, meeting_id, start, end in rows:
        per_person.setdefault(user_id, []).append((start, end, meeting_id))
    clashes = []
    for user_id, slots in per_person.items():
        slots.sort()
        for (_s1, e1, m1), (s2, _e2, m2) in zip(slots, slots[1:], strict=False):
            if s2 < e1:
                clashes.append((user_id, m1, m2))
    return clashes


def test_the_demo_region():
    call_command("seed_demo", "--pupils", "20", "--quiet")

    types = dict(School.objects.values_list("name", "school_type"))
    assert types == {
        "SG De Waard": SchoolType.VO,
        "Het Rivierlyceum": SchoolType.VO,
        "OBS De Aanloop": SchoolType.PO,
        "SO De Bolster": SchoolType.SO,
    }

    # Partners work at every school and sit in their meetings, yet nobody is double-booked.
    leerplicht = User.objects.get(email="leerplicht@partner.test")
    assert Meeting.objects.filter(participants=leerplicht).values("school").distinct().count() >= 3
    assert _double_bookings() == []

    # Every class name fits its school's type and years; havo runs to 5, vwo to 6.
    for school_class in SchoolClass.objects.select_related("school"):
        school = school_class.school
        assert class_fit_errors(school_type=school.school_type, year=school_class.year, level=school_class.level) == {}
        if not school.is_primary:
            assert school_class.name.startswith(str(school_class.year)), school_class.name
            assert school_class.year <= MAX_YEAR[school_class.level]
    rivier = set(SchoolClass.objects.filter(school__brin_code="99RL").values_list("name", flat=True))
    assert {"5H1", "6V1"} <= rivier and "6H1" not in rivier
    aanloop = set(SchoolClass.objects.filter(school__brin_code="99AL").values_list("year", flat=True))
    assert aanloop == set(range(1, 9))

    # Realistic Dutch names: the pupils of the pupil demo (numbers 100001, 200001, ...) from the
    # lists; nobody's name holds entities or markup.
    first_names = set(FIRST_NAMES_FEMALE) | set(FIRST_NAMES_MALE)
    for student in Student.objects.filter(student_number__regex=r"^[1-4]00[0-9]{3}$"):
        assert student.first_name in first_names
        assert f"{student.tussenvoegsel} {student.last_name}".strip() in LAST_NAMES
    names = [
        *Student.objects.values_list("first_name", flat=True),
        *Student.objects.values_list("last_name", flat=True),
    ]
    names += list(Guardian.objects.values_list("name", flat=True))
    names += list(User.objects.values_list("name", flat=True))
    assert not [n for n in names if re.search(r"[&;<>]|&#", n)]

    # The primary school: an IB'er (no zorgcoördinator), leerkrachten, a kansencoach with a
    # caseload, the 1-2-3-4-overleg with the director; day parts on its timetable.
    po = School.objects.get(brin_code="99AL")
    roles = set(Membership.objects.filter(school=po).values_list("role", flat=True))
    assert Role.INTERN_BEGELEIDER in roles and Role.ZORGCOORDINATOR not in roles
    kansencoach = Facility.objects.get(school=po, kind=FacilityKind.KANSENCOACH)
    assert Placement.objects.filter(facility=kansencoach, ended_on__isnull=True).count() == 3
    # The kansencoach is a person: coaching without referral or intake, one nomination waiting
    # for the parents, conversations within about the two hours a week.
    coaching = Placement.objects.filter(facility=kansencoach, kind=PlacementKind.COACHING, referral__isnull=True)
    assert coaching.count() == 3
    assert CoachingNomination.objects.filter(facility=kansencoach, state=NominationState.OPEN).count() == 1
    assert CoachingConversation.objects.filter(placement__facility=kansencoach).count() >= 6
    assert all(w.minutes <= 120 for w in coaching_hours(facility=kansencoach))
    overleg = Meeting.objects.filter(school=po, kind=MeetingKind.OVERLEG_1234).first()
    assert overleg is not None
    assert overleg.participants.filter(email="schoolleider@deaanloop.test").exists()
    assert [h.label for h in po.lesson_hours.order_by("number")] == ["ochtend", "middag"]

    # The special school: an SO+ group of four, two pupils already moved on to mainstream.
    so = School.objects.get(brin_code="99BO")
    group = Facility.objects.get(school=so, kind=FacilityKind.GROUP)
    assert Placement.objects.filter(facility=group, ended_on__isnull=True).count() == 4
    assert Placement.objects.filter(facility=group, outcome=Outcome.TO_MAINSTREAM).count() == 2
    funding = GroupFunding.objects.get(facility=group)
    assert funding.funder == Funder.GEMEENTE and funding.worker.email == "ambulant@debolster.test"
    report = funding_report(facility=group)
    assert report.months and report.months[-1].delivered > 0


def test_the_demo_has_families_with_children_at_two_schools():
    from accounts.demo import SCHOOLS
    from portal.models import Participant
    from records.models import FamilyLink
    from students.demo_families import FAMILIES, PORTAL_FAMILY_EMAIL

    call_command("seed_demo", "--pupils", "20", "--quiet")
    assert len(FAMILIES) >= 3
    for family, guardians, children in FAMILIES:
        pupils = []
        for key, first, klas in children:
            student = Student.objects.get(school__name=SCHOOLS[key][0], first_name=first, school_class__name=klas)
            assert student.full_name.endswith(family)
            pupils.append(student)
        # Two schools, each with its own pupil, a PO or SO pupil with an older sibling in VO.
        assert len({p.school_id for p in pupils}) == 2
        assert {p.school.is_primary for p in pupils} == {True, False}
        # The guardians as both schools' LVS files hold them: the same names, e-mail and phone.
        details = [
            set(Guardian.objects.filter(student=p).values_list("name", "relation", "phone", "email", "has_authority"))
            for p in pupils
        ]
        assert details[0] == details[1] == {tuple(g) for g in guardians}
    # Each school sees only its own pupil: no family link crosses schools.
    for link in FamilyLink.objects.select_related("student_a", "student_b"):
        assert link.student_a.school_id == link.school_id == link.student_b.school_id
    # One mother signed in to the parents' portal at both schools sees both children.
    schools = Participant.objects.visible_to(User.objects.get(email=PORTAL_FAMILY_EMAIL)).values("student__school")
    assert schools.distinct().count() == 2
