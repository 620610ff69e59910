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
