"""A real Celery worker on the broker (Redis in CI) runs the scheduler and sends the reminder."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from carecoord.testing import wait_until
from meetings import tasks
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from notifications.models import Notification

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_sends_the_day_before_reminder(celery_worker, coordinator, partner_user, student, school):
    meeting = MeetingFactory(
        school=school,
        organiser=coordinator,
        participants=[partner_user],
        starts_at=timezone.now() + timedelta(hours=10),
    )
    AgendaItemFactory(meeting=meeting, student=student)
    tasks.meetings_send_reminders.delay()
    reminder = wait_until(
        lambda: Notification.objects.filter(kind="meetings.reminder_1d", sent_at__isnull=False).first(), timeout=30
    )
    assert reminder is not None
    assert reminder.recipient == partner_user
    # "Morgen" or, after midnight in Amsterdam, "Vandaag": the reminder was sent once.
    assert [m.subject for m in mail.outbox if m.subject == reminder.subject] == [reminder.subject]
