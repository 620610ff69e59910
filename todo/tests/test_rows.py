"""The task table's rows are written in Python (todo/rows.py): the same HTML as the template
loop they replaced, every value escaped."""

import re
from datetime import timedelta

import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from students.tests.factories import StudentFactory
from todo.models import Task
from todo.registry import TaskItem
from todo.rows import task_rows
from todo.selectors import NamedPupil

pytestmark = pytest.mark.django_db

# The row of todo/_task_table.html before it moved to Python, kept as the reference.
TEMPLATE_ROW = (
    '{% load i18n %}{% translate "te laat" as overdue_label %}{% translate "deze week" as soon_label %}'
    '{% translate "geen datum" as no_date_label %}{% translate "Gedaan" as done_label %}'
    '{% translate "Openen" as open_label %}'
    """{% for t in tasks %}<tr id="task-{{ t.key }}" class="task-row{% if t.state == 'overdue' %} table-danger{% elif t.state == 'soon' %} table-warning{% endif %}" data-testid="task-{{ t.key }}">
  <td class="text-nowrap">{% if t.due_on %}{{ t.due_on|date:"SHORT_DATE_FORMAT" }}{% if t.state == 'overdue' %} <span class="badge text-bg-danger">{{ overdue_label }}</span>{% elif t.state == 'soon' %} <span class="badge text-bg-warning">{{ soon_label }}</span>{% endif %}{% else %}<span class="text-body-secondary">{{ no_date_label }}</span>{% endif %}</td>
  <td>{% if t.url %}<a href="{{ t.url }}">{{ t.title }}</a>{% else %}{{ t.title }}{% endif %}<div class="small text-body-secondary">{{ t.origin }}</div></td>
  <td>{% if t.student %}{{ t.student.full_name }} <span class="text-body-secondary small">{{ t.student.school_class|default:"" }}</span>{% else %}<span class="text-body-secondary">—</span>{% endif %}</td>
  <td class="text-end">{% if t.done_url %}<form method="post" action="{{ t.done_url }}" data-hx-post="{{ t.done_url }}" data-hx-target="#task-{{ t.key }}" data-hx-swap="outerHTML" data-hx-disabled-elt="find button">{% csrf_token %}<input type="hidden" name="title" value="{{ t.title }}"><button class="btn btn-sm btn-success" type="submit"><i class="bi bi-check2" aria-hidden="true"></i> {{ done_label }}<span class="visually-hidden">: {{ t.title }}</span></button></form>{% elif t.url %}<a class="btn btn-sm btn-outline-primary" href="{{ t.url }}">{{ open_label }}<span class="visually-hidden">: {{ t.title }}</span></a>{% endif %}</td>
</tr>{% endfor %}"""
)


def _same_token(html):
    # Each get_token() masks the one secret anew: the forms differ only in that mask.
    return re.sub(r'csrfmiddlewaretoken" value="[^"]+"', 'csrfmiddlewaretoken" value="X"', html)


def test_the_rows_are_the_html_of_the_template_they_replaced(student):
    today = timezone.localdate()
    no_class = StudentFactory(school=student.school, school_class=None, first_name="Sem", last_name="de Vries")
    typed = "<b>Bel</b> ouders & 'school' \"nu\""
    items = [
        TaskItem(
            source="taak",
            pk=1,
            title=typed,
            due_on=today - timedelta(days=2),
            url="/x/?a=1&b=2",
            origin="Notitie <voor> jou",
            can_mark_done=True,
        ),
        TaskItem(source="mas", pk=2, title="Gesprek", due_on=today, url="/verzuim/leerling/2/", origin="Verzuim"),
        TaskItem(source="triage", pk=3, title="Beoordelen", due_on=today + timedelta(days=30), origin="Zorgmelding"),
        TaskItem(source="afspraak", pk=4, title="Bellen", due_on=None, url="/overleg/4/", origin="Afspraak"),
    ]
    items[0].student, items[1].student = student, no_class
    # A pupil as task_list reads them (plain values): with a class and without one.
    items[2].student = NamedPupil(student.pk, student.school_id, "Sem", "de", "Vries & <Zn>", '2B "x"')
    items[3].student = NamedPupil(no_class.pk, no_class.school_id, "Lot", "", "Jansen", None)
    items[0].state, items[1].state = items[0].status(today), items[1].status(today)
    items[0].done_url = "/taken/taak/1/gedaan/"
    request = RequestFactory().get("/taken/")
    expected = Template(TEMPLATE_ROW).render(RequestContext(request, {"tasks": items}))
    assert _same_token(task_rows(items, request=request)) == _same_token(expected)
    assert "&lt;b&gt;Bel&lt;/b&gt; ouders &amp; &#x27;school&#x27; &quot;nu&quot;" in expected
    assert 'name="csrfmiddlewaretoken"' in expected and "table-danger" in expected and "table-warning" in expected
    assert "Sem de Vries &amp; &lt;Zn&gt;" in expected and "Lot Jansen" in expected


def test_no_rows_no_token(student):
    request = RequestFactory().get("/taken/")
    assert task_rows([], request=request) == ""
    item = TaskItem(source="mas", pk=2, title="Gesprek", due_on=None, origin="Verzuim")
    assert "csrfmiddlewaretoken" not in task_rows([item], request=request)
    assert "CSRF_COOKIE" not in request.META  # no form, no token asked for (as {% csrf_token %})


def test_the_page_shows_the_pupil_only_to_who_may_see_them(client, school, mentor, student):
    Task.objects.create(
        school=school, assignee=mentor, student=student, title="<i>Bel</i>", due_on=timezone.localdate(), key="a"
    )
    colleague = staff(school, Role.MENTOR, email="m2@a.test")  # not Daan's mentor
    Task.objects.create(
        school=school, assignee=colleague, student=student, title="Bel", due_on=timezone.localdate(), key="b"
    )
    client.force_login(mentor)
    page = client.get("/taken/").content.decode()
    assert "&lt;i&gt;Bel&lt;/i&gt;" in page and "<i>Bel</i>" not in page
    assert "Daan Jansen" in page and 'name="csrfmiddlewaretoken"' in page
    client.force_login(colleague)
    page = client.get("/taken/").content.decode()
    assert "Daan" not in page and '<td><span class="text-body-secondary">—</span></td>' in page
