"""What the meetings app puts on task lists: agreements (afspraken) people own, and
today's meetings on the home page."""

from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.addresses import row_address
from todo.registry import Source, TaskItem, TodayBlock, register_block, register_source

from . import services
from .models import Agreement
from .selectors import my_meetings


def _items(user, school, today):
    rows = list(
        Agreement.objects.visible_to(user)
        .open()
        .filter(owner=user, school=school)
        .order_by()
        .values_list("pk", "description", "due_on", "student_id", "meeting_id", "meeting__title", "meeting__starts_at")
    )
    if not rows:
        return []  # no address reversed, no text translated for nothing
    url = row_address("meetings:detail")
    origin = gettext("Afspraak uit %(meeting)s van %(date)s")
    zone = timezone.get_current_timezone()  # once: timezone.localtime asks for it per row
    return [
        TaskItem(
            source="afspraak",
            pk=pk,
            title=description,
            due_on=due_on,
            url=url(meeting_id),
            student_id=student_id,
            origin=origin % {"meeting": title, "date": starts_at.astimezone(zone).strftime("%d-%m-%Y")},
            can_mark_done=True,
        )
        for pk, description, due_on, student_id, meeting_id, title, starts_at in rows
    ]


def _done(user, pk):
    agreement = get_object_or_404(Agreement.objects.visible_to(user), pk=pk)
    if not access.can(user, "agreement.mark_done", agreement):
        raise PermissionDenied
    services.agreement_mark_done(agreement=agreement, actor=user)


def _counts(school_ids, until):
    from todo.services import due_counts

    return due_counts(Agreement.objects.open().filter(school_id__in=school_ids), "owner_id", until)


def _today_block(request):
    if not access.can(request.user, "school.list_meetings", request.school):
        return None
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    meetings = list(
        my_meetings(user=request.user, school=request.school).filter(
            starts_at__gte=start, starts_at__lt=start + timedelta(days=1)
        )
    )
    return {"meetings": meetings, "students": []} if meetings else None


register_source(Source("afspraak", _("Afspraak"), _items, _done, _counts))
register_block(TodayBlock("overleggen", _("Overleggen vandaag"), 30, _today_block, "meetings/_today_meetings.html"))
