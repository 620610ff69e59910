"""What absence puts on task lists: the next MAS step of a signalled pupil (step 1 for the
pupil's mentor, with the hours it needs; later steps for the absence staff), and on
"Vandaag" the new signals for the coordinators."""

from collections import Counter
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.todo import later_mas_step_owners, mas_step_one_q, owns_later_mas_steps, owns_mas_step_one
from carecoord.addresses import row_address
from todo.registry import Source, TaskItem, TodayBlock, register_block, register_source

from .models import AbsenceSignal, EscalationStep, MasStep, hours

NEW_SIGNAL_DAYS = 7


def _open_steps(qs):
    """Signals whose next step is due and not yet taken: no MAS step as high as `next_step`
    since the episode started (the same rows as `with_current_step`'s "current step missing
    or lower", in one NOT EXISTS instead of two subqueries per row)."""
    taken = EscalationStep.objects.filter(
        student=OuterRef("student_id"), on__gte=OuterRef("episode_start"), step__gte=OuterRef("next_step")
    )
    return qs.filter(next_step__isnull=False, next_step_due__isnull=False).filter(~Exists(taken))


def _items(user, school, today):
    items = []
    step_labels = {step: str(label) for step, label in MasStep.choices}  # translated once, not per row
    origin = gettext("Verzuim")
    if owns_mas_step_one(user, school):
        mine = _open_steps(AbsenceSignal.objects.filter(mas_step_one_q(user), school=school))
        title = gettext("%(step)s (%(hours)s uur ongeoorloofd in de laatste 4 schoolweken)")
        rows = mine.order_by().values_list("pk", "next_step", "next_step_due", "unauthorised_minutes")
        for student_id, step, due_on, minutes in rows:
            items.append(
                TaskItem(
                    source="mas",
                    pk=student_id,
                    title=title % {"step": step_labels[step], "hours": number_format(hours(minutes), 1)},
                    due_on=due_on,
                    student_id=student_id,
                    origin=origin,
                )
            )
    if owns_later_mas_steps(user, school):
        staff = _open_steps(AbsenceSignal.objects.visible_to(user).filter(school=school, next_step__gt=1))
        url = row_address("absence:student")
        for student_id, step, due_on in staff.order_by().values_list("pk", "next_step", "next_step_due"):
            items.append(
                TaskItem(
                    source="mas",
                    pk=student_id,
                    title=step_labels[step],
                    due_on=due_on,
                    url=url(student_id),
                    student_id=student_id,
                    origin=origin,
                )
            )
    return items


def _counts(school_ids, until):
    overdue, today = Counter(), Counter()
    due = AbsenceSignal.objects.filter(school_id__in=school_ids, next_step_due__lte=until)
    due = _open_steps(due)
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
