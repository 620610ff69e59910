"""The referral figures on the coordinator's home page (counted in one query)."""

import pytest

from referrals.models import ReferralState
from referrals.tests.factories import ReferralFactory
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_coordinator_sees_open_and_waiting_referrals_on_the_home_page(client, coordinator, school_class):
    for state in (ReferralState.SUBMITTED, ReferralState.WAITING, ReferralState.WAITING, ReferralState.PLACED):
        ReferralFactory(student=StudentFactory(school_class=school_class), state=state)
    ReferralFactory(state=ReferralState.WAITING)  # another school's
    client.force_login(coordinator)
    cards = {c.title: c.figure for c in client.get("/").context["cards"]}
    assert cards["Aanmeldingen"] == 3
    assert cards["Wachtlijst"] == 2
