"""What the zorgroute puts on people's task lists ("Mijn taken", todo/registry.py):
the actions of a concern given to them, new concerns waiting for their triage, and the next
step of each open Meldcode case for the aandachtsfunctionaris."""

from collections import Counter
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.todo import meldcode_step_owners, owns_meldcode_steps
from carecoord.addresses import row_address
from todo.registry import Source, TaskItem, TodayBlock, register_block, register_source

from . import services
from .models import Concern, ConcernAction, ConcernStatus, MeldcodeStepNumber

# The Meldcode sets no term per step; the school's practice: each next step within a week of
# the previous one (or of the concern coming in), so a case never stands still unnoticed.
MELDCODE_STEP_DAYS = 7


def _action_items(user, school, today):
    actions = list(
        ConcernAction.objects.filter(owner=user, done_at__isnull=True, concern__school=school)
        .order_by()
        .values_list("pk", "description", "due_on", "concern_id", "concern__student_id")
    )
    if not actions:
        return []
    # The link goes to the concern only for whoever may open it (a mentor given an action
    # may not see the concern itself): one query for all of them.
    concern_ids = {concern_id for _pk, _text, _due, concern_id, _student in actions}
    visible = set(Concern.objects.visible_to(user).filter(pk__in=concern_ids).order_by().values_list("pk", flat=True))
    url = row_address("concerns:concern_detail")
    origin = gettext("Actie bij een zorgmelding")
    return [
        TaskItem(
            source="zorgactie",
            pk=pk,
            title=description,
            due_on=due_on,
            url=url(concern_id) if concern_id in visible else "",
            student_id=student_id,
            origin=origin,
            can_mark_done=True,
        )
        for pk, description, due_on, concern_id, student_id in actions
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
    rows = (
        Concern.objects.handled_by(user)
        .filter(school=school, status=ConcernStatus.NEW)
        .order_by()
        .values_list("pk", "category__name", "created_at", "student_id")
    )
    url = row_address("concerns:concern_detail")
    title = gettext("Nieuwe zorgmelding beoordelen: %(category)s")
    origin = gettext("Zorgmelding")
    zone = timezone.get_current_timezone()  # once: timezone.localdate asks for it per row
    return [
        TaskItem(
            source="triage",
            pk=pk,
            title=title % {"category": category},
            # A new concern is looked at the day it comes in (its local date, as localdate).
            due_on=created_at.astimezone(zone).date(),
            url=url(pk),
            student_id=student_id,
            origin=origin,
        )
        for pk, category, created_at, student_id in rows
    ]


def _triage_counts(school_ids, until):
    """New concerns for the digest: each handler counts the ones they triage (due the day
    they came in). Partners are named with no count: the digest counts their own list."""
    from carecoord.access.concerns import handlers_of_new_concerns

    new = Concern.objects.filter(school_id__in=school_ids, status=ConcernStatus.NEW).only(
        "pk", "school_id", "is_meldcode", "handler_id", "handler_role", "handler_organisation_id", "created_at"
    )
    new = [c for c in new if timezone.localdate(c.created_at) <= until]
    handlers, partners = handlers_of_new_concerns(new)
    overdue, today = Counter(), Counter()
    for c in new:
        counter = overdue if timezone.localdate(c.created_at) < until else today
        for user_id in handlers[c.pk]:
            counter[user_id] += 1
    counts = {pk: [overdue[pk], today[pk]] for pk in set(overdue) | set(today)}
    for pk in partners:
        counts.setdefault(pk, [0, 0])
    return counts


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


def _open_meldcode_cases(school_ids):
    """Open Meldcode cases with the last step recorded and its date (one query)."""
    from django.db.models import Max, Q

    return (
        Concern.objects.open()
        .filter(school_id__in=school_ids, is_meldcode=True)
        .annotate(last_step=Max("meldcode_steps__step"), last_step_on=Max("meldcode_steps__occurred_on"))
        # No step yet, or not yet the decision (an exclude() would drop the NULLs too).
        .filter(Q(last_step__isnull=True) | Q(last_step__lt=MeldcodeStepNumber.DECISION))
    )


def _meldcode_due(case):
    return _meldcode_due_on(case.last_step_on, case.created_at)


def _meldcode_due_on(last_step_on, created_at):
    since = last_step_on or timezone.localdate(created_at)
    return since + timedelta(days=MELDCODE_STEP_DAYS)


def _meldcode_items(user, school, today):
    if not owns_meldcode_steps(user, school):
        return []
    cases = (
        _open_meldcode_cases([school.pk])
        .filter(pk__in=Concern.objects.visible_to(user).values("pk"))
        .order_by()
        .values_list("pk", "last_step", "last_step_on", "created_at", "student_id")
    )
    steps = {step: str(label) for step, label in MeldcodeStepNumber.choices}  # translated once
    url = row_address("concerns:concern_detail")
    title, origin = gettext("Meldcode: %(step)s"), gettext("Meldcode")
    return [
        TaskItem(
            source="meldcode",
            pk=pk,
            title=title % {"step": steps[(last_step or 0) + 1]},
            due_on=_meldcode_due_on(last_step_on, created_at),
            url=url(pk),
            student_id=student_id,
            origin=origin,
        )
        for pk, last_step, last_step_on, created_at, student_id in cases
    ]


def _meldcode_counts(school_ids, until):
    """Every aandachtsfunctionaris of the school counts each open case's next step."""
    overdue, today, per_school = Counter(), Counter(), {}
    for case in _open_meldcode_cases(school_ids).only("pk", "school_id", "created_at"):
        due = _meldcode_due(case)
        if due <= until:
            per_school.setdefault(case.school_id, []).append(due)
    for school_id, dues in per_school.items():
        for user in meldcode_step_owners(school_id):
            overdue[user.pk] += sum(1 for d in dues if d < until)
            today[user.pk] += sum(1 for d in dues if d == until)
    return {pk: [overdue[pk], today[pk]] for pk in set(overdue) | set(today)}


register_source(Source("zorgactie", _("Actie bij een zorgmelding"), _action_items, _action_done, _action_counts))
register_source(Source("triage", _("Nieuwe zorgmelding"), _triage_items, None, _triage_counts))
register_source(Source("meldcode", _("Stap van de Meldcode"), _meldcode_items, None, _meldcode_counts))
register_block(TodayBlock("zorgmeldingen", _("Nieuwe zorgmeldingen"), 20, _triage_block, "concerns/_today_new.html"))
