"""The coordinator's home card "OPP en samenwerkingsverband" counts the tasks of the plans
page (`coordinator_tasks`) and of "Mijn taken" (`coordinator_task_rows`), without loading
them: the same number with every kind of task present, and what is not a task left out."""

from datetime import timedelta

import pytest
from django.utils import timezone

from plans import selectors, services
from plans.models import ExternalReferral, ExternalState, PlanVersion, RequestState, SupportRequest, VersionState
from students.models import Student
from students.tests.factories import ConsentFactory, GuardianFactory, StudentFactory

from .factories import adoptable_draft, sent_request, swv_organisation

pytestmark = pytest.mark.django_db

CARD = "OPP en samenwerkingsverband"
# The queries of the coordinator's home page, with every card: see the last test.
HOME_QUERIES = 16
HOME_QUERIES_KEPT = 12


def _copy(request, **fields):
    """Another request of the same pupil, in the state `fields` give (no service needed)."""
    request.pk = None
    request.save()
    SupportRequest.objects.filter(pk=request.pk).update(**fields)
    return request.pk


def _pupil(school_class):
    pupil = StudentFactory(school_class=school_class)
    GuardianFactory(student=pupil)
    return pupil


def _adopted(pupil, coordinator, *, days_ago):
    """An OPP adopted `days_ago` days ago (started 50 days ago: past its six weeks)."""
    _plan, draft = adoptable_draft(pupil, coordinator, started_days_ago=50)
    services.plan_adopt(version=draft, actor=coordinator)
    PlanVersion.objects.filter(plan__student=pupil, state=VersionState.ADOPTED).update(
        adopted_at=timezone.now() - timedelta(days=days_ago)
    )


def _every_kind_of_task(coordinator, student, school_class, organisation):
    today, now = timezone.localdate(), timezone.now()
    # OPPs: one past its six weeks, one in time, one adopted recently (started 50 days ago,
    # but adopted: no task), one due its yearly evaluation, and two of pupils who left (a
    # late one and one due its evaluation): no tasks any more.
    late = _pupil(school_class)
    services.plan_start(student=late, actor=coordinator, support_started_on=today - timedelta(days=43))
    services.plan_start(student=_pupil(school_class), actor=coordinator, support_started_on=today)
    _adopted(_pupil(school_class), coordinator, days_ago=10)
    _adopted(_pupil(school_class), coordinator, days_ago=360)
    left_late = _pupil(school_class)
    services.plan_start(student=left_late, actor=coordinator, support_started_on=today - timedelta(days=60))
    left_due = _pupil(school_class)
    _adopted(left_due, coordinator, days_ago=400)
    Student.objects.filter(pk__in=[left_late.pk, left_due.pk]).update(left_on=today - timedelta(days=1))
    # SWV requests: a question, a decision not yet opened, a decided question (a task of
    # both kinds), a request open six weeks, and one decided, opened and flagged: none.
    request = sent_request(student, coordinator, swv_organisation(student.school))
    _copy(request, state=RequestState.QUESTION)
    _copy(request, state=RequestState.GRANTED, decided_at=now)
    _copy(request, state=RequestState.QUESTION, decided_at=now)
    _copy(request, flagged_at=now, sent_at=now - timedelta(weeks=7))
    _copy(request, state=RequestState.GRANTED, decided_at=now, decision_seen_at=now, flagged_at=now)
    # A referral the partner declined, and one whose refusal was seen.
    ConsentFactory(student=student, organisation=organisation, recorded_by=coordinator)
    for seen in (None, now):
        referral = services.external_referral_send(
            student=student, actor=coordinator, organisation=organisation, question="Hulp thuis", contact_person="Petra"
        )
        ExternalReferral.objects.filter(pk=referral.pk).update(state=ExternalState.DECLINED, decline_seen_at=seen)


def test_coordinator_home_card_counts_the_tasks_of_the_plans_page_and_of_mijn_taken(
    client, coordinator, student, school_class, organisation
):
    _every_kind_of_task(coordinator, student, school_class, organisation)

    tasks = selectors.coordinator_tasks(school=student.school)
    rows = selectors.coordinator_task_rows(school=student.school)
    # Each kind occurs once; the decided question counts as a decision and as a question.
    lists = (tasks.overdue, tasks.evaluation, tasks.decided, tasks.questions, tasks.flagged, tasks.declined)
    assert [len(kind) for kind in lists] == [1, 1, 2, 2, 1, 1]
    assert len(rows.overdue) + len(rows.evaluation) == len(tasks.overdue) + len(tasks.evaluation)
    assert len(rows.declined) == len(tasks.declined)
    assert selectors.coordinator_task_count(school=student.school) == tasks.count == 8
    client.force_login(coordinator)
    cards = {card.title: card.figure for card in client.get("/").context["cards"]}
    assert cards[CARD] == tasks.count


def test_coordinator_home_card_leaves_out_what_is_no_task(client, coordinator, student, school_class):
    today = timezone.localdate()
    services.plan_start(student=student, actor=coordinator, support_started_on=today - timedelta(days=30))
    _adopted(_pupil(school_class), coordinator, days_ago=300)
    left = _pupil(school_class)
    services.plan_start(student=left, actor=coordinator, support_started_on=today - timedelta(days=60))
    Student.objects.filter(pk=left.pk).update(left_on=today)

    assert selectors.coordinator_tasks(school=student.school).count == 0
    assert selectors.coordinator_task_count(school=student.school) == 0
    client.force_login(coordinator)
    cards = {card.title: card.figure for card in client.get("/").context["cards"]}
    assert cards[CARD] == 0


@pytest.mark.parametrize(
    ("kept", "queries"),
    [
        # As every test here: the menu computed and the session written on every request.
        (0, HOME_QUERIES),
        # As in production on most requests: the menu bar and the session kept a minute
        # (carecoord/tests/test_session_and_menu.py), so only the page's own queries remain.
        (60, HOME_QUERIES_KEPT),
    ],
)
def test_coordinator_home_page_makes_the_same_few_queries_with_more_tasks(
    client, coordinator, student, school_class, organisation, settings, django_assert_num_queries, kept, queries
):
    """The whole home page with every card of the coordinator: a fixed number of queries
    (the roles, one to three per card), however many tasks, pupils and meetings."""
    settings.NAV_MENU_SECONDS = settings.SESSION_REFRESH_SECONDS = kept
    # Without Redis (the embedded default of `make test`) the session is read from the
    # database on every page (carecoord.sessions only with Redis): one query more.
    queries += settings.SESSION_ENGINE != "carecoord.sessions"
    client.force_login(coordinator)
    client.get("/")
    with django_assert_num_queries(queries):
        client.get("/")
    _every_kind_of_task(coordinator, student, school_class, organisation)
    with django_assert_num_queries(queries):
        assert client.get("/").context["cards"]
