"""Someone who keeps working at the school with fewer roles ("Rollen van …", a role box
unticked) keeps the open work the roles they keep still open, and hands on what those roles
no longer open, as a leaver would (accounts.services.region `roles_taken`): a task about a
pupil they no longer see goes to the zorgcoördinator; a former aandachtsfunctionaris's
Meldcode cases go back to that role and their actions in them to the coordinator."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Membership, Role
from accounts.tests.factories import UserFactory, staff
from audit.models import Change
from concerns.models import ConcernAction
from concerns.tests.factories import ConcernFactory, route
from meetings.tests.factories import AgreementFactory, MeetingFactory
from students.tests.factories import SchoolClassFactory, StudentFactory
from todo.models import Task
from todo.services import task_create

pytestmark = pytest.mark.django_db

DUE = timezone.localdate() + timedelta(days=3)


def _task(school, person, student, title):
    return task_create(
        school=school, assignee=person, student=student, title=title, due_on=DUE,
        key=f"test:{title}:{person.pk}", notify=False,
    )  # fmt: skip


def _roles(client, beheerder, person, roles):
    client.force_login(beheerder)
    response = client.post(f"/beheer/medewerkers/{person.pk}/", {"roles": roles})
    assert response.status_code == 302, response.content
    return response


@pytest.fixture
def second_coordinator(school):
    return staff(school, Role.ZORGCOORDINATOR, email="zc2@a.test", name="Tweede Coördinator")


def test_a_coordinator_who_stays_on_as_mentor_hands_on_the_pupils_they_no_longer_see(
    client, school, beheerder, coordinator, second_coordinator, school_class, student
):
    Membership.objects.create(user=coordinator, school=school, role=Role.MENTOR)
    school_class.mentors.add(coordinator)  # now also the mentor of Daan's class
    elsewhere = StudentFactory(school_class=SchoolClassFactory(school=school, name="4H2"), first_name="Noor")
    own_pupil = _task(school, coordinator, student, "Daan bellen")
    other_pupil = _task(school, coordinator, elsewhere, "Noor bellen")
    no_pupil = _task(school, coordinator, None, "Zorgplan bijwerken")
    meeting = MeetingFactory(school=school, organiser=coordinator, participants=[coordinator])
    agreement = AgreementFactory(meeting=meeting, owner=coordinator, student=elsewhere)

    _roles(client, beheerder, coordinator, [Role.MENTOR])

    # The beheerder hears it, and the log keeps it (who, when, how much).
    page = client.get("/beheer/medewerkers/").text
    assert "1 open taak of actie die Zorg Coördinator met deze rollen niet meer kan openen" in page
    change = Change.objects.filter(kind="accounts.staff_roles_set").get()
    assert change.changes["work_handed_on"] == [None, 1]
    client.force_login(UserFactory(email="regio@beheer.test", is_application_admin=True))
    assert "open werk doorgegeven" in client.get("/regio/logboek/").text
    client.force_login(beheerder)
    for task in (own_pupil, other_pupil, no_pupil):
        task.refresh_from_db()
    # A mentor sees their own class: Noor's task is the coordinator's now, under their key.
    assert other_pupil.assignee == second_coordinator and other_pupil.done_at is None
    assert other_pupil.key.endswith(f":{second_coordinator.pk}")
    # What the mentor can still open stays theirs: their own pupil, a task without a pupil,
    # an agreement they own (an owner always sees their own agreement).
    assert own_pupil.assignee == coordinator and no_pupil.assignee == coordinator
    agreement.refresh_from_db()
    assert agreement.owner == coordinator
    client.force_login(coordinator)
    assert "Noor bellen" not in client.get("/taken/").text
    client.force_login(second_coordinator)
    assert "Noor bellen" in client.get("/taken/").text


def test_a_task_the_next_coordinator_has_already_is_closed_with_the_reason(
    client, school, beheerder, coordinator, second_coordinator, student
):
    Membership.objects.create(user=coordinator, school=school, role=Role.COACH)
    task_create(
        school=school, assignee=second_coordinator, student=student, title="Daan bellen", due_on=DUE,
        key=f"test:Daan bellen:{second_coordinator.pk}", notify=False,
    )  # fmt: skip
    theirs = _task(school, coordinator, student, "Daan bellen")

    _roles(client, beheerder, coordinator, [Role.COACH])  # a coach sees no pupil's tasks here

    theirs.refresh_from_db()
    assert theirs.done_at is not None and theirs.assignee == coordinator
    assert theirs.closed_reason.startswith("Gesloten toen de rollen van Zorg Coördinator veranderden")
    assert Task.objects.open().filter(assignee=second_coordinator).count() == 1


def test_a_former_aandachtsfunctionaris_hands_on_the_meldcode_cases_and_keeps_the_rest(
    client, school, beheerder, coordinator, aandachtsfunctionaris, student
):
    af = aandachtsfunctionaris
    Membership.objects.create(user=af, school=school, role=Role.MENTOR)
    categories = route(school)
    case = ConcernFactory(student=student, category=categories["veiligheid"], raised_by=coordinator, handler=af)
    concern = ConcernFactory(student=student, category=categories["gedrag"], raised_by=coordinator, handler=af)
    in_case = ConcernAction.objects.create(concern=case, description="Kindcheck", owner=af, created_by=coordinator)
    in_concern = ConcernAction.objects.create(
        concern=concern, description="Gesprek met ouders", owner=af, created_by=coordinator
    )
    assert case.is_meldcode and not concern.is_meldcode

    _roles(client, beheerder, af, [Role.MENTOR])

    assert "2 open taken en acties die Aandachts Functionaris" in client.get("/beheer/medewerkers/").text
    for item in (case, concern, in_case, in_concern):
        item.refresh_from_db()
    # The Meldcode case goes back to the role (whoever holds it now), its action to the coordinator.
    assert case.handler is None and case.handler_role == Role.AANDACHTSFUNCTIONARIS
    assert in_case.owner == coordinator
    # Any staff member may handle an ordinary concern: still theirs, with its action.
    assert concern.handler == af and in_concern.owner == af


def test_without_another_coordinator_the_work_waits_for_the_next_one(
    client, school, beheerder, coordinator, mentor, student
):
    Membership.objects.create(user=coordinator, school=school, role=Role.COACH)
    task = _task(school, coordinator, student, "Daan bellen")
    case = ConcernFactory(student=student, category=route(school)["veiligheid"], raised_by=mentor)
    action = ConcernAction.objects.create(concern=case, description="Kindcheck", owner=coordinator, created_by=mentor)

    _roles(client, beheerder, coordinator, [Role.COACH])  # the school's only coordinator

    task.refresh_from_db()
    action.refresh_from_db()
    assert task.assignee == coordinator and task.done_at is None  # nobody to give it to: nothing closed
    assert action.owner == coordinator
    # A colleague becomes the zorgcoördinator: what the coach cannot open is theirs now.
    _roles(client, beheerder, mentor, [Role.MENTOR, Role.ZORGCOORDINATOR])
    task.refresh_from_db()
    action.refresh_from_db()
    assert task.assignee == mentor and task.done_at is None and action.owner == mentor


def test_adding_a_role_hands_nothing_on(client, school, beheerder, coordinator, second_coordinator, student):
    task = _task(school, coordinator, student, "Daan bellen")
    _roles(client, beheerder, coordinator, [Role.ZORGCOORDINATOR, Role.MENTOR])
    task.refresh_from_db()
    assert task.assignee == coordinator
    assert "niet meer kan openen" not in client.get("/beheer/medewerkers/").text
    change = Change.objects.filter(kind="accounts.staff_roles_set").get()
    assert "work_handed_on" not in change.changes


def test_handing_on_costs_the_same_queries_for_few_tasks_and_many(school, beheerder, coordinator, school_class):
    """A leaver's tasks and a new coordinator's pick-up: the pupils of all tasks are asked
    about at once and the tasks written in one update, not a query per task."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.services import staff_deactivate

    def queries_to_hand_on(n):
        leaver = staff(school, Role.MENTOR, email=f"weg{n}@a.test", name=f"Vertrekt {n}")
        school_class.mentors.add(leaver)
        for i in range(n):
            _task(school, leaver, StudentFactory(school_class=school_class), f"Bellen {n}-{i}")
        with CaptureQueriesContext(connection) as queries:
            staff_deactivate(school=school, user=leaver, actor=beheerder)
        assert Task.objects.open().filter(assignee=coordinator, title__startswith=f"Bellen {n}-").count() == n
        return len(queries)

    assert queries_to_hand_on(2) == queries_to_hand_on(20)
