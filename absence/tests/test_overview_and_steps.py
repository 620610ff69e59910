"""The overview (figures, steps, what is overdue, query count), MAS steps, manual entry,
the file panel and the thresholds page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from absence.models import AbsencePolicy, AbsenceRecord, AbsenceSignal, EscalationStep, MasStep, SignalLevel
from absence.services import signals_compute
from carecoord.testing import query_count
from students.models import TimelineEvent
from students.tests.factories import SchoolClassFactory, StudentFactory

from .factories import absent, school_days_back

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def recent_weekdays(n):
    return school_days_back(today() - timedelta(days=1), n)


def make_signalled(school_class, n, *, minutes=600):
    pupils = StudentFactory.create_batch(n, school_class=school_class)
    for pupil in pupils:
        absent(pupil, recent_weekdays(1)[0], minutes)
    return pupils


def add_step(student, user, step=MasStep.MENTOR_CONTACT, on=None):
    return EscalationStep.objects.create(
        student=student,
        school_id=student.school_id,
        step=step,
        on=on or today(),
        who=user.name,
        outcome="Gebeld",
        recorded_by=user,
    )


def test_overview_query_count_does_not_grow_with_the_number_of_pupils(client, coordinator, school_class):
    client.force_login(coordinator)
    for pupil in make_signalled(school_class, 3):
        add_step(pupil, coordinator)
    signals_compute(notify=False)
    few = query_count(client, "/verzuim/")
    filtered = "/verzuim/?show=all&level=1&q=Achter"
    few_filtered = query_count(client, filtered)
    other_class = SchoolClassFactory(school=school_class.school)
    for pupil in make_signalled(other_class, 30, minutes=1000):
        add_step(pupil, coordinator, step=MasStep.COORDINATOR_TALK)
    signals_compute(notify=False)
    assert query_count(client, "/verzuim/") == few
    assert query_count(client, filtered) == few_filtered


def test_leerplicht_overview_query_count_is_flat_too(client, leerplicht_user, school_class):
    client.force_login(leerplicht_user)
    make_signalled(school_class, 2)
    signals_compute(notify=False)
    few = query_count(client, "/verzuim/")
    make_signalled(school_class, 20)
    signals_compute(notify=False)
    assert query_count(client, "/verzuim/") == few


def test_overview_shows_figures_step_and_overdue_most_serious_first(client, coordinator, school_class):
    early, reported = make_signalled(school_class, 2)
    absent(reported, recent_weekdays(2)[0], 400)  # 16.6 hours: statutory
    signals_compute(notify=False)
    # The early warning was raised 10 days ago and nobody contacted the parents yet.
    AbsenceSignal.objects.filter(student=early).update(
        level_since=today() - timedelta(days=10), next_step_due=today() - timedelta(days=3)
    )
    client.force_login(coordinator)
    response = client.get("/verzuim/")
    rows = list(response.context["page"])
    assert [r["student_id"] for r in rows] == [reported.pk, early.pk]
    assert rows[0]["level"] == SignalLevel.REPORT_DUE and rows[0]["crossed_on"] is not None
    assert rows[1]["overdue"] is True
    assert response.context["counts"]["overdue"] == 1
    assert "te laat (uiterlijk" in response.text
    assert "16,6" in response.text
    overdue_only = client.get("/verzuim/?overdue=on")
    assert [r["student_id"] for r in overdue_only.context["page"]] == [early.pk]


def test_a_step_since_the_episode_started_makes_it_not_overdue(client, coordinator, school_class):
    (pupil,) = make_signalled(school_class, 1)
    signals_compute(notify=False)
    AbsenceSignal.objects.filter(student=pupil).update(next_step_due=today() - timedelta(days=1))
    add_step(pupil, coordinator, on=today())
    client.force_login(coordinator)
    row = client.get("/verzuim/").context["page"][0]
    assert row["current_step"] == MasStep.MENTOR_CONTACT
    assert row["overdue"] is False


def test_htmx_filter_returns_only_the_rows(client, coordinator, school_class):
    make_signalled(school_class, 1)
    signals_compute(notify=False)
    client.force_login(coordinator)
    response = client.get("/verzuim/?level=1", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="absence-results")
    assert "<html" not in response.text
    assert "absence-row" in response.text


def test_coordinator_can_record_a_report_which_resolves_the_statutory_signal(client, coordinator, student):
    for day in recent_weekdays(3):
        absent(student, day, 330)
    signals_compute(notify=False)
    assert AbsenceSignal.objects.get(student=student).level == SignalLevel.REPORT_DUE
    client.force_login(coordinator)
    response = client.post(
        f"/verzuim/leerling/{student.pk}/stap/",
        {"step": MasStep.REPORT, "on": today().isoformat(), "who": "Zorg Coördinator", "outcome": "Gemeld bij DUO"},
    )
    assert response.status_code == 302
    signal = AbsenceSignal.objects.get(student=student)
    assert signal.crossed_on is None
    assert signal.level == SignalLevel.EARLY
    texts = list(TimelineEvent.objects.filter(student=student).values_list("kind", flat=True))
    assert "absence.step" in texts


def test_a_step_in_the_future_is_refused_and_the_typed_text_stays(client, coordinator, student):
    client.force_login(coordinator)
    response = client.post(
        f"/verzuim/leerling/{student.pk}/stap/",
        {"step": 1, "on": (today() + timedelta(days=2)).isoformat(), "who": "Mentor", "outcome": "Nog bellen"},
    )
    assert response.status_code == 200
    assert "toekomst" in response.text
    assert "Nog bellen" in response.text
    assert not EscalationStep.objects.exists()


def test_verzuimcoordinator_can_register_and_remove_absence_by_hand(client, verzuimcoordinator, student):
    client.force_login(verzuimcoordinator)
    day = recent_weekdays(1)[0]
    response = client.post(
        f"/verzuim/leerling/{student.pk}/registreren/",
        {"on": day.isoformat(), "kind": "ongeoorloofd", "minutes": "600", "lesson": ""},
    )
    assert response.status_code == 302
    record = AbsenceRecord.objects.get()
    assert (record.source, record.minutes, record.recorded_by) == ("handmatig", 600, verzuimcoordinator)
    assert AbsenceSignal.objects.get(student=student).level == SignalLevel.EARLY  # recomputed at once
    page = client.get(f"/verzuim/leerling/{student.pk}/")
    assert "Verwijderen" in page.text
    client.post(f"/verzuim/leerling/{student.pk}/registratie/{record.pk}/verwijderen/")
    assert not AbsenceRecord.objects.exists()
    assert AbsenceSignal.objects.get(student=student).level == SignalLevel.NONE
    kinds = set(TimelineEvent.objects.filter(student=student).values_list("kind", flat=True))
    assert {"absence.recorded", "absence.record_removed", "absence.signal"} <= kinds


def test_imported_absence_cannot_be_removed_by_hand(client, coordinator, student):
    record = absent(student, recent_weekdays(1)[0], 50)
    client.force_login(coordinator)
    response = client.post(f"/verzuim/leerling/{student.pk}/registratie/{record.pk}/verwijderen/")
    assert response.status_code == 404
    assert AbsenceRecord.objects.exists()


def test_absence_without_minutes_is_refused(client, coordinator, student):
    client.force_login(coordinator)
    response = client.post(
        f"/verzuim/leerling/{student.pk}/registreren/",
        {"on": recent_weekdays(1)[0].isoformat(), "kind": "geoorloofd", "minutes": "", "lesson": "2"},
    )
    assert response.status_code == 200
    assert "Vul in hoeveel minuten" in response.text


def test_pupil_page_shows_weeks_steps_and_records(client, coordinator, student):
    absent(student, recent_weekdays(1)[0], 600)
    signals_compute(notify=False)
    add_step(student, coordinator)
    client.force_login(coordinator)
    response = client.get(f"/verzuim/leerling/{student.pk}/")
    assert response.status_code == 200
    assert "Mentor neemt contact op met ouders" in response.text
    assert response.context["weeks"][0].unauthorised == 10.0 or response.context["weeks"][1].unauthorised == 10.0


def test_the_pupil_file_shows_the_absence_panel_to_the_coordinator_not_the_mentor(client, coordinator, mentor, student):
    absent(student, recent_weekdays(1)[0], 600)
    signals_compute(notify=False)
    client.force_login(coordinator)
    assert "Verzuim en MAS-stappen" in client.get(student.get_absolute_url()).text
    client.force_login(mentor)
    assert "Verzuim en MAS-stappen" not in client.get(student.get_absolute_url()).text


def test_coordinator_can_change_the_thresholds_and_signals_follow(
    client, coordinator, student, django_capture_on_commit_callbacks
):
    absent(student, recent_weekdays(1)[0], 300)
    signals_compute(notify=False)
    assert AbsenceSignal.objects.get(student=student).level == SignalLevel.NONE
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/verzuim/drempels/",
            {"early_warning_hours": "4,5", "late_per_week": "3", "whole_day_minutes": "240", "lesson_minutes": "45"},
        )
    assert response.status_code == 302
    assert AbsencePolicy.objects.get().early_warning_minutes == 270
    assert AbsenceSignal.objects.get(student=student).level == SignalLevel.EARLY


def test_a_threshold_at_the_statutory_16_hours_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/verzuim/drempels/",
        {"early_warning_hours": "16", "late_per_week": "3", "whole_day_minutes": "240", "lesson_minutes": "50"},
    )
    assert response.status_code == 200
    assert not AbsencePolicy.objects.exists()


def test_email_link_switches_to_the_school(client, coordinator, other_school):
    from accounts.models import Membership, Role

    Membership.objects.create(user=coordinator, school=other_school, role=Role.ZORGCOORDINATOR)
    client.force_login(coordinator)
    response = client.get(f"/verzuim/?school={other_school.pk}")
    assert response.status_code == 302
    assert client.get("/verzuim/").context["request"].school == other_school


def test_home_card_counts_signals(client, coordinator, school_class):
    make_signalled(school_class, 2)
    signals_compute(notify=False)
    client.force_login(coordinator)
    cards = client.get("/").context["cards"]
    card = next(c for c in cards if str(c.title) == "Verzuimsignalen")
    assert card.figure == 2


def test_the_counts_count_what_they_say_and_nothing_at_level_zero(client, coordinator, school_class):
    """One pupil per count, a crossed threshold back at level 0 and a late step asked at
    level 0 among pupils without a signal: each counts once, level-0 rows without either not."""

    def signal(level, **fields):
        pupil = StudentFactory(school_class=school_class)
        AbsenceSignal.objects.create(student=pupil, school=pupil.school, level=level, level_since=today(), **fields)

    for _ in range(3):
        signal(SignalLevel.NONE)
    signal(SignalLevel.EARLY)
    signal(SignalLevel.REPORT_DUE, crossed_on=today())
    signal(SignalLevel.THUISZITTER)
    signal(SignalLevel.NONE, crossed_on=today() - timedelta(days=5))
    signal(SignalLevel.NONE, next_step=MasStep.MENTOR_CONTACT, next_step_due=today() - timedelta(days=1))
    client.force_login(coordinator)
    counts = client.get("/verzuim/").context["counts"]
    assert counts == {"early": 1, "report_due": 1, "thuiszitter": 1, "crossed": 2, "overdue": 1}


@pytest.mark.parametrize("filters", ["", "?level=1", "?level=2", "?level=3", "?show=all", "?overdue=on"])
def test_the_page_count_is_the_number_of_rows_shown(client, coordinator, school_class, filters):
    """The paginator takes its count from the counts where they say it (no filter beyond a
    level); it must be the number of rows in every case, with level-0 rows among them."""
    for level in (
        SignalLevel.NONE,
        SignalLevel.NONE,
        SignalLevel.EARLY,
        SignalLevel.REPORT_DUE,
        SignalLevel.REPORT_DUE,
    ):
        pupil = StudentFactory(school_class=school_class)
        AbsenceSignal.objects.create(
            student=pupil,
            school=pupil.school,
            level=level,
            level_since=today(),
            next_step=MasStep.MENTOR_CONTACT,
            next_step_due=today() - timedelta(days=1),
        )
    client.force_login(coordinator)
    page = client.get("/verzuim/" + filters).context["page"]
    shown = len(list(page))
    assert page.paginator.count == shown
    assert shown == {"": 3, "?level=1": 1, "?level=2": 2, "?level=3": 0, "?show=all": 5, "?overdue=on": 3}[filters]


def test_is_overdue_says_of_each_signal_what_overdue_q_says(coordinator, school_class):
    """The overview counts and marks late steps in Python (`is_overdue`) and filters them in
    SQL (`overdue_q`): both must pick the same signals, NULLs included."""
    from absence.selectors import is_overdue, overdue_q, with_current_step

    yesterday, tomorrow = today() - timedelta(days=1), today() + timedelta(days=1)
    for next_step in (None, MasStep.MENTOR_CONTACT, MasStep.COORDINATOR_TALK):
        for next_step_due in (None, yesterday, today(), tomorrow):
            for taken in (None, MasStep.MENTOR_CONTACT, MasStep.COORDINATOR_TALK):
                for episode_start in (None, yesterday):
                    pupil = StudentFactory(school_class=school_class)
                    AbsenceSignal.objects.create(
                        student=pupil,
                        school=pupil.school,
                        level=SignalLevel.EARLY,
                        level_since=yesterday,
                        episode_start=episode_start,
                        next_step=next_step,
                        next_step_due=next_step_due,
                    )
                    if taken:
                        add_step(pupil, coordinator, step=taken, on=today())
    signals = with_current_step(AbsenceSignal.objects.filter(school=school_class.school), today=today())
    in_sql = set(signals.filter(overdue_q(today())).values_list("pk", flat=True))
    in_python = {s.pk for s in signals if is_overdue(s.next_step, s.next_step_due, s.current_step, today())}
    assert in_python == in_sql
    assert 0 < len(in_sql) < signals.count()  # both kinds are among them


@pytest.mark.parametrize(
    "steps, shown, late",
    [
        ([], "nog geen", True),  # no MAS step at all: read without the step's subqueries
        ([MasStep.MENTOR_CONTACT], "Mentor neemt contact op met ouders", True),
        ([MasStep.MENTOR_CONTACT, MasStep.COORDINATOR_TALK], "Gesprek met de zorgcoördinator", False),
    ],
)
def test_the_absence_panel_shows_the_current_step_and_whether_the_next_is_late(
    client, coordinator, student, steps, shown, late
):
    absent(student, recent_weekdays(1)[0], 600)
    signals_compute(notify=False)
    for step in steps:
        add_step(student, coordinator, step=step)
    AbsenceSignal.objects.filter(student=student).update(
        next_step=MasStep.COORDINATOR_TALK, next_step_due=today() - timedelta(days=1)
    )
    client.force_login(coordinator)
    text = client.get(student.get_absolute_url()).text
    panel = text[text.index("MAS-stap</span>") : text.index("Verzuim en MAS-stappen")]
    assert shown in panel
    assert ("volgende stap te laat" in panel) is late


def test_the_absence_panel_costs_the_same_query_with_or_without_a_step(client, coordinator, student):
    absent(student, recent_weekdays(1)[0], 600)
    signals_compute(notify=False)
    client.force_login(coordinator)
    without = query_count(client, student.get_absolute_url())
    add_step(student, coordinator)
    assert query_count(client, student.get_absolute_url()) == without
