"""Pages of the privacy app: the school's retention terms and report (functioneel
beheerder), and per pupil the AVG page: inzage exports and requests (zorgcoördinator).

A pupil is fetched through `students.selectors.student_for_file` (404 outside the user's
scope, so a pupil of another school is a 404), then `access.can` decides (403).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from carecoord import access
from carecoord.access import school_permission_required
from carecoord.forms import add_service_errors, posted
from students.selectors import log_read, student_for_file

from . import selectors, services
from .forms import RetentionTermsForm, RightsRequestForm, RightsRequestHandleForm
from .models import TERM_LABELS, InzageExport, InzageStatus, RightsRequest, RightsRequestStatus
from .services.retention import NOTICE_DAYS


def _student(request, pk, action):
    student, _sections = student_for_file(user=request.user, pk=pk, log=False)
    if not access.can(request.user, action, student):
        raise PermissionDenied
    return student


def _export(request, pk):
    export = InzageExport.objects.select_related("requested_by").filter(pk=pk).first()
    if export is None:
        raise Http404
    # Whoever may make an inzage export of the pupil may follow and download it.
    export.student = _student(request, export.student_id, "student.inzage_export")
    return export


# --- Retention (functioneel beheerder) --------------------------------------------------------


@school_permission_required("school.manage_retention")
def retention(request):
    """The school's terms, tonight's dry-run report and the counts of what was removed."""
    school = request.school
    form = RetentionTermsForm(posted(request), months=services.term_months(school=school))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.retention_terms_save(school=school, actor=request.user, months=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changed:
                messages.success(
                    request,
                    _(
                        "De bewaartermijnen zijn opgeslagen. Een gewijzigde termijn verwijdert pas na %(days)s dagen iets."
                    )
                    % {"days": NOTICE_DAYS},
                )
            else:
                messages.info(request, _("Er is niets gewijzigd."))
            return redirect("privacy:retention")
    return render(
        request,
        "privacy/retention.html",
        {"form": form, "notice_days": NOTICE_DAYS, "labels": TERM_LABELS, **selectors.retention_report(school=school)},
    )


@require_POST
@school_permission_required("school.manage_retention")
def retention_dry_run(request):
    """A dry run now: counts what is due today, changes nothing."""
    services.retention_run(school=request.school, dry_run=True, actor=request.user)
    messages.success(request, _("De proefrun is klaar: hieronder staat wat er verwijderd gaat worden."))
    return redirect("privacy:retention")


# --- The pupil's AVG page (zorgcoördinator) --------------------------------------------------------


def student_privacy(request, pk):
    """Inzage exports and AVG requests of one pupil."""
    student = _student(request, pk, "student.rights_requests")
    log_read(user=request.user, students=[student], section="avg")
    return render(
        request,
        "privacy/student_privacy.html",
        {
            "student": student,
            "exports": list(selectors.exports_of(student=student)[:10]),
            "requests": list(selectors.requests_of(student=student)),
            "can_export": access.can(request.user, "student.inzage_export", student),
            "open_status": RightsRequestStatus.OPEN,
        },
    )


@require_POST
def inzage_request(request, pk):
    student = _student(request, pk, "student.inzage_export")
    export = services.inzage_request(student=student, actor=request.user)
    messages.info(request, _("De inzage-export wordt gemaakt. Je kunt deze pagina verlaten."))
    return redirect("privacy:inzage", pk=export.pk)


def inzage(request, pk):
    """One inzage export: its progress while it is made, then the download."""
    export = _export(request, pk)
    log_read(user=request.user, students=[export.student], section="inzage-export")
    return render(request, "privacy/inzage.html", {"export": export, "student": export.student})


def inzage_progress(request, pk):
    """The progress bar, polled by htmx every second (no pupil in it); a finished export sends
    the page to itself, which then offers the download."""
    export = _export(request, pk)
    if not export.is_busy:
        target = reverse("privacy:inzage", args=[export.pk])
        return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    return render(request, "privacy/_inzage_progress.html", {"export": export})


def inzage_download(request, pk):
    export = _export(request, pk)
    if export.status != InzageStatus.DONE or not export.storage_name:
        raise Http404
    from records.services import documents_storage

    log_read(user=request.user, students=[export.student], section="inzage-export gedownload")
    response = FileResponse(
        documents_storage().open(export.storage_name, "rb"),
        as_attachment=True,
        filename=f"inzage-{export.student_id}-{export.requested_at:%Y%m%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response


def rights_request_add(request, pk):
    student = _student(request, pk, "student.rights_requests")
    log_read(user=request.user, students=[student], section="avg-verzoek")
    form = RightsRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.rights_request_add(student=student, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het verzoek is vastgelegd. Beantwoord het binnen een maand."))
            return redirect("privacy:student", pk=student.pk)
    return render(
        request, "privacy/form.html", {"student": student, "form": form, "title": _("AVG-verzoek vastleggen")}
    )


def rights_request_handle(request, pk):
    rights_request = get_object_or_404(RightsRequest.objects.select_related("student"), pk=pk)
    student = _student(request, rights_request.student_id, "student.rights_requests")
    log_read(user=request.user, students=[student], section="avg-verzoek")
    if rights_request.status != RightsRequestStatus.OPEN:
        messages.info(request, _("Dit verzoek is al afgehandeld."))
        return redirect("privacy:student", pk=student.pk)
    form = RightsRequestHandleForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.rights_request_handle(request=rights_request, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De afhandeling is vastgelegd."))
            return redirect("privacy:student", pk=student.pk)
    return render(
        request,
        "privacy/form.html",
        {
            "student": student,
            "form": form,
            "rights_request": rights_request,
            "title": _("AVG-verzoek afhandelen: %(kind)s") % {"kind": rights_request.get_kind_display()},
        },
    )
