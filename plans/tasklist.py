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


def _plan_items(tasks):
    return [_item("opp", p, _("OPP vaststellen (binnen zes weken)"), p.deadline, _("OPP")) for p in tasks.overdue] + [
        _item(
            "opp", p, _("OPP jaarlijks evalueren"), timezone.localdate(p.last_adopted + EVALUATION_INTERVAL), _("OPP")
        )
        for p in tasks.evaluation
    ]


def _request_items(tasks, today):
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


def _referral_items(tasks, today):
    return [
        _item("verwijzing", r, _("Verwijzing afgewezen door de partner"), today, _("Verwijzing"))
        for r in tasks.declined
    ]


def _items(user, school, today):
    """One source for the three kinds (OPP, SWV request, external referral): they come from
    one computation (`coordinator_tasks`, six queries), done once per list. The items keep
    their own source names ("opp", "swv", "verwijzing"); none is ticked off in place."""
    if school is None or not access.can(user, "school.plan_tasks", school):
        return []
    tasks = coordinator_tasks(school=school, today=today)
    return _plan_items(tasks) + _request_items(tasks, today) + _referral_items(tasks, today)


register_source(Source("plannen", _("OPP, samenwerkingsverband en verwijzingen"), _items))
