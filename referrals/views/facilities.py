"""Views of the facilities: the list, editing, the timetable, figures, SO+ groups and the
group-hours export."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from carecoord import access, exports
from carecoord.dbrouter import figures_from_replica
from carecoord.forms import add_service_errors, posted
from students.selectors import log_read

from .. import forms, selectors, services
from ..models import Facility, FacilityKind
from .common import _facility, _facility_crumbs, _form_page


@access.school_permission_required("school.list_facilities")
def facility_list(request):
    facilities = selectors.facility_overview(school=request.school)
    user = request.user
    rows = [
        {
            "facility": f,
            "can_board": access.can(user, "facility.use_board", f),
            "can_figures": access.can(user, "facility.view_figures", f),
            "can_edit": access.can(user, "facility.edit", f),
        }
        for f in facilities
    ]
    return render(
        request,
        "referrals/facility_list.html",
        {
            "rows": rows,
            "can_add": access.can(user, "school.manage_facilities", request.school),
            "can_lesson_hours": access.can(user, "school.manage_lesson_hours", request.school),
            "can_export": access.can(user, "school.export_group_hours", request.school),
            "has_groups": any(f.kind == FacilityKind.GROUP for f in facilities),
            "lesson_hours": selectors.lesson_hours(school=request.school),
            "this_month": timezone.localdate().strftime("%Y-%m"),
        },
    )


@access.school_permission_required("school.manage_facilities")
def facility_edit(request, pk=None):
    facility = _facility(request, pk, "facility.edit") if pk else None
    if facility and facility.school_id != request.school.pk:
        raise Http404
    form = forms.FacilityForm(posted(request), instance=facility, school=request.school)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        coaches = data.pop("coaches")
        try:
            services.facility_save(
                school=request.school,
                actor=request.user,
                instance=Facility.objects.get(pk=facility.pk) if facility else None,
                coaches=list(coaches),
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De voorziening is opgeslagen."))
            return redirect("referrals:facility_list")
    title = facility.name if facility else _("Nieuwe voorziening")
    return _form_page(request, form, title, _facility_crumbs())


@access.school_permission_required("school.manage_lesson_hours")
def facility_lesson_hours(request):
    """The school's lesson-hour timetable (the board expects pupils by it)."""
    hours = selectors.lesson_hours(school=request.school)
    initial = [{"starts_at": h.starts_at, "ends_at": h.ends_at} for h in hours]
    if not initial:
        from ..services import DEFAULT_LESSON_HOURS

        initial = [{"starts_at": s, "ends_at": e} for s, e in DEFAULT_LESSON_HOURS]
    initial += [{}] * max(10 - len(initial), 0)
    formset = forms.LessonHourFormSet(posted(request), initial=initial)
    errors = []
    if request.method == "POST" and formset.is_valid():
        rows = [(f.cleaned_data.get("starts_at"), f.cleaned_data.get("ends_at")) for f in formset]
        try:
            services.lesson_hours_save(school=request.school, hours=rows, actor=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Het lesrooster is opgeslagen."))
            return redirect("referrals:facility_list")
    return render(
        request,
        "referrals/facility_lesson_hours.html",
        {"formset": formset, "errors": errors, "crumbs": _facility_crumbs(), "is_default": not hours},
    )


def _period(request, default_weeks=8):
    form = forms.PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = today - timedelta(weeks=default_weeks), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    if end < start:
        start, end = end, start
    return form, start, end


@figures_from_replica
def facility_figures(request, pk):
    """Figures of one facility: occupancy, visits and hours, outcomes, waiting time."""
    facility = _facility(request, pk, "facility.view_figures")
    form, start, end = _period(request)
    figures = selectors.facility_figures(facility=facility, start=start, end=end)
    can_see_pupils = access.can(request.user, "facility.view_pupil_figures", facility)
    if can_see_pupils:
        # Visits and hours per named pupil: logged. Without that right the page has no names.
        log_read(user=request.user, students=[p.student for p in figures.pupils], section="voorziening cijfers")
    else:
        # The school leader: figures without names, under 5 pupils "< 5" (carecoord/suppression.py).
        figures = selectors.suppress_facility_figures(figures)
    return render(
        request,
        "referrals/facility_figures.html",
        {
            "facility": facility,
            "figures": figures,
            "form": form,
            "can_see_pupils": can_see_pupils,
            "crumbs": _facility_crumbs(),
        },
    )


def facility_group(request, pk):
    """An SO+ group: the pupils, the ambulant worker, hours delivered per week."""
    facility = _facility(request, pk, "facility.view_pupil_figures")
    if facility.kind != FacilityKind.GROUP:
        raise Http404
    view = selectors.group_view(facility=facility)
    log_read(user=request.user, students=[p.student for p in view.members], section="groep")
    return render(
        request,
        "referrals/facility_group.html",
        {
            "group": view,
            "facility": facility,
            "crumbs": _facility_crumbs(),
            "can_export": access.can(request.user, "school.export_group_hours", facility.school),
            "this_month": timezone.localdate().strftime("%Y-%m"),
            # The funding as data (issue 25): contracted against delivered hours per month.
            "funding": selectors.funding_report(facility=facility)
            if access.can(request.user, "facility.view_funding", facility)
            else None,
            "can_manage_funding": access.can(request.user, "facility.manage_funding", facility),
            "can_log_contact": access.can(request.user, "facility.log_group_contact", facility),
        },
    )


def _month(value: str) -> date:
    try:
        year, month = (int(x) for x in value.split("-"))
        return date(year, month, 1)
    except (ValueError, AttributeError):
        return timezone.localdate().replace(day=1)


GROUP_HOURS_COLUMNS = [
    exports.Column("groep"),
    exports.Column("maand", text=True),
    exports.Column("leerlingnummer", text=True),
    exports.Column("leerling"),
    exports.Column("dagen"),
    exports.Column("uren"),
]


@access.school_permission_required("school.export_group_hours")
def facility_group_export(request, fmt=exports.CSV):
    """Hours per group per month for the funding report (seed 003: a group, not a pupil,
    is funded), as CSV or Excel. Names pupils, so every exported pupil is in the read log."""
    month = _month(request.GET.get("maand", ""))
    rows, students = selectors.group_hours_per_month(school=request.school, month=month)
    log_read(user=request.user, students=students, section="export")
    xlsx = fmt == exports.XLSX
    table = [
        [
            row.facility.name,
            f"{month:%m-%Y}",
            row.student.student_number if row.student else "",
            row.student.full_name if row.student else "totaal groep",
            row.days,
            # A number in the workbook; "1,50" in the CSV (Dutch Excel reads the comma).
            round(row.hours, 2) if xlsx else f"{row.hours:.2f}".replace(".", ","),
        ]
        for row in rows
    ]
    return exports.export_response(
        fmt, filename=f"groepsuren-{month:%Y-%m}", columns=GROUP_HOURS_COLUMNS, rows=table, sheet_title="Groepsuren"
    )
