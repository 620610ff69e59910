"""What the zorgroute puts on people's task lists ("Mijn taken", todo/registry.py):
the actions of a concern given to them, and new concerns waiting for their triage."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord import access
from todo.registry import Source, TaskItem, TodayBlock, register_block, register_source

from . import services
from .models import Concern, ConcernAction, ConcernStatus


def _action_items(user, school, today):
    actions = list(
        ConcernAction.objects.filter(owner=user, done_at__isnull=True, concern__school=school).select_related("concern")
    )
    concern_ids = {a.concern_id for a in actions}
    # The link goes to the concern only for whoever may open it (a mentor given an action
    # may not see the concern itself): one query for all of them.
    visible = set(Concern.objects.visible_to(user).filter(pk__in=concern_ids).values_list("pk", flat=True))
    return [
        TaskItem(
            source="zorgactie",
            pk=a.pk,
            title=a.description,
            due_on=a.due_on,
            url=reverse("concerns:concern_detail", args=[a.concern_id]) if a.concern_id in visible else "",
            student_id=a.concern.student_id,
            origin=str(_("Actie bij een zorgmelding")),
            can_mark_done=True,
        )
        for a in actions
    ]


def _action_done(user, pk):
    action = get_object_or_404(
        ConcernAction.objects.select_related("concern").filter(concern__school_id__in=access.school_ids(user)), pk=pk
    )
    if not access.can(user, "concern_action.mark_done", action):
        raise PermissionDenied
    services.concern_action_done(action=action, actor=user)


def _action_counts(school_ids, until):
    from todo.services import due_counts

    return due_counts(
        ConcernAction.objects.filter(done_at__isnull=True, concern__school_id__in=school_ids), "owner_id", until
    )


def _new_concerns(user, school):
    return (
        Concern.objects.handled_by(user)
        .filter(school=school, status=ConcernStatus.NEW)
        .select_related("student__school_class", "category")
        .order_by("-urgency", "created_at")
    )


def _triage_items(user, school, today):
    return [
        TaskItem(
            source="triage",
            pk=c.pk,
            title=str(_("Nieuwe zorgmelding beoordelen: %(category)s") % {"category": c.category.name}),
            # A new concern is looked at the day it comes in.
            due_on=timezone.localdate(c.created_at),
            url=c.get_absolute_url(),
            student_id=c.student_id,
            origin=str(_("Zorgmelding")),
        )
        for c in _new_concerns(user, school)
    ]


def _triage_block(request):
    if not access.can(request.user, "school.concern_inbox", request.school):
        return None
    concerns = list(_new_concerns(request.user, request.school)[:10])
    if not concerns:
        return None
    return {
        "concerns": concerns,
        "students": [c.student for c in concerns],
        "more_url": reverse("concerns:concern_inbox"),
    }


register_source(Source("zorgactie", _("Actie bij een zorgmelding"), _action_items, _action_done, _action_counts))
register_source(Source("triage", _("Nieuwe zorgmelding"), _triage_items))
register_block(TodayBlock("zorgmeldingen", _("Nieuwe zorgmeldingen"), 20, _triage_block, "concerns/_today_new.html"))
