"""The zorgcoördinator's tasks about OPPs, SWV requests and external referrals in "Mijn taken"
(todo/registry.py), from `selectors.coordinator_tasks`. They are done on their own pages
(adopting the OPP, answering the SWV, opening the decision), so there is no "gedaan" button."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord import access
from todo.registry import Source, TaskItem, register_source

from .models import EVALUATION_INTERVAL
from .selectors import coordinator_tasks


def _tasks(user, school, today):
    if school is None or not access.can(user, "school.plan_tasks", school):
        return None
    return coordinator_tasks(school=school, today=today)


def _item(source, obj, title, due_on, origin):
    return TaskItem(
        source=source,
        pk=obj.pk,
        title=str(title),
        due_on=due_on,
        url=obj.get_absolute_url(),
        student=obj.student,
        origin=str(origin),
    )


def _plan_items(user, school, today):
    tasks = _tasks(user, school, today)
    if tasks is None:
        return []
    return [_item("opp", p, _("OPP vaststellen (binnen zes weken)"), p.deadline, _("OPP")) for p in tasks.overdue] + [
        _item(
            "opp", p, _("OPP jaarlijks evalueren"), timezone.localdate(p.last_adopted + EVALUATION_INTERVAL), _("OPP")
        )
        for p in tasks.evaluation
    ]


def _request_items(user, school, today):
    tasks = _tasks(user, school, today)
    if tasks is None:
        return []
    origin = _("Samenwerkingsverband")
    items = {}
    for r in tasks.flagged:
        due = timezone.localdate(r.sent_at) + timedelta(weeks=6)
        items[r.pk] = _item("swv", r, _("Aanvraag staat al zes weken open"), due, origin)
    for r in tasks.questions:
        items[r.pk] = _item("swv", r, _("Vraag van het samenwerkingsverband beantwoorden"), today, origin)
    for r in tasks.decided:
        items[r.pk] = _item("swv", r, _("Besluit van het samenwerkingsverband bekijken"), today, origin)
    return list(items.values())


def _referral_items(user, school, today):
    tasks = _tasks(user, school, today)
    if tasks is None:
        return []
    return [
        _item("verwijzing", r, _("Verwijzing afgewezen door de partner"), today, _("Verwijzing"))
        for r in tasks.declined
    ]


register_source(Source("opp", _("OPP"), _plan_items))
register_source(Source("swv", _("Samenwerkingsverband"), _request_items))
register_source(Source("verwijzing", _("Verwijzing naar een partner"), _referral_items))
