"""Views of the referrals app: thin; access through `visible_to` (404) and `can` (403)."""

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carecoord import access
from carecoord.forms import add_service_errors, posted
from concerns.models import Concern
from students.models import Student
from students.selectors import log_read

from . import forms, selectors, services
from .models import (
    OPEN_STATES,
    Facility,
    FacilityKind,
    Placement,
    PlacementKind,
    Referral,
    ReferralState,
    Visit,
)

PER_PAGE = 50

# The board refreshes itself this often (seconds); a check-in answers at once.
BOARD_REFRESH_SECONDS = 20


def _picked(students, request):
    """The pupil the search field chose (to show it again when the form has errors)."""
    value = request.POST.get("student", "") if request.method == "POST" else ""
    return students.filter(pk=int(value)).first() if value.isdigit() else None


def _form_page(request, form, title, crumbs, **extra):
    return render(request, "referrals/referral_form.html", {"form": form, "title": title, "crumbs": crumbs, **extra})


# --- Facilities ------------------------------------------------------------------------------


def _facility(request, pk, action=None) -> Facility:
    facility = get_object_or_404(Facility.objects.visible_to(request.user).select_related("school"), pk=pk)
    if action and not access.can(request.user, action, facility):
        raise PermissionDenied
    return facility


def _facility_crumbs():
    return [(_("Voorzieningen"), reverse("referrals:facility_list"))]


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
        from .services import DEFAULT_LESSON_HOURS

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


def facility_figures(request, pk):
    """Figures of one facility: occupancy, visits and hours, outcomes, waiting time."""
    facility = _facility(request, pk, "facility.view_figures")
    form, start, end = _period(request)
    figures = selectors.facility_figures(facility=facility, start=start, end=end)
    return render(
        request,
        "referrals/facility_figures.html",
        {
            "facility": facility,
            "figures": figures,
            "form": form,
            "can_see_pupils": access.can(request.user, "facility.view_pupil_figures", facility),
            "crumbs": _facility_crumbs(),
        },
    )


def facility_group(request, pk):
    """An SO+ group: the pupils, the ambulant worker, hours delivered per week."""
    facility = _facility(request, pk, "facility.view_pupil_figures")
    if facility.kind != FacilityKind.GROUP:
        raise Http404
    view = selectors.group_view(facility=facility)
    return render(
        request,
        "referrals/facility_group.html",
        {
            "group": view,
            "facility": facility,
            "crumbs": _facility_crumbs(),
            "can_export": access.can(request.user, "school.export_group_hours", facility.school),
            "this_month": timezone.localdate().strftime("%Y-%m"),
        },
    )


def _month(value: str) -> date:
    try:
        year, month = (int(x) for x in value.split("-"))
        return date(year, month, 1)
    except (ValueError, AttributeError):
        return timezone.localdate().replace(day=1)


@access.school_permission_required("school.export_group_hours")
def facility_group_export(request):
    """Hours per group per month for the funding report (seed 003: a group, not a pupil,
    is funded). Names pupils, so every exported pupil is in the read log."""
    month = _month(request.GET.get("maand", ""))
    rows, students = selectors.group_hours_per_month(school=request.school, month=month)
    log_read(user=request.user, students=students, section="export")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="groepsuren-{month:%Y-%m}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["groep", "maand", "leerlingnummer", "leerling", "dagen", "uren"])
    for row in rows:
        writer.writerow(
            [
                row.facility.name,
                f"{month:%m-%Y}",
                row.student.student_number if row.student else "",
                row.student.full_name if row.student else "totaal groep",
                row.days,
                f"{row.hours:.2f}".replace(".", ","),
            ]
        )
    return response


# --- Referrals (aanmeldingen) ------------------------------------------------------------------


def _referral(request, pk, action="referral.manage", section="aanmelding") -> Referral:
    referral = get_object_or_404(
        Referral.objects.visible_to(request.user).select_related("student__school_class", "facility", "school"), pk=pk
    )
    if action and not access.can(request.user, action, referral):
        raise PermissionDenied
    log_read(user=request.user, students=[referral.student], section=section)
    return referral


def _referral_crumbs(referral=None):
    crumbs = [(_("Aanmeldingen"), reverse("referrals:referral_list"))]
    if referral is not None:
        crumbs.append((referral.student.full_name, referral.get_absolute_url()))
    return crumbs


REFERRAL_FILTERS = {
    "open": sorted(OPEN_STATES),
    "wachtlijst": [ReferralState.WAITING],
    "gesloten": [s for s in ReferralState.values if s not in OPEN_STATES],
    "alle": None,
}


@access.school_permission_required("school.manage_referrals")
def referral_list(request):
    shown = request.GET.get("status", "open")
    if shown not in REFERRAL_FILTERS:
        shown = "open"
    referrals = selectors.referral_list(user=request.user, school=request.school, states=REFERRAL_FILTERS[shown])
    facility_id = request.GET.get("voorziening", "")
    if facility_id.isdigit():
        referrals = referrals.filter(facility_id=int(facility_id))
    page = Paginator(referrals, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/referral_list.html",
        {
            "page": page,
            "shown": shown,
            "filters": [
                ("open", _("Lopend")),
                ("wachtlijst", _("Wachtlijst")),
                ("gesloten", _("Afgerond")),
                ("alle", _("Alle")),
            ],
            "facilities": Facility.objects.filter(school=request.school).order_by("name"),
            "facility_id": facility_id,
            "today": timezone.localdate(),
        },
    )


@access.school_permission_required("school.manage_referrals")
def referral_waiting_list(request):
    """Per facility: who waits, in which position, for how many days."""
    return render(
        request,
        "referrals/referral_waiting_list.html",
        {"lists": selectors.waiting_list(school=request.school), "crumbs": _referral_crumbs()},
    )


@access.school_permission_required("school.manage_referrals")
def referral_create(request):
    students = Student.objects.visible_to(request.user).filter(school=request.school).active()
    initial = {}
    picked = None
    if request.GET.get("leerling", "").isdigit():
        picked = students.filter(pk=int(request.GET["leerling"])).first()
        initial["student"] = picked.pk if picked else None
    if request.GET.get("voorziening", "").isdigit():
        initial["facility"] = int(request.GET["voorziening"])
    # Coming from a concern ("Aanmelden"): that pupil, and that concern ticked.
    open_concerns = Concern.objects.visible_to(request.user).filter(school=request.school).open()
    from_concern = request.GET.get("zorgmelding", "")
    if from_concern.isdigit():
        concern = open_concerns.filter(pk=int(from_concern)).select_related("student").first()
        if concern is not None:
            picked = students.filter(pk=concern.student_id).first()
            initial.update(student=concern.student_id, concerns=[concern.pk])
    student_id = str(picked.pk) if picked is not None else ""
    if request.method == "POST":
        student_id = request.POST.get("student", "")
    # Only the chosen pupil's concerns are offered (none before a pupil is chosen).
    open_concerns = (
        open_concerns.filter(student_id=int(student_id)).select_related("category", "student")
        if student_id.isdigit()
        else None
    )
    form = forms.ReferralForm(
        posted(request), initial=initial, school=request.school, students=students, concerns=open_concerns
    )
    if request.method == "POST":
        picked = _picked(students, request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = services.referral_create(
                    student=data["student"],
                    facility=data["facility"],
                    question=data["question"],
                    involved=list(data["involved"]),
                    involved_others=data["involved_others"],
                    concerns=list(data["concerns"]),
                    actor=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De aanmelding is vastgelegd."))
                return redirect(referral)
    return render(
        request,
        "referrals/referral_create.html",
        {"form": form, "picked": picked, "crumbs": _referral_crumbs(), "title": _("Nieuwe aanmelding")},
    )


# The decisions that need only a note: (service, button, note help).
DECISIONS = {
    "wachtlijst": ("referral_waitlist", ReferralState.WAITING),
    "afwijzen": ("referral_decline", ReferralState.DECLINED),
    "elders": ("referral_send_elsewhere", ReferralState.ELSEWHERE),
    "intrekken": ("referral_withdraw", ReferralState.WITHDRAWN),
}


def _decision_labels():
    return {
        "wachtlijst": (_("Op de wachtlijst"), _("Bijv. wanneer een plek verwacht wordt.")),
        "afwijzen": (_("Afwijzen"), _("Waarom past deze voorziening niet?")),
        "elders": (_("Elders helpen"), _("Waar wordt de leerling geholpen?")),
        "intrekken": (_("Aanmelding intrekken"), ""),
    }


def referral_detail(request, pk):
    referral = _referral(request, pk)
    allowed = referral.allowed_next()
    labels = _decision_labels()
    actions = []
    if ReferralState.INTAKE_PLANNED in allowed:
        label = _("Intake verzetten") if referral.state == ReferralState.INTAKE_PLANNED else _("Intake plannen")
        actions.append((label, reverse("referrals:referral_plan_intake", args=[pk]), "primary"))
    if ReferralState.INTAKE_HELD in allowed:
        actions.append((_("Intake vastleggen"), reverse("referrals:referral_record_intake", args=[pk]), "primary"))
    if ReferralState.PLACED in allowed:
        actions.append((_("Plaatsen"), reverse("referrals:referral_place", args=[pk]), "success"))
    for slug, (_service, state) in DECISIONS.items():
        if state in allowed:
            actions.append(
                (labels[slug][0], reverse("referrals:referral_decide", args=[pk, slug]), "outline-secondary")
            )
    placement = Placement.objects.filter(referral=referral).first() if referral.state == ReferralState.PLACED else None
    needs_consent = bool(referral.facility.consent_purpose) and not services.placement_consent_ok(
        student=referral.student, facility=referral.facility
    )
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "transitions": referral.transitions.select_related("actor"),
            "involved": referral.involved.all(),
            "concerns": referral.concerns.select_related("category"),
            "actions": actions if referral.is_open else [],
            "placement": placement,
            "needs_consent": needs_consent and referral.is_open,
            "waiting_days": (timezone.localdate() - timezone.localtime(referral.created_at).date()).days,
            "crumbs": _referral_crumbs(),
        },
    )


def referral_plan_intake(request, pk):
    referral = _referral(request, pk)
    initial = {"intake_at": referral.intake_at and timezone.localtime(referral.intake_at)}
    if referral.intake_participants:
        initial["participants"] = referral.intake_participants
    form = forms.IntakePlanForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_plan_intake(referral=referral, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De intake is gepland."))
            return redirect(referral)
    return _form_page(request, form, _("Intake plannen"), _referral_crumbs(referral), referral=referral)


def referral_record_intake(request, pk):
    referral = _referral(request, pk)
    form = forms.IntakeRecordForm(
        posted(request),
        initial={
            "held_at": timezone.localtime(referral.intake_at) if referral.intake_at else timezone.localtime(),
            "participants": referral.intake_participants,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_record_intake(referral=referral, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het verslag van de intake is vastgelegd. Neem nu een besluit."))
            return redirect(referral)
    return _form_page(request, form, _("Intake vastleggen"), _referral_crumbs(referral), referral=referral)


def referral_decide(request, pk, decision):
    if decision not in DECISIONS:
        raise Http404
    referral = _referral(request, pk)
    service_name, _state = DECISIONS[decision]
    label, note_help = _decision_labels()[decision]
    form = forms.DecisionNoteForm(posted(request), submit_label=label, note_help=note_help)
    if request.method == "POST" and form.is_valid():
        try:
            getattr(services, service_name)(referral=referral, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het besluit is vastgelegd."))
            return redirect(referral)
    return _form_page(request, form, label, _referral_crumbs(referral), referral=referral)


def referral_place(request, pk):
    """Decide to place, with the plan: kind, days and hours, dates, goals."""
    referral = _referral(request, pk)
    hours = selectors.lesson_hours(school=referral.school_id)
    initial = {"kind": PlacementKind.CHECK_IN_OUT, "slots": [f"{d}-1" for d in range(5)]}
    form = forms.PlaceForm(posted(request), initial=initial, hours=hours)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placement = services.referral_place(
                referral=referral,
                kind=data["kind"],
                slots=form.slot_pairs(),
                subjects=data["subjects"],
                start_on=data["start_on"],
                planned_end_on=data["planned_end_on"],
                evaluation_weeks=data["evaluation_weeks"],
                goals=data["goals"].splitlines(),
                note=data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is geplaatst.") % {"name": referral.student.first_name})
            return redirect(placement)
    return render(
        request,
        "referrals/referral_place.html",
        {
            "form": form,
            "referral": referral,
            "hours": hours,
            "title": _("Plaatsen in %(facility)s") % {"facility": referral.facility.name},
            "crumbs": _referral_crumbs(referral),
        },
    )


# --- Placements -----------------------------------------------------------------------------


def _placement(request, pk, action=None, section="plaatsing") -> Placement:
    placement = get_object_or_404(
        Placement.objects.visible_to(request.user).select_related("student__school_class", "facility", "referral"),
        pk=pk,
    )
    if action and not access.can(request.user, action, placement):
        raise PermissionDenied
    log_read(user=request.user, students=[placement.student], section=section)
    return placement


def _placement_crumbs(placement):
    return [(placement.student.full_name, reverse("referrals:placement_detail", args=[placement.pk]))]


def placement_list(request):
    """Active placements at this school the user may see (coordinator: all; coach: their
    facility's), with the next evaluation date: overdue ones first."""
    if request.school is None or not access.can(request.user, "school.list_facilities", request.school):
        raise PermissionDenied
    placements = selectors.placement_list(user=request.user, school=request.school)
    facility_id = request.GET.get("voorziening", "")
    if facility_id.isdigit():
        placements = placements.filter(facility_id=int(facility_id))
    page = Paginator(placements, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/placement_list.html",
        {
            "page": page,
            "facilities": Facility.objects.filter(school=request.school).order_by("name"),
            "facility_id": facility_id,
            "today": timezone.localdate(),
        },
    )


def placement_detail(request, pk):
    """The plan of one placement: kind, hours, goals, evaluations, the latest visits.
    The coach sees it too; the referral's question only the zorgcoördinator."""
    placement = _placement(request, pk)
    can_manage = access.can(request.user, "placement.manage", placement)
    evaluations = list(
        placement.evaluations.select_related("by").prefetch_related("results__goal").order_by("-held_on", "-pk")
    )
    needs_consent = bool(placement.facility.consent_purpose) and placement.is_active
    return render(
        request,
        "referrals/placement_detail.html",
        {
            "placement": placement,
            "slots": list(placement.slots.all()),
            "goals": list(placement.goals.all()),
            "evaluations": evaluations,
            "visits": Visit.objects.visible_to(request.user)
            .filter(placement=placement)
            .select_related("facility")
            .order_by("-checked_in_at")[:20],
            "can_manage": can_manage and placement.is_active,
            "show_question": access.can(request.user, "referral.manage", placement.referral),
            "consent_missing": needs_consent
            and not services.placement_consent_ok(student=placement.student, facility=placement.facility),
        },
    )


def placement_plan(request, pk):
    placement = _placement(request, pk, "placement.manage")
    hours = selectors.lesson_hours(school=placement.school_id)
    initial = {
        "kind": placement.kind,
        "slots": [f"{s.weekday}-{s.hour}" for s in placement.slots.all()],
        "subjects": placement.subjects,
        "start_on": placement.start_on,
        "planned_end_on": placement.planned_end_on,
        "evaluation_weeks": placement.evaluation_weeks,
        "next_evaluation_on": placement.next_evaluation_on,
    }
    form = forms.PlanEditForm(posted(request), initial=initial, hours=hours)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.placement_update_plan(
                placement=placement,
                kind=data["kind"],
                slots=form.slot_pairs(),
                subjects=data["subjects"],
                planned_end_on=data["planned_end_on"],
                evaluation_weeks=data["evaluation_weeks"],
                next_evaluation_on=data["next_evaluation_on"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het plan is opgeslagen."))
            return redirect(placement)
    return render(
        request,
        "referrals/referral_place.html",
        {
            "form": form,
            "placement": placement,
            "hours": hours,
            "title": _("Plan wijzigen"),
            "crumbs": _placement_crumbs(placement),
        },
    )


def placement_goal_add(request, pk):
    placement = _placement(request, pk, "placement.manage")
    form = forms.GoalForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_goal_add(placement=placement, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het doel is toegevoegd."))
            return redirect(placement)
    return _form_page(request, form, _("Doel toevoegen"), _placement_crumbs(placement))


def placement_evaluate(request, pk):
    placement = _placement(request, pk, "placement.manage")
    goals = list(placement.goals.filter(closed_on__isnull=True))
    form = forms.EvaluationForm(posted(request), goals=goals)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.placement_evaluate(
                placement=placement,
                held_on=data["held_on"],
                decision=data["decision"],
                note=data["note"],
                next_evaluation_on=data["next_evaluation_on"],
                results=form.results(),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De evaluatie is vastgelegd."))
            if data["decision"] == "end":
                return redirect("referrals:placement_end", pk=placement.pk)
            return redirect(placement)
    return render(
        request,
        "referrals/placement_evaluate.html",
        {"form": form, "placement": placement, "title": _("Evaluatie"), "crumbs": _placement_crumbs(placement)},
    )


def placement_end(request, pk):
    placement = _placement(request, pk, "placement.manage")
    form = forms.PlacementEndForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_end(placement=placement, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De plaatsing is beëindigd."))
            return redirect(placement)
    return _form_page(request, form, _("Plaatsing beëindigen"), _placement_crumbs(placement))


# --- The coach's board -----------------------------------------------------------------------


def facility_board_home(request):
    """/zorg/bord/: the coach's own facility (the first one), else the facility list."""
    if request.school is None:
        raise Http404
    mine = Facility.objects.filter(school=request.school, coaches=request.user, is_active=True).order_by("name")
    facility = mine.first()
    if facility is not None and access.can(request.user, "facility.use_board", facility):
        return redirect("referrals:facility_board", pk=facility.pk)
    return redirect("referrals:facility_list")


def _board_context(request, facility, error=None, flash=None):
    return {
        "facility": facility,
        "board": selectors.facility_board(facility=facility),
        "board_error": error,
        "board_flash": flash,
        "refresh_seconds": BOARD_REFRESH_SECONDS,
    }


def _render_board(request, facility, error=None, flash=None):
    context = _board_context(request, facility, error, flash)
    if request.htmx:
        return render(request, "referrals/_board.html", context)
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


@require_POST
def visit_check_in(request, pk):
    facility = _facility(request, pk, "facility.use_board")
    student = _board_student(request, facility)
    try:
        services.visit_check_in(facility=facility, student=student, actor=request.user)
    except ValidationError as exc:
        return _after_action(request, facility, error=" ".join(exc.messages))
    return _after_action(request, facility, flash=_("%(name)s is ingecheckt.") % {"name": student.full_name})


@require_POST
def visit_check_out(request, pk):
    facility = _facility(request, pk, "facility.use_board")
    student = _board_student(request, facility)
    try:
        services.visit_check_out(facility=facility, student=student, actor=request.user)
    except ValidationError as exc:
        return _after_action(request, facility, error=" ".join(exc.messages))
    return _after_action(request, facility, flash=_("%(name)s is uitgecheckt.") % {"name": student.full_name})


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
