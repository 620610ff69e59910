"""The nightly computation on a real Celery worker (Redis in CI): one task per school, the
coordinators mailed once, and a second night sends nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from absence import tasks
from absence.models import AbsenceSignal, SignalLevel
from carecoord.testing import wait_until
from notifications.models import Notification

from .factories import absent, school_days_back


@pytest.mark.worker
def test_nightly_computation_on_a_real_worker_mails_the_coordinator_once(coordinator, student, celery_worker):
    for day in school_days_back(timezone.localdate() - timedelta(days=1), 2):
        absent(student, day, 300)
    tasks.signals_compute_nightly.delay()
    assert wait_until(lambda: AbsenceSignal.objects.filter(student=student, level=SignalLevel.EARLY).exists(), 20)
    assert wait_until(lambda: Notification.objects.filter(sent_at__isnull=False).exists(), 20)
    # The task again (a redelivery, the next night): nothing changed, nothing sent.
    assert tasks.signals_compute_school.apply(args=[student.school_id]).get()["changed"] == 0
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
