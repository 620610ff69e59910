"""The pupil file at region scale (issue 22): the panels read a fixed number of queries
whatever the number of concerns, agreements, visits and referrals, and the file's door
(`access.file_student`) finds the pupil and the sections in one query for a user with one
rule, without giving more than `file_sections` gives."""

import pytest

from accounts.models import Role
from accounts.tests.factories import MembershipFactory
from carecoord import access
from carecoord.access.sections import ALL_SECTIONS, Section
from carecoord.requestid import reset_request_id, set_request_id
from carecoord.testing import query_count
from concerns.models import Concern
from concerns.tests.factories import ConcernCategoryFactory, ConcernFactory
from meetings.tests.factories import AgendaItemFactory, AgreementFactory, MeetingFactory
from referrals.models import ReferralState, Visit
from referrals.tests.factories import FacilityFactory, ReferralFactory, visit
from students import presence
from students.models import FileAccess, Student
from students.tests.factories import SchoolClassFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_a_request():
    """What `file_student` finds is kept for one request only: act as inside one."""
    token = set_request_id("test-request")
    yield
    reset_request_id(token)


@pytest.fixture
def fill(student, coordinator):
    """A function adding `n` more of everything the coordinator's panels list about `student`."""
    school = student.school
    care = ConcernCategoryFactory(school=school, name="Gedrag")
    meldcode = ConcernCategoryFactory(school=school, name="Veiligheid", follows_meldcode=True)
    facility = FacilityFactory(school=school)

    def add(n):
        for _ in range(n):
            ConcernFactory(student=student, category=care, raised_by=coordinator)
            ConcernFactory(student=student, category=meldcode, raised_by=coordinator)
            meeting = MeetingFactory(school=school, organiser=coordinator)  # one item per pupil a meeting
            item = AgendaItemFactory(meeting=meeting, student=student)
            AgreementFactory(meeting=meeting, item=item, owner=coordinator)
            visit(student, facility, minutes=30, planned=False, reason="other")
            # One open referral per pupil and facility.
            ReferralFactory(
                student=student,
                facility=FacilityFactory(school=school),
                created_by=coordinator,
                state=ReferralState.SUBMITTED,
            )

    return add


def test_file_query_count_is_the_same_for_1_and_4_of_everything(client, coordinator, student, fill):
    client.force_login(coordinator)
    fill(1)
    few = query_count(client, student.get_absolute_url())
    fill(3)
    assert query_count(client, student.get_absolute_url()) == few
    page = client.get(student.get_absolute_url()).content.decode()
    for shown in ("Zorgmeldingen", "Meldcode", "Veiligheid", "Overleggen en afspraken", "Gesprek met ouders plannen"):
        assert shown in page
    assert page.count("Aanmelding ") == 4  # the open referrals, newest first
    assert page.count('badge text-bg-warning">anders') == 4  # the unplanned visits with their reason


def test_mentor_file_shows_no_care_panels(client, mentor, student, fill):
    fill(2)
    client.force_login(mentor)
    page = client.get(student.get_absolute_url()).content.decode()
    assert "Zorgmeldingen" not in page and "Meldcode" not in page and "Overleggen en afspraken" not in page


def test_one_rule_finds_pupil_and_sections_in_one_query(coordinator, student, django_assert_num_queries, in_a_request):
    access.students_q(coordinator)  # the user's roles, read once per request
    with django_assert_num_queries(1):
        found, sections = access.file_student(coordinator, Student.objects.all(), student.pk)
    assert found == student and sections == ALL_SECTIONS
    # The records rules use what was found (no second look at the rules).
    with django_assert_num_queries(0):
        assert access.can(coordinator, "student.add_note", found)


def test_two_rules_give_each_pupil_only_their_own_sections(coordinator, other_school, in_a_request):
    # Coordinator at school A, mentor of a class at school B: the union of the rules finds
    # both pupils, each with the sections of the rule that matched it.
    MembershipFactory(user=coordinator, school=other_school, role=Role.MENTOR)
    klas = SchoolClassFactory(school=other_school, name="1A", mentors=[coordinator])
    own_class = StudentFactory(school_class=klas)
    elsewhere = StudentFactory(school_class=SchoolClassFactory(school=other_school, name="1B"))
    at_a = StudentFactory(school_class=SchoolClassFactory(school=coordinator.memberships.first().school, name="1C"))
    assert access.file_student(coordinator, Student.objects.all(), own_class.pk)[1] == {Section.ADMINISTRATIE}
    assert access.file_student(coordinator, Student.objects.all(), at_a.pk)[1] == ALL_SECTIONS
    assert access.file_student(coordinator, Student.objects.all(), elsewhere.pk) == (None, frozenset())


def test_outsider_finds_nothing(other_coordinator, student):
    assert access.file_student(other_coordinator, Student.objects.all(), student.pk) == (None, frozenset())


# --- What the file holds (students/presence.py): empty panels without their queries ---------


def _fresh(student):
    """The pupil as a new request reads it (what `holds` found is kept on the object)."""
    return Student.objects.get(pk=student.pk)


def test_every_tracked_table_is_asked_about_the_pupil_by_a_key_to_the_pupil():
    """A probe on a column that does not point at the pupil would answer for someone else."""
    assert len(presence._TRACKED) >= 15  # the header's three tables and every panel's
    for model, fields in presence._TRACKED.items():
        for name in fields:
            assert model._meta.get_field(name).related_model is Student, (model, name)


def test_one_query_answers_for_every_table(student, coordinator, django_assert_num_queries):
    bare = _fresh(student)
    with django_assert_num_queries(1):
        held = [model.__name__ for model in presence._TRACKED if presence.holds(bare, model)]
    assert held == ["Guardian"]  # the fixture's pupil has a parent, nothing else
    assert presence.holds(bare, FileAccess)  # a table nobody tracked: "ask it"
    ConcernFactory(student=student, raised_by=coordinator)
    again = _fresh(student)
    assert presence.holds(again, Concern) and not presence.holds(again, Visit)


def test_a_pupil_with_nothing_in_the_panels_tables_costs_fewer_queries_and_sees_the_same_panels(
    client, coordinator, student, fill
):
    """The coordinator's file of a pupil without concerns, meetings, visits, referrals,
    documents, family, handover, portal, plan or requests: the panels' queries are left out
    (one query asks for all), the panels that show an empty state still show it."""
    client.force_login(coordinator)
    url = student.get_absolute_url()
    empty = client.get(url).content.decode()
    empty_count = query_count(client, url)
    fill(1)
    # Concerns (care and Meldcode in one), agenda items, agreements, visits, referrals: 5 queries.
    assert query_count(client, url) - empty_count == 5
    for shown in ("Notities en documenten", "Ouderportaal", "AVG: inzage en verzoeken", "Groeidocument / OPP"):
        assert shown in empty
