"""A document "voor wie": handed to a colleague, it is a task "Document voor jou" on their list
and nobody else's, done when they open the document or tick it; refused with the reason when
they do not work at the school, may not see the pupil or may not read the document."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from notifications.models import Notification
from records.services import document_add, document_remove
from records.services.flags import item_flag
from records.tests.factories import pdf_upload
from students.models import FileAccess
from todo.models import Task, TaskKind
from todo.selectors import task_list

pytestmark = pytest.mark.django_db

DUE = (timezone.localdate() + timedelta(days=3)).strftime("%d-%m-%Y")


def _document(student, actor, section):
    return document_add(
        student=student, actor=actor, upload=pdf_upload(), title="Verslag Daan", kind="verslag", section=section
    )


def _flags(user, school):
    return [t for t in task_list(user=user, school=school) if t.source == "taak" and "Document lezen" in t.title]


def _part(document):
    return f"/dossier/documenten/{document.pk}/voor-wie/"


def test_coordinator_hands_a_document_to_the_mentor_who_finds_it_in_mijn_taken(
    client, school, student, coordinator, mentor, verzuimcoordinator
):
    # The mentor reads the file's administration section of their own pupils.
    document = _document(student, coordinator, "administratie")
    client.force_login(coordinator)
    assert f'data-hx-get="{_part(document)}"' in client.get(document.get_absolute_url()).text
    part = client.get(_part(document))
    assert part.status_code == 200 and "Voor wie" in part.text and "Geef dit document door" in part.text
    response = client.post(_part(document), {"person": mentor.pk, "due_on": DUE}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Doorgegeven aan Mentor Eén" in response.text
    [item] = _flags(mentor, school)
    assert item.url == document.get_absolute_url() and item.student_id == student.pk
    assert item.origin == "Document voor jou"
    assert "Daan" not in item.title  # neither the pupil's name nor the document's title
    assert _flags(coordinator, school) == [] and _flags(verzuimcoordinator, school) == []
    assert Notification.objects.filter(recipient=mentor, kind="todo.assigned").count() == 1
    # Handing it again to the same person makes no second task.
    client.post(_part(document), {"person": mentor.pk, "due_on": DUE})
    assert Task.objects.filter(kind=TaskKind.DOCUMENT_FLAG).count() == 1


def test_the_task_is_done_when_the_colleague_opens_the_document_and_the_read_log_is_unchanged(
    client, school, student, coordinator, mentor
):
    document = _document(student, coordinator, "administratie")
    task = item_flag(item=document, person=mentor, actor=coordinator, due_on=timezone.localdate())
    client.force_login(coordinator)  # someone else opening it leaves the mentor's task open
    client.get(document.get_absolute_url())
    task.refresh_from_db()
    assert task.done_at is None
    client.force_login(mentor)
    assert client.get(document.get_absolute_url()).status_code == 200
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == mentor
    assert _flags(mentor, school) == []
    [row] = FileAccess.objects.filter(user=mentor)  # one read-log row, as before
    assert (row.user, row.student, row.section, row.page) == (mentor, student, "document", "records:document")
    client.force_login(coordinator)
    assert "gelezen" in client.get(_part(document)).text


def test_the_colleague_ticks_the_task_off_in_mijn_taken(client, school, student, coordinator, mentor):
    document = _document(student, coordinator, "administratie")
    task = item_flag(item=document, person=mentor, actor=coordinator, due_on=timezone.localdate())
    client.force_login(mentor)
    assert client.post(f"/taken/taak/{task.pk}/gedaan/", HTTP_HX_REQUEST="true").status_code in (200, 204)
    task.refresh_from_db()
    assert task.done_at is not None


def test_a_colleague_who_may_not_see_the_pupil_is_refused_with_the_reason(client, school, student, coordinator):
    document = _document(student, coordinator, "zorg")
    other_mentor = staff(school, Role.MENTOR, email="m2@a.test")  # not Daan's mentor
    client.force_login(coordinator)
    response = client.post(_part(document), {"person": other_mentor.pk, "due_on": DUE})
    assert response.status_code == 200 and "mag deze leerling niet zien" in response.text
    assert not Task.objects.exists()


def test_someone_of_another_school_is_refused_with_the_reason(student, coordinator, other_coordinator):
    document = _document(student, coordinator, "zorg")
    with pytest.raises(ValidationError, match="werkt niet op deze school"):
        item_flag(item=document, person=other_coordinator, actor=coordinator, due_on=timezone.localdate())
    assert not Task.objects.exists()


@pytest.mark.parametrize("section", ["zorg", "vertrouwelijk"])
def test_a_document_the_mentor_may_not_read_cannot_be_handed_to_them(
    client, school, student, coordinator, mentor, section
):
    document = _document(student, coordinator, section)
    client.force_login(coordinator)
    response = client.post(_part(document), {"person": mentor.pk, "due_on": DUE})
    assert "mag dit document niet lezen" in response.text
    assert not Task.objects.exists()


@pytest.mark.denies("document.flag")
def test_functioneel_beheerder_cannot_hand_on_a_document(client, school, student, mentor, beheerder):
    # The beheerder reads what they added but writes in no file: no "Voor wie".
    document = _document(student, beheerder, "administratie")
    client.force_login(beheerder)
    assert "voor-wie" not in client.get(document.get_absolute_url()).text
    response = client.post(_part(document), {"person": mentor.pk, "due_on": DUE})
    assert response.status_code == 403
    assert not Task.objects.exists()


@pytest.mark.denies("document.flag")
def test_a_removed_document_is_not_handed_on(client, school, student, coordinator, mentor):
    document = _document(student, coordinator, "administratie")
    document_remove(document=document, actor=coordinator, reason="Verkeerde leerling.")
    client.force_login(coordinator)
    assert "voor-wie" not in client.get(document.get_absolute_url()).text
    assert client.post(_part(document), {"person": mentor.pk, "due_on": DUE}).status_code == 403
    assert not Task.objects.exists()


def test_other_schools_staff_gets_404(client, student, coordinator, other_coordinator):
    document = _document(student, coordinator, "zorg")
    client.force_login(other_coordinator)
    assert client.get(_part(document)).status_code == 404
