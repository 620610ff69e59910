"""The receiving zorgcoördinator's task: a handover waits for acceptance (see todo/registry.py).
No pupil name in the line: the pupil is not yet of this school (the handover page shows it)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.handovers import handovers_q
from todo.registry import Source, TaskItem, register_source

from .models import ACCEPT_WITHIN_SCHOOL_DAYS, Handover, HandoverStatus
from .services import school_days_after


def accept_due_on(handover):
    """The day the tenth school day of the receiving school after the start falls on."""
    start = timezone.localdate(handover.started_at)
    day = start
    while school_days_after(school=handover.to_school, start=start, end=day) < ACCEPT_WITHIN_SCHOOL_DAYS:
        day += timedelta(days=1)
    return day


def _items(user, school, today):
    if school is None or not access.can(user, "school.handovers", school):
        return []
    waiting = (
        Handover.objects.filter(handovers_q(user), to_school=school, status=HandoverStatus.WAITING)
        .select_related("from_school", "to_school")
        .order_by("started_at")
    )
    return [
        TaskItem(
            source="overdracht",
            pk=h.pk,
            title=str(_("Overdracht van %(school)s aanvaarden") % {"school": h.from_school.name}),
            due_on=accept_due_on(h),
            url=h.get_absolute_url(),
            origin=str(_("Overdracht")),
        )
        for h in waiting
    ]


register_source(Source("overdracht", _("Overdracht aanvaarden"), _items))
