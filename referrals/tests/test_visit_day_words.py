"""A day of visits on the timeline in natural Dutch: "1 bezoek", "3 bezoeken" (issue 17, item 6)."""

from django.utils import translation

from referrals.events import _visits_day_text


def day(count):
    return {"facility": "Viproom", "day": "2026-11-27", "count": count, "minutes": 95}


def test_one_visit_is_singular():
    with translation.override("nl"):
        assert _visits_day_text(day(1)) == "Viproom op 27-11-2026: 1 bezoek, 1:35 u"


def test_more_visits_are_plural():
    with translation.override("nl"):
        assert _visits_day_text(day(3)) == "Viproom op 27-11-2026: 3 bezoeken, 1:35 u"
