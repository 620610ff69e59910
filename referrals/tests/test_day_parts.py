"""A primary or special school (PO/SO) plans and boards by day part (ochtend/middag), stored as
lesson hours 1 and 2 of its timetable; a secondary school keeps its lesson hours."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role, SchoolType
from accounts.tests.factories import SchoolFactory, staff
from referrals import selectors
from referrals.forms import PlanForm
from referrals.models import PlacementKind
from referrals.selectors import EXPECTED, LATE
from referrals.tests.factories import FacilityFactory, lesson_hours, placed
from students.models import Level
from students.tests.factories import SchoolClassFactory, StudentFactory

pytestmark = pytest.mark.django_db


def _monday(hh_mm):
    today = timezone.localdate()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    return timezone.make_aware(datetime.combine(monday, time.fromisoformat(hh_mm)))


@pytest.fixture
def primary(db):
    school = SchoolFactory(name="SO De Bolster", brin_code="44SO", school_type=SchoolType.SO)
    lesson_hours(school, [("08:30", "12:00"), ("13:00", "15:15")])
    return school


@pytest.fixture
def group(primary):
    worker = staff(primary, Role.COACH, email="ambulant@so.test", name="Ambulant Begeleider")
    return FacilityFactory(school=primary, name="SO+ groep", kind="group", capacity=4, coaches=[worker])


@pytest.fixture
def pupil(primary):
    groep = SchoolClassFactory(school=primary, name="SO+ 1", year=6, level=Level.SO)
    return StudentFactory(school_class=groep)


def test_a_so_board_uses_day_parts(group, pupil):
    placed(pupil, group, kind=PlacementKind.HOURS, slots=[(0, 2)])  # Monday afternoon
    row = next(r for r in selectors.facility_board(facility=group, now=_monday("09:00")).expected)
    assert row.status == EXPECTED and row.block.label == "middag"
    late = next(r for r in selectors.facility_board(facility=group, now=_monday("13:15")).expected)
    assert late.status == LATE and late.block.label == "middag" and str(late.block.kind_word) == "dagdeel"


def test_a_whole_day_is_morning_and_afternoon(group, pupil):
    placed(pupil, group, kind=PlacementKind.FULL_TIME)
    row = next(r for r in selectors.facility_board(facility=group, now=_monday("08:00")).expected)
    assert row.block.label == "ochtend + middag"


def test_the_plan_grid_of_a_so_school_names_the_day_parts(primary):
    hours = selectors.lesson_hours(school=primary)
    assert [h.label for h in hours] == ["ochtend", "middag"]
    labels = [label for _hour, cells in PlanForm(hours=hours).grid() for _v, _c, label in cells]
    assert "ma ochtend" in [str(x).lower() for x in labels]


def test_a_secondary_board_keeps_lesson_hours(school, coach, student):
    lesson_hours(school)
    room = FacilityFactory(school=school, name="Viproom", capacity=10, coaches=[coach])
    placed(student, room, kind=PlacementKind.HOURS, slots=[(0, 3)])
    row = next(r for r in selectors.facility_board(facility=room, now=_monday("09:00")).expected)
    assert row.block.label == "3" and str(row.block.kind_word) == "lesuur"
    assert [h.label for h in selectors.lesson_hours(school=school)][:2] == ["1", "2"]
