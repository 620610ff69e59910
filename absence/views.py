"""Views of the absence app: the school's overview, a pupil's absence and MAS steps, manual
registration and the school's thresholds (the LVS import is imports/views.py with
this app's kind, absence/imports/)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import school_switch
from carecoord import access
from carecoord.access.sections import Section
from carecoord.forms import add_service_errors, posted
from concerns.models import Concern
from students import selectors as student_selectors

from . import selectors, services
from .forms import (
    AbsencePolicyForm,
    AbsenceRecordForm,
    EscalationStepForm,
    MasDeadlinesForm,
    OverviewFilterForm,
)
from .models import AbsencePolicy, AbsenceRecord, AbsenceSource, MasDeadlines, MasStep
from .rows import overview_rows

PER_PAGE = 50


def _follow_school_link(request):
    """E-mails link to `/verzuim/?school=<id>`: work in that school when it is one of yours."""
    wanted = request.GET.get("school", "")
    if wanted.isdigit() and request.school and int(wanted) != request.school.pk:
        school = next((s for s in access.schools_of(request.user) if s.pk == int(wanted)), None)
        if school is not None:
            school_switch(request=request, school=school)
            return redirect("absence:overview")
    return None


def overview(request):
    """The school's absence overview: per pupil the unauthorised hours in the last 4 school
    weeks, lateness, trend, signal and MAS step, most serious first."""
    switched = _follow_school_link(request)
    if switched is not None:
        return switched
    if request.school is None or not access.can(request.user, "school.view_absence", request.school):
        raise PermissionDenied
    form = OverviewFilterForm(request.GET or None, school=request.school, user=request.user)
    values = form.values()
    result = selectors.overview(user=request.user, school=request.school, **values)
    page = selectors.overview_page(result, request.GET.get("page"), PER_PAGE)
    # Absence hours, signal and MAS step per pupil: the pupils on this page are in the read
    # log (also when htmx redraws only the rows). The page's list, not the Page: a Page is
    # read item by item through its __getitem__.
    shown = page.object_list
    student_selectors.log_read(user=request.user, students=selectors.shown_pupils(shown), section="verzuimoverzicht")
    context = {
        "form": form,
        "page": page,
        "rows": overview_rows(shown),
        "counts": result.counts,
        "data_until": result.data_until,
        "values": values,
        "today": timezone.localdate(),
        "is_leerplicht": access.acts_as_partner(request.user, request.school),
        "can_import": access.can(request.user, "school.import_absence", request.school),
        "can_manage_policy": access.can(request.user, "school.manage_absence_policy", request.school),
    }
    if request.htmx and request.htmx.target == "absence-results":
        return render(request, "absence/_overview_rows.html", context)
    return render(request, "absence/overview.html", context)


def _student(request, pk, action=None, section="verzuim", log=True):
    """The pupil for this request: 404 outside scope; 403 without the VERZUIM section or
    without `action` (refusals are not logged as reads). Writes the read log unless `log`
    is False (the view logs once the part it looks up was found)."""
    student, sections = student_selectors.student_for_file(user=request.user, pk=pk, log=False)
    if Section.VERZUIM not in sections:
        raise PermissionDenied
    if action and not access.can(request.user, action, student):
        raise PermissionDenied
    if log:
        student_selectors.log_read(user=request.user, students=[student], section=section)
    return student, sections


def student_absence(request, pk):
    """One pupil's absence: signal, weeks, MAS steps and registrations."""
    student, _sections = _student(request, pk)
    signal = selectors.signal_for(student=student)
    page = Paginator(selectors.records(user=request.user, student=student), 25).get_page(request.GET.get("page"))
    context = {
        "student": student,
        "signal": signal,
        "weeks": selectors.weeks(student=student),
        "steps": selectors.steps(user=request.user, student=student),
        # Concerns linked to a step show as a link only to whoever may open them.
        "visible_concern_ids": set(
            Concern.objects.visible_to(request.user).filter(student=student).values_list("pk", flat=True)
        ),
        "records": page,
        "today": timezone.localdate(),
        "can_record": access.can(request.user, "student.record_absence", student),
        "can_add_step": access.can(request.user, "student.add_absence_step", student),
    }
    if request.htmx and request.htmx.target == "absence-records":
        return render(request, "absence/_records.html", context)
    return render(request, "absence/student.html", context)


def record_add(request, pk):
    student, _sections = _student(request, pk, "student.record_absence", section="verzuim registreren")
    form = AbsenceRecordForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_record_add(student=student, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het verzuim is geregistreerd."))
            return redirect("absence:student", pk=student.pk)
    return render(request, "absence/form.html", {"student": student, "form": form, "title": _("Verzuim registreren")})


@require_POST
def record_remove(request, pk, record_pk):
    student, _sections = _student(request, pk, "student.record_absence", log=False)
    record = get_object_or_404(
        AbsenceRecord.objects.visible_to(request.user), pk=record_pk, student=student, source=AbsenceSource.MANUAL
    )
    student_selectors.log_read(user=request.user, students=[student], section="verzuim registreren")
    services.absence_record_remove(record=record, actor=request.user)
    messages.success(request, _("De registratie is verwijderd."))
    return redirect("absence:student", pk=student.pk)


def step_add(request, pk):
    student, _sections = _student(request, pk, "student.add_absence_step", section="MAS-stap")
    signal = selectors.signal_for(student=student)
    suggested = signal.next_step if signal and signal.next_step else MasStep.MENTOR_CONTACT
    form = EscalationStepForm(posted(request), user=request.user, student=student, suggested_step=suggested)
    if request.method == "POST" and form.is_valid():
        try:
            services.escalation_step_add(student=student, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De stap is vastgelegd."))
            return redirect("absence:student", pk=student.pk)
    return render(request, "absence/form.html", {"student": student, "form": form, "title": _("MAS-stap vastleggen")})


@access.school_permission_required("school.manage_absence_policy")
def policy_edit(request):
    policy = AbsencePolicy.for_school(request.school)
    form = AbsencePolicyForm(posted(request), instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_policy_save(school=request.school, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De drempels zijn opgeslagen. De signalen worden opnieuw berekend."))
            return redirect("absence:overview")
    return render(request, "absence/form.html", {"form": form, "title": _("Drempels voor vroegsignalering")})


@access.school_permission_required("school.manage_mas_deadlines")
def mas_deadlines_edit(request):
    """The school's table of MAS step deadlines. Shown on the school settings page (which
    posts here); this page only on its own when a value is refused."""
    form = MasDeadlinesForm(posted(request), instance=MasDeadlines.for_school(request.school))
    if request.method == "POST" and form.is_valid():
        try:
            services.mas_deadlines_save(school=request.school, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De termijnen zijn opgeslagen. De signalen worden opnieuw berekend."))
            return redirect("accounts:school_settings")
    return render(request, "absence/mas_deadlines.html", {"form": form})


@access.school_permission_required("school.import_absence")
@require_POST
def import_codes(request, pk):
    """The code step of the absence import: how each LVS code counts, saved for the school;
    then the file is checked again with it."""
    from imports import selectors as import_selectors
    from imports import services as import_services
    from imports.models import ImportBatch

    from .imports import ABSENCE, CodesForm, codes

    batch = import_selectors.batch_of_uploader(request=request, kind=ABSENCE, pk=pk)
    if batch.status != ImportBatch.Status.PREVIEW:
        return redirect("absence:import_confirm", pk=batch.pk)
    form = CodesForm(
        request.POST, codes=batch.preview.get("codes", []), has_column=bool(batch.columns.get("geoorloofd"))
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("absence:import_confirm", pk=batch.pk)
    codes.absence_codes_save(school=request.school, actor=request.user, targets=form.targets())
    result = import_services.import_recheck(kind=ABSENCE, batch=batch)
    if result.batch is None:
        for line, reason in result.errors[:20]:
            messages.error(request, _("Regel %(line)s: %(reason)s") % {"line": line, "reason": reason})
        return redirect("absence:import_upload")
    messages.success(request, _("De codes zijn opgeslagen voor deze school."))
    return redirect("absence:import_confirm", pk=batch.pk)
