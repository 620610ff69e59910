import pytest

from concerns.tests.factories import route
from referrals.tests.factories import FacilityFactory, lesson_hours
from students.tests.factories import StudentFactory

from .factories import everything_about


@pytest.fixture
def world(school, school_class, coordinator, coach, organisation):
    """Two pupils of one school with one of everything: Daan (marker DAAN) and Sanne (SANNE)."""
    categories = route(school)
    lesson_hours(school)
    facility = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    pupils = {}
    for marker, first_name, number in (("DAAN", "Daan", "700001"), ("SANNE", "Sanne", "700002")):
        pupil = StudentFactory(school_class=school_class, first_name=first_name, student_number=number)
        pupils[marker] = everything_about(
            pupil, actor=coordinator, facility=facility, categories=categories, organisation=organisation, marker=marker
        )
    return pupils
