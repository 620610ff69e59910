"""The rows of the inbox ("Te behandelen"), written in Python once per page.

Printed through the template language, each of the 50 rows cost a `get_absolute_url` (a
`reverse`), a date filter, `timesince`, an include for the urgency badge and some twenty
variable lookups: most of the inbox's Python time at region scale (bench/region.py,
docs/performance.md). Here each row is one string format with the same HTML the template
wrote (concerns/_concern_results.html prints them); every value is escaped with
`html.escape`, as Django's `escape` does. The pattern is students/rows.py's.
"""

from html import escape

from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext

from accounts.models import Role
from carecoord.addresses import escaped_row_address

from .models import ConcernStatus, Urgency, is_late

ROW = (
    '\n    <tr data-testid="concern-row">\n'
    '      <td>\n<span class="badge urgency-{urgency_class}">{urgency}</span>\n</td>\n'
    '      <td><time datetime="{datetime}">{date}</time> <span class="small text-body-secondary">{age}</span></td>\n'
    '      <td><a href="{url}">{name}</a></td>\n'
    "      <td>{klas}</td>\n"
    '      <td class="wrap">{category}{meldcode}{home}</td>\n'
    '      <td class="d-none d-md-table-cell">{raised_by}</td>\n'
    "      <td>{handler}</td>\n"
    "      <td>{status}{actions}</td>\n"
    "    </tr>\n  "
)


def inbox_rows(rows) -> SafeString:
    """The `<tr>` of each concern of an inbox page (`rows`: the dicts of
    `selectors.inbox_rows`). The urgency badge is concerns/_urgency.html's, by the same rule
    (`is_late`): the alarm style of "vandaag" only on the day the concern was raised, after
    that "dringend" in the late style (issue 17)."""
    address = escaped_row_address("concerns:concern_detail")
    short_date = get_format("SHORT_DATE_FORMAT")
    today = timezone.localdate()
    urgencies = {value: escape(str(label)) for value, label in Urgency.choices}
    late = escape(gettext("dringend"))
    statuses = {value: escape(str(label)) for value, label in ConcernStatus.choices}
    roles = {value: escape(str(label)) for value, label in Role.choices}
    meldcode = ' <span class="badge text-bg-danger">{}</span>'.format(escape(gettext("Meldcode")))
    home_words = escape(gettext("thuissituatie speelt mee"))
    home = f' <i class="bi bi-house text-body-secondary" title="{home_words}"></i><span class="visually-hidden">{home_words}</span>'
    ago = gettext("%(age)s geleden")
    units = time_strings()
    dates: dict = {}  # the same days recur on a page
    out = []
    for row in rows:
        created = timezone.localtime(row["created_at"])
        urgency = row["urgency"]
        if is_late(urgency, created, today):
            urgency_class, urgency_label = "late", late
        else:
            urgency_class = escape(str(urgency))
            urgency_label = urgencies.get(urgency) or urgency_class
        given = " ".join(p for p in (row["student__first_name"], row["student__tussenvoegsel"]) if p)
        n = row["open_actions"]
        status = row["status"]
        out.append(
            ROW.format(
                urgency_class=urgency_class,
                urgency=urgency_label,
                datetime=created.replace(microsecond=0).isoformat(),  # as |html_datetime
                date=dates.get(created.date())
                or dates.setdefault(created.date(), escape(dateformat.format(created, short_date))),
                age=escape(ago % {"age": timesince(row["created_at"], time_strings=units)}),
                url=address(row["pk"]),
                name=escape(f"{row['student__last_name']}, {given}"),  # Student.sort_name
                klas="—" if row["student__school_class__name"] is None else escape(row["student__school_class__name"]),
                category=escape(row["category_name"]),
                meldcode=meldcode if row["is_meldcode"] else "",
                home=home if row["home_situation"] else "",
                raised_by=escape(row["raised_by_name"]),
                handler=_handler(row, roles),
                status=statuses.get(status) or escape(status),
                actions=(
                    ' <span class="small text-body-secondary">· {}</span>'.format(
                        escape(ngettext("%(n)s open actie", "%(n)s open acties", n) % {"n": n})
                    )
                    if n
                    else ""
                ),
            )
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


# Django's TIME_STRINGS (django/utils/timesince.py): the same msgids, from Django's catalog.
UNITS = {
    "year": ("%(num)d year", "%(num)d years"),
    "month": ("%(num)d month", "%(num)d months"),
    "week": ("%(num)d week", "%(num)d weeks"),
    "day": ("%(num)d day", "%(num)d days"),
    "hour": ("%(num)d hour", "%(num)d hours"),
    "minute": ("%(num)d minute", "%(num)d minutes"),
}


class _Unit:
    """One of `timesince`'s units ("3 weken", "1 dag"), written once per number on a page.
    Django's own are lazy plural strings: each `%` went through a lazy proxy to `ngettext`,
    some 80 function calls per row. This asks `ngettext` for the same words."""

    def __init__(self, singular, plural):
        self.singular, self.plural = singular, plural
        self.written = {}

    def __mod__(self, values):
        number = values["num"]
        if number not in self.written:
            self.written[number] = ngettext(self.singular, self.plural, number) % values
        return self.written[number]


def time_strings() -> dict:
    """`timesince`'s time_strings for one page (in the reader's language)."""
    return {unit: _Unit(singular, plural) for unit, (singular, plural) in UNITS.items()}


def _handler(row, roles) -> str:
    """Who handles it, as Concern.handler_label says: a person, else a partner organisation,
    else the role at the school."""
    if row["handler_id"]:
        return escape(row["handler_name"])
    if row["handler_organisation_id"]:
        return escape(row["organisation_name"])
    if row["handler_role"]:
        return roles.get(row["handler_role"]) or escape(row["handler_role"])
    return "—"
