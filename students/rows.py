"""The rows of the pupil list, written in Python.

The list is the page people open most. Rendering its 50 rows through the template (a
`get_absolute_url` reverse, two `get_..._display` lookups that hash the lazy choices, a date
filter and some ten variable lookups per row) was most of its Python time at region scale
(bench/region.py, docs/performance.md). Here each row is one string format, with the same
HTML the template wrote; values are escaped with `html.escape`, as Django's `escape` does.
"""

from html import escape

from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from carecoord.addresses import row_address

from .models import Level, SupportStatus, sort_name

ROW = (
    "\n    <tr>\n"
    '      <td><a href="{url}">{name}</a>{left}</td>\n'
    '      <td class="d-none d-sm-table-cell">{number}</td>\n'
    "      <td>{klas}</td>\n"
    '      <td class="d-none d-md-table-cell">{born}</td>\n'
    "      <td>{support}</td>\n"
    "    </tr>\n  "
)


def short_date(date_format: str):
    """The date formatter for `date_format`: a plain format for the product's dd-mm-jjjj (both
    languages' SHORT_DATE_FORMAT), Django's formatter otherwise (it builds an object per date:
    a tenth of the rows' time). Also for the rows of "Mijn taken" (todo/rows.py)."""
    if date_format == "d-m-Y":
        return lambda day: f"{day.day:02}-{day.month:02}-{day.year:04}"
    return lambda day: dateformat.format(day, date_format)


def student_rows(students) -> SafeString:
    """The `<tr>` of each pupil of a page of the pupil list (rows of selectors.list_rows)."""
    file_url = row_address("students:file")
    date_text = short_date(get_format("SHORT_DATE_FORMAT"))
    left = ' <span class="badge text-bg-secondary">{}</span>'.format(escape(gettext("uitgeschreven")))
    levels = {value: escape(str(label)) for value, label in Level.choices}
    supports = {value: escape(str(label)) for value, label in SupportStatus.choices}
    no_value = '<span class="text-body-secondary">—</span>'
    rows = []
    for student in students:
        if student.school_class__name is None:  # no class (the name is required in a class)
            klas_html = "—"
        else:
            klas_level = student.school_class__level
            level = levels.get(klas_level) or escape(str(klas_level))
            klas_html = (
                f"{escape(student.school_class__name)}"
                f' <span class="text-body-secondary small d-none d-lg-inline">{level}</span>'
            )
        status = student.support_status
        rows.append(
            ROW.format(
                url=escape(file_url(student.pk)),
                name=escape(sort_name(student.first_name, student.tussenvoegsel, student.last_name)),
                left="" if student.left_on is None else left,
                number=escape(student.student_number),
                klas=klas_html,
                born=escape(date_text(student.date_of_birth)),
                support=(
                    f'<span class="badge badge-soft">{supports.get(status) or escape(status)}</span>'
                    if status
                    else no_value
                ),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)
