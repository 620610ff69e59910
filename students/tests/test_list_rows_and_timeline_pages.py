"""The pupil list's rows written in Python (students/rows.py) and the timeline's keyset pages
(students/timeline.py): the same HTML as before, and every event exactly once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from students.models import Student
from students.rows import student_rows
from students.selectors import list_rows
from students.tests.factories import SchoolClassFactory, StudentFactory
from students.timeline import timeline_add, timeline_page

pytestmark = pytest.mark.django_db

# The row markup of students/_student_results.html before the rows were written in Python.
TEMPLATE_ROWS = """{% load i18n %}{% for student in page %}
    <tr>
      <td><a href="{{ student.get_absolute_url }}">{{ student.sort_name }}</a>{% if not student.is_active %} <span class="badge text-bg-secondary">{% translate "uitgeschreven" %}</span>{% endif %}</td>
      <td class="d-none d-sm-table-cell">{{ student.student_number }}</td>
      <td>{{ student.school_class|default:"—" }}{% if student.school_class %} <span class="text-body-secondary small d-none d-lg-inline">{{ student.school_class.get_level_display }}</span>{% endif %}</td>
      <td class="d-none d-md-table-cell">{{ student.date_of_birth|date:"SHORT_DATE_FORMAT" }}</td>
      <td>{% if student.support_status %}<span class="badge badge-soft">{{ student.get_support_status_display }}</span>{% else %}<span class="text-body-secondary">—</span>{% endif %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["nl", "en"])
def test_list_rows_are_the_html_the_template_wrote(school, language, settings):
    from django.utils import translation

    havo = SchoolClassFactory(school=school, name="4H<1>", year=4, level="havo")
    StudentFactory(school_class=havo, first_name="Ana & Eva", tussenvoegsel="van 't", last_name='O"Brien')
    StudentFactory(school_class=havo, support_status="in_begeleiding", left_on=timezone.localdate())
    StudentFactory(school=school, school_class=None, support_status="externe_hulp")
    pupils = Student.objects.filter(school=school).select_related("school_class").order_by("pk")
    with translation.override(language):
        expected = engines["django"].from_string(TEMPLATE_ROWS).render({"page": list(pupils)})
        assert str(student_rows(list_rows(pupils))) == expected
    assert "&lt;1&gt;" in expected and "Ana &amp; Eva" in expected and "O&quot;Brien" in expected


@pytest.mark.parametrize("date_format", ["d-m-Y", "j F Y", "Y-m-d"])
def test_a_birth_date_is_written_as_django_writes_it(date_format):
    from datetime import date

    from django.utils import dateformat

    from students.rows import short_date

    for day in (date(2011, 1, 2), date(2009, 12, 31), date(999, 7, 4)):
        assert short_date(date_format)(day) == dateformat.format(day, date_format)


def test_list_page_shows_the_rows_and_the_empty_text(client, coordinator, student):
    client.force_login(coordinator)
    assert f'<a href="/leerlingen/{student.pk}/">Jansen, Daan</a>' in client.get("/leerlingen/").text
    assert "Geen leerlingen gevonden" in client.get("/leerlingen/?q=Niemand").text


def _events(student, actor, n, *, same_time=False):
    at = timezone.now() - timedelta(days=1)
    for i in range(n):
        # Several events at one instant (an import) must not be lost or shown twice at a page edge.
        occurred = at if same_time and i % 3 else at + timedelta(minutes=i)
        timeline_add(student=student, kind="students.guardian_added", actor=actor, name=f"G{i}", occurred_at=occurred)


def _older_pages(student, sections):
    pages = [timeline_page(student=student, sections=sections, per_page=10)]
    while pages[-1].older_url:
        cursor = pages[-1].older_url.split("voor=")[1]
        pages.append(timeline_page(student=student, sections=sections, before=cursor, per_page=10))
    return pages


def test_timeline_pages_show_every_event_once_also_at_one_instant(coordinator, student):
    _events(student, coordinator, 35, same_time=True)
    pages = _older_pages(student, {"administratie"})
    texts = [e.text for page in pages for e in page.shown]
    assert len(texts) == 35 and len(set(texts)) == 35
    assert [(p.number, p.num_pages) for p in pages] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert pages[0].newer_url is None and pages[1].newer_url == student.get_absolute_url()
    # Back up from the last page with the "Nieuwer" links: the same pages, in reverse.
    page = pages[-1]
    back = [page]
    while page.newer_url and "na=" in page.newer_url:
        page = timeline_page(
            student=student, sections={"administratie"}, after=page.newer_url.split("na=")[1], per_page=10
        )
        back.append(page)
    assert [[e.text for e in p.shown] for p in back] == [[e.text for e in p.shown] for p in pages[:0:-1]]


def test_older_timeline_page_is_read_by_key_not_offset(coordinator, student):
    _events(student, coordinator, 30)
    first = timeline_page(student=student, sections={"administratie"}, per_page=10)
    with CaptureQueriesContext(connection) as queries:
        timeline_page(
            student=student, sections={"administratie"}, before=first.older_url.split("voor=")[1], per_page=10
        )
    assert len(queries) == 3  # the page, the count ("van 3") and its place ("Pagina 2")
    assert not any("OFFSET" in q["sql"] for q in queries.captured_queries)


def test_timeline_on_one_page_is_one_query(coordinator, student):
    _events(student, coordinator, 20)
    with CaptureQueriesContext(connection) as queries:
        page = timeline_page(student=student, sections={"administratie"})
    assert len(queries) == 1 and len(page.shown) == 20 and not page.has_other_pages


def test_file_with_a_broken_cursor_shows_the_newest_page(client, coordinator, student):
    _events(student, coordinator, 30)
    client.force_login(coordinator)
    page = client.get(f"{student.get_absolute_url()}?voor=kapot").context["timeline"]
    assert page.number == 1 and page.shown[0].text.endswith("G29")


def test_file_sections_are_kept_within_a_request_only(consented_partner, student):
    from carecoord import access
    from carecoord.requestid import reset_request_id, set_request_id
    from students.models import Consent

    assert access.file_sections(consented_partner, student)
    token = set_request_id("r1")
    try:
        kept = access.file_sections(consented_partner, student)
        Consent.objects.filter(student=student).update(withdrawn_at=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            assert access.file_sections(consented_partner, student) == kept
        assert len(queries) == 0  # asked again in the same request: no query
    finally:
        reset_request_id(token)
    # Outside that request the withdrawn consent counts at once.
    assert access.file_sections(consented_partner, student) == frozenset()
