"""Series dates: holidays skipped or moved, wall-clock time kept across summer/winter time."""

from datetime import UTC, date, datetime, time, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import HolidayPeriod
from meetings import services
from meetings.models import Meeting, MeetingKind
from meetings.recurrence import local_datetime, local_shift, series_dates

pytestmark = pytest.mark.django_db


@pytest.fixture
def holidays(school):
    HolidayPeriod.objects.create(
        name="Herfstvakantie", region="midden", start=date(2026, 10, 17), end=date(2026, 10, 25)
    )
    HolidayPeriod.objects.create(name="Kerstvakantie", region="midden", start=date(2026, 12, 19), end=date(2027, 1, 3))
    HolidayPeriod.objects.create(name="Studiedag", school=school, start=date(2026, 11, 10), end=date(2026, 11, 10))


def _dates(school, **kw):
    args = {"weekday": 1, "interval_weeks": 1, "move": False} | kw
    return series_dates(school=school, **args)


def test_a_holiday_date_is_skipped(school, holidays):
    dates = _dates(school, starts_on=date(2026, 10, 6), ends_on=date(2026, 11, 3))
    assert [d.date for d in dates] == [
        date(2026, 10, 6),
        date(2026, 10, 13),
        None,
        date(2026, 10, 27),
        date(2026, 11, 3),
    ]
    assert dates[2].holiday == "Herfstvakantie"


def test_a_schools_own_day_off_counts_too(school, other_school, holidays):
    day = list(_dates(school, starts_on=date(2026, 11, 10), ends_on=date(2026, 11, 10)))
    assert day[0].skipped and day[0].holiday == "Studiedag"
    other = _dates(other_school, starts_on=date(2026, 11, 10), ends_on=date(2026, 11, 10))
    assert other[0].date == date(2026, 11, 10)  # another school's study day is not ours


def test_the_first_date_is_the_first_weekday_on_or_after_the_start(school):
    # Wednesday 25 November, every six weeks on Tuesday: 1 December, not 5 January.
    dates = _dates(school, interval_weeks=6, starts_on=date(2026, 11, 25), ends_on=date(2027, 1, 31))
    assert [d.date for d in dates] == [date(2026, 12, 1), date(2027, 1, 12)]


def test_a_holiday_date_is_moved_to_the_first_school_day_after(school, holidays):
    dates = _dates(school, interval_weeks=6, starts_on=date(2026, 9, 8), ends_on=date(2027, 1, 31), move=True)
    by_regular = {d.regular: d for d in dates}
    assert by_regular[date(2026, 10, 20)].date == date(2026, 10, 26)  # Monday after the autumn holiday
    assert by_regular[date(2026, 10, 20)].moved


def test_a_move_never_passes_the_next_regular_date(school, holidays):
    # Weekly on Tuesday through the two-week Christmas holiday: 22 Dec cannot move to
    # 4 Jan (29 Dec comes first), 29 Dec can.
    dates = _dates(school, starts_on=date(2026, 12, 15), ends_on=date(2027, 1, 12), move=True)
    assert [(d.regular, d.date) for d in dates] == [
        (date(2026, 12, 15), date(2026, 12, 15)),
        (date(2026, 12, 22), None),
        (date(2026, 12, 29), date(2027, 1, 4)),
        (date(2027, 1, 5), date(2027, 1, 5)),
        (date(2027, 1, 12), date(2027, 1, 12)),
    ]


def test_wall_clock_time_is_kept_across_the_change_to_winter_time(school):
    # 25 October 2026: summer time ends. 14:00 stays 14:00 local; in UTC it moves an hour.
    dates = _dates(school, weekday=3, starts_on=date(2026, 10, 15), ends_on=date(2026, 11, 5))
    starts = [local_datetime(d.date, time(14, 0)) for d in dates]
    assert [timezone.localtime(s).hour for s in starts] == [14, 14, 14, 14]
    assert [s.astimezone(UTC).hour for s in starts] == [12, 12, 13, 13]


def test_wall_clock_time_is_kept_across_the_change_to_summer_time(school):
    # 28 March 2027: summer time starts.
    dates = _dates(school, weekday=3, starts_on=date(2027, 3, 18), ends_on=date(2027, 4, 8))
    starts = [local_datetime(d.date, time(9, 0)) for d in dates]
    assert [s.astimezone(UTC).hour for s in starts] == [8, 8, 7, 7]


def test_a_week_before_a_winter_meeting_is_the_same_local_hour_in_summer_time():
    meeting = local_datetime(date(2026, 10, 30), time(15, 0))  # CET
    week_before = local_shift(meeting, days=-7)  # 23 October, CEST
    assert timezone.localtime(week_before).hour == 15
    assert meeting.astimezone(UTC) - week_before.astimezone(UTC) == timedelta(days=7, hours=1)


def test_series_create_makes_meetings_for_future_dates_only(school, coordinator, holidays):
    now = local_datetime(date(2026, 10, 1), time(12, 0))
    with mock.patch("django.utils.timezone.now", return_value=now):
        series = services.series_create(
            school=school,
            actor=coordinator,
            kind=MeetingKind.KORTE_LIJN,
            title="Korte lijn",
            interval_weeks=1,
            weekday=3,
            start_time=time(8, 30),
            end_time=time(9, 15),
            starts_on=date(2026, 9, 24),
            ends_on=date(2026, 11, 5),
            holiday_policy="skip",
            participants=[coordinator],
        )
    starts = [timezone.localtime(m.starts_at) for m in Meeting.objects.filter(series=series)]
    assert [s.date() for s in starts] == [  # 24 Sep and 1 Oct 08:30 have passed at 12:00 on 1 Oct
        date(2026, 10, 8),
        date(2026, 10, 15),
        date(2026, 10, 29),  # 22 October: autumn holiday
        date(2026, 11, 5),
    ]
    assert {(s.hour, s.minute) for s in starts} == {(8, 30)}
    assert all(m.participants.count() == 1 for m in Meeting.objects.filter(series=series))


def test_a_series_without_dates_is_refused_with_a_clear_message(school, coordinator, holidays):
    now = local_datetime(date(2026, 10, 1), time(12, 0))
    with mock.patch("django.utils.timezone.now", return_value=now), pytest.raises(ValidationError) as exc:
        services.series_plan_dates(
            school=school,
            weekday=1,
            interval_weeks=1,
            starts_on=date(2026, 10, 18),
            ends_on=date(2026, 10, 24),
            holiday_policy="skip",
            start_time=time(14, 0),
        )
    assert "levert geen datums op" in exc.value.message_dict["starts_on"][0]
    assert Meeting.objects.count() == 0


def test_end_before_start_and_until_before_from_are_refused(school, coordinator):
    base = {
        "school": school,
        "actor": coordinator,
        "kind": MeetingKind.OT,
        "title": "OT",
        "interval_weeks": 6,
        "weekday": 1,
        "starts_on": timezone.localdate() + timedelta(days=1),
        "ends_on": timezone.localdate() + timedelta(days=100),
        "holiday_policy": "skip",
    }
    with pytest.raises(ValidationError) as exc:
        services.series_create(**base, start_time=time(15, 0), end_time=time(14, 0))
    assert "eindtijd" in exc.value.message_dict["end_time"][0]
    with pytest.raises(ValidationError) as exc:
        services.series_create(
            **(base | {"ends_on": base["starts_on"] - timedelta(days=1)}), start_time=time(14, 0), end_time=time(15, 0)
        )
    assert "ends_on" in exc.value.message_dict


def test_a_series_is_planned_in_utc_correctly_in_the_database(school, coordinator):
    # Stored as UTC; read back as Europe/Amsterdam 14:00 on both sides of the change.
    for day in (date(2026, 10, 22), date(2026, 10, 29)):
        from meetings.tests.factories import MeetingFactory

        MeetingFactory(school=school, organiser=coordinator, starts_at=local_datetime(day, time(14, 0)))
    stored = [m.starts_at.astimezone(UTC) for m in Meeting.objects.order_by("starts_at")]
    assert stored == [datetime(2026, 10, 22, 12, tzinfo=UTC), datetime(2026, 10, 29, 13, tzinfo=UTC)]
