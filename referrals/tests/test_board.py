"""The coach's board: who is in, who is expected, who is late; check in and out with one
tap (htmx, no reload); notes; walk-ins; the end-of-day task; query counts."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from carecoord.testing import query_count
from referrals import selectors, services
from referrals.models import PlacementKind, Visit
from referrals.selectors import DONE, EXPECTED, LATE, MISSED
from referrals.tests.factories import FacilityFactory, lesson_hours, placed, visit
from students.models import TimelineEvent
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def room(school, coach):
    lesson_hours(school)  # 1: 08:30, 2: 09:20, 3: 10:30, 4: 11:20, ... 8: 15:20-16:10
    return FacilityFactory(school=school, name="Viproom", capacity=10, coaches=[coach])


def _monday(hh_mm):
    today = timezone.localdate()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    return timezone.make_aware(datetime.combine(monday, time.fromisoformat(hh_mm)))


def _row(board, student):
    return next(r for r in board.expected if r.student.pk == student.pk)


# --- What the board shows ------------------------------------------------------------------


def test_pupil_not_arrived_ten_minutes_after_the_lesson_started_is_late(room, student):
    placed(student, room, kind=PlacementKind.HOURS, slots=[(0, 3)])  # Monday, lesson 3 (10:30)
    assert _row(selectors.facility_board(facility=room, now=_monday("10:35")), student).status == EXPECTED
    late = _row(selectors.facility_board(facility=room, now=_monday("10:41")), student)
    assert late.status == LATE and late.block.label == "3"


def test_expected_later_today_shows_the_lesson_hour(room, student):
    placed(student, room, kind=PlacementKind.HOURS, slots=[(0, 5), (0, 6)])
    row = _row(selectors.facility_board(facility=room, now=_monday("09:00")), student)
    assert row.status == EXPECTED and row.block.label == "5–6"
    assert timezone.localtime(row.block.start).strftime("%H:%M") == "12:40"


def test_pupil_who_came_and_left_is_done_not_late(room, student, coach):
    placed(student, room, kind=PlacementKind.CHECK_IN_OUT, slots=[(0, 1)])
    visit(student, room, at=_monday("08:25"), minutes=10, by=coach)
    assert _row(selectors.facility_board(facility=room, now=_monday("08:45")), student).status == DONE


def test_pupil_who_never_came_is_missed_after_the_hour(room, student):
    placed(student, room, kind=PlacementKind.HOURS, slots=[(0, 1)])
    assert _row(selectors.facility_board(facility=room, now=_monday("11:00")), student).status == MISSED


def test_pupil_not_scheduled_today_is_listed_apart(room, student):
    placed(student, room, kind=PlacementKind.HOURS, slots=[(2, 1)])  # Wednesday only
    board = selectors.facility_board(facility=room, now=_monday("09:00"))
    assert not board.expected and [p.student for p in board.not_expected] == [student]


def test_full_time_pupil_is_expected_from_the_first_hour(room, student):
    placed(student, room, kind=PlacementKind.FULL_TIME)
    assert _row(selectors.facility_board(facility=room, now=_monday("08:45")), student).status == LATE


@pytest.mark.parametrize("own", [True, False])
def test_on_a_holiday_nobody_is_expected(room, student, school, own):
    # The school's own day off, or its region's holiday that ends that Monday.
    from accounts.models import HolidayPeriod

    monday = _monday("08:45")
    HolidayPeriod.objects.create(
        name="Vrij",
        start=monday.date() - timedelta(days=0 if own else 3),
        end=monday.date(),
        school=school if own else None,
        region="" if own else school.holiday_region,
    )
    placed(student, room, kind=PlacementKind.FULL_TIME)
    board = selectors.facility_board(facility=room, now=monday)
    assert not board.is_school_day and not board.expected and [p.student for p in board.not_expected] == [student]
    assert selectors.facility_board(facility=room, now=monday + timedelta(days=1)).is_school_day


def test_free_places_count_the_pupils_present(room, school_class, coach):
    for _ in range(3):
        pupil = StudentFactory(school_class=school_class)
        placed(pupil, room)
        visit(pupil, room, by=coach)
    board = selectors.facility_board(facility=room)
    assert (board.present_count, board.free_places) == (3, 7)


# --- Check in and out through the board ----------------------------------------------------


def _oob(text):
    """The ids an answer swaps out of band, with their swap style."""
    return dict(re.findall(r'<[a-z]+ (?:[^>]*? )?id="([^"]+)"[^>]*? data-hx-swap-oob="([^"]+)"', text)) | {
        target: style for style, target in re.findall(r'data-hx-swap-oob="([a-z]+):#([^"]+)"', text)
    }


def test_coach_checks_a_pupil_in_with_one_tap_and_gets_what_changed_back(client, coach, room, student):
    placed(student, room, kind=PlacementKind.CHECK_IN_OUT, slots=[(d, 1) for d in range(5)])
    client.force_login(coach)
    board = client.get(f"/zorg/bord/{room.pk}/", **HX).text
    assert f'id="wait-{student.pk}"' in board and 'data-hx-swap="none"' in board
    response = client.post(f"/zorg/bord/{room.pk}/inchecken/", {"student": student.pk}, **HX)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="board"' not in response.text  # not the whole board
    assert _oob(response.text) == {
        f"wait-{student.pk}": "delete",  # the row leaves "Verwacht vandaag"
        "board-message": "true",
        "present-count": "true",
        "free-places": "true",
        "present-badge": "true",
        "present-rows": "true",
    }
    # The first thing swapped is the leaving row (referrals.js counts the late rows after it).
    assert response.text.index(f'id="wait-{student.pk}"') < response.text.index('id="board-message"')
    assert f'data-testid="present-{student.pk}"' in response.text
    assert re.search(r'id="present-count"[^>]*>1<span class="fs-5 fw-normal"> / 10</span>', response.text)
    assert re.search(r'id="free-places"[^>]*>9<', response.text)
    assert '<div class="alert alert-success py-2" role="status">Daan Jansen is ingecheckt.</div>' in response.text
    assert Visit.objects.open().filter(student=student, facility=room).exists()


def test_every_part_a_tap_swaps_is_on_the_board(client, coach, room, student, school_class):
    """The tap's answer swaps into the board by id: each of those ids is on the board."""
    sem = StudentFactory(school_class=school_class)
    placed(student, room, kind=PlacementKind.CHECK_IN_OUT, slots=[(d, 1) for d in range(5)])
    placed(sem, room)
    services.visit_check_in(facility=room, student=sem, actor=coach)
    client.force_login(coach)
    board = client.get(f"/zorg/bord/{room.pk}/").text
    tap_in = client.post(f"/zorg/bord/{room.pk}/inchecken/", {"student": student.pk}, **HX).text
    tap_out = client.post(f"/zorg/bord/{room.pk}/uitchecken/", {"student": sem.pk}, **HX).text
    swapped = set(_oob(tap_in)) | set(_oob(tap_out))
    assert "done-rows" in swapped
    for target in swapped:
        assert board.count(f' id="{target}"') == 1, target


def test_coach_checks_a_pupil_out(client, coach, room, student):
    placed(student, room)
    services.visit_check_in(facility=room, student=student, actor=coach)
    client.force_login(coach)
    response = client.post(f"/zorg/bord/{room.pk}/uitchecken/", {"student": student.pk}, **HX)
    assert f'data-testid="present-{student.pk}"' not in response.text
    assert "Er is nu niemand." in response.text
    assert re.search(r'id="free-places"[^>]*>10<', response.text)
    # The visit enters "Geweest vandaag" at the top, without the rest of that list.
    assert _oob(response.text)["done-rows"] == "afterbegin"
    assert "<strong>Daan Jansen</strong>" in response.text
    assert "is uitgecheckt" in response.text
    assert not Visit.objects.open().exists()


def test_tap_answer_shows_who_else_is_in_now(client, coach, room, student, school_class):
    """Another tablet's check-in shows with this tablet's next tap, not only at the refresh."""
    sem = StudentFactory(school_class=school_class, first_name="Sem", last_name="de Boer")
    placed(student, room)
    placed(sem, room)
    client.force_login(coach)
    client.get(f"/zorg/bord/{room.pk}/")
    services.visit_check_in(facility=room, student=sem, actor=coach)  # elsewhere
    response = client.post(f"/zorg/bord/{room.pk}/inchecken/", {"student": student.pk}, **HX)
    assert f'data-testid="present-{sem.pk}"' in response.text
    assert f'data-testid="present-{student.pk}"' in response.text
    assert re.search(r'id="present-count"[^>]*>2<', response.text)


def test_refused_check_in_shows_the_reason_on_the_board(client, coach, school, school_class, student):
    lesson_hours(school)
    tiny = FacilityFactory(school=school, name="Klein", capacity=1, coaches=[coach])
    other = StudentFactory(school_class=school_class)
    placed(student, tiny)
    placed(other, tiny)
    services.visit_check_in(facility=tiny, student=other, actor=coach)
    client.force_login(coach)
    response = client.post(f"/zorg/bord/{tiny.pk}/inchecken/", {"student": student.pk}, **HX)
    assert response.status_code == 200
    # In the board's message area, as an alert (read out at once); the pupil's row stays.
    assert re.search(
        r'<div id="board-message" data-hx-swap-oob="true"><div class="alert alert-danger fs-5" role="alert">[^<]*is vol',
        response.text,
    )
    assert f"wait-{student.pk}" not in _oob(response.text)
    assert f'data-testid="present-{other.pk}"' in response.text
    assert not Visit.objects.filter(student=student).exists()


def test_check_in_refused_because_another_tablet_was_first_shows_the_pupil_in(client, coach, room, student):
    placed(student, room)
    client.force_login(coach)
    client.get(f"/zorg/bord/{room.pk}/")
    services.visit_check_in(facility=room, student=student, actor=coach)  # the other tablet
    response = client.post(f"/zorg/bord/{room.pk}/inchecken/", {"student": student.pk}, **HX)
    assert 'role="alert"' in response.text and "is al ingecheckt" in response.text
    assert _oob(response.text)[f"wait-{student.pk}"] == "delete"
    assert f'data-testid="present-{student.pk}"' in response.text


def test_refused_check_out_shows_the_reason(client, coach, room, student):
    placed(student, room)
    client.force_login(coach)
    response = client.post(f"/zorg/bord/{room.pk}/uitchecken/", {"student": student.pk}, **HX)
    assert response.status_code == 200 and 'role="alert"' in response.text
    assert "is niet ingecheckt" in response.text and "done-rows" not in response.text


def test_check_in_without_htmx_redirects_to_the_board(client, coach, room, student):
    placed(student, room)
    client.force_login(coach)
    response = client.post(f"/zorg/bord/{room.pk}/inchecken/", {"student": student.pk})
    assert response.status_code == 302 and response.url == f"/zorg/bord/{room.pk}/"


def test_check_in_is_post_only(client, coach, room, student):
    client.force_login(coach)
    assert client.get(f"/zorg/bord/{room.pk}/inchecken/").status_code == 405


def test_board_refresh_returns_the_partial_that_polls_itself(client, coach, room):
    client.force_login(coach)
    full = client.get(f"/zorg/bord/{room.pk}/")
    assert "<html" in full.text and 'hx-trigger="every 20s' in full.text
    partial = client.get(f"/zorg/bord/{room.pk}/", **HX)
    assert "<html" not in partial.text and 'hx-trigger="every 20s' in partial.text


def test_coach_adds_a_note_to_a_visit(client, coach, room, student):
    placed(student, room)
    current = services.visit_check_in(facility=room, student=student, actor=coach)
    client.force_login(coach)
    form = client.get(f"/zorg/bord/{room.pk}/bezoek/{current.pk}/notitie/", **HX)
    assert 'name="note"' in form.text
    response = client.post(f"/zorg/bord/{room.pk}/bezoek/{current.pk}/notitie/", {"note": "Rustig gewerkt"}, **HX)
    assert "Rustig gewerkt" in response.text
    current.refresh_from_db()
    assert current.note == "Rustig gewerkt"


def test_coach_registers_an_unplanned_walk_in_with_a_reason(client, coach, room, student):
    client.force_login(coach)
    assert client.get(f"/zorg/bord/{room.pk}/binnenloper/").status_code == 200
    response = client.post(f"/zorg/bord/{room.pk}/binnenloper/", {"student": student.pk, "note": "Ruzie"})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(
        f"/zorg/bord/{room.pk}/binnenloper/", {"student": student.pk, "reason": "time_out", "note": "Ruzie"}
    )
    assert response.status_code == 302
    walk_in = Visit.objects.get()
    assert (walk_in.planned, walk_in.reason, walk_in.note) == (False, "time_out", "Ruzie")


def test_walk_in_of_a_pupil_of_another_school_is_404(client, coach, room, other_student):
    client.force_login(coach)
    response = client.post(f"/zorg/bord/{room.pk}/inchecken/", {"student": other_student.pk})
    assert response.status_code == 404


def test_board_query_count_does_not_grow_with_pupils_and_visits(client, coach, room, school_class):
    client.force_login(coach)

    def add(n):
        for i in range(n):
            pupil = StudentFactory(school_class=school_class)
            kind = [PlacementKind.FULL_TIME, PlacementKind.HOURS, PlacementKind.CHECK_IN_OUT][i % 3]
            placed(pupil, room, kind=kind, slots=[(d, 1 + i % 8) for d in range(5)])
            visit(pupil, room, at=timezone.now() - timedelta(hours=1), minutes=20, by=coach)
            visit(pupil, room, at=timezone.now() - timedelta(days=1), minutes=50, by=coach, needs_correction=True)

    add(2)
    few = query_count(client, f"/zorg/bord/{room.pk}/")
    add(25)
    assert query_count(client, f"/zorg/bord/{room.pk}/") == few
    assert query_count(client, f"/zorg/bord/{room.pk}/", **HX) <= few


def test_check_in_query_count_does_not_grow_with_pupils_and_visits(client, coach, room, school_class):
    # A check-in answers with what it changed: nothing of the other placed pupils or of
    # "Geweest vandaag", which grows all day.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coach)
    tapped = StudentFactory(school_class=school_class)
    placed(tapped, room, kind=PlacementKind.CHECK_IN_OUT, slots=[(d, 1) for d in range(5)])

    def add(n):
        for i in range(n):
            pupil = StudentFactory(school_class=school_class if i % 2 else None)
            placed(pupil, room, kind=[PlacementKind.FULL_TIME, PlacementKind.HOURS][i % 2], slots=[(i % 5, 2)])
            visit(pupil, room, at=timezone.now() - timedelta(minutes=30), minutes=5, by=coach, note=f"<b>{i}</b>")
            visit(pupil, room, at=timezone.now() - timedelta(hours=1), minutes=20, by=coach)

    def tap(path):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(f"/zorg/bord/{room.pk}/{path}/", {"student": tapped.pk}, **HX)
        assert response.status_code == 200 and "alert-danger" not in response.text
        return len(queries)

    add(2)
    few = tap("inchecken"), tap("uitchecken")
    add(25)
    assert (tap("inchecken"), tap("uitchecken")) == few


def test_board_shows_a_walk_in_with_its_reason_and_escaped_note(client, coach, room, student):
    walk_in = visit(student, room, by=coach, planned=False, reason="time_out", note="<b>boos</b> & rustig")
    client.force_login(coach)
    page = client.get(f"/zorg/bord/{room.pk}/", **HX).text
    assert f'data-testid="present-{student.pk}"' in page
    assert f'data-hx-get="/zorg/bord/{room.pk}/bezoek/{walk_in.pk}/notitie/"' in page
    assert f'aria-label="Notitie bij {student.full_name}"' in page
    assert f'aria-label="{student.full_name} uitchecken"' in page
    assert walk_in.get_reason_display() in page
    assert "&lt;b&gt;boos&lt;/b&gt; &amp; rustig" in page and "<b>boos" not in page


# --- End of the school day ----------------------------------------------------------------


def test_visits_open_after_the_school_day_are_closed_and_flagged(room, student, coach):
    placed(student, room)
    yesterday = timezone.localdate() - timedelta(days=1)
    at = timezone.make_aware(datetime.combine(yesterday, time(9, 0)))
    open_visit = visit(student, room, at=at, by=coach)
    assert services.visits_close_open() == 1
    open_visit.refresh_from_db()
    assert open_visit.needs_correction
    assert timezone.localtime(open_visit.checked_out_at).time() == time(16, 10)  # after lesson 8
    assert services.visits_close_open() == 0  # idempotent


def test_visit_of_today_stays_open_during_the_school_day(room, student, coach):
    placed(student, room)
    visit(student, room, at=_monday("09:00"), by=coach)
    assert services.visits_close_open(now=_monday("15:00")) == 0
    assert services.visits_close_open(now=_monday("16:15")) == 1


def test_coach_corrects_a_flagged_visit(client, room, student, coach):
    placed(student, room)
    day = timezone.localdate() - timedelta(days=1)
    flagged = visit(student, room, at=timezone.make_aware(datetime.combine(day, time(9))), by=coach)
    services.visits_close_open()
    client.force_login(coach)
    board = client.get(f"/zorg/bord/{room.pk}/")
    assert "Te controleren" in board.text
    response = client.post(
        f"/zorg/bord/{room.pk}/bezoek/{flagged.pk}/corrigeren/",
        {"checked_in_at": f"{day}T09:00", "checked_out_at": f"{day}T10:10", "note": ""},
    )
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert not flagged.needs_correction and flagged.minutes == 70


def test_end_of_day_writes_one_visits_summary_per_pupil_per_day(room, student, coach):
    placement = placed(student, room)
    day = timezone.localdate() - timedelta(days=1)
    for hh, minutes in ((9, 30), (13, 45)):
        visit(
            student,
            room,
            at=timezone.make_aware(datetime.combine(day, time(hh))),
            minutes=minutes,
            by=coach,
            placement=placement,
        )
    result = services.visits_end_of_day()
    assert result["summaries"] == 1
    event = TimelineEvent.objects.get(kind="referrals.visits_day")
    assert (event.params["count"], event.params["minutes"], event.section) == (2, 75, "traject")
    services.visits_end_of_day()
    assert TimelineEvent.objects.filter(kind="referrals.visits_day").count() == 1


def test_end_of_day_task_runs_the_service(room, student, coach):
    from referrals.tasks import visits_end_of_day

    placed(student, room)
    day = timezone.localdate() - timedelta(days=1)
    visit(student, room, at=timezone.make_aware(datetime.combine(day, time(9))), by=coach)
    result = visits_end_of_day.delay().get()
    assert result == {"closed": 1, "summaries": 1}
