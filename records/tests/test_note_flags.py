"""A note "voor wie": handed to a colleague, it is a task on their list and nobody else's;
refused with the reason when they may not see the pupil or read the note."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from notifications.models import Notification
from records.tests.factories import NoteFactory
from todo.models import Task
from todo.selectors import task_list

pytestmark = pytest.mark.django_db

DUE = (timezone.localdate() + timedelta(days=3)).strftime("%d-%m-%Y")


def _flags(user, school):
    return [t for t in task_list(user=user, school=school) if t.source == "taak" and "Notitie lezen" in t.title]


def test_coordinator_hands_a_note_to_the_mentor_who_finds_it_in_mijn_taken(
    client, school, student, coordinator, mentor, verzuimcoordinator
):
    # The mentor reads the file's administration section of their own pupils.
    note = NoteFactory(student=student, author=coordinator, section="administratie")
    client.force_login(coordinator)
    assert f'data-hx-get="/dossier/notities/{note.pk}/voor-wie/"' in client.get(note.get_absolute_url()).text
    part = client.get(f"/dossier/notities/{note.pk}/voor-wie/")
    assert part.status_code == 200 and "Voor wie" in part.text
    response = client.post(
        f"/dossier/notities/{note.pk}/voor-wie/", {"person": mentor.pk, "due_on": DUE}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Doorgegeven aan Mentor Eén" in response.text
    [task] = _flags(mentor, school)
    assert task.url == note.get_absolute_url() and task.student_id == student.pk
    assert "Daan" not in task.title
    assert _flags(coordinator, school) == [] and _flags(verzuimcoordinator, school) == []
    assert Notification.objects.filter(recipient=mentor, kind="todo.assigned").count() == 1
    client.force_login(mentor)
    assert client.get(note.get_absolute_url()).status_code == 200  # the link opens for them


def test_a_colleague_who_may_not_see_the_pupil_is_refused_with_the_reason(client, school, student, coordinator):
    note = NoteFactory(student=student, author=coordinator, section="zorg")
    other_mentor = staff(school, Role.MENTOR, email="m2@a.test")  # not Daan's mentor
    client.force_login(coordinator)
    response = client.post(f"/dossier/notities/{note.pk}/voor-wie/", {"person": other_mentor.pk, "due_on": DUE})
    assert response.status_code == 200 and "mag deze leerling niet zien" in response.text
    assert not Task.objects.exists()


@pytest.mark.parametrize("section", ["zorg", "vertrouwelijk"])
def test_a_note_the_mentor_may_not_read_cannot_be_handed_to_them(client, school, student, coordinator, mentor, section):
    note = NoteFactory(student=student, author=coordinator, section=section)
    client.force_login(coordinator)
    response = client.post(f"/dossier/notities/{note.pk}/voor-wie/", {"person": mentor.pk, "due_on": DUE})
    assert "mag deze notitie niet lezen" in response.text
    assert not Task.objects.exists()


@pytest.mark.denies("note.flag")
def test_functioneel_beheerder_cannot_hand_on_a_note(client, school, student, coordinator, mentor, beheerder):
    note = NoteFactory(student=student, author=beheerder, section="zorg")
    client.force_login(beheerder)
    response = client.post(f"/dossier/notities/{note.pk}/voor-wie/", {"person": mentor.pk, "due_on": DUE})
    assert response.status_code in (403, 404)
    assert not Task.objects.exists()


def test_other_schools_staff_gets_404(client, student, coordinator, mentor, other_coordinator):
    note = NoteFactory(student=student, author=coordinator, section="zorg")
    client.force_login(other_coordinator)
    assert client.get(f"/dossier/notities/{note.pk}/voor-wie/").status_code == 404


def test_the_note_task_is_done_when_the_colleague_opens_the_note(client, school, student, coordinator, mentor):
    from records.services.flags import item_flag

    note = NoteFactory(student=student, author=coordinator, section="administratie")
    task = item_flag(item=note, person=mentor, actor=coordinator, due_on=timezone.localdate())
    client.force_login(mentor)
    assert client.get(note.get_absolute_url()).status_code == 200
    task.refresh_from_db()
    assert task.done_at is not None and _flags(mentor, school) == []
