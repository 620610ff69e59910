"""The plans source of "Mijn taken" reads `coordinator_task_rows` (three queries of plain
values): the same tasks as the plans page's `coordinator_tasks`, kind by kind."""

from datetime import timedelta

import pytest
from django.utils import timezone

from plans import selectors, services
from plans.models import ExternalReferral, ExternalState, PlanVersion, RequestState, SupportRequest, VersionState
from students.tests.factories import ConsentFactory, StudentFactory
from todo.selectors import task_list

from .factories import sent_request, swv_organisation

pytestmark = pytest.mark.django_db


def _copy(request, **fields):
    """Another request of the same pupil, in the state `fields` give (no service needed)."""
    request.pk = None
    request.save()
    SupportRequest.objects.filter(pk=request.pk).update(**fields)
    return request.pk


def test_the_task_rows_are_the_coordinators_tasks_kind_by_kind(
    client, coordinator, student, school_class, organisation
):
    now = timezone.now()
    late = StudentFactory(school_class=school_class)
    services.plan_start(student=late, actor=coordinator, support_started_on=timezone.localdate() - timedelta(days=43))
    in_time = StudentFactory(school_class=school_class)
    services.plan_start(student=in_time, actor=coordinator, support_started_on=timezone.localdate())
    request = sent_request(student, coordinator, swv_organisation(student.school))
    # The pupil's OPP was adopted 360 days ago: its yearly evaluation is due within the month.
    PlanVersion.objects.filter(plan__student=student, state=VersionState.ADOPTED).update(
        adopted_at=now - timedelta(days=360)
    )
    question = _copy(request, state=RequestState.QUESTION)
    decided = _copy(request, state=RequestState.GRANTED, decided_at=now)
    decided_question = _copy(request, state=RequestState.QUESTION, decided_at=now)
    flagged = _copy(request, flagged_at=now, sent_at=now - timedelta(weeks=7))
    _copy(request, state=RequestState.GRANTED, decided_at=now, decision_seen_at=now, flagged_at=now)  # none
    ConsentFactory(student=student, organisation=organisation, recorded_by=coordinator)
    referral = services.external_referral_send(
        student=student, actor=coordinator, organisation=organisation, question="Hulp thuis", contact_person="Petra"
    )
    ExternalReferral.objects.filter(pk=referral.pk).update(state=ExternalState.DECLINED)

    tasks = selectors.coordinator_tasks(school=student.school)
    rows = selectors.coordinator_task_rows(school=student.school)
    assert [pk for pk, *_ in rows.overdue] == [p.pk for p in tasks.overdue] != []
    assert [pk for pk, *_ in rows.evaluation] == [p.pk for p in tasks.evaluation] != []
    assert [pk for pk, *_ in rows.declined] == [r.pk for r in tasks.declined] == [referral.pk]
    kinds = {pk: (decision, state) for pk, _student, state, _sent, decision in rows.requests}
    assert {pk for pk, (decision, _s) in kinds.items() if decision} == {r.pk for r in tasks.decided}
    assert {pk for pk, (_d, state) in kinds.items() if state == RequestState.QUESTION} == {
        r.pk for r in tasks.questions
    }
    assert set(kinds) == {r.pk for r in (*tasks.decided, *tasks.questions, *tasks.flagged)}
    assert set(kinds) == {question, decided, decided_question, flagged}

    # On the list: one line per request, a decision before a question before "six weeks open".
    items = {t.key: t for t in task_list(user=coordinator, school=student.school)}
    assert items[f"swv-{decided_question}"].title == "Besluit van het samenwerkingsverband bekijken"
    assert items[f"swv-{question}"].title == "Vraag van het samenwerkingsverband beantwoorden"
    assert items[f"swv-{flagged}"].title == "Aanvraag staat al zes weken open"
    assert items[f"swv-{flagged}"].due_on == timezone.localdate(now - timedelta(weeks=7)) + timedelta(weeks=6)
    assert items[f"swv-{flagged}"].url == f"/opp/aanvragen/{flagged}/"
    [overdue] = tasks.overdue
    assert items[f"opp-{overdue.pk}"].due_on == overdue.deadline and items[f"opp-{overdue.pk}"].student_id == late.pk
    [evaluation] = [t for t in items.values() if t.title == "OPP jaarlijks evalueren"]
    assert evaluation.due_on == timezone.localdate(now - timedelta(days=360) + timedelta(days=365))
    assert items[f"verwijzing-{referral.pk}"].url == f"/opp/doorverwijzingen/{referral.pk}/"
    client.force_login(coordinator)
    page = client.get("/taken/").content.decode()
    assert "Verwijzing afgewezen door de partner" in page and late.full_name in page
