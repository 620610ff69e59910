"""The end-of-day task on a real Celery worker (Redis in CI)."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from carecoord.testing import wait_until
from referrals.models import Visit
from referrals.tests.factories import FacilityFactory, lesson_hours, placed, visit

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_closes_yesterdays_open_visit_and_flags_it(celery_worker, school, coach, student):
    from referrals.tasks import visits_end_of_day

    lesson_hours(school)
    room = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    placed(student, room)
    yesterday = timezone.localdate() - timedelta(days=1)
    left_open = visit(student, room, at=timezone.make_aware(datetime.combine(yesterday, time(9))), by=coach)

    visits_end_of_day.delay()

    assert wait_until(lambda: Visit.objects.filter(pk=left_open.pk, needs_correction=True).exists())
