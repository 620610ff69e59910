"""The rows of the absence overview, written in Python once per page.

Printed through the template language, each of the 50 rows cost some forty variable
lookups, a dozen `{% if %}`s and the display of two choices: most of the overview's Python
time at region scale (bench/region.py, docs/performance.md). Here each row is one string
format with the same HTML the template wrote (absence/_overview_rows.html prints them);
every value is escaped with `html.escape`, as Django's `escape` does. The pattern is
students/rows.py's.
"""

from html import escape

from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from carecoord.addresses import escaped_row_address
from students.models import sort_name

from .models import MasStep, SignalLevel

ROW = (
    '\n    <tr data-testid="absence-row">\n'
    '      <td><a href="{url}">{name}</a><br><span class="small text-body-secondary">{klas} · {number}</span></td>\n'
    '      <td class="text-end text-nowrap">\n'
    "        <strong>{unauthorised} {unit}</strong>\n"
    "        {trend}\n"
    "      </td>\n"
    '      <td class="text-end d-none d-md-table-cell">{authorised} {unit}</td>\n'
    '      <td class="text-end" title="{late_title}">{late}{sent_out}</td>\n'
    "      <td>\n"
    '        <span class="badge {badge}">{level}</span>\n'
    '        <div class="small text-body-secondary">\n'
    "          {since}\n"
    "          {crossed}\n"
    "          {absent}\n"
    "        </div>\n"
    "      </td>\n"
    "      <td>{step}</td>\n"
    "      <td>{next_step}</td>\n"
    "    </tr>\n  "
)

# The badge colour per signal level (as absence/_level_badge.html).
LEVEL_BADGE = {3: "text-bg-dark", 2: "text-bg-danger", 1: "text-bg-warning"}


def overview_rows(rows) -> SafeString:
    """The `<tr>` of each signal of an overview page (`rows`: the dicts of
    `selectors.overview_page`)."""
    address = escaped_row_address("absence:student")
    sep = escape(get_format("DECIMAL_SEPARATOR"))
    short_date = get_format("SHORT_DATE_FORMAT")
    unit = escape(gettext("u"))
    flat = '<i class="bi bi-dash text-body-secondary" role="img" aria-label="{}"></i>'.format(
        escape(gettext("gelijk aan de 4 weken ervoor"))
    )
    no_step_yet = '<span class="text-body-secondary">{}</span>'.format(escape(gettext("nog geen")))
    taken = (
        '<span class="small text-success"><i class="bi bi-check2" aria-hidden="true"></i> {}</span>\n        '.format(
            escape(gettext("gezet"))
        )
    )
    levels = {value: escape(str(label)) for value, label in SignalLevel.choices}
    steps = {value: escape(str(label)) for value, label in MasStep.choices}
    words = {
        "up": gettext("meer dan de 4 weken ervoor (%(h)s u)"),
        "down": gettext("minder dan de 4 weken ervoor (%(h)s u)"),
        "before": gettext("4 weken ervoor: %(h)s u"),
        "late": gettext("hoogstens %(n)s keer in één week"),
        "sent_out": gettext("%(n)s× verwijderd"),
        "since": gettext("sinds %(date)s"),
        "crossed": gettext("16 uur bereikt op %(date)s"),
        "absent": gettext("elke dag afwezig sinds %(date)s"),
        "overdue": gettext("te laat (uiterlijk %(date)s)"),
        "due": gettext("uiterlijk %(date)s"),
        "on": "%(date)s",  # the date alone: when the current step was taken
    }
    dates: dict = {}
    phrases: dict = {}

    def day(value):
        # The same few dates recur on a page (the day of the computation, the deadlines).
        if value not in dates:
            dates[value] = dateformat.format(value, short_date) if value else ""
        return dates[value]

    def dated(key, value):
        # A phrase with a date, escaped: written once per date and phrase on a page.
        if (key, value) not in phrases:
            phrases[key, value] = escape(words[key] % {"date": day(value)})
        return phrases[key, value]

    def late_title(most):
        # "hoogstens N keer in één week": a handful of numbers on a page.
        if ("late", most) not in phrases:
            phrases["late", most] = escape(words["late"] % {"n": most})
        return phrases["late", most]

    out = []
    for row in rows:
        level = row["level"]
        current_step, next_step = row["current_step"], row["next_step"]
        sent_out = row["sent_out_count"]
        if next_step:
            if row["overdue"]:
                state = f'<span class="badge text-bg-danger">{dated("overdue", row["next_step_due"])}</span>\n        '
            elif current_step and current_step >= next_step:
                state = taken
            else:
                state = f'<span class="small text-body-secondary">{dated("due", row["next_step_due"])}</span>'
            next_html = f'\n        <span class="small">{steps.get(next_step) or escape(str(next_step))}</span><br>\n        {state}\n      '
        else:
            next_html = '<span class="text-body-secondary">—</span>'
        out.append(
            ROW.format(
                url=address(row["student_id"]),
                name=escape(
                    sort_name(row["student__first_name"], row["student__tussenvoegsel"], row["student__last_name"])
                ),
                klas="—" if row["student__school_class__name"] is None else escape(row["student__school_class__name"]),
                number=escape(row["student__student_number"]),
                unauthorised=_hours(row["unauthorised_minutes"], sep),
                unit=unit,
                trend=_trend(row, words, flat, sep),
                authorised=_hours(row["authorised_minutes"], sep),
                late_title=late_title(row["late_max_week"]),
                late=row["late_count"],
                sent_out=(
                    ' <span class="small text-body-secondary">({})</span>'.format(
                        escape(words["sent_out"] % {"n": sent_out})
                    )
                    if sent_out
                    else ""
                ),
                badge=LEVEL_BADGE.get(level, "text-bg-light border"),
                level=levels.get(level) or escape(str(level)),
                since=f'<span class="text-nowrap">{dated("since", row["level_since"])}</span>' if level else "",
                crossed=(
                    f'<br><span class="text-danger">{dated("crossed", row["crossed_on"])}</span>'
                    if row["crossed_on"]
                    else ""
                ),
                absent=f"<br>{dated('absent', row['absent_since'])}" if row["absent_since"] else "",
                step=(
                    f'<span class="small">{steps.get(current_step) or ""}</span><br>'
                    f'<span class="small text-body-secondary">{dated("on", row["current_step_on"])}</span>'
                    if current_step
                    else no_step_yet
                ),
                next_step=next_html,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


def _hours(minutes, sep) -> str:
    """Minutes as hours with one decimal rounded down, as `floatformat(hours(minutes), 1)`
    writes them (absence.models.hours: 959 minutes are 15,9, never 16,0), without its
    Decimal arithmetic: three numbers on each of the 50 rows."""
    tenths = (minutes or 0) // 6
    return f"{tenths // 10}{sep}{tenths % 10}"


def _trend(row, words, flat, sep) -> str:
    """The arrow after the hours: this window against the four school weeks before it
    (AbsenceSignal.trend: an hour either way is noise)."""
    difference = row["unauthorised_minutes"] - row["previous_minutes"]
    if -60 < difference < 60:
        return flat
    previous = _hours(row["previous_minutes"], sep)
    arrow = "bi-arrow-up-right text-danger" if difference > 0 else "bi-arrow-down-right text-success"
    label = words["up" if difference > 0 else "down"] % {"h": previous}
    title = words["before"] % {"h": previous}
    return f'<i class="bi {arrow}" role="img" aria-label="{escape(label)}" title="{escape(title)}"></i>\n        '
