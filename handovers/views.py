"""Views of the warm handover (issue 23). Thin: access in carecoord/access/handovers.py,
rules in services.py, reads in selectors.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from carecoord import access
from carecoord.forms import add_service_errors, posted
from students.selectors import log_read, student_for_file

from . import selectors, services
from .forms import AcceptForm, HandoverForm, MeetingForm, SummaryForm
from .models import Handover, HandoverItem
from .pdf import summary_pdf


def _student(request, pk, action):
    student, sections = student_for_file(user=request.user, pk=pk, log=False)
    if not access.can(request.user, action, student):
        raise PermissionDenied
    return student


def _log(request, handover):
    """A page of one handover names the pupil (who left, and who arrived once accepted)."""
    shown = [s for s in (handover.student, handover.received_student) if s is not None]
    log_read(user=request.user, students=shown, section="overdracht")


def _handover(request, pk, action="handover.view"):
    handover = get_object_or_404(
        Handover.objects.visible_to(request.user).select_related(
            "student", "received_student", "from_school", "to_school", "started_by", "accepted_by"
        ),
        pk=pk,
    )
    if not access.can(request.user, action, handover):
        raise PermissionDenied
    return handover


@access.school_permission_required("school.handovers")
def handover_list(request):
    waiting, accepted, sent = selectors.school_handovers(user=request.user, school=request.school)
    # Names of pupils who are on their way here, or left from here: the read log has them.
    # Every pupil named on the page, at either school, is in the read log.
    shown = [h.student for h in (*waiting, *accepted, *sent)] + [h.received_student for h in accepted]
    shown = [s for s in shown if s is not None]
    log_read(user=request.user, students=shown, section="overdrachten")
    return render(request, "handovers/handover_list.html", {"waiting": waiting, "accepted": accepted, "sent": sent})


def handover_start(request, pk):
    student = _student(request, pk, "student.handover_start")
    log_read(user=request.user, students=[student], section="overdracht starten")
    notes, documents = services.handover_choices(student)
    form = HandoverForm(posted(request), student=student, notes=notes, documents=documents)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            handover = services.handover_start(
                student=student,
                actor=request.user,
                to_school=data["to_school"],
                basis=data["basis"],
                basis_note=data["basis_note"],
                meldcode=data["meldcode"],
                meldcode_reason=data["meldcode_reason"],
                notes=data["notes"],
                documents=data["documents"],
                plan=data["plan"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("De overdracht is gestart. De zorgcoördinator van de nieuwe school krijgt bericht.")
            )
            return redirect(handover)
    return render(
        request,
        "handovers/handover_form.html",
        {"student": student, "form": form, "title": _("Overdracht starten")},
    )


def handover_detail(request, pk):
    handover = _handover(request, pk)
    content = access.can(request.user, "handover.read_content", handover)
    _log(request, handover)
    context = {
        "handover": handover,
        "content": content,
        "items": list(handover.items.all()) if content else [],
        "counts": selectors.handover_parts_count(handover),
        "is_sender": access.can(request.user, "handover.plan_meeting", handover),
        "can_accept": access.can(request.user, "handover.accept", handover) and handover.received_student_id is None,
    }
    if context["can_accept"]:
        context["accept_form"] = AcceptForm(school=handover.to_school)
    return render(request, "handovers/handover_detail.html", context)


def handover_accept(request, pk):
    handover = _handover(request, pk, "handover.accept")
    _log(request, handover)
    form = AcceptForm(posted(request), school=handover.to_school)
    if request.method == "POST" and form.is_valid():
        try:
            received = services.handover_accept(
                handover=handover,
                actor=request.user,
                student_number=form.cleaned_data["student_number"],
                school_class=form.cleaned_data["school_class"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De overdracht is aanvaard. Het overgedragen dossier staat bij de leerling."))
            return redirect(received)
    return render(
        request,
        "handovers/accept_form.html",
        {
            "handover": handover,
            "form": form,
            "title": _("Overdracht aanvaarden"),
            "counts": selectors.handover_parts_count(handover),
        },
    )


def handover_meeting(request, pk):
    handover = _handover(request, pk, "handover.plan_meeting")
    _log(request, handover)
    form = MeetingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.handover_meeting_plan(
                handover=handover,
                actor=request.user,
                day=data["day"],
                start_time=data["start_time"],
                end_time=data["end_time"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het overdrachtsgesprek is gepland; de deelnemers krijgen een uitnodiging."))
            return redirect(meeting)
    return render(
        request,
        "handovers/meeting_form.html",
        {"handover": handover, "form": form, "title": _("Warme overdracht plannen")},
    )


def item_download(request, pk):
    """A handed-over document: for the sender's zorgcoördinator, and at the new school for
    whoever may see its section of the received pupil's file."""
    item = get_object_or_404(
        HandoverItem.objects.select_related("handover__received_student", "handover__student"), pk=pk
    )
    if not item.storage_name or not access.can(request.user, "handover_item.read", item):
        raise Http404
    handover = item.handover
    sender = access.can(request.user, "handover.plan_meeting", handover)
    log_read(
        user=request.user,
        students=[s for s in [handover.student if sender else handover.received_student] if s is not None],
        section="overgedragen document",
    )
    from records.services import documents_storage

    return FileResponse(
        documents_storage().open(item.storage_name, "rb"),
        as_attachment=True,
        filename=item.filename or "document",
        content_type=item.content_type or "application/octet-stream",
    )


def care_summary(request, pk):
    """ "Zorgsamenvatting voor het overstapdossier": the PDF to attach to the OSO dossier."""
    student = _student(request, pk, "student.care_summary_export")
    notes, _documents = services.handover_choices(student)
    wants = request.GET.get("maken")
    form = SummaryForm(request.GET if wants else None, notes=notes)
    if wants and form.is_valid():
        data = form.cleaned_data
        pdf = summary_pdf(
            student=student,
            user=request.user,
            notes=data["notes"],
            meldcode=data["meldcode"],
            reason=data["meldcode_reason"],
        )
        services.care_summary_made(student=student, actor=request.user)
        log_read(user=request.user, students=[student], section="zorgsamenvatting export (pdf)")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="zorgsamenvatting-{student.pk}-{timezone.localdate():%Y%m%d}.pdf"'
        )
        return response
    log_read(user=request.user, students=[student], section="zorgsamenvatting")
    return render(
        request,
        "handovers/summary_form.html",
        {"student": student, "form": form, "title": _("Zorgsamenvatting voor het overstapdossier")},
    )
