"""The school's table of MAS step deadlines: defaults, edited by the functioneel beheerder on
the school settings page, used by the signal computation (and so by "Mijn taken")."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from absence.models import AbsenceSignal, MasDeadlines, MasStep, SignalLevel
from absence.services import signals_compute
from absence.signals import StepDeadlines, next_step
from todo.selectors import task_list

from .factories import absent, school_days_back

pytestmark = pytest.mark.django_db

FORM = {"mentor_contact_days": "3", "adviesgesprek_days": "10", "report_days": "5"}


def _early_signal(student):
    absent(student, school_days_back(timezone.localdate() - timedelta(days=1), 1)[0], 600)
    signals_compute(notify=False)
    return AbsenceSignal.objects.get(student=student)


def test_each_step_counts_its_own_days_from_the_table():
    days = StepDeadlines(mentor_contact=3, adviesgesprek=10, report=5)
    on = date(2025, 9, 1)
    assert next_step(level=SignalLevel.EARLY, crossed_on=None, level_since=on, deadlines=days) == (
        MasStep.MENTOR_CONTACT,
        date(2025, 9, 4),
    )
    assert next_step(level=SignalLevel.THUISZITTER, crossed_on=None, level_since=on, deadlines=days)[1] == date(
        2025, 9, 11
    )
    assert next_step(level=SignalLevel.REPORT_DUE, crossed_on=on, level_since=on, deadlines=days)[1] == date(2025, 9, 6)


def test_a_school_without_a_table_has_a_week_per_step(student):
    signal = _early_signal(student)
    assert signal.next_step == MasStep.MENTOR_CONTACT
    assert signal.next_step_due == signal.level_since + timedelta(days=7)
    assert MasDeadlines.for_school(student.school).report_days == 7


def test_beheerder_changes_the_table_on_the_school_settings_page_and_the_mentors_task_follows(
    client, beheerder, student, mentor, django_capture_on_commit_callbacks
):
    signal = _early_signal(student)
    client.force_login(beheerder)
    page = client.get("/beheer/school/")
    assert 'action="/verzuim/termijnen/"' in page.text and 'name="mentor_contact_days"' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/verzuim/termijnen/", FORM)
    assert response.status_code == 302 and response.url == "/beheer/school/"
    table = MasDeadlines.objects.get(school=student.school)
    assert (table.mentor_contact_days, table.adviesgesprek_days, table.report_days) == (3, 10, 5)
    signal.refresh_from_db()
    assert signal.next_step_due == signal.level_since + timedelta(days=3)
    [task] = [t for t in task_list(user=mentor, school=student.school) if t.source == "mas"]
    assert task.due_on == signal.level_since + timedelta(days=3)


def test_another_schools_table_does_not_change_this_school(student, other_school):
    MasDeadlines.objects.create(school=other_school, mentor_contact_days=2)
    signal = _early_signal(student)
    assert signal.next_step_due == signal.level_since + timedelta(days=7)


def test_a_report_later_than_two_weeks_is_refused(client, beheerder, school):
    client.force_login(beheerder)
    response = client.post("/verzuim/termijnen/", {**FORM, "report_days": "21"})
    assert response.status_code == 200
    assert "14" in response.text
    assert not MasDeadlines.objects.exists()


@pytest.mark.denies("school.manage_mas_deadlines")
def test_coordinator_cannot_change_the_mas_deadlines(client, coordinator, school):
    client.force_login(coordinator)
    assert client.post("/verzuim/termijnen/", FORM).status_code == 403
    assert not MasDeadlines.objects.exists()
