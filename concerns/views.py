"""Views of the zorgroute: thin; access through `visible_to` (404) and `can` (403)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carecoord import access
from carecoord.access.sections import Section
from carecoord.dbrouter import figures_from_replica
from carecoord.forms import add_service_errors, posted
from students.selectors import log_read

from . import selectors, services
from .filters import OPEN, ConcernFilter
from .forms import (
    ConcernActionForm,
    ConcernAssignForm,
    ConcernCategoryForm,
    ConcernClassifyForm,
    ConcernCloseForm,
    ConcernForm,
    FiguresForm,
    MeldcodeStepForm,
)
from .models import ConcernAction, ConcernCategory, ConcernStatus, MeldcodeStepNumber
from .parts import concern_parts
from .rows import inbox_rows

PER_PAGE = 50


# --- Raising a concern ---------------------------------------------------------------------


@access.school_permission_required("school.raise_concern")
def concern_create(request):
    """Zorg melden: pick a pupil, a category (its guidance appears), what you saw, urgency."""
    form = ConcernForm(posted(request), user=request.user, school=request.school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            concern, created = services.concern_submit(
                school=request.school,
                student=data["student"],
                category=data["category"],
                observation=data["observation"],
                already_done=data["already_done"],
                urgency=data["urgency"],
                submission_key=data["submission_key"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("Je zorgmelding is verstuurd. Hier zie je de status en de terugkoppeling."),
                )
            else:
                messages.info(request, _("Deze zorgmelding was al verstuurd; er is geen tweede gemaakt."))
            return redirect("concerns:concern_mine")
    categories = list(form.fields["category"].queryset)
    chosen = next((c for c in categories if str(c.pk) == str(form["category"].value())), None)
    return render(
        request,
        "concerns/concern_form.html",
        {"form": form, "categories": categories, "chosen": chosen, "picked": form.picked_student},
    )


@access.school_permission_required("school.raise_concern")
def concern_guidance(request):
    """htmx: the chosen category's guidance (when, what, what first, who handles it)."""
    wanted = request.GET.get("category", "")
    categories = selectors.school_categories(school=request.school)
    category = categories.filter(pk=wanted).first() if wanted.isdigit() else None
    return render(request, "concerns/_concern_guidance.html", {"chosen": category})


@access.school_permission_required("school.raise_concern")
def concern_mine(request):
    """Mijn meldingen: status and feedback of what I raised here (not the care file)."""
    page = Paginator(selectors.concern_mine(user=request.user, school=request.school), PER_PAGE).get_page(
        request.GET.get("page")
    )
    # Category, status and the coordinator's feedback per pupil: care context, so logged.
    log_read(user=request.user, students=[c.student for c in page], section="mijn zorgmeldingen")
    return render(request, "concerns/concern_mine.html", {"page": page})


# --- The inbox and triage ------------------------------------------------------------------


@access.school_permission_required("school.concern_inbox")
def concern_inbox(request):
    """ "Te behandelen": the concerns I handle, filterable, most urgent and oldest first, 50 per
    page; on top a quick switch between the new ones and everything open."""
    concerns = selectors.concern_inbox(user=request.user, school=request.school)
    filterset = ConcernFilter(
        request.GET,
        queryset=concerns,
        school=request.school,
        staff=not access.acts_as_partner(request.user, request.school),
        user=request.user,
    )
    counts = selectors.inbox_counts(concerns)
    row_count = selectors.inbox_row_count(counts, filterset.status_alone())
    page = selectors.inbox_page(filterset.qs, request.GET.get("page"), PER_PAGE, row_count)
    status = filterset.form.cleaned_data.get("status") if filterset.form.is_valid() else None
    # Each row names the pupil with the category and urgency: one read-log row per pupil
    # on this page (also when htmx redraws only the results). The page's list, not the
    # Page: a Page is read item by item through its __getitem__.
    shown = list(page.object_list)
    log_read(user=request.user, students=selectors.shown_pupils(shown), section="zorgmeldingen")
    context = {
        "filter": filterset,
        "page": page,
        "rows": inbox_rows(shown),
        "counts": counts,
        "quick": status if status in (OPEN, ConcernStatus.NEW) else None,
        "can_view_figures": access.can(request.user, "school.view_concern_figures", request.school),
        "can_manage_categories": access.can(request.user, "school.manage_concern_categories", request.school),
    }
    if request.htmx and request.htmx.target == "concern-results":
        return render(request, "concerns/_concern_results.html", context)
    return render(request, "concerns/concern_inbox.html", context)


def _concern(request, pk, action=None):
    """The concern for a triage request: 404 outside scope, 403 for the raiser's view or
    a missing right."""
    concern = selectors.concern_for_page(user=request.user, pk=pk)
    if concern is None:
        raise Http404
    if not access.can(request.user, "concern.view_full", concern):
        raise PermissionDenied
    if action and not access.can(request.user, action, concern):
        raise PermissionDenied
    return concern


def _render_detail(request, concern, *, forms=None, notice="", error=""):
    """The concern page, or just its body for htmx (triage happens in place). Every time it
    is drawn, also after a triage step, it is a read of the concern: logged here."""
    user = request.user
    section = Section.MELDCODE if concern.is_meldcode else Section.ZORG
    # The read log is kept in Dutch whatever the reader's language (an English label did not
    # fit the column: found by the accessibility crawl in English, issue 17).
    with translation.override("nl"):
        log_read(user=user, students=[concern.student], section=f"zorgmelding ({section.label})")
    can_triage = access.can(user, "concern.triage", concern) and not concern.is_closed
    can_meldcode = access.can(user, "concern.record_meldcode_step", concern) and not concern.is_closed
    can_act = not concern.is_closed
    forms = forms or {}
    steps = selectors.meldcode_steps(concern=concern) if concern.is_meldcode else []
    context = {
        "concern": concern,
        "full": True,
        "actions": (actions := selectors.concern_actions(concern=concern)),
        "open_action_count": sum(1 for a in actions if a.done_at is None),
        "steps": steps,
        "step_numbers": MeldcodeStepNumber,
        "has_decision": any(s.step == MeldcodeStepNumber.DECISION for s in steps),
        "can_triage": can_triage,
        "can_meldcode": can_meldcode,
        "can_act": can_act,
        "can_open_file": bool(access.file_sections(user, concern.student)),
        "parts": concern_parts(request, concern),
        "today": timezone.localdate(),
        "notice": notice,
        "error": error,
    }
    if can_triage:
        context["assign_form"] = forms.get("assign") or ConcernAssignForm(concern=concern)
        context["classify_form"] = forms.get("classify") or ConcernClassifyForm(concern=concern)
        context["close_form"] = forms.get("close") or ConcernCloseForm()
    if can_act:
        context["action_form"] = forms.get("action") or ConcernActionForm(concern=concern)
    if can_meldcode:
        context["step_form"] = forms.get("step") or MeldcodeStepForm(concern=concern)
    if request.htmx:
        return render(request, "concerns/_concern_body.html", context)
    return render(request, "concerns/concern_detail.html", context)


def concern_detail(request, pk):
    """One concern: in full for whoever handles it (read logged), else the raiser's view."""
    concern = selectors.concern_for_page(user=request.user, pk=pk)
    if concern is None:
        raise Http404
    if not access.can(request.user, "concern.view_full", concern):
        # Only the raiser gets here (visible_to): what they wrote, status, feedback.
        log_read(user=request.user, students=[concern.student], section="zorgmelding (melder)")
        return render(request, "concerns/concern_raiser.html", {"concern": concern})
    return _render_detail(request, concern)


def _triage_post(request, pk, *, action, form_key, make_form, call, done):
    """Shared POST flow of the triage forms: check, call the service, show the page again
    with the form's errors (typed input kept) or the notice."""
    concern = _concern(request, pk, action)
    form = make_form(concern, request.POST)
    if form.is_valid():
        try:
            call(concern, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, done)
                return redirect(concern)
            concern = selectors.concern_for_page(user=request.user, pk=pk)
            if concern is None or not access.can(request.user, "concern.view_full", concern):
                # Handed over to someone else: it is no longer yours to see in full.
                messages.success(request, done)
                inbox = reverse("concerns:concern_inbox")
                return HttpResponse(status=204, headers={"HX-Redirect": inbox}) if request.htmx else redirect(inbox)
            return _render_detail(request, concern, notice=done)
    fresh = selectors.concern_for_page(user=request.user, pk=pk)
    error = " ".join(form.non_field_errors()) if fresh.is_closed else ""
    return _render_detail(request, fresh, forms={form_key: form}, error=error)


@require_POST
def concern_assign(request, pk):
    return _triage_post(
        request,
        pk,
        action="concern.triage",
        form_key="assign",
        make_form=lambda c, data: ConcernAssignForm(data, concern=c),
        call=lambda c, f: services.concern_assign(concern=c, actor=request.user, **f.service_kwargs()),
        done=_("De behandelaar is opgeslagen."),
    )


@require_POST
def concern_classify(request, pk):
    return _triage_post(
        request,
        pk,
        action="concern.triage",
        form_key="classify",
        make_form=lambda c, data: ConcernClassifyForm(data, concern=c),
        call=lambda c, f: services.concern_classify(concern=c, actor=request.user, **f.cleaned_data),
        done=_("De categorie is opgeslagen."),
    )


@require_POST
def concern_action_add(request, pk):
    return _triage_post(
        request,
        pk,
        action=None,
        form_key="action",
        make_form=lambda c, data: ConcernActionForm(data, concern=c),
        call=lambda c, f: services.concern_action_add(concern=c, actor=request.user, **f.cleaned_data),
        done=_("De actie is toegevoegd."),
    )


@require_POST
def concern_action_done(request, pk, action_pk):
    concern = _concern(request, pk)
    action = get_object_or_404(ConcernAction, pk=action_pk, concern=concern)
    try:
        services.concern_action_done(action=action, actor=request.user)
    except ValidationError as exc:
        error, notice = " ".join(exc.messages), ""
    else:
        error, notice = "", _("De actie staat op gedaan.")
    if not request.htmx:
        (messages.error if error else messages.success)(request, error or notice)
        return redirect(concern)
    return _render_detail(request, selectors.concern_for_page(user=request.user, pk=pk), notice=notice, error=error)


@require_POST
def concern_close(request, pk):
    return _triage_post(
        request,
        pk,
        action="concern.triage",
        form_key="close",
        make_form=lambda c, data: ConcernCloseForm(data),
        call=lambda c, f: services.concern_close(concern=c, actor=request.user, **f.cleaned_data),
        done=_("De melding is afgerond; de melder ziet je terugkoppeling."),
    )


@require_POST
def meldcode_step_add(request, pk):
    return _triage_post(
        request,
        pk,
        action="concern.record_meldcode_step",
        form_key="step",
        make_form=lambda c, data: MeldcodeStepForm(data, concern=c),
        call=lambda c, f: services.meldcode_step_record(concern=c, actor=request.user, **f.cleaned_data),
        done=_("De Meldcode-stap is vastgelegd."),
    )


# --- Figures and categories ----------------------------------------------------------------


@access.school_permission_required("school.view_concern_figures")
@figures_from_replica
def concern_figures(request):
    """The zorgroute in figures for a period (no names: the school leader sees it too)."""
    form = FiguresForm(request.GET or None)
    start, end = form.period()
    figures = selectors.concern_figures(school=request.school, start=start, end=end)
    if not access.can(request.user, "school.view_unsuppressed_figures", request.school):
        # The school leader: the same figures, under 5 pupils "< 5" (carecoord/suppression.py).
        figures = selectors.suppress_figures(figures)
    return render(request, "concerns/concern_figures.html", {"form": form, "figures": figures})


@access.school_permission_required("school.manage_concern_categories")
def category_list(request):
    categories = selectors.school_categories(school=request.school, active_only=False)
    return render(request, "concerns/concern_category_list.html", {"categories": categories})


@access.school_permission_required("school.manage_concern_categories")
def category_edit(request, pk=None):
    category = get_object_or_404(ConcernCategory, pk=pk, school=request.school) if pk else None
    form = ConcernCategoryForm(posted(request), instance=category, school=request.school)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(school=request.school, actor=request.user, instance=category, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De categorie is opgeslagen."))
            return redirect("concerns:category_list")
    title = category.name if category else _("Nieuwe categorie")
    return render(request, "concerns/concern_category_form.html", {"form": form, "title": title})
