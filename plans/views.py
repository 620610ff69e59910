"""Views of the plans app: the OPP (groeidocument) of a pupil and the requests to the
samenwerkingsverband.

The OPP pages fetch the pupil through `student_for_file` (404 outside scope) and ask
`plan.read` (403). Request pages fetch through `SupportRequest.objects.visible_to(user)`:
an SWV user outside their requests, or after the parents withdrew consent, gets 404, as
does another school's coordinator. Every page logs the pupil it shows.
"""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carecoord import access
from carecoord.access import plans as plan_access
from carecoord.forms import add_service_errors, posted
from students.selectors import log_read, student_for_file

from . import selectors, services
from .forms import (
    ConsentForm,
    DecisionForm,
    DiscussionForm,
    MeetingForm,
    MessageForm,
    PlanStartForm,
    RequestForm,
    VersionForm,
    WithdrawForm,
)
from .models import COACH_FIELDS, CONTENT_FIELDS, MENTOR_FIELDS, PlanVersion, SupportRequest
from .sharing import document_source
from .view_common import fetch, form_saved


def _student(request, pk, action="plan.read"):
    student, _sections = student_for_file(user=request.user, pk=pk, log=False)
    if not access.can(request.user, action, student):
        raise PermissionDenied
    return student


def _version(request, pk, action="plan.read"):
    version = PlanVersion.objects.select_related("plan", "adopted_by", "consent_by_guardian").filter(pk=pk).first()
    if version is None:
        raise Http404
    student = _student(request, version.plan.student_id, action)
    version.plan.student = student
    return version, student


def _writable(user, student) -> tuple[str, ...]:
    if access.can(user, "plan.manage", student):
        return CONTENT_FIELDS
    fields = ()
    if access.can(user, "plan.contribute_mentor", student):
        fields += MENTOR_FIELDS
    if access.can(user, "plan.contribute_coach", student):
        fields += COACH_FIELDS
    return fields


# --- The OPP -----------------------------------------------------------------------------------


def plan(request, pk):
    """The pupil's OPP: deadline, the draft, the adopted versions, the requests to the SWV."""
    student = _student(request, pk)
    state = selectors.plan_state(student=student)
    log_read(user=request.user, students=[student], section="opp")
    can_manage = access.can(request.user, "plan.manage", student)
    context = {
        "student": student,
        "state": state,
        "can_manage": can_manage,
        "can_write": bool(_writable(request.user, student)),
        "can_send": access.can(request.user, "student.send_swv_request", student),
        "requests": list(selectors.requests_for(user=request.user).filter(student=student)) if can_manage else [],
        "referrals": list(selectors.external_referrals_for(user=request.user).filter(student=student))
        if can_manage
        else [],
        "can_refer": access.can(request.user, "student.refer_external", student),
        "start_form": PlanStartForm() if can_manage and state.plan is None else None,
        "today": timezone.localdate(),
    }
    return render(request, "plans/plan.html", context)


@require_POST
def plan_start(request, pk):
    student = _student(request, pk, "plan.manage")
    form = PlanStartForm(request.POST)
    if form.is_valid():
        try:
            services.plan_start(student=student, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # already started (a double submit): say so, show it
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("plans:plan", student.pk)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het OPP is gestart; vul het concept in."))
            return redirect("plans:plan", student.pk)
    log_read(user=request.user, students=[student], section="opp")
    state = selectors.plan_state(student=student)
    context = {"student": student, "state": state, "can_manage": True, "start_form": form, "requests": []}
    return render(request, "plans/plan.html", context, status=200)


def version(request, pk):
    version, student = _version(request, pk)
    log_read(user=request.user, students=[student], section="opp")
    can_manage = access.can(request.user, "plan.manage", student)
    context = {
        "version": version,
        "student": student,
        "can_manage": can_manage and version.is_draft,
        "can_write": version.is_draft and bool(_writable(request.user, student)),
        "can_export": can_manage,
        "discussion_form": DiscussionForm(
            initial={
                "discussed_on": version.discussed_on,
                "discussed_with": version.discussed_with,
                "parents_view": version.parents_view,
            }
        )
        if can_manage and version.is_draft
        else None,
        "consent_form": ConsentForm(student=student) if can_manage and version.is_draft else None,
    }
    return render(request, "plans/version.html", context)


def version_edit(request, pk):
    version, student = _version(request, pk)
    writable = _writable(request.user, student)
    if not writable:
        raise PermissionDenied
    log_read(user=request.user, students=[student], section="opp")
    if not version.is_draft:
        messages.error(request, _("Deze versie is vastgesteld en kan niet meer worden gewijzigd."))
        return redirect(version)
    form = VersionForm(posted(request), instance=version, writable=writable)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(
                version=version,
                actor=request.user,
                fields=writable,
                **{name: form.cleaned_data[name] for name in form.fields},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het concept is opgeslagen."))
            return redirect(version)
    title = _("OPP versie %(number)s bewerken") % {"number": version.number}
    return render(request, "plans/form.html", {"student": student, "form": form, "title": title, "version": version})


def _draft_action(request, pk, form_class, call, success, form_kwargs=None):
    version, student = _version(request, pk, "plan.manage")
    form = form_class(posted(request), **(form_kwargs(student) if form_kwargs else {}))
    if request.method == "POST" and form.is_valid():
        try:
            call(version, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(version)
    log_read(user=request.user, students=[student], section="opp")
    return render(request, "plans/form.html", {"student": student, "form": form, "title": _("OPP"), "version": version})


def version_discussion(request, pk):
    return _draft_action(
        request,
        pk,
        DiscussionForm,
        lambda version, form: services.plan_discussion_record(version=version, actor=request.user, **form.cleaned_data),
        _("Het gesprek met de ouders is vastgelegd."),
    )


def version_consent(request, pk):
    return _draft_action(
        request,
        pk,
        ConsentForm,
        lambda version, form: services.plan_consent_record(
            version=version,
            actor=request.user,
            given_on=form.cleaned_data["consent_given_on"],
            **form.giver_kwargs(),
        ),
        _("De instemming met het handelingsdeel is vastgelegd."),
        form_kwargs=lambda student: {"student": student},
    )


@require_POST
def version_adopt(request, pk):
    version, _student_ = _version(request, pk, "plan.manage")
    try:
        services.plan_adopt(version=version, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("De versie is vastgesteld; ze kan niet meer worden gewijzigd."))
    return redirect(version)


@require_POST
def plan_new_draft(request, pk):
    student = _student(request, pk, "plan.manage")
    state = selectors.plan_state(student=student)
    if state.plan is None:
        raise Http404
    try:
        draft = services.plan_new_draft(plan=state.plan, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("plans:plan", student.pk)
    messages.success(request, _("Een nieuw concept voor de volgende periode staat klaar."))
    return redirect(draft)


def version_pdf(request, pk):
    """One version as a PDF (WeasyPrint, as the file's export): an export in the read log."""
    import weasyprint
    from django.contrib.staticfiles import finders

    version, student = _version(request, pk, "plan.manage")
    html = render_to_string(
        "plans/version_print.html",
        {"version": version, "student": student, "made_by": request.user.name, "made_at": timezone.localtime()},
    )
    pdf = weasyprint.HTML(string=html).write_pdf(
        stylesheets=[weasyprint.CSS(filename=finders.find("records/file-print.css"))]
    )
    log_read(user=request.user, students=[student], section="opp export (pdf)")
    # A file response, as a document download is: binary, never cached.
    return FileResponse(
        io.BytesIO(pdf),
        as_attachment=True,
        filename=f"opp-{student.pk}-v{version.number}.pdf",
        content_type="application/pdf",
    )


def tasks(request):
    """The coordinator's OPP and SWV tasks at the current school."""
    if request.school is None or not access.can(request.user, "school.plan_tasks", request.school):
        raise PermissionDenied
    found = selectors.coordinator_tasks(school=request.school)
    log_read(user=request.user, students=found.students(), section="opp-taken")
    return render(request, "plans/tasks.html", {"tasks": found})


# --- Requests to the samenwerkingsverband -------------------------------------------------------


def request_list(request):
    if request.school is None or not access.can(request.user, "school.list_swv_requests", request.school):
        raise PermissionDenied
    coordinator = access.can(request.user, "school.plan_tasks", request.school)
    rows = list(selectors.requests_for(user=request.user, school=request.school if coordinator else None))
    log_read(user=request.user, students=[r.student for r in rows], section="aanvragen swv")
    return render(request, "plans/request_list.html", {"requests": rows, "coordinator": coordinator})


def request_add(request, pk):
    student = _student(request, pk, "student.send_swv_request")
    log_read(user=request.user, students=[student], section="aanvraag swv")
    source = document_source()
    form = RequestForm(
        posted(request),
        organisations=plan_access.swv_organisations(student.school),
        documents=source.choices(request.user, student) if source else (),
    )
    done = form_saved(
        request,
        form,
        lambda: services.request_send(student=student, actor=request.user, **form.cleaned_data),
        success=_("De aanvraag is ingediend bij het samenwerkingsverband."),
    )
    if done is not None:
        return done
    title = _("Aanvraag bij het samenwerkingsverband")
    return render(request, "plans/form.html", {"student": student, "form": form, "title": title})


def _request(request, pk, action="swv_request.read"):
    requests = SupportRequest.objects.visible_to(request.user).select_related(
        "school", "student", "student__school_class", "organisation", "sent_by", "decided_by"
    )
    return fetch(request, requests, pk, action)


def request_detail(request, pk, forms=None):
    found = _request(request, pk)
    log_read(user=request.user, students=[found.student], section="aanvraag swv")
    school_side = access.can(request.user, "swv_request.manage", found)
    swv_side = access.can(request.user, "swv_request.decide", found)
    if school_side and found.decided_at and not found.decision_seen_at:
        services.request_decision_seen(request=found, actor=request.user)
    forms = forms or {}
    context = {
        "req": found,
        "thread": list(found.messages.select_related("author")),
        "school_side": school_side,
        "swv_side": swv_side,
        "message_form": forms.get("message")
        or (MessageForm(submit_label=_("Vraag stellen") if swv_side else _("Antwoorden")) if found.is_open else None),
        "meeting_form": forms.get("meeting") or (MeetingForm() if swv_side and found.is_open else None),
        "decision_form": forms.get("decision") or (DecisionForm() if swv_side and found.is_open else None),
        "withdraw_form": forms.get("withdraw") or (WithdrawForm() if school_side and found.is_open else None),
        "groeidocument": _groeidocument_rows(found.groeidocument),
    }
    return render(request, "plans/request_detail.html", context, status=400 if forms else 200)


def _groeidocument_rows(content: dict):
    labels = {name: PlanVersion._meta.get_field(name).verbose_name for name in CONTENT_FIELDS}
    return [(labels[name], content.get(name) or "") for name in CONTENT_FIELDS if content.get(name)]


def _request_post(request, pk, action, form_class, call, success, key):
    found = _request(request, pk, action)
    form = form_class(request.POST)
    done = form_saved(request, form, lambda: call(found, form), success=success, then=found)
    return done if done is not None else request_detail(request, pk, forms={key: form})


@require_POST
def request_message(request, pk):
    found = _request(request, pk)
    swv_side = access.can(request.user, "swv_request.decide", found)
    if not swv_side and not access.can(request.user, "swv_request.manage", found):
        raise PermissionDenied
    return _request_post(
        request,
        pk,
        "swv_request.read",
        MessageForm,
        lambda req, form: services.request_message_add(
            request=req, actor=request.user, text=form.cleaned_data["text"], from_swv=swv_side
        ),
        _("Het bericht is verstuurd."),
        "message",
    )


@require_POST
def request_meeting(request, pk):
    return _request_post(
        request,
        pk,
        "swv_request.decide",
        MeetingForm,
        lambda req, form: services.request_meeting_plan(request=req, actor=request.user, **form.cleaned_data),
        _("Het consultatiegesprek is gepland."),
        "meeting",
    )


@require_POST
def request_decide(request, pk):
    return _request_post(
        request,
        pk,
        "swv_request.decide",
        DecisionForm,
        lambda req, form: services.request_decide(request=req, actor=request.user, **form.cleaned_data),
        _("Het besluit is vastgelegd en naar de school gestuurd."),
        "decision",
    )


@require_POST
def request_withdraw(request, pk):
    return _request_post(
        request,
        pk,
        "swv_request.manage",
        WithdrawForm,
        lambda req, form: services.request_withdraw(request=req, actor=request.user, **form.cleaned_data),
        _("De aanvraag is ingetrokken."),
        "withdraw",
    )


def request_document(request, pk, document_id):
    """A document sent with the request, for both sides: only the ones sent with it, and
    only while the reader may read the request (the SWV: consent still active)."""
    found = _request(request, pk)
    source = document_source()
    if source is None or document_id not in {d["id"] for d in found.documents}:
        raise Http404
    opened = source.open(found.student, document_id)
    if opened is None:  # removed from the file since
        raise Http404
    handle, filename, content_type = opened
    log_read(user=request.user, students=[found.student], section="aanvraag swv document")
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
