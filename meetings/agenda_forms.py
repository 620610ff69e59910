"""The repeated parts of the meeting page, printed once per page, not once per item.

Every agenda item has its minutes form and an "add an agreement" form, and the coordinator
sees fifteen suggestions each with an "add to the agenda" form. Printed through the
template language per item they were a large part of the page's time at region scale (a
form's fields, its widgets, a select of the participants, `{% url %}`, `{% csrf_token %}`
and `{% translate %}` again for every pupil), and they differ between items only in ids
and texts. So each partial is rendered once, with markers where an item's values go
(`Stamp`), and filled in per item: the HTML is the partial's, exactly as an include gives it
(meetings/tests/test_agenda_page.py compares them).
"""

import re
from dataclasses import dataclass

from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from carecoord.addresses import row_address

from .forms import AgreementForm, MinutesForm
from .models import AgendaItem

# A marker for a value: characters from Unicode's private use area, which no escaping
# changes and no name or typed text contains.
_SLOT = re.compile("\ue000(\\w+)\ue000")
# A number no object has: the item's id where a URL needs a number (the minutes form's action).
_ITEM_ID = 2147483647


def _slot(name: str) -> str:
    return f"\ue000{name}\ue000"


@dataclass(frozen=True)
class Stamp:
    """A partial rendered once with markers (`_slot(name)`), filled in per item. Values are
    escaped as `{{ value }}` would be."""

    parts: tuple  # literal text, then per marker (slot name, following literal text)

    @classmethod
    def render(cls, template_name: str, context: dict, *, item_id=None, end_of_file: bool = True) -> "Stamp":
        """`item_id`: a number in the output that is the item's id (`pk`), for a partial that
        shows no names or texts. `end_of_file` False: without the newline that ends the
        partial's file (for a partial printed inside a loop whose template has the breaks)."""
        html = get_template(template_name).render(context)
        if item_id is not None:
            html = html.replace(str(item_id), _slot("pk"))
        if not end_of_file:
            html = html.removesuffix("\n")
        # re.split gives: text, name, text, name, …, text.
        pieces = _SLOT.split(html)
        return cls((pieces[0], *zip(pieces[1::2], pieces[2::2], strict=True)))

    def fill(self, **values) -> SafeString:
        escaped = {name: conditional_escape(value) for name, value in values.items()}
        out = [self.parts[0]]
        for name, text in self.parts[1:]:
            out.append(escaped.get(name, _slot(name)))
            out.append(text)
        return mark_safe("".join(out))


def add_item_forms(request, *, meeting, items, people, agreement_form=None, agreement_item=None) -> SafeString:
    """Give each ItemView of the coordinator's page its `minutes_html` and `agreement_form_html`,
    and return the form for a general agreement (the same form with id 0 and its own action).
    `agreement_form` is a posted (invalid) form of item `agreement_item` (None: the general
    one): shown as typed."""
    csrf_token = get_token(request)
    # The item id is a number in the minutes form's action (`{% url %}`), a marker elsewhere.
    minutes = Stamp.render(
        "meetings/_item_minutes.html",
        {
            "csrf_token": _slot("csrf_token"),  # a random token: no accidental item id in it
            "meeting": meeting,
            "item": AgendaItem(pk=_ITEM_ID),
            "form": MinutesForm(
                initial={"question": _slot("question"), "notes": _slot("notes"), "decision": _slot("decision")},
                prefix=f"m{_slot('pk')}",
            ),
        },
        item_id=_ITEM_ID,
    )
    agreement = Stamp.render(
        "meetings/_agreement_form.html",
        {
            "csrf_token": csrf_token,
            "form": AgreementForm(people=people, prefix=f"a{_slot('pk')}"),
            "action": _slot("action"),
        },
    )
    item_action = row_address("meetings:item_agreement_add", meeting.pk)

    def agreement_form_html(pk, action):
        if agreement_form is not None and agreement_item == (pk or None):
            context = {"csrf_token": csrf_token, "form": agreement_form, "action": action}
            return get_template("meetings/_agreement_form.html").render(context)
        return agreement.fill(pk=pk, action=action)

    for view in items:
        item = view.item
        view.minutes_html = minutes.fill(
            pk=item.pk,
            csrf_token=csrf_token,
            question=item.question or "",
            notes=item.notes or "",
            decision=item.decision or "",
        )
        view.agreement_form_html = agreement_form_html(item.pk, item_action(item.pk))
    return agreement_form_html(0, reverse("meetings:agreement_add", args=[meeting.pk]))


def add_item_texts(items, *, meeting_pk: int) -> None:
    """The links and form actions of each item, reversed once per page, and the partners
    without consent as one text."""
    remove = row_address("meetings:item_remove", meeting_pk)
    history = row_address("records:history", "agendapunt")
    documents = row_address("records:attached_documents", "agenda_item")
    student_file = row_address("students:file")
    for view in items:
        view.remove_url = remove(view.item.pk)
        view.history_url = history(view.item.pk)
        view.documents_url = documents(view.item.pk)
        view.file_url = student_file(view.item.student_id)
        # "Name (organisation), Name (organisation)", escaped as the template would.
        view.lacking_names = mark_safe(
            ", ".join(f"{conditional_escape(p.name)} ({conditional_escape(p.organisation.name)})" for p in view.lacking)
        )


def suggestion_rows(request, *, meeting, suggestions) -> list[SafeString]:
    """The coordinator's suggestions (`meetings/_suggestion.html`), the partial rendered once."""
    if not suggestions:
        return []
    row = Stamp.render(
        "meetings/_suggestion.html",
        {
            "csrf_token": get_token(request),
            "add_url": reverse("meetings:agenda_add", args=[meeting.pk]),
            "s": {
                "student": {"pk": _slot("pk"), "full_name": _slot("name"), "school_class": _slot("school_class")},
                "reason": _slot("reason"),
                "form_reason": _slot("form_reason"),
            },
        },
        end_of_file=False,
    )
    return [
        row.fill(
            pk=s.student.pk,
            name=s.student.full_name,
            school_class=s.student.school_class or "",
            reason=s.reason,
            form_reason=s.form_reason,
        )
        for s in suggestions
    ]


def add_agreement_addresses(agreements) -> None:
    """The history link and the "done" action of each agreement shown, reversed once per page."""
    if not agreements:
        return
    history = row_address("records:history", "afspraak")
    done = row_address("meetings:agreement_done")
    for agreement in agreements:
        agreement.history_url = history(agreement.pk)
        agreement.done_url = done(agreement.pk)
