"""The absence card speaks natural Dutch: "1 thuiszitter", "2 thuiszitters" (issue 17, item 6)."""

import pytest
from django.utils import timezone

from absence.models import AbsenceSignal, SignalLevel
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def signals(school_class, level, n):
    for _ in range(n):
        student = StudentFactory(school_class=school_class)
        AbsenceSignal.objects.create(
            student=student, school=student.school, level=level, level_since=timezone.localdate()
        )


def card_text(client):
    return next(str(c.text) for c in client.get("/").context["cards"] if str(c.title) == "Verzuimsignalen")


def test_one_of_each_is_singular(client, coordinator, school_class):
    signals(school_class, SignalLevel.REPORT_DUE, 1)
    signals(school_class, SignalLevel.THUISZITTER, 1)
    client.force_login(coordinator)
    assert card_text(client) == "1 melding verplicht, 1 thuiszitter."


def test_more_than_one_is_plural(client, coordinator, school_class):
    signals(school_class, SignalLevel.REPORT_DUE, 2)
    signals(school_class, SignalLevel.THUISZITTER, 3)
    client.force_login(coordinator)
    assert card_text(client) == "2 meldingen verplicht, 3 thuiszitters."


def test_none_is_plural_too(client, coordinator, school_class):
    client.force_login(coordinator)
    assert card_text(client) == "0 meldingen verplicht, 0 thuiszitters."


def test_the_card_counts_a_crossed_threshold_and_no_pupil_who_left(client, coordinator, school_class):
    """A signal back at level 0 whose 16-hour threshold was crossed still counts as a report
    that is due; pupils without a signal or who left count for nothing."""
    signals(school_class, SignalLevel.NONE, 3)
    crossed = StudentFactory(school_class=school_class)
    AbsenceSignal.objects.create(
        student=crossed,
        school=crossed.school,
        level=SignalLevel.NONE,
        level_since=timezone.localdate(),
        crossed_on=timezone.localdate(),
    )
    left = StudentFactory(school_class=school_class, left_on=timezone.localdate())
    AbsenceSignal.objects.create(
        student=left, school=left.school, level=SignalLevel.THUISZITTER, level_since=timezone.localdate()
    )
    client.force_login(coordinator)
    assert card_text(client) == "1 melding verplicht, 0 thuiszitters."
