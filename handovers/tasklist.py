"""The receiving zorgcoördinator's task: a handover waits for acceptance (see todo/registry.py).
No pupil name in the line: the pupil is not yet of this school (the handover page shows it)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.handovers import handovers_q
from carecoord.addresses import row_address
from todo.registry import Source, TaskItem, register_source

from .models import ACCEPT_WITHIN_SCHOOL_DAYS, Handover, HandoverStatus
from .services import school_days_after


def accept_due_on(handover):
    """The day the tenth school day of the receiving school after the start falls on."""
    return _accept_due_on(handover.to_school, handover.started_at)


def _accept_due_on(to_school, started_at):
    start = timezone.localdate(started_at)
    day = start
    while school_days_after(school=to_school, start=start, end=day) < ACCEPT_WITHIN_SCHOOL_DAYS:
        day += timedelta(days=1)
    return day


def _items(user, school, today):
    if school is None or not access.can(user, "school.handovers", school):
        return []
    waiting = list(
        Handover.objects.filter(handovers_q(user), to_school=school, status=HandoverStatus.WAITING)
        .order_by()
        .values_list("pk", "from_school__name", "started_at")
    )
    if not waiting:
        return []  # no address reversed, no text translated for nothing
    url = row_address("handovers:detail")
    title, origin = gettext("Overdracht van %(school)s aanvaarden"), gettext("Overdracht")
    return [
        TaskItem(
            source="overdracht",
            pk=pk,
            title=title % {"school": from_school},
            due_on=_accept_due_on(school, started_at),  # the receiving school is this one
            url=url(pk),
            origin=origin,
        )
        for pk, from_school, started_at in waiting
    ]


register_source(Source("overdracht", _("Overdracht aanvaarden"), _items))
