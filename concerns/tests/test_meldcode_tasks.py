"""Meldcode steps due in "Mijn taken": the next step of each open Meldcode case is the
aandachtsfunctionaris's task, and nobody else's; new concerns count in the daily digest."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from concerns.models import ConcernStatus, MeldcodeStep, MeldcodeStepNumber
from concerns.tests.factories import ConcernFactory, route
from todo.digest import digest_counts
from todo.selectors import task_list

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _keys(user, school, source):
    return [t.key for t in task_list(user=user, school=school) if t.source == source]


def _meldcode_case(student, raised_by, days_ago=0):
    case = ConcernFactory(student=student, raised_by=raised_by, category=route(student.school)["veiligheid"])
    case.created_at = timezone.now() - timedelta(days=days_ago)
    case.save()
    return case


def test_next_meldcode_step_is_the_aandachtsfunctionaris_task_and_nobody_elses(
    school, student, mentor, coordinator, aandachtsfunctionaris, verzuimcoordinator
):
    case = _meldcode_case(student, mentor, days_ago=10)
    other_af = staff(school, Role.AANDACHTSFUNCTIONARIS, email="af2@a.test")
    [task] = [t for t in task_list(user=aandachtsfunctionaris, school=school) if t.source == "meldcode"]
    assert task.key == f"meldcode-{case.pk}" and str(MeldcodeStepNumber.SIGNALS.label) in task.title
    assert task.due_on == TODAY() - timedelta(days=3) and task.status(TODAY()) == "overdue"
    assert task.student_id == student.pk and task.url == case.get_absolute_url()
    assert _keys(other_af, school, "meldcode") == [f"meldcode-{case.pk}"]  # every AF of the school
    for user in (coordinator, mentor, verzuimcoordinator):
        assert _keys(user, school, "meldcode") == []


def test_the_task_moves_to_the_next_step_and_ends_with_the_decision(school, student, mentor, aandachtsfunctionaris):
    case = _meldcode_case(student, mentor)
    MeldcodeStep.objects.create(
        concern=case, step=1, occurred_on=TODAY(), participants="AF", notes="x", recorded_by=aandachtsfunctionaris
    )
    [task] = [t for t in task_list(user=aandachtsfunctionaris, school=school) if t.source == "meldcode"]
    assert task.title.startswith("Meldcode: 2.") and task.due_on == TODAY() + timedelta(days=7)
    MeldcodeStep.objects.create(
        concern=case,
        step=5,
        occurred_on=TODAY(),
        participants="AF",
        notes="x",
        decision="hulp",
        recorded_by=aandachtsfunctionaris,
    )
    assert _keys(aandachtsfunctionaris, school, "meldcode") == []


def test_a_closed_case_or_another_schools_case_is_no_task(school, student, mentor, aandachtsfunctionaris, other_school):
    case = _meldcode_case(student, mentor)
    case.status, case.closed_at = ConcernStatus.CLOSED, timezone.now()
    case.save()
    other_af = staff(other_school, Role.AANDACHTSFUNCTIONARIS, email="af@b.test")
    assert _keys(aandachtsfunctionaris, school, "meldcode") == []
    case.status, case.closed_at = ConcernStatus.NEW, None
    case.save()
    assert _keys(other_af, other_school, "meldcode") == []


def test_digest_counts_meldcode_steps_and_new_concerns_for_their_handlers(
    school, student, mentor, coordinator, aandachtsfunctionaris
):
    day = TODAY()
    while day.weekday() > 4:
        day += timedelta(days=1)
    _meldcode_case(student, mentor, days_ago=10)  # step 1 overdue; new: triage for AF and coordinator
    ConcernFactory(student=student, raised_by=mentor)  # gedrag: triage for the coordinator
    counts = digest_counts(day=day)
    expected = {}
    for user in (coordinator, aandachtsfunctionaris):
        items = task_list(user=user, school=school, today=day, due_until=day)
        items = [i for i in items if i.source in ("triage", "meldcode")]
        expected[user.pk] = [sum(1 for i in items if i.due_on < day), sum(1 for i in items if i.due_on == day)]
    assert expected[aandachtsfunctionaris.pk][0] == 2  # the Meldcode step and the triage, both overdue
    assert counts[aandachtsfunctionaris.pk] == expected[aandachtsfunctionaris.pk]
    assert counts[coordinator.pk] == expected[coordinator.pk]
    assert mentor.pk not in counts


def test_a_handler_whose_only_task_is_triage_gets_the_digest(school, student, mentor, coordinator):
    from notifications.models import Notification
    from todo.digest import digest_queue

    day = TODAY()
    while day.weekday() > 4:
        day += timedelta(days=1)
    ConcernFactory(student=student, raised_by=mentor)  # routed to the zorgcoördinator
    assert digest_queue(day=day) == 1
    mail = Notification.objects.get(kind="todo.digest")
    assert mail.recipient == coordinator and "Daan" not in mail.body
