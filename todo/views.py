"""Pages of the task list: "Mijn taken", marking done in place, the blocks of "Vandaag",
mail settings ("Meldingen") and the scheduler page ("Geplande taken")."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carecoord import access
from carecoord.access import school_permission_required
from students.selectors import log_read

from . import registry, selectors
from .rows import task_rows

# A short first page: the list opens quickly whatever its length (overdue first, so the
# urgent ones are on it); the rest is a page further.
PER_PAGE = 25


@school_permission_required("school.view_tasks")
def task_list(request):
    """Every open task of the user at this school, overdue first; 25 per page."""
    today = timezone.localdate()
    page = selectors.task_page(
        user=request.user, school=request.school, today=today, number=request.GET.get("page"), per_page=PER_PAGE
    )
    selectors.prepare_rows(page.object_list, today)
    # A task names the pupil it is about (a concern's action, an agreement): care context.
    log_read(user=request.user, students=[t.student for t in page if t.student is not None], section="taken")
    rows = task_rows(page.object_list, request=request)
    context = {"page": page, "rows": rows, "today": today, "total": page.paginator.count}
    return render(request, "todo/task_list.html", context)


@require_POST
@school_permission_required("school.view_tasks")
def task_done(request, source, pk):
    """Tick a task off where its source allows it (the source fetches, checks and writes)."""
    found = registry.source(source)
    if found is None or found.mark_done is None:
        raise Http404
    found.mark_done(request.user, pk)
    selectors.menu_count_forget(user=request.user, school=request.school)
    if request.htmx:
        return render(request, "todo/_task_done.html", {"title": request.POST.get("title", "")[:300]})
    messages.success(request, _("De taak is afgerond."))
    return redirect("todo:list")


@school_permission_required("school.view_tasks")
def menu_count(request):
    """The badge beside "Mijn taken" in the menu: tasks due today or overdue."""
    count = selectors.menu_count(user=request.user, school=request.school)
    return render(request, "todo/_menu_count.html", {"count": count})


def today_block(request, slug):
    """One block of "Vandaag", loaded on its own (htmx), so a slow block never holds up the page."""
    block = registry.block(slug)
    if block is None or request.school is None:
        raise Http404
    context = block.context(request)
    if context is None:
        # Not for this user, or nothing to show: the block leaves the page.
        return HttpResponse("")
    students = [s for s in context.pop("students", []) if s is not None]
    if students:
        log_read(user=request.user, students=students, section=f"vandaag: {slug}")
    return render(request, "todo/_today_block.html", {"block": block, "today": timezone.localdate(), **context})


def today_blocks(request) -> list:
    """The blocks the home page loads (all registered; a block not for this user answers empty)."""
    if request.school is None or not access.can(request.user, "school.view_tasks", request.school):
        return []
    return registry.blocks()


def mail_settings(request):
    """ "Meldingen": which mails the user receives (the daily digest and each kind of mail
    that can be switched off). Personal: everyone sees and changes only their own."""
    from notifications.preferences import GROUPS, mail_preferences_save, switched_off_groups

    if request.method == "POST":
        receive = {group for group in GROUPS if request.POST.get(group) == "on"}
        mail_preferences_save(user=request.user, receive=receive)
        messages.success(request, _("Je instellingen voor meldingen zijn opgeslagen."))
        return redirect("todo:mail_settings")
    off = switched_off_groups(request.user)
    groups = [(group, label, group not in off) for group, (label, _prefixes) in GROUPS.items()]
    return render(request, "todo/mail_settings.html", {"groups": groups})


@school_permission_required("school.view_schedule")
def schedule(request):
    """ "Geplande taken": every periodic task with its schedule, last run, last result and
    next run; a task that did not run when it should have is flagged."""
    from jobs.models import PeriodicRun
    from jobs.schedule import scheduled_tasks

    first = PeriodicRun.objects.order_by("last_started_at").values_list("last_started_at", flat=True).first()
    rows = scheduled_tasks(up_since=first)
    return render(
        request,
        "todo/schedule.html",
        {"rows": rows, "never_ran": first is None, "late_count": sum(1 for r in rows if r.late)},
    )
