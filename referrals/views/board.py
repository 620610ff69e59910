"""The coach's board: check in and out with one tap, walk-ins, notes and corrections."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carecoord import access
from carecoord.access import placements as placement_access
from carecoord.forms import add_service_errors, posted
from students.models import Student
from students.selectors import log_read, log_read_repeated

from .. import forms, selectors, services
from ..models import Visit
from .board_rows import BoardRows, board_rows
from .common import _facility, _form_page, _picked

# The board refreshes itself this often (seconds); a check-in answers at once with what it
# changed (`_tap_answer`), the rest of the board (other tablets, the clock) comes with the refresh.
BOARD_REFRESH_SECONDS = 20


def facility_board_home(request):
    """/zorg/bord/: the coach's own facility (the first one), else the facility list."""
    if request.school is None:
        raise Http404
    facility = placement_access.coached_facilities(request.user, request.school).first()
    if facility is not None and access.can(request.user, "facility.use_board", facility):
        return redirect("referrals:facility_board", pk=facility.pk)
    return redirect("referrals:facility_list")


def _board_context(request, facility, error=None, flash=None):
    board = selectors.facility_board(facility=facility)
    # The board shows placed pupils with their plan and visits (care context): logged. Its
    # own refresh every 20 seconds logs again only when other pupils appear or after 10
    # minutes (students.selectors.log_read_repeated): the same pupils on a board left open
    # all day would otherwise be 1,400 rows each.
    polled = request.method == "GET" and request.htmx and request.htmx.trigger == "board"
    log_read_repeated(request, key=f"board:{facility.pk}", students=board.students, section="bord", repeated=polled)
    csrf_token = get_token(request)
    return {
        "facility": facility,
        "board": board,
        "rows": board_rows(board, csrf_token),
        "csrf_token": csrf_token,
        "board_error": error,
        "board_flash": flash,
        "refresh_seconds": BOARD_REFRESH_SECONDS,
    }


def _render_board(request, facility, error=None, flash=None):
    context = _board_context(request, facility, error, flash)
    if request.htmx:
        # The partial (every check-in and every 20-second refresh) prints nothing of the page
        # around it: rendered without the context processors, whose menu and school switcher
        # cost more than the board itself. Its forms only need the CSRF token (in the context).
        return HttpResponse(render_to_string("referrals/_board.html", context))
    return render(request, "referrals/board.html", context)


def facility_board(request, pk):
    """The coach's live board of today (tablet first). Refreshes itself through htmx."""
    facility = _facility(request, pk, "facility.use_board")
    return _render_board(request, facility)


def _board_student(request, facility) -> Student:
    """A pupil of the facility's school the user may pick (name and class); 404 otherwise."""
    pk = request.POST.get("student", "")
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(
        Student.objects.filter(access.directory_q(request.user), school=facility.school_id).active(), pk=int(pk)
    )


def _after_action(request, facility, flash=None, error=None):
    if request.htmx:
        return _render_board(request, facility, error=error, flash=flash)
    if error:
        messages.error(request, error)
    elif flash:
        messages.success(request, flash)
    return redirect("referrals:facility_board", pk=facility.pk)


def _tap_answer(request, facility, student, *, flash=None, error=None, done=None):
    """The answer to a check-in or -out tap (htmx): only what the tap changed, swapped out of
    band into the board (referrals/_board_tap.html): the message, the counters, "Nu in de
    ruimte" as it is now (so also other tablets' check-ins), the pupil's row leaving
    "Verwacht vandaag" once they are in, the closed visit entering "Geweest vandaag" (`done`).

    Re-drawing the whole board cost three times the check-in itself (its timetable, every
    placed pupil's row, their read log). What changes with the clock or elsewhere (late
    rows, a pupil expected again after a check-out) arrives with the board's own refresh.
    """
    present = selectors.board_present(facility=facility)
    # The pupils this answer shows (those present; the tapped one in the message and a done
    # row) are logged, as on the board. Not `log_read_repeated`: a tap is the coach's own act.
    log_read(user=request.user, students=[v.student for v in present] + [student], section="bord")
    rows = BoardRows(facility.pk, get_token(request))
    done_row = ""
    if done is not None:
        done.student = student  # the service's visit: its pupil is this one (no query)
        done_row = rows.join(rows.done, [done])
    context = {
        "facility": facility,
        "student": student,
        "present": present,
        "present_rows": rows.join(rows.present, present),
        "free_places": max(facility.capacity - len(present), 0),
        "board_error": error,
        "board_flash": flash,
        # A pupil in the room has no row in "Verwacht vandaag" (as on the board): also when
        # another tablet checked them in first ("al ingecheckt").
        "left_row": any(v.student_id == student.pk for v in present),
        "done_row": done_row,
    }
    return HttpResponse(render_to_string("referrals/_board_tap.html", context))


@require_POST
def visit_check_in(request, pk):
    facility = _facility(request, pk, "facility.use_board", with_school=False)
    student = _board_student(request, facility)
    try:
        services.visit_check_in(facility=facility, student=student, actor=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        if request.htmx:
            return _tap_answer(request, facility, student, error=error)
        return _after_action(request, facility, error=error)
    flash = _("%(name)s is ingecheckt.") % {"name": student.full_name}
    if request.htmx:
        return _tap_answer(request, facility, student, flash=flash)
    return _after_action(request, facility, flash=flash)


@require_POST
def visit_check_out(request, pk):
    facility = _facility(request, pk, "facility.use_board", with_school=False)
    student = _board_student(request, facility)
    try:
        visit = services.visit_check_out(facility=facility, student=student, actor=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        if request.htmx:
            return _tap_answer(request, facility, student, error=error)
        return _after_action(request, facility, error=error)
    flash = _("%(name)s is uitgecheckt.") % {"name": student.full_name}
    if request.htmx:
        return _tap_answer(request, facility, student, flash=flash, done=visit)
    return _after_action(request, facility, flash=flash)


@require_POST
def visit_no_show(request, pk):
    """ "Niet gekomen": the coach records that an expected pupil did not come this lesson hour."""
    facility = _facility(request, pk, "facility.mark_no_show")
    student = _board_student(request, facility)
    try:
        new = services.no_show_mark(facility=facility, student=student, actor=request.user)
    except ValidationError as exc:
        return _after_action(request, facility, error=" ".join(exc.messages))
    if new:
        flash = _("%(name)s is niet gekomen: vastgelegd; de mentor krijgt een taak.") % {"name": student.full_name}
    else:
        flash = _("%(name)s stond voor dit lesuur al als niet gekomen.") % {"name": student.full_name}
    return _after_action(request, facility, flash=flash)


def _board_visit(request, facility, visit_pk) -> Visit:
    visit = get_object_or_404(
        Visit.objects.visible_to(request.user).filter(facility=facility).select_related("student", "facility"),
        pk=visit_pk,
    )
    if not access.can(request.user, "visit.correct", visit):
        raise PermissionDenied
    return visit


def visit_note(request, pk, visit_pk):
    """A short note on a visit: the form opens in the board (htmx), saving redraws it."""
    facility = _facility(request, pk, "facility.use_board")
    visit = _board_visit(request, facility, visit_pk)
    log_read(user=request.user, students=[visit.student], section="bezoek")
    form = forms.VisitNoteForm(posted(request), initial={"note": visit.note})
    if request.method == "POST" and form.is_valid():
        services.visit_set_note(visit=visit, note=form.cleaned_data["note"], actor=request.user)
        return _after_action(request, facility, flash=_("Notitie opgeslagen."))
    if not request.htmx:
        crumbs = [(facility.name, reverse("referrals:facility_board", args=[facility.pk]))]
        return _form_page(request, form, _("Notitie bij %(name)s") % {"name": visit.student.full_name}, crumbs)
    return render(request, "referrals/_board_note.html", {"facility": facility, "visit": visit, "form": form})


def visit_walk_in(request, pk):
    """An unplanned walk-in (time-out): any pupil of the school, with a reason."""
    facility = _facility(request, pk, "facility.use_board")
    students = Student.objects.filter(access.directory_q(request.user), school=facility.school_id).active()
    form = forms.WalkInForm(posted(request), students=students)
    picked = _picked(students, request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_check_in(
                facility=facility, student=data["student"], reason=data["reason"], note=data["note"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is ingecheckt.") % {"name": data["student"].full_name})
            return redirect("referrals:facility_board", pk=facility.pk)
    return render(
        request,
        "referrals/board_walk_in.html",
        {"facility": facility, "form": form, "picked": picked},
    )


def visit_correct(request, pk, visit_pk):
    """Correct a visit's times (e.g. one the end-of-day task closed)."""
    facility = _facility(request, pk, "facility.use_board")
    visit = _board_visit(request, facility, visit_pk)
    log_read(user=request.user, students=[visit.student], section="bezoek")
    form = forms.VisitCorrectForm(
        posted(request),
        initial={
            "checked_in_at": timezone.localtime(visit.checked_in_at),
            "checked_out_at": visit.checked_out_at and timezone.localtime(visit.checked_out_at),
            "note": visit.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_correct(visit=visit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het bezoek is gecorrigeerd."))
            return redirect("referrals:facility_board", pk=facility.pk)
    return _form_page(
        request,
        form,
        _("Bezoek van %(name)s corrigeren") % {"name": visit.student.full_name},
        [(facility.name, reverse("referrals:facility_board", args=[facility.pk]))],
    )
