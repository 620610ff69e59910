"""Views of the placements: list, the plan, goals, evaluations and ending."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carecoord import access
from carecoord.forms import add_service_errors, posted
from students.selectors import log_read

from .. import forms, selectors, services
from ..models import Facility, Placement, PlacementKind, Visit
from .common import PER_PAGE, _form_page


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
    log_read(user=request.user, students=[p.student for p in page], section="plaatsingen")
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
    if placement.kind == PlacementKind.COACHING and access.can(request.user, "coaching.view", placement):
        # The kansencoach's conversations are the plan of a coaching (seed 004).
        return redirect("referrals:coaching_detail", pk=placement.pk)
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
            "show_question": placement.referral is not None
            and access.can(request.user, "referral.manage", placement.referral),
            "can_view_outcome": access.can(request.user, "placement.view_outcome", placement),
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
