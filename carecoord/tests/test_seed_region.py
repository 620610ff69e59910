"""The region seed (issue 22) at a small scale: it must keep working as the models grow
(it writes with COPY, so a new NOT NULL column without a database default breaks it)."""

import pytest
from django.db import connection

from absence.models import AbsenceSignal
from accounts.models import Membership, Role, School
from meetings.models import AgendaItem, Agreement, Meeting
from referrals.models import Facility, Placement, PlacementKind, Referral, ReferralState, Visit
from students.models import Guardian, Student, TimelineEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the region seed writes with PostgreSQL's COPY"),
]


def test_the_region_seed_builds_schools_people_and_care_work_in_proportion():
    from carecoord.demo_region import seed_region

    made = seed_region(schools=2, pupils=200, events_per_pupil=2, out=lambda *_: None)

    schools = School.objects.filter(brin_code__startswith="R")
    assert schools.count() == 2 == made["schools"]
    assert Student.objects.filter(school__in=schools).count() == 200 == made["pupils"]
    assert TimelineEvent.objects.filter(kind__startswith="students.import").count() == 400
    assert Membership.objects.filter(school__in=schools, role=Role.MENTOR).count() == 180
    assert Guardian.objects.count() == 400 == made["guardians"]
    assert AbsenceSignal.objects.count() == 200  # every pupil has absence, so every one a row
    for school in schools:
        placements = Placement.objects.filter(school=school)
        assert placements.count() == 40
        assert Referral.objects.filter(school=school, state=ReferralState.PLACED).count() == 40
        assert Referral.objects.filter(school=school).exclude(state=ReferralState.PLACED).count() == 20
        # Full-time places never exceed the viproom's capacity.
        viproom = Facility.objects.get(school=school, name="Viproom")
        assert placements.filter(facility=viproom, kind=PlacementKind.FULL_TIME).count() <= viproom.capacity
        assert viproom.coaches.count() == 2
        assert Meeting.objects.filter(school=school).exists()
    assert Visit.objects.count() == made["visits"]
    assert AgendaItem.objects.count() == made["agenda items"] == 8 * made["meetings"]
    assert Agreement.objects.count() == made["agreements"]


def test_the_region_seed_refuses_a_database_that_holds_a_region():
    from carecoord.demo_region import seed_region

    seed_region(schools=1, pupils=30, events_per_pupil=1, out=lambda *_: None)
    with pytest.raises(RuntimeError):
        seed_region(schools=1, pupils=30, events_per_pupil=1, out=lambda *_: None)
