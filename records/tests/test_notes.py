"""Journal notes: adding, changing (versions), removing (marked, kept in the history), the
timeline, and bad input (a clear message, what was typed kept, nothing half-stored)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from records.models import Note
from students.models import FileAccess, TimelineEvent

from .factories import NoteFactory


def _post(**extra):
    data = {
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "kind": "telefoongesprek",
        "text": "Moeder belde: Daan slaapt slecht sinds de verhuizing.",
        "section": "zorg",
    }
    data.update(extra)
    return data


def test_coordinator_adds_a_note_that_shows_on_the_timeline(client, coordinator, student):
    client.force_login(coordinator)
    guardian = student.guardians.get()
    response = client.post(reverse("records:note_add", args=[student.pk]), _post(guardians=[guardian.pk]))
    note = Note.objects.get()
    assert response.status_code == 302 and response.url == reverse("records:note", args=[note.pk])
    assert note.author == coordinator and note.section == "zorg" and note.school == student.school
    assert list(note.guardians.all()) == [guardian]
    assert "Ouder Jansen (moeder)" in note.participants_label
    assert note.history.count() == 1 and note.history.get().history_user == coordinator
    page = client.get(student.get_absolute_url())
    assert "Telefoongesprek: Moeder belde: Daan slaapt slecht" in page.content.decode()


def test_a_note_may_be_dated_earlier(client, coordinator, student):
    client.force_login(coordinator)
    earlier = timezone.localtime() - timedelta(days=3)
    client.post(reverse("records:note_add", args=[student.pk]), _post(occurred_at=earlier.strftime("%Y-%m-%dT%H:%M")))
    note = Note.objects.get()
    assert timezone.localtime(note.occurred_at).date() == earlier.date()
    assert TimelineEvent.objects.get(kind="records.note").occurred_at == note.occurred_at


def test_mentor_adds_a_note_about_a_pupil_of_their_class_and_reads_it(client, mentor, student):
    client.force_login(mentor)
    response = client.post(reverse("records:note_add", args=[student.pk]), _post(section="zorg"))
    note = Note.objects.get()
    assert response.status_code == 302
    # The mentor does not see the Zorg section of the file, but reads what they wrote.
    assert client.get(note.get_absolute_url()).status_code == 200
    assert "Moeder belde" in client.get(student.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("text", "   ", "Schrijf op wat er is gebeurd of besproken."),
        ("text", "x" * 20_001, "Deze notitie is 20.001 tekens lang; het maximum is 20.000."),
        ("occurred_at", "future", "Deze datum ligt in de toekomst."),
    ],
)
def test_bad_note_input_gets_a_message_and_keeps_what_was_typed(client, coordinator, student, field, value, message):
    client.force_login(coordinator)
    if value == "future":
        value = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    data = _post(**{field: value})
    response = client.post(reverse("records:note_add", args=[student.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert (data["text"][:200] if data["text"].strip() else "") in body
    assert not Note.objects.exists() and not TimelineEvent.objects.filter(kind="records.note").exists()


def test_a_participant_of_another_school_is_refused(client, coordinator, student, other_coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("records:note_add", args=[student.pk]), _post(staff=[other_coordinator.pk]))
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert "Moeder belde" in response.content.decode()
    assert not Note.objects.exists()


def test_the_service_refuses_a_participant_of_another_school(coordinator, student, other_coordinator):
    from django.core.exceptions import ValidationError

    from records import services

    with pytest.raises(ValidationError) as exc:
        services.note_add(
            student=student,
            actor=coordinator,
            occurred_at=timezone.now(),
            kind="telefoongesprek",
            text="Gesprek",
            section="zorg",
            staff=[other_coordinator],
        )
    assert "werkt niet op de school van deze leerling" in str(exc.value)
    assert not Note.objects.exists()


def test_editing_a_note_keeps_the_old_text_in_its_history(client, coordinator, student):
    client.force_login(coordinator)
    client.post(reverse("records:note_add", args=[student.pk]), _post(text="Eerste versie."))
    note = Note.objects.get()
    response = client.post(reverse("records:note_edit", args=[note.pk]), _post(text="Tweede versie."))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Tweede versie."
    history = client.get(reverse("records:history", args=["notitie", note.pk])).content.decode()
    assert "Eerste versie." in history and "Tweede versie." in history
    assert note.history.count() == 2
    assert TimelineEvent.objects.get(kind="records.note").params["excerpt"] == "Tweede versie."


def test_a_removed_note_leaves_the_timeline_and_stays_in_the_history(client, coordinator, student):
    client.force_login(coordinator)
    client.post(reverse("records:note_add", args=[student.pk]), _post(text="Huisbezoek: alles rustig."))
    note = Note.objects.get()
    assert "Huisbezoek: alles rustig." in client.get(student.get_absolute_url()).content.decode()

    response = client.post(reverse("records:note_remove", args=[note.pk]), {"reason": "Bij de verkeerde leerling."})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.removed_at is not None and note.removed_by == coordinator
    assert not TimelineEvent.objects.filter(kind="records.note").exists()
    assert "Huisbezoek: alles rustig." not in client.get(student.get_absolute_url()).content.decode()
    history = client.get(reverse("records:history", args=["notitie", note.pk])).content.decode()
    assert "Huisbezoek: alles rustig." in history and "Bij de verkeerde leerling." in history
    assert Note.objects.filter(pk=note.pk).exists()  # never deleted


def test_removing_needs_a_reason(client, coordinator, student):
    note = NoteFactory(student=student, author=coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("records:note_remove", args=[note.pk]), {"reason": ""})
    assert response.status_code == 200
    note.refresh_from_db()
    assert note.removed_at is None


def test_reading_a_note_is_logged(client, coordinator, student):
    note = NoteFactory(student=student, author=coordinator)
    client.force_login(coordinator)
    client.get(note.get_absolute_url())
    assert FileAccess.objects.filter(user=coordinator, student=student, section="notitie").count() == 1
