"""The rows of the task table ("Mijn taken" and the block "Mijn taken voor vandaag"), written
in Python.

Rendered through the template, each row (some twenty variable lookups, a date filter, four
`{% if %}` on the state and a `{% csrf_token %}`) cost more than all the task sources
together at region scale (bench/profile_page.py, docs/performance.md). Here a row is one
string format with the same HTML the template wrote; the labels are translated once per
table. Every value is plain text (the sources hand no HTML) and is escaped with
`html.escape`, as Django's `escape` does: `conditional_escape` cost some twenty calls a
value through its lazy-string wrapper, seven values a row.
"""

from html import escape

from django.middleware.csrf import get_token
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from students.rows import short_date

ROW = (
    '<tr id="task-{key}" class="task-row{row_class}" data-testid="task-{key}">\n'
    '  <td class="text-nowrap">{due}</td>\n'
    '  <td>{title_html}<div class="small text-body-secondary">{origin}</div></td>\n'
    "  <td>{student}</td>\n"
    '  <td class="text-end">{action}</td>\n'
    "</tr>"
)
DONE_FORM = (
    '<form method="post" action="{url}" data-hx-post="{url}" data-hx-target="#task-{key}" data-hx-swap="outerHTML"'
    ' data-hx-disabled-elt="find button">{csrf}<input type="hidden" name="title" value="{title}">'
    '<button class="btn btn-sm btn-success" type="submit"><i class="bi bi-check2" aria-hidden="true"></i> {label}'
    '<span class="visually-hidden">: {title}</span></button></form>'
)
OPEN_LINK = (
    '<a class="btn btn-sm btn-outline-primary" href="{url}">{label}<span class="visually-hidden">: {title}</span></a>'
)
CSRF_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
ROW_CLASS = {"overdue": " table-danger", "soon": " table-warning"}
NO_PUPIL = '<span class="text-body-secondary">—</span>'


def task_rows(items, *, request) -> SafeString:
    """The `<tr>` of each task shown, prepared by `selectors.prepare_rows` (state, "Gedaan"
    address, the pupil when the user may see them). `request` gives the CSRF token of the
    "Gedaan" forms."""
    # The labels are translated literals in the template: trusted text, not escaped there.
    badges = {
        "overdue": ' <span class="badge text-bg-danger">{}</span>'.format(gettext("te laat")),
        "soon": ' <span class="badge text-bg-warning">{}</span>'.format(gettext("deze week")),
    }
    no_date = '<span class="text-body-secondary">{}</span>'.format(gettext("geen datum"))
    done_label, open_label = gettext("Gedaan"), gettext("Openen")
    date_text = short_date(get_format("SHORT_DATE_FORMAT"))
    csrf = None
    rows = []
    for t in items:
        key = escape(t.key)
        title = escape(t.title)
        url = escape(t.url)
        due = escape(date_text(t.due_on)) + badges.get(t.state, "") if t.due_on else no_date
        if t.student:
            # The class: its name (a NamedPupil), or a SchoolClass when a source handed the pupil.
            klas = t.student.school_class
            student = '{} <span class="text-body-secondary small">{}</span>'.format(
                escape(t.student.full_name), escape(str(klas)) if klas else ""
            )
        else:
            student = NO_PUPIL
        if t.done_url:
            if csrf is None:  # as `{% csrf_token %}`: asked for only when a form is shown
                csrf = CSRF_INPUT.format(escape(get_token(request)))
            action = DONE_FORM.format(url=escape(t.done_url), key=key, csrf=csrf, title=title, label=done_label)
        elif t.url:
            action = OPEN_LINK.format(url=url, label=open_label, title=title)
        else:
            action = ""
        rows.append(
            ROW.format(
                key=key,
                row_class=ROW_CLASS.get(t.state, ""),
                due=due,
                title_html=f'<a href="{url}">{title}</a>' if t.url else title,
                origin=escape(t.origin),
                student=student,
                action=action,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)
