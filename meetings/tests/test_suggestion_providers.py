"""The agenda suggestion providers of other apps (concerns/agenda.py, referrals/agenda.py):
a reason per pupil, translated once per distinct reason, each pupil with its own reason."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from concerns.agenda import concerns_in_progress
from concerns.models import ConcernStatus
from concerns.tests.factories import ConcernCategoryFactory, ConcernFactory
from referrals.agenda import placements_with_evaluation_due
from referrals.tests.factories import FacilityFactory, placed
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_each_open_concern_gives_its_own_category_and_status(meeting, school, school_class, coordinator):
    gedrag = ConcernCategoryFactory(school=school, name="Gedrag")
    thuis = ConcernCategoryFactory(school=school, name="Thuissituatie")
    pupils = [StudentFactory(school_class=school_class) for _ in range(4)]
    ConcernFactory(student=pupils[0], category=gedrag, status=ConcernStatus.NEW, raised_by=coordinator)
    ConcernFactory(student=pupils[1], category=gedrag, status=ConcernStatus.NEW, raised_by=coordinator)
    ConcernFactory(student=pupils[2], category=gedrag, status=ConcernStatus.IN_PROGRESS, raised_by=coordinator)
    ConcernFactory(student=pupils[3], category=thuis, status=ConcernStatus.NEW, raised_by=coordinator)
    ConcernFactory(
        student=StudentFactory(school_class=school_class),
        category=thuis,
        status=ConcernStatus.CLOSED,
        raised_by=coordinator,
        closed_at=timezone.now(),
    )
    found = {s.student_id: s.reason for s in concerns_in_progress(school, meeting)}
    assert found == {
        pupils[0].pk: "Zorgmelding Gedrag (nieuw)",
        pupils[1].pk: "Zorgmelding Gedrag (nieuw)",
        pupils[2].pk: "Zorgmelding Gedrag (in behandeling)",
        pupils[3].pk: "Zorgmelding Thuissituatie (nieuw)",
    }


def test_each_placement_gives_its_own_facility_and_evaluation_date(meeting, school, school_class):
    room, other = FacilityFactory(school=school, name="Viproom"), FacilityFactory(school=school, name="Time-out")
    soon, later = timezone.localdate() + timedelta(days=3), timezone.localdate() + timedelta(days=10)
    pupils = [StudentFactory(school_class=school_class) for _ in range(3)]
    placed(pupils[0], room, next_evaluation_on=soon)
    placed(pupils[1], room, next_evaluation_on=later)
    placed(pupils[2], other, next_evaluation_on=soon)
    found = {s.student_id: s.reason for s in placements_with_evaluation_due(school, meeting)}
    assert found == {
        pupils[0].pk: f"Evaluatie Viproom op {date_format(soon, 'SHORT_DATE_FORMAT')}",
        pupils[1].pk: f"Evaluatie Viproom op {date_format(later, 'SHORT_DATE_FORMAT')}",
        pupils[2].pk: f"Evaluatie Time-out op {date_format(soon, 'SHORT_DATE_FORMAT')}",
    }
