"""Teachers scoring at the same moment (real PostgreSQL row locks, one connection per
thread): the first scores of a day race to create the day row; two teachers on one hour are
saved one after the other (the later wins, both in the history); the day's totals always
match its stored scores."""

import threading

import pytest
from django.db import connection, connections

from accounts.models import Role
from accounts.tests.factories import staff
from carecoord.testing import IN_CI
from cico import services
from cico.models import CardDay, PeriodScore
from cico.tests.factories import card_for, school_day

pytestmark = pytest.mark.django_db(transaction=True)


def test_eight_teachers_at_once_lose_nothing(school, student, coach):
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI=true but the database is not PostgreSQL: the concurrency proof must run")
        pytest.skip("row locks need PostgreSQL; runs in CI on PostgreSQL")
    card = card_for(student, coach=coach)
    ids = [e.pk for e in card.expectations.all()]
    teachers = [staff(school, Role.MENTOR, email=f"docent{n}@a.test") for n in range(8)]
    day = school_day(1)
    # Hours 1 and 2 get two teachers each at once; hours 3 and 4 get two as well.
    jobs = [(teacher, 1 + n % 4, n % 3) for n, teacher in enumerate(teachers)]
    barrier = threading.Barrier(len(jobs))
    errors = []

    def score(teacher, hour, value):
        try:
            barrier.wait()
            services.period_score(card=card, day=day, hour=hour, actor=teacher, points=dict.fromkeys(ids, value))
        except Exception as exc:  # noqa: BLE001  (any failure is the test's finding)
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=score, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert not errors, errors
    assert CardDay.objects.filter(card=card, day=day).count() == 1
    scores = list(PeriodScore.objects.filter(day__card=card))
    assert sorted(s.hour for s in scores) == [1, 2, 3, 4]
    for s in scores:
        assert s.history.count() == 2  # both teachers of the hour, in the order they were saved
    card_day = CardDay.objects.get(card=card, day=day)
    assert (card_day.points, card_day.possible) == (sum(s.total for s in scores), sum(s.possible for s in scores))
