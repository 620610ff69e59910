"""The list pages of this app make the same number of queries with 2 or 12 rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carecoord.testing import query_count
from plans import services
from students.tests.factories import ConsentFactory, GuardianFactory, StudentFactory

from .factories import sent_request, swv_organisation, swv_user

pytestmark = pytest.mark.django_db


def _pupils(school_class, n):
    pupils = []
    for _ in range(n):
        pupil = StudentFactory(school_class=school_class)
        GuardianFactory(student=pupil)
        pupils.append(pupil)
    return pupils


def _requests(pupils, coordinator, swv):
    for pupil in pupils:
        sent_request(pupil, coordinator, swv)


def _referrals(pupils, coordinator, organisation):
    for pupil in pupils:
        ConsentFactory(student=pupil, organisation=organisation, recorded_by=coordinator)
        services.external_referral_send(student=pupil, actor=coordinator, organisation=organisation, question="Hulp")


@pytest.mark.parametrize("who", ["coordinator", "swv"])
def test_request_list_queries_stay_flat(client, coordinator, school_class, school, who):
    swv = swv_organisation(school)
    user = coordinator if who == "coordinator" else swv_user(swv)
    _requests(_pupils(school_class, 2), coordinator, swv)
    client.force_login(user)
    small = query_count(client, "/opp/aanvragen/")
    _requests(_pupils(school_class, 10), coordinator, swv)
    assert query_count(client, "/opp/aanvragen/") == small


def test_referral_list_queries_stay_flat(client, coordinator, school_class, organisation, partner_user):
    _referrals(_pupils(school_class, 2), coordinator, organisation)
    client.force_login(partner_user)
    small = query_count(client, "/opp/doorverwijzingen/")
    _referrals(_pupils(school_class, 10), coordinator, organisation)
    assert query_count(client, "/opp/doorverwijzingen/") == small


def test_task_list_queries_stay_flat(client, coordinator, school_class, school):
    swv = swv_organisation(school)

    def add(n):
        pupils = _pupils(school_class, n)
        for pupil in pupils[: n // 2]:
            services.plan_start(
                student=pupil, actor=coordinator, support_started_on=timezone.localdate() - timedelta(days=60)
            )
        _requests(pupils[n // 2 :], coordinator, swv)
        for request in pupils[n // 2 :]:
            request = request.support_requests.get()
            services.request_message_add(request=request, actor=coordinator, text="?", from_swv=True)

    add(2)
    client.force_login(coordinator)
    small = query_count(client, "/opp/taken/")
    add(10)
    assert query_count(client, "/opp/taken/") == small
