"""Factories of the referrals app (the zorgroute's are in concerns/tests/factories.py)."""

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import SchoolFactory, UserFactory
from referrals.models import (
    Facility,
    FacilityKind,
    LessonHour,
    Placement,
    PlacementKind,
    Referral,
    ReferralState,
    ReferralTransition,
    Visit,
)
from students.tests.factories import StudentFactory

# --- Aanmeldingen en voorzieningen ---------------------------------------------------------


class FacilityFactory(DjangoModelFactory):
    class Meta:
        model = Facility
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Viproom {n}")
    kind = FacilityKind.VIPROOM
    capacity = 10

    @factory.post_generation
    def coaches(self, create, extracted, **kwargs):
        if create and extracted:
            self.coaches.add(*extracted)


def lesson_hours(school, hours=None):
    """The default 50-minute timetable for `school` (or the given [(start, end)] strings)."""
    from referrals.services import DEFAULT_LESSON_HOURS

    parse = lambda v: datetime.strptime(v, "%H:%M").time()  # noqa: E731
    return [
        LessonHour.objects.create(school=school, number=n, starts_at=parse(s), ends_at=parse(e))
        for n, (s, e) in enumerate(hours or DEFAULT_LESSON_HOURS, start=1)
    ]


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    facility = factory.SubFactory(FacilityFactory)
    student = factory.SubFactory(StudentFactory)
    school = factory.LazyAttribute(lambda o: o.student.school)
    question = "Kan de klas niet in door angst."
    state = ReferralState.SUBMITTED
    created_by = factory.SubFactory(UserFactory)


def placed(student, facility, *, kind=PlacementKind.FULL_TIME, slots=(), by=None, start_on=None, **extra) -> Placement:
    """An active placement made directly (no services): for setting up tests."""
    by = by or UserFactory()
    referral = ReferralFactory(student=student, facility=facility, state=ReferralState.PLACED, created_by=by)
    ReferralTransition.objects.create(referral=referral, to_state=ReferralState.PLACED, actor=by)
    placement = Placement.objects.create(
        school=student.school,
        student=student,
        facility=facility,
        referral=referral,
        kind=kind,
        start_on=start_on or timezone.localdate() - timedelta(days=14),
        created_by=by,
        **extra,
    )
    for weekday, hour in slots:
        placement.slots.create(weekday=weekday, hour=hour)
    return placement


def visit(student, facility, *, at=None, minutes=None, by=None, placement=None, **extra) -> Visit:
    at = at or timezone.now()
    return Visit.objects.create(
        facility=facility,
        student=student,
        placement=placement,
        checked_in_at=at,
        checked_out_at=at + timedelta(minutes=minutes) if minutes is not None else None,
        checked_in_by=by or UserFactory(),
        **extra,
    )


def at_today(hh_mm: str):
    """Today at hh:mm in Europe/Amsterdam."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.fromisoformat(hh_mm)))
