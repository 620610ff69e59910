from datetime import date, timedelta

import pytest
from django.utils import timezone

from concerns.models import MeldcodeStep
from concerns.tests.factories import ConcernFactory, route
from records.models import NoteKind
from records.services import document_add, note_add
from records.tests.factories import pdf_upload
from students import services as student_services


@pytest.fixture
def left_student(student, coordinator):
    student_services.student_leave(student=student, on=timezone.localdate() - timedelta(days=1), actor=coordinator)
    student.refresh_from_db()
    return student


def _note(student, author, text, section):
    return note_add(
        student=student,
        actor=author,
        occurred_at=timezone.now() - timedelta(days=3),
        kind=NoteKind.PARENTS,
        text=text,
        section=section,
    )


@pytest.fixture
def record(left_student, coordinator, mentor):
    """Daan's record at School A: a care note, a confidential note, a Meldcode note, a care
    document, a Meldcode concern with a step, and a gedrag concern."""
    categories = route(left_student.school)
    ConcernFactory(student=left_student, category=categories["gedrag"], raised_by=mentor)
    meldcode = ConcernFactory(
        student=left_student, category=categories["veiligheid"], raised_by=mentor, is_meldcode=True
    )
    MeldcodeStep.objects.create(
        concern=meldcode,
        step=1,
        occurred_on=date(2026, 10, 1),
        participants="ZC",
        notes="Blauwe plekken gezien, signalen vastgelegd.",
        recorded_by=coordinator,
    )
    return {
        "care_note": _note(left_student, coordinator, "Gesprek met moeder over de overstap.", "zorg"),
        "secret_note": _note(left_student, coordinator, "Vermoeden, nog niet gedeeld.", "vertrouwelijk"),
        "meldcode_note": _note(left_student, coordinator, "Veilig Thuis gebeld.", "meldcode"),
        "document": document_add(
            student=left_student,
            actor=coordinator,
            upload=pdf_upload(text="Psychologisch onderzoek"),
            title="Onderzoek psycholoog",
            kind="onderzoek",
            section="zorg",
        ),
        "categories": categories,
    }
