"""The coach's "Niet gekomen" in the read-log proof (carecoord/tests/test_read_log_pages.py):
the board it redraws shows the facility's placed pupils."""

from datetime import datetime, timedelta

from django.utils import timezone

from referrals.tests.factories import lesson_hours, placed


def visit_no_show(client, w):
    day = timezone.localdate()
    while day.weekday() > 4:
        day += timedelta(days=1)
    if not w.school.lesson_hours.exists():
        lesson_hours(w.school)
    first = w.school.lesson_hours.order_by("number").first()
    at = timezone.make_aware(datetime.combine(day, first.starts_at)) + timedelta(minutes=12)
    facility = w.viproom
    placed(w.daan, facility, by=w.coordinator, start_on=day - timedelta(days=7))
    client.force_login(w.coach)
    from referrals.tests.test_no_show_button import clock

    with clock(at):  # the lesson hour began 12 minutes ago, on a school day
        response = client.post(
            f"/zorg/bord/{facility.pk}/niet-gekomen/", {"student": w.daan.pk}, HTTP_HX_REQUEST="true"
        )
    assert "is niet gekomen" in response.content.decode()
    return response, [w.daan]


CASES = {"referrals:visit_no_show": ("referrals:visit_no_show", visit_no_show)}
