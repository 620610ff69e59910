"""What absence puts on task lists: the next MAS step of a signalled pupil (step 1 for the
pupil's mentor, with the hours it needs; later steps for the absence staff), and on
"Vandaag" the new signals for the coordinators."""

from collections import Counter
from datetime import timedelta

from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.todo import later_mas_step_owners, mas_step_one_q, owns_later_mas_steps
from todo.registry import Source, TaskItem, TodayBlock, register_block, register_source

from .models import AbsenceSignal, MasStep, hours
from .selectors import with_current_step

NEW_SIGNAL_DAYS = 7


def _open_steps(qs, today):
    return with_current_step(qs.filter(next_step__isnull=False, next_step_due__isnull=False), today=today).filter(
        Q(current_step__isnull=True) | Q(current_step__lt=F("next_step"))
    )


def _items(user, school, today):
    items = []
    mine = _open_steps(AbsenceSignal.objects.filter(mas_step_one_q(user), school=school), today)
    for signal in mine:
        items.append(
            TaskItem(
                source="mas",
                pk=signal.pk,
                title=str(
                    _("%(step)s (%(hours)s uur ongeoorloofd in de laatste 4 schoolweken)")
                    % {
                        "step": MasStep(signal.next_step).label,
                        "hours": number_format(hours(signal.unauthorised_minutes), 1),
                    }
                ),
                due_on=signal.next_step_due,
                student_id=signal.student_id,
                origin=str(_("Verzuim")),
            )
        )
    if owns_later_mas_steps(user, school):
        staff = _open_steps(AbsenceSignal.objects.visible_to(user).filter(school=school, next_step__gt=1), today)
        for signal in staff:
            items.append(
                TaskItem(
                    source="mas",
                    pk=signal.pk,
                    title=str(MasStep(signal.next_step).label),
                    due_on=signal.next_step_due,
                    url=reverse("absence:student", args=[signal.pk]),
                    student_id=signal.student_id,
                    origin=str(_("Verzuim")),
                )
            )
    return items


def _counts(school_ids, until):
    overdue, today = Counter(), Counter()
    due = AbsenceSignal.objects.filter(school_id__in=school_ids, next_step_due__lte=until)
    due = _open_steps(due, until)
    for step, mentor_id, school_id, on in due.values_list(
        "next_step", "student__school_class__mentors", "school_id", "next_step_due"
    ):
        if step == 1:
            if mentor_id:
                (overdue if on < until else today)[mentor_id] += 1
            continue
        for user in later_mas_step_owners(school_id):
            (overdue if on < until else today)[user.pk] += 1
    return {pk: [overdue[pk], today[pk]] for pk in set(overdue) | set(today)}


def _new_signals_block(request):
    if not access.can(request.user, "school.view_absence", request.school):
        return None
    from django.utils import timezone

    since = timezone.localdate() - timedelta(days=NEW_SIGNAL_DAYS)
    signals = list(
        AbsenceSignal.objects.visible_to(request.user)
        .signalled()
        .filter(school=request.school, level_since__gte=since)
        .select_related("student__school_class")
        .order_by("-level", "-unauthorised_minutes")[:10]
    )
    if not signals:
        return None
    return {"signals": signals, "students": [s.student for s in signals]}


register_source(Source("mas", _("Stap bij verzuim"), _items, None, _counts))
register_block(
    TodayBlock("verzuim", _("Nieuwe verzuimsignalen"), 50, _new_signals_block, "absence/_today_signals.html")
)
