"""Views of the referrals (aanmeldingen): list, waiting list, new, detail, intake, decisions
and placing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carecoord import access
from carecoord.forms import add_service_errors, posted
from concerns.models import Concern
from students.models import Student
from students.selectors import log_read

from .. import forms, selectors, services
from ..models import OPEN_STATES, Facility, Placement, PlacementKind, Referral, ReferralState
from .common import PER_PAGE, _form_page, _picked


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
    # Who is referred where, in which state: the pupils on this page are in the read log.
    log_read(user=request.user, students=[r.student for r in page], section="aanmeldingen")
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
    lists = selectors.waiting_list(school=request.school)
    log_read(
        user=request.user,
        students=[entry.referral.student for _facility, entries in lists for entry in entries],
        section="wachtlijst",
    )
    return render(request, "referrals/referral_waiting_list.html", {"lists": lists, "crumbs": _referral_crumbs()})


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
    if picked is not None and open_concerns is not None:
        # The chosen pupil's open concerns (category, date) are offered to tick: a read.
        log_read(user=request.user, students=[picked], section="aanmelding")
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
