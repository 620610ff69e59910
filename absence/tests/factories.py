"""Helpers for absence tests: registrations straight into the table, a leerplicht partner."""

from datetime import date, timedelta

import pytest

from absence.models import AbsenceKind, AbsenceRecord, AbsenceSource

# A school week in March 2026 without holidays (Monday), used by the computation tests.
MONDAY = date(2026, 3, 23)
FRIDAY = MONDAY + timedelta(days=4)


def monday(weeks_before: int = 0) -> date:
    return MONDAY - timedelta(weeks=weeks_before)


def absent(
    student, day: date, minutes: int, kind=AbsenceKind.UNAUTHORISED, lesson: int = 0, source=AbsenceSource.IMPORT
):
    return AbsenceRecord.objects.create(
        student=student, school_id=student.school_id, date=day, lesson=lesson, kind=kind, minutes=minutes, source=source
    )


def whole_days(student, days, minutes=300, kind=AbsenceKind.UNAUTHORISED):
    AbsenceRecord.objects.bulk_create(
        [
            AbsenceRecord(
                student=student, school_id=student.school_id, date=d, kind=kind, minutes=minutes, source="import"
            )
            for d in days
        ]
    )


def school_days_back(end: date, n: int) -> list[date]:
    """The last `n` weekdays up to `end` (no holidays)."""
    days, day = [], end
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


@pytest.fixture
def leerplicht_org(school):
    from accounts.models import OrganisationKind
    from accounts.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Leerplicht A", kind=OrganisationKind.LEERPLICHT, schools=[school])


@pytest.fixture
def leerplicht_user(leerplicht_org):
    from accounts.tests.factories import partner

    return partner(leerplicht_org, email="lp@leerplicht.test", name="Leerplicht Ambtenaar")
