"""Views of the kansencoach (seed 004): the teacher's nomination, the coach's caseload and
conversations, the IB'er's view of the hours against the budget, start and end."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carecoord import access
from carecoord.charts import Series, bar_chart
from carecoord.forms import add_service_errors, posted
from students.selectors import log_read

from .. import coaching_forms, forms, services
from ..models import CoachingNomination, Placement, PlacementKind
from ..selectors import coaching as coaching_selectors
from .common import _facility, _picked

SECTION = "kansencoach"


def _nomination(request, pk, action=None) -> CoachingNomination:
    nomination = get_object_or_404(
        CoachingNomination.objects.visible_to(request.user).select_related(
            "student__school_class", "facility__school", "nominated_by", "placement"
        ),
        pk=pk,
    )
    if action and not access.can(request.user, action, nomination):
        raise PermissionDenied
    return nomination


def _coaching(request, pk, action="coaching.view") -> Placement:
    placement = get_object_or_404(
        Placement.objects.visible_to(request.user)
        .filter(kind=PlacementKind.COACHING)
        .select_related("student__school_class", "facility__school"),
        pk=pk,
    )
    if not access.can(request.user, action, placement):
        raise PermissionDenied
    return placement


@access.school_permission_required("school.nominate_for_coaching")
def coaching_nominate(request):
    """The teacher's voordracht: a pupil of their own groep, a short reason. Below it, the
    state of what they nominated before (the status, not the conversations)."""
    form = coaching_forms.NominationForm(posted(request), user=request.user, school=request.school)
    nominable = form.fields["student"].queryset
    picked = None
    asked = request.GET.get("leerling", "")
    if request.method == "GET" and asked:
        picked = nominable.filter(pk=asked).first() if asked.isdigit() else None
        if picked is None:
            raise Http404  # a pupil of another school or groep: not even their name
        form.initial["student"] = picked.pk
    if request.method == "POST":
        picked = _picked(nominable, request)
        if form.is_valid():
            data = form.cleaned_data
            if not access.can(request.user, "student.nominate_for_coaching", data["student"]):
                raise PermissionDenied
            try:
                nomination = services.coaching_nominate(
                    student=data["student"], facility=data["facility"], reason=data["reason"], actor=request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s is voorgedragen bij de kansencoach. De gesprekken beginnen zodra de ouders akkoord zijn."
                    )
                    % {"name": nomination.student.full_name},
                )
                return redirect("referrals:coaching_nominate")
    mine = list(
        CoachingNomination.objects.visible_to(request.user)
        .filter(school=request.school, nominated_by=request.user)
        .select_related("student__school_class", "facility", "placement")[:30]
    )
    shown = [n.student for n in mine] + ([picked] if picked is not None else [])
    log_read(user=request.user, students=shown, section=SECTION)
    return render(
        request,
        "referrals/coaching_nominate.html",
        {"form": form, "picked": picked, "mine": mine, "has_coach": form.fields["facility"].queryset.exists()},
    )


def _hours_chart(weeks, facility):
    budget = float(facility.hours_per_week)
    return bar_chart(
        title=_("Uren kansencoach per week"),
        x_labels=[w.starts_on.strftime("%d-%m") for w in weeks],
        series=[Series(_("Uren gesprekken"), [float(w.hours) for w in weeks])],
        y_max=max([budget, *[float(w.hours) for w in weeks], 1.0]),
        unit=" u",
        goal=budget,
        goal_label=_("Budget %(hours)s uur") % {"hours": facility.hours_per_week.normalize()},
        x_title=_("Week van"),
        table_open_rows=0,  # the table below the chart has the same weeks with minutes and percentages
        summary=_("Uren van de gesprekken per week tegen het budget van %(hours)s uur per week.")
        % {"hours": facility.hours_per_week.normalize()},
    )


def coaching_caseload(request, pk):
    """The kansencoach's caseload: pupils in coaching, nominations ready to start (for the
    IB'er also those waiting for the parents), the hours this week and per week."""
    facility = _facility(request, pk, "facility.view_caseload")
    caseload = coaching_selectors.coaching_caseload(facility=facility)
    nominations = coaching_selectors.open_nominations(user=request.user, facility=facility)
    weeks = coaching_selectors.coaching_hours(facility=facility)
    log_read(
        user=request.user,
        students=[p.student for p in caseload] + [n.student for n in nominations],
        section=SECTION,
    )
    return render(
        request,
        "referrals/coaching_caseload.html",
        {
            "facility": facility,
            "caseload": caseload,
            "nominations": nominations,
            "this_week": weeks[-1],
            "weeks": list(reversed(weeks)),
            "chart": _hours_chart(weeks, facility),
            "can_edit_budget": access.can(request.user, "facility.edit", facility),
        },
    )


def coaching_nomination(request, pk):
    """One nomination: the pupil, the teacher's reason, whether the parents agreed."""
    nomination = _nomination(request, pk)
    log_read(user=request.user, students=[nomination.student], section=SECTION)
    return render(
        request,
        "referrals/coaching_nomination.html",
        {
            "nomination": nomination,
            "consent_ok": services.nomination_consent_ok(nomination),
            "can_start": nomination.is_open and access.can(request.user, "nomination.start", nomination),
            "can_withdraw": nomination.is_open and access.can(request.user, "nomination.withdraw", nomination),
            "can_open_file": bool(access.file_sections(request.user, nomination.student)),
            "can_view_coaching": nomination.placement is not None
            and access.can(request.user, "coaching.view", nomination.placement),
        },
    )


@require_POST
def coaching_start(request, pk):
    nomination = _nomination(request, pk, "nomination.start")
    try:
        placement = services.coaching_start(nomination=nomination, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(nomination)
    messages.success(request, _("De gesprekken met %(name)s zijn gestart.") % {"name": placement.student.full_name})
    return redirect("referrals:coaching_detail", pk=placement.pk)


@require_POST
def coaching_withdraw(request, pk):
    nomination = _nomination(request, pk, "nomination.withdraw")
    try:
        services.nomination_withdraw(nomination=nomination, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De voordracht is ingetrokken."))
    return redirect(nomination)


def coaching_detail(request, pk):
    """The coaching of one pupil: the conversations, and for the coach the form to add one
    (posted here, so a refused entry comes back with what was typed)."""
    placement = _coaching(request, pk)
    can_log = access.can(request.user, "coaching.log_conversation", placement)
    form = coaching_forms.ConversationForm(posted(request))
    if request.method == "POST":
        if not can_log:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.coaching_conversation_add(placement=placement, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Het gesprek is vastgelegd."))
                return redirect("referrals:coaching_detail", pk=placement.pk)
    log_read(user=request.user, students=[placement.student], section=SECTION)
    conversations = list(placement.conversations.visible_to(request.user).select_related("by"))
    nomination = CoachingNomination.objects.filter(placement=placement).select_related("nominated_by").first()
    return render(
        request,
        "referrals/coaching_detail.html",
        {
            "placement": placement,
            "nomination": nomination,
            "conversations": conversations,
            "minutes_total": sum(c.minutes for c in conversations),
            "form": form if can_log else None,
            "can_end": access.can(request.user, "coaching.end", placement),
            "can_open_file": bool(access.file_sections(request.user, placement.student)),
        },
    )


def coaching_end(request, pk):
    placement = _coaching(request, pk, "coaching.end")
    form = forms.PlacementEndForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.coaching_end(placement=placement, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De begeleiding door de kansencoach is afgesloten."))
            facility = placement.facility
            if access.can(request.user, "facility.view_caseload", facility):
                return redirect("referrals:coaching_caseload", pk=facility.pk)
            return redirect(placement.student)
    log_read(user=request.user, students=[placement.student], section=SECTION)
    return render(request, "referrals/coaching_end.html", {"placement": placement, "form": form})
