"""Mijn taken: each source in the right list and nobody else's, done in place, refusals."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from carecoord import access
from carecoord.testing import query_count
from concerns.models import ConcernAction
from concerns.services import concern_action_add
from concerns.tests.factories import ConcernFactory
from meetings.tests.factories import AgreementFactory, MeetingFactory
from notifications.models import Notification
from students.models import Consent
from students.services import consent_withdraw
from todo.models import Task, TaskKind
from todo.selectors import task_list
from todo.services import task_create

TODAY = timezone.localdate


def _action(concern, owner, actor, days=0, text="Bel ouders over verzuim"):
    return concern_action_add(
        concern=concern, description=text, actor=actor, owner=owner, due_on=TODAY() + timedelta(days=days)
    )


def _keys(user, school):
    return {t.key for t in task_list(user=user, school=school)}


def test_mentor_sees_the_action_the_coordinator_gave_them_and_gets_one_mail(
    client, school, coordinator, mentor, student
):
    concern = ConcernFactory(student=student, raised_by=mentor)
    other_mentor = staff(school, Role.MENTOR, email="m2@a.test")
    action = _action(concern, mentor, coordinator, days=3)
    assert _keys(mentor, school) == {f"zorgactie-{action.pk}"}
    assert f"zorgactie-{action.pk}" not in _keys(coordinator, school)
    assert _keys(other_mentor, school) == set()
    mails = Notification.objects.filter(recipient=mentor, kind="todo.assigned")
    assert mails.count() == 1
    assert "Daan" not in mails.get().body and "/taken/" in mails.get().body
    client.force_login(mentor)
    page = client.get("/taken/")
    assert page.status_code == 200
    assert "Bel ouders over verzuim" in page.text and "Daan Jansen" in page.text


def test_owner_marks_an_action_done_in_place(client, school, coordinator, mentor, student):
    action = _action(ConcernFactory(student=student, raised_by=mentor), mentor, coordinator)
    client.force_login(mentor)
    response = client.post(f"/taken/zorgactie/{action.pk}/gedaan/", {"title": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Afgerond" in response.text
    action.refresh_from_db()
    assert action.done_at is not None and action.done_by == mentor
    assert _keys(mentor, school) == set()


def test_each_gedaan_button_posts_to_its_own_task(client, school, coordinator, mentor, student):
    """The addresses are reversed once per source (prepare_rows): each row still gets its own."""
    actions = [_action(ConcernFactory(student=student, raised_by=mentor), mentor, coordinator) for _ in range(2)]
    _tasks(2, school, mentor, student)
    client.force_login(mentor)
    page = client.get("/taken/").text
    done = [("zorgactie", a.pk) for a in actions] + [("taak", t.pk) for t in Task.objects.filter(assignee=mentor)]
    for source, pk in done:
        url = reverse("todo:done", args=[source, pk])
        assert f'action="{url}" data-hx-post="{url}" data-hx-target="#task-{source}-{pk}"' in page
    assert page.count("/gedaan/") == 2 * len(done) == 8


@pytest.mark.denies("concern_action.mark_done")
def test_colleague_cannot_mark_someone_elses_action_done(client, school, coordinator, mentor, student):
    action = _action(ConcernFactory(student=student, raised_by=mentor), mentor, coordinator)
    colleague = staff(school, Role.MENTOR, email="m2@a.test")
    client.force_login(colleague)
    assert client.post(f"/taken/zorgactie/{action.pk}/gedaan/").status_code == 403
    assert ConcernAction.objects.get(pk=action.pk).done_at is None


def test_other_schools_staff_gets_404_on_an_action(client, school, coordinator, mentor, student, other_coordinator):
    action = _action(ConcernFactory(student=student, raised_by=mentor), mentor, coordinator)
    client.force_login(other_coordinator)
    assert client.post(f"/taken/zorgactie/{action.pk}/gedaan/").status_code == 404


def test_agreement_shows_for_its_owner_partner_only_with_consent(school, coordinator, consented_partner, student):
    meeting = MeetingFactory(school=school, organiser=coordinator, participants=[consented_partner])
    agreement = AgreementFactory(meeting=meeting, student=student, owner=consented_partner)
    assert _keys(consented_partner, school) == {f"afspraak-{agreement.pk}"}
    assert f"afspraak-{agreement.pk}" not in _keys(coordinator, school)
    consent = Consent.objects.get(student=student)
    consent_withdraw(consent=consent, withdrawn_by="ouder", reason="Wil het niet meer", actor=coordinator)
    assert _keys(consented_partner, school) == set()


def test_partner_never_sees_a_stored_task_about_a_pupil_without_consent(school, partner_user, student):
    # Stored directly: the service would refuse to give it (see below).
    Task.objects.create(school=school, assignee=partner_user, student=student, title="Bellen", due_on=TODAY(), key="t1")
    assert _keys(partner_user, school) == set()


def test_staff_sees_a_task_without_the_pupil_they_may_not_see(school, coordinator, student):
    colleague = staff(school, Role.MENTOR, email="m2@a.test")  # not Daan's mentor
    Task.objects.create(school=school, assignee=colleague, student=student, title="Bellen", due_on=TODAY(), key="t1")
    [item] = task_list(user=colleague, school=school)
    assert item.student_id is None and item.student is None


def test_staff_sees_only_their_own_tasks_of_this_school(school, other_school, coordinator, mentor, student):
    """Staff get the short scope (tasks_q with `school`): still their own, still this school's."""
    mine = Task.objects.create(
        school=school, assignee=coordinator, student=student, title="A", due_on=TODAY(), key="t1"
    )
    Task.objects.create(school=other_school, assignee=coordinator, title="B", due_on=TODAY(), key="t2")
    Task.objects.create(school=school, assignee=mentor, student=student, title="C", due_on=TODAY(), key="t3")
    assert _keys(coordinator, school) == {f"taak-{mine.pk}"}
    assert [t.student.full_name for t in task_list(user=coordinator, school=school)] == [student.full_name]


def test_task_with_a_past_due_date_is_refused(school, coordinator, mentor, student):
    with pytest.raises(ValidationError) as error:
        task_create(
            school=school, assignee=mentor, title="X", due_on=TODAY() - timedelta(days=1), key="k", actor=coordinator
        )
    assert "verleden" in str(error.value)


def test_task_for_someone_of_another_school_is_refused(school, coordinator, other_coordinator):
    with pytest.raises(ValidationError) as error:
        task_create(school=school, assignee=other_coordinator, title="X", due_on=TODAY(), key="k", actor=coordinator)
    assert "werkt niet op deze school" in str(error.value)


def test_task_about_a_pupil_the_assignee_may_not_see_is_refused(school, coordinator, student):
    colleague = staff(school, Role.MENTOR, email="m2@a.test")
    with pytest.raises(ValidationError) as error:
        task_create(
            school=school, assignee=colleague, student=student, title="X", due_on=TODAY(), key="k", actor=coordinator
        )
    assert "mag deze leerling niet zien" in str(error.value)


@pytest.mark.denies("task.mark_done")
def test_marking_someone_elses_stored_task_done_is_403(client, school, coordinator, mentor, student):
    task = task_create(
        school=school, assignee=mentor, student=student, title="X", due_on=TODAY(), key="k", actor=coordinator
    )
    client.force_login(coordinator)
    assert client.post(f"/taken/taak/{task.pk}/gedaan/").status_code == 403
    client.force_login(mentor)
    assert client.post(f"/taken/taak/{task.pk}/gedaan/").status_code == 302
    assert Task.objects.get(pk=task.pk).done_at is not None


@pytest.mark.denies("school.view_tasks")
def test_user_without_a_role_here_has_no_task_list(client, other_coordinator, school, admin_user):
    # The page is always at the user's own school; the rule refuses anyone else's.
    assert not access.can(other_coordinator, "school.view_tasks", school)
    client.force_login(admin_user)  # no school role at all
    assert client.get("/taken/").status_code == 403


def test_triage_of_a_new_concern_is_a_task_for_the_handler(school, coordinator, mentor, student):
    concern = ConcernFactory(student=student, raised_by=mentor)
    assert f"triage-{concern.pk}" in _keys(coordinator, school)
    assert f"triage-{concern.pk}" not in _keys(mentor, school)


def _tasks(n, school, user, student, start=0):
    Task.objects.bulk_create(
        Task(
            school=school,
            assignee=user,
            student=student,
            kind=TaskKind.NO_SHOW,
            title=f"T{i}",
            due_on=TODAY(),
            key=f"q{i}",
        )
        for i in range(start, start + n)
    )


def test_task_list_and_home_block_queries_stay_flat(client, school, mentor, student):
    client.force_login(mentor)
    _tasks(5, school, mentor, student)
    client.get("/taken/")  # the first request of a session does its own sign-in reads
    small = (query_count(client, "/taken/"), query_count(client, "/vandaag/taken/"))
    _tasks(95, school, mentor, student, start=5)
    big = (query_count(client, "/taken/"), query_count(client, "/vandaag/taken/"))
    assert small == big


def test_menu_shows_the_count_of_tasks_due_today_after_the_page(client, school, mentor, student):
    _tasks(3, school, mentor, student)
    client.force_login(mentor)
    assert 'data-hx-get="/taken/aantal/"' in client.get("/").text
    badge = client.get("/taken/aantal/").text
    assert ">3<" in badge


def test_a_source_that_hands_the_pupil_object_follows_the_same_rule(school, partner_user, student, coordinator):
    """Sources of other apps may pass `student=` (the object) instead of `student_id`."""
    from todo.registry import _SOURCES, Source, TaskItem

    def items(user, school, today):
        return [TaskItem(source="test-object", pk=1, title="X", due_on=TODAY(), student=student)]

    _SOURCES["test-object"] = Source("test-object", "Test", items)
    try:
        assert [t.key for t in task_list(user=partner_user, school=school) if t.source == "test-object"] == []
        [mine] = [t for t in task_list(user=coordinator, school=school) if t.source == "test-object"]
        assert mine.student == student and mine.student_id == student.pk
    finally:
        del _SOURCES["test-object"]


def test_partner_page_counts_only_the_tasks_about_pupils_they_may_see(client, school, partner_user, student):
    """The partner's pupils decide which tasks are on the list before it is cut into pages:
    26 tasks about a pupil without consent (due first) leave no empty first page. (A source
    that hands such tasks: the stored tasks' own query leaves them out already.)"""
    from todo.registry import _SOURCES, Source, TaskItem

    def items(user, school, today):
        return [
            TaskItem(source="test-hidden", pk=i, title=f"Verborgen {i}", due_on=today, student_id=student.pk)
            for i in range(26)
        ]

    later = TODAY() + timedelta(days=3)
    for i in range(3):
        Task.objects.create(school=school, assignee=partner_user, title=f"Zichtbaar {i}", due_on=later, key=f"v{i}")
    client.force_login(partner_user)
    _SOURCES["test-hidden"] = Source("test-hidden", "Test", items)
    try:
        page = client.get("/taken/").text
    finally:
        del _SOURCES["test-hidden"]
    assert "3 open taken" in page and page.count('class="task-row') == 3
    assert "Verborgen" not in page and "Pagina 1 van" not in page


def test_staff_page_names_the_pupils_of_that_page(client, school, coordinator, mentor, student):
    """Staff get every task; the pupils are asked about for the page shown only (page 2 too)."""
    colleague = staff(school, Role.MENTOR, email="m2@a.test")  # not Daan's mentor
    _tasks(30, school, mentor, student)
    _tasks(30, school, colleague, student, start=30)
    client.force_login(mentor)
    for url in ("/taken/", "/taken/?page=2"):
        page = client.get(url).text
        assert "30 open taken" in page and page.count(student.full_name) == (25 if url == "/taken/" else 5)
    client.force_login(colleague)
    page = client.get("/taken/?page=2").text
    assert "30 open taken" in page and page.count('class="task-row') == 5 and student.full_name not in page
