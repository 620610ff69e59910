"""The rows of the coach's board as HTML, built here once per row.

The board (and its refresh every 20 seconds) prints every placed pupil, and "Geweest
vandaag" grows with every visit of the day: printed through the template language, each row
cost a tenth of a millisecond (a variable lookup, a filter, `{% url %}` and
`{% blocktranslate %}` each). A check-in or -out prints only the rows it changed, with the
same `BoardRows` (referrals/_board_tap.html). The markup is the board's
(referrals/_board.html prints these strings in its sections); every value is escaped as the
template would (`_html`)."""

import html

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from carecoord.addresses import row_address

from ..models import WEEKDAYS, PlacementKind, VisitReason
from ..selectors import DONE, EXPECTED, LATE

_FORM = (
    '<form method="post" action="{url}" data-hx-post="{url}" data-hx-target="#board" data-hx-swap="outerHTML"'
    ' data-hx-disabled-elt="find button">{csrf}'
)
# A check-in or -out answers with only what it changed, as out-of-band swaps (see
# `tap_fragments`): the form swaps nothing itself.
_TAP_FORM = (
    '<form method="post" action="{url}" data-hx-post="{url}" data-hx-swap="none"'
    ' data-hx-disabled-elt="find button">{csrf}'
)
_PRESENT = (
    '\n      <div class="board-card in" data-testid="present-{student}">'
    '\n        <div class="d-flex justify-content-between align-items-center gap-2">'
    "\n          <div>"
    '\n            <div class="name">{name}</div>'
    '\n            <div class="text-body-secondary">{group} · {since}'
    "\n              {reason}</div>"
    "\n            {note}"
    "\n          </div>"
    '\n          <div class="d-flex gap-2">'
    '\n            <button type="button" class="btn btn-outline-secondary board-btn board-btn-sm" data-hx-get="{note_url}"'
    ' data-hx-target="#note-{pk}" aria-label="{note_label}"><i class="bi bi-pencil" aria-hidden="true"></i></button>'
    "\n            "
    + _TAP_FORM.replace("{url}", "{check_out_url}")
    + '\n              <input type="hidden" name="student" value="{student}">'
    '\n              <button type="submit" class="btn btn-primary board-btn" aria-label="{check_out_label}">'
    '<i class="bi bi-box-arrow-right" aria-hidden="true"></i> {check_out_word}</button>'
    "\n            </form>"
    "\n          </div>"
    "\n        </div>"
    '\n        <div id="note-{pk}"></div>'
    "\n      </div>"
    "\n      "
)
_EXPECTED = (
    '\n      <div class="board-card {status}" id="wait-{student}" data-testid="expected-{student}">'
    '\n        <div class="d-flex justify-content-between align-items-center gap-2">'
    "\n          <div>"
    '\n            <div class="name">{name}</div>'
    '\n            <div class="text-body-secondary">{group} · {kind}</div>'
    "\n            <div>"
    "\n            {badge}"
    "\n            </div>"
    "\n          </div>"
    '\n          <div class="d-flex flex-wrap gap-2">'
    "\n          "
    + _TAP_FORM.replace("{url}", "{check_in_url}")
    + '\n  <input type="hidden" name="student" value="{student}">'
    '\n  <button type="submit" class="btn btn-success board-btn" aria-label="{check_in_label}">'
    '<i class="bi bi-box-arrow-in-right" aria-hidden="true"></i> {check_in_word}</button>'
    "\n</form>"
    "\n"
    "\n          {no_show}"
    "\n          </div>"
    "\n        </div>"
    "\n      </div>"
    "\n      "
)
_NO_SHOW = (
    _FORM.replace("{url}", "{no_show_url}") + '\n            <input type="hidden" name="student" value="{student}">'
    '\n            <button type="submit" class="btn btn-outline-danger board-btn" aria-label="{label}">'
    '<i class="bi bi-person-x" aria-hidden="true"></i> {word}</button>'
    "\n          </form>"
)
# Each badge but "Niet gekomen" was followed by a line of spaces in the printed markup.
_BADGE = {
    LATE: '<span class="badge text-bg-danger fs-6">{}</span>\n            ',
    EXPECTED: '<span class="badge text-bg-light border fs-6">{}</span>\n            ',
    DONE: '<span class="badge text-bg-secondary">{}</span>\n            ',
}
_MISSED_BADGE = '<span class="badge text-bg-secondary">{}</span>'
_NOT_EXPECTED = (
    '\n        <div class="board-card d-flex justify-content-between align-items-center" id="wait-{student}">'
    '\n          <div><span class="fw-semibold">{name}</span> <span class="text-body-secondary">· {kind} · {schedule}</span>'
    "</div>"
    "\n          "
    + _TAP_FORM.replace("{url}", "{check_in_url}")
    + '\n  <input type="hidden" name="student" value="{student}">'
    '\n  <button type="submit" class="btn btn-success board-btn board-btn-sm" aria-label="{check_in_label}">'
    '<i class="bi bi-box-arrow-in-right" aria-hidden="true"></i> {check_in_word}</button>'
    "\n</form>"
    "\n"
    "\n        </div>"
    "\n        "
)
_DONE = (
    '\n        <li class="list-group-item">'
    '\n          <div class="d-flex justify-content-between align-items-center gap-2">'
    "\n            <span><strong>{name}</strong> {in_time}–{out_time}{reason}{note}</span>"
    '\n            <button type="button" class="btn btn-outline-secondary board-btn-sm btn" data-hx-get="{note_url}"'
    ' data-hx-target="#note-{pk}" aria-label="{note_label}"><i class="bi bi-pencil" aria-hidden="true"></i></button>'
    "\n          </div>"
    '\n          <div id="note-{pk}"></div>'
    "\n        </li>"
    "\n      "
)


def _html(markup: str, **values) -> str:
    """`format_html` for the rows: the same escaping (Django's `escape` is `html.escape`),
    without its lazy-text checks per value, a quarter of the cost at hundreds of rows."""
    return markup.format(
        **{key: value if hasattr(value, "__html__") else html.escape(str(value)) for key, value in values.items()}
    )


def _hh_mm(moment, zone) -> str:
    # As |time:"H:i" printed it, in the school's time zone.
    local = moment.astimezone(zone)
    return f"{local.hour:02d}:{local.minute:02d}"


def _block_badge(row, zone) -> str:
    block = row.block
    if row.status == LATE:
        text = (
            _("Niet aangekomen: de %(hour)s begon %(time)s")
            if block.day_parts
            else _("Niet aangekomen: lesuur %(hour)s begon %(time)s")
        )
        return text % {"hour": block.label, "time": _hh_mm(block.start, zone)}
    if row.status == EXPECTED:
        if block.day_parts:
            return _("%(hour)s, %(time)s") % {"hour": capfirst(block.label), "time": _hh_mm(block.start, zone)}
        return _("Lesuur %(hour)s, %(time)s") % {"hour": block.label, "time": _hh_mm(block.start, zone)}
    return _("Geweest") if row.status == DONE else _("Niet gekomen")


class BoardRows:
    """The rows of one board response. What every row shares (addresses, words, the CSRF
    field) is looked up once here; each method gives one row's HTML."""

    def __init__(self, facility_pk: int, csrf_token: str):
        self.zone = timezone.get_current_timezone()
        self.csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
        # A visit's note address differs from another's only in the visit's number.
        self.check_in_url = reverse("referrals:visit_check_in", args=[facility_pk])
        self.check_out_url = reverse("referrals:visit_check_out", args=[facility_pk])
        self.no_show_url = reverse("referrals:visit_no_show", args=[facility_pk])
        self.note_url = row_address("referrals:visit_note", facility_pk)
        self.note_word, self.check_in_text, self.check_out_text, self.no_show_text = (
            _("Notitie bij %(name)s"),
            _("%(name)s inchecken"),
            _("%(name)s uitchecken"),
            _("%(name)s is niet gekomen"),
        )
        self.words = {"check_in_word": _("Inchecken"), "check_out_word": _("Uitchecken")}
        self.no_show_word = _("Niet gekomen")
        # Translated once, not per placement of the "not expected today" list.
        self.weekday_names = {day: str(label) for day, label in WEEKDAYS}
        self.kind_labels = {kind: str(label) for kind, label in PlacementKind.choices}
        # Not `get_kind_display()`/`get_reason_display()` per row: each builds a hashable
        # copy of the field's choices (translating every label), half the cost of a row.
        self.reason_labels = {reason: str(label) for reason, label in VisitReason.choices}

    def _reason(self, visit):
        if visit.planned:
            return ""
        label = self.reason_labels.get(visit.reason, visit.reason)
        return format_html('<span class="badge text-bg-warning">{}</span>', label)

    def present(self, v) -> str:
        """An open visit ("Nu in de ruimte")."""
        name = v.student.full_name
        note = ""
        if v.note:
            note = format_html(
                '<div class="small mt-1"><i class="bi bi-chat-left-text" aria-hidden="true"></i> {}</div>', v.note
            )
        return _html(
            _PRESENT,
            student=v.student_id,
            pk=v.pk,
            name=name,
            group=v.class_name or "",
            since=_("sinds %(time)s") % {"time": _hh_mm(v.checked_in_at, self.zone)},
            reason=self._reason(v),
            note=note,
            note_url=self.note_url(v.pk),
            note_label=self.note_word % {"name": name},
            check_out_url=self.check_out_url,
            csrf=self.csrf,
            check_out_label=self.check_out_text % {"name": name},
            **self.words,
        )

    def expected(self, row) -> str:
        """A placed pupil expected today (a `BoardRow`: late, expected, done or missed)."""
        name = row.student.full_name
        student = row.placement.student_id
        no_show = ""
        if row.status == LATE:
            no_show = format_html(
                _NO_SHOW,
                no_show_url=self.no_show_url,
                csrf=self.csrf,
                student=student,
                label=self.no_show_text % {"name": name},
                word=self.no_show_word,
            )
        return _html(
            _EXPECTED,
            status=row.status,
            student=student,
            name=name,
            group=row.placement.class_name or "",
            kind=self.kind_labels.get(row.placement.kind, row.placement.kind),
            badge=format_html(_BADGE.get(row.status, _MISSED_BADGE), _block_badge(row, self.zone)),
            check_in_url=self.check_in_url,
            csrf=self.csrf,
            check_in_label=self.check_in_text % {"name": name},
            no_show=no_show,
            **self.words,
        )

    def not_expected(self, p) -> str:
        """A placed pupil not on today's timetable (a `Placement` with `slot_pairs`)."""
        name = p.student.full_name
        return _html(
            _NOT_EXPECTED,
            name=name,
            kind=self.kind_labels.get(p.kind, p.kind),
            schedule=p.schedule_label(p.slot_pairs, self.weekday_names),
            check_in_url=self.check_in_url,
            csrf=self.csrf,
            student=p.student_id,
            check_in_label=self.check_in_text % {"name": name},
            **self.words,
        )

    def done(self, v) -> str:
        """A closed visit of today ("Geweest vandaag")."""
        name = v.student.full_name
        return _html(
            _DONE,
            name=name,
            in_time=_hh_mm(v.checked_in_at, self.zone),
            out_time=_hh_mm(v.checked_out_at, self.zone),
            reason=mark_safe(f" {self._reason(v)}") if not v.planned else "",  # noqa: S308 — built by format_html
            note=format_html(' · <span class="small">{}</span>', v.note) if v.note else "",
            note_url=self.note_url(v.pk),
            pk=v.pk,
            note_label=self.note_word % {"name": name},
        )

    def join(self, make, items):
        return mark_safe("".join(map(make, items)))  # noqa: S308 — each row went through format_html


def board_rows(board, csrf_token: str) -> dict:
    """The HTML of the board's four lists: {"present", "expected", "not_expected", "done"}."""
    rows = BoardRows(board.facility.pk, csrf_token)
    return {
        "present": rows.join(rows.present, board.present),
        "expected": rows.join(rows.expected, board.expected),
        "not_expected": rows.join(rows.not_expected, board.not_expected),
        "done": rows.join(rows.done, board.done_today),
    }
