"""A fixture school year for the outcome figures: concerns, referrals, placements with
outcomes, absence signals, as straight rows (the services are tested in their own apps)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from absence.models import AbsenceSignal, SignalLevel
from accounts.models import Role
from concerns.models import ConcernCategory, ConcernStatus
from concerns.tests.factories import ConcernCategoryFactory, ConcernFactory
from referrals.models import Facility, Outcome, ReferralState
from referrals.tests.factories import FacilityFactory, ReferralFactory, placed
from students.tests.factories import StudentFactory
from students.timeline import timeline_add_many

# A school day in the spring of the school year 2025-2026 (a Friday, no holidays near).
TODAY = date(2026, 3, 27)
NOW = timezone.make_aware(datetime.combine(TODAY, time(12, 0)))


def at(day: date, hh: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hh, 0)))


@dataclass
class Year:
    school: object
    pupils: list = field(default_factory=list)
    viproom: object = None
    group: object = None
    behaviour: object = None
    meldcode: object = None


def school_year_of(school, school_class, *, today: date = TODAY, by=None) -> Year:
    """Eight pupils; 6 concerns "Gedrag" (handled by the zorgcoördinator) and 2 "Meldcode"
    (the mentor) raised this year, all open, first action after two days; a viproom with
    7 ended placements (5 back in class, 2 at home) and 1 active, 2 waiting referrals;
    absence signals for 6 pupils from three weeks ago, 2 of them thuiszitter since two
    weeks ago, MAS step overdue for one."""
    year = Year(school=school)
    len_before = Facility.objects.filter(school=school, placements__isnull=False).distinct().count() and (
        Facility.objects.get(school=school, name="Viproom De Haven").placements.count() // 8
    )
    year.pupils = [
        StudentFactory(school_class=school_class, first_name=f"Voornaam{i}", last_name=f"Geheim{i:02d}")
        for i in range(8 * len_before, 8 * len_before + 8)
    ]
    year.behaviour = ConcernCategory.objects.filter(school=school, name="Gedrag").first() or ConcernCategoryFactory(
        school=school, name="Gedrag", handler_role=Role.ZORGCOORDINATOR
    )
    year.meldcode = ConcernCategory.objects.filter(
        school=school, name="Zorgen thuis"
    ).first() or ConcernCategoryFactory(
        school=school, name="Zorgen thuis", handler_role=Role.MENTOR, follows_meldcode=True
    )
    raised = today - timedelta(days=30)
    for i, pupil in enumerate(year.pupils):  # noqa: B007
        category = year.behaviour if i < 6 else year.meldcode
        ConcernFactory(
            student=pupil,
            category=category,
            raised_by=by,
            status=ConcernStatus.IN_PROGRESS,
            created_at=at(raised),
            first_action_at=at(raised + timedelta(days=2)),
        )
    year.viproom = Facility.objects.filter(school=school, name="Viproom De Haven").first() or FacilityFactory(
        school=school, name="Viproom De Haven", capacity=10
    )
    start = today - timedelta(days=120)
    for i, pupil in enumerate(year.pupils[:7]):
        placed(
            pupil,
            year.viproom,
            by=by,
            start_on=start,
            ended_on=today - timedelta(days=10),
            outcome=Outcome.BACK_FULLY if i < 5 else Outcome.AT_HOME,
        )
    placed(year.pupils[7], year.viproom, by=by, start_on=today - timedelta(days=20))
    for pupil in year.pupils[:2]:
        ReferralFactory(
            student=pupil,
            facility=year.viproom,
            state=ReferralState.WAITING,
            created_by=by,
            created_at=at(today - timedelta(days=9)),
        )
    events = []
    signal_start = today - timedelta(days=today.weekday(), weeks=3)
    for i, pupil in enumerate(year.pupils[:6]):
        events.append(
            {"student": pupil, "kind": "absence.signal", "occurred_at": at(signal_start), "params": {"level": 1}}
        )
        level = SignalLevel.EARLY
        if i < 2:
            level = SignalLevel.THUISZITTER
            events.append(
                {
                    "student": pupil,
                    "kind": "absence.signal",
                    "occurred_at": at(signal_start + timedelta(weeks=1)),
                    "params": {"level": 3},
                }
            )
        AbsenceSignal.objects.create(
            student=pupil,
            school=school,
            level=level,
            level_since=signal_start,
            absent_since=signal_start + timedelta(weeks=1) if i < 2 else None,
            next_step_due=today - timedelta(days=1) if i == 0 else today + timedelta(days=5),
        )
    timeline_add_many(events)
    return year
