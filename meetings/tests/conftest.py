import pytest

from accounts.models import OrganisationKind
from accounts.tests.factories import OrganisationFactory, partner
from meetings.tests.factories import MeetingFactory
from students.tests.factories import StudentFactory


@pytest.fixture
def leerplicht(school):
    """A second partner organisation at School A, with a professional, without any consent."""
    org = OrganisationFactory(name="Leerplicht A", kind=OrganisationKind.LEERPLICHT, schools=[school])
    return partner(org, email="lp@leerplicht.test", name="Leerplicht Ambtenaar")


@pytest.fixture
def unconsented_student(school_class):
    return StudentFactory(school_class=school_class, first_name="Sanne", last_name="Geheim", student_number="100002")


@pytest.fixture
def meeting(school, coordinator, consented_partner, leerplicht):
    """An OT meeting of School A in two weeks: the coordinator, the (consented) jeugdteam
    partner and leerplicht take part."""
    return MeetingFactory(
        school=school, organiser=coordinator, participants=[coordinator, consented_partner, leerplicht]
    )
