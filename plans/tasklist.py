"""The zorgcoördinator's tasks about OPPs, SWV requests and external referrals in "Mijn taken"
(todo/registry.py), from `selectors.coordinator_task_rows` (the same tasks as the plans page's
`coordinator_tasks`, as plain values). They are done on their own pages (adopting the OPP,
answering the SWV, opening the decision), so there is no "gedaan" button."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.addresses import row_address
from todo.registry import Source, TaskItem, register_source

from .models import EVALUATION_INTERVAL, PLAN_DEADLINE, RequestState
from .selectors import coordinator_task_rows


def _plan_items(rows):
    if not (rows.overdue or rows.evaluation):
        return []  # no address reversed, no text translated for nothing
    plan_url = row_address("plans:plan")  # the OPP's address is the pupil's id
    origin = gettext("OPP")
    overdue = gettext("OPP vaststellen (binnen zes weken)")
    evaluation = gettext("OPP jaarlijks evalueren")
    items = [
        TaskItem(
            source="opp",
            pk=pk,
            title=overdue,
            due_on=started_on + PLAN_DEADLINE,
            url=plan_url(student_id),
            student_id=student_id,
            origin=origin,
        )
        for pk, student_id, started_on in rows.overdue
    ]
    items += [
        TaskItem(
            source="opp",
            pk=pk,
            title=evaluation,
            due_on=timezone.localdate(last_adopted + EVALUATION_INTERVAL),
            url=plan_url(student_id),
            student_id=student_id,
            origin=origin,
        )
        for pk, student_id, last_adopted in rows.evaluation
    ]
    return items


def _request_items(rows, today):
    """One line per request: a decision to open goes before a question to answer, which goes
    before a request flagged as open six weeks (as on the plans page)."""
    if not rows.requests:
        return []
    url = row_address("plans:request")
    origin = gettext("Samenwerkingsverband")
    decided = gettext("Besluit van het samenwerkingsverband bekijken")
    question = gettext("Vraag van het samenwerkingsverband beantwoorden")
    flagged = gettext("Aanvraag staat al zes weken open")
    items = []
    for pk, student_id, state, sent_at, is_decided in rows.requests:
        if is_decided:
            title, due = decided, today
        elif state == RequestState.QUESTION:
            title, due = question, today
        else:  # open and flagged: the query returns only these three kinds
            title, due = flagged, timezone.localdate(sent_at) + timedelta(weeks=6)
        items.append(
            TaskItem(source="swv", pk=pk, title=title, due_on=due, url=url(pk), student_id=student_id, origin=origin)
        )
    return items


def _referral_items(rows, today):
    if not rows.declined:
        return []
    url = row_address("plans:referral")
    title, origin = gettext("Verwijzing afgewezen door de partner"), gettext("Verwijzing")
    return [
        TaskItem(
            source="verwijzing", pk=pk, title=title, due_on=today, url=url(pk), student_id=student_id, origin=origin
        )
        for pk, student_id in rows.declined
    ]


def _items(user, school, today):
    """One source for the three kinds (OPP, SWV request, external referral): they come from
    one computation (`coordinator_task_rows`, three queries), done once per list. The items
    keep their own source names ("opp", "swv", "verwijzing"); none is ticked off in place."""
    if school is None or not access.can(user, "school.plan_tasks", school):
        return []
    rows = coordinator_task_rows(school=school, today=today)
    return _plan_items(rows) + _request_items(rows, today) + _referral_items(rows, today)


register_source(Source("plannen", _("OPP, samenwerkingsverband en verwijzingen"), _items))
