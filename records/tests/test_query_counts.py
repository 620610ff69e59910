"""The file page and the pages of this app make the same number of queries with 5 or 50
notes and documents (carecoord/testing.py `query_count`)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from carecoord.testing import query_count
from records import services
from records.services import family_link
from students.tests.factories import StudentFactory

from .factories import pdf_upload


def _add(student, author, n, start=0):
    for i in range(start, start + n):
        section = ["zorg", "administratie", "vertrouwelijk"][i % 3]
        services.note_add(
            student=student,
            actor=author,
            occurred_at=timezone.now() - timezone.timedelta(minutes=i),
            kind="observatie",
            text=f"Notitie {i}",
            section=section,
        )
        services.document_add(
            student=student, actor=author, upload=pdf_upload(), title=f"Document {i}", kind="verslag", section=section
        )


@pytest.mark.parametrize("who", ["coordinator", "mentor"])
def test_file_page_queries_stay_flat(client, request, coordinator, student, who):
    user = request.getfixturevalue(who)
    for _ in range(3):
        family_link(
            student=student,
            other=StudentFactory(school_class=student.school_class),
            kind="broer_zus",
            actor=coordinator,
        )
    # From 78 notes (26 in the mentor's section) the timeline has more than one page, also
    # for the mentor: a timeline on one page needs no count for "Pagina 1 van n"
    # (students/timeline.py), so the count at 5 notes would be one lower.
    _add(student, coordinator, 78)
    client.force_login(user)
    url = student.get_absolute_url()
    few = query_count(client, url)
    _add(student, coordinator, 45, start=78)
    assert query_count(client, url) == few


def test_document_list_and_export_queries_stay_flat(client, coordinator, student):
    _add(student, coordinator, 5)
    client.force_login(coordinator)
    urls = [
        reverse("records:document_list", args=[student.pk]),
        reverse("records:file_export", args=[student.pk])
        + "?uitvoer=afdruk&sections=zorg&sections=administratie&sections=vertrouwelijk",
    ]
    few = [query_count(client, url) for url in urls]
    _add(student, coordinator, 45, start=5)
    assert [query_count(client, url) for url in urls] == few
