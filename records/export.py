"""The file as a document: a PDF (WeasyPrint) and a print page of the pupil file as the
user may see it (header, guardians, consents, the chosen sections and period of the
timeline, notes and the document list). Both are exports: written to the read log, and
every page carries who made it and when.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from carecoord import access
from carecoord.access.sections import RecordSection, Section
from students.selectors import file_header, log_read, student_for_file
from students.timeline import render as render_event
from students.timeline import timeline_events

from . import selectors
from .forms import ExportForm

STYLESHEET = "records/file-print.css"
# Entries of this app are printed in full below the timeline, not as its one-liners.
OWN_KINDS = ("records.note", "records.document")


@dataclass
class Export:
    student: object
    header: object
    chosen: list
    chosen_labels: list
    since: object
    until: object
    events: list
    notes: list
    documents: list
    made_by: str
    made_at: datetime


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


def export_sections(user, student, sections) -> list[str]:
    """What may be chosen: the sections of the file the user sees, and *vertrouwelijk*
    (their own confidential notes; the zorgcoördinator's: all)."""
    return [*[s for s in Section.values if s in sections], RecordSection.VERTROUWELIJK]


def build_export(*, user, student, sections, chosen, since=None, until=None) -> Export:
    """What the printed file holds. A fixed number of queries, whatever its length."""
    chosen = [s for s in chosen if s in export_sections(user, student, sections)]
    file_chosen = [s for s in chosen if s != RecordSection.VERTROUWELIJK]
    header = file_header(student=student, sections=frozenset(file_chosen))
    start, end = _day_start(since), _day_start(until + timedelta(days=1)) if until else None
    events = [
        render_event(event)
        for event in timeline_events(student=student, sections=sections, user=user, since=start, until=end)
        .filter(section__in=chosen)
        .exclude(kind__in=OWN_KINDS)
    ]
    notes = selectors.notes_for(user=user, student=student, sections=sections).filter(section__in=chosen)
    documents = selectors.documents_for(user=user, student=student, sections=sections).filter(section__in=chosen)
    if start:
        notes, documents = notes.filter(occurred_at__gte=start), documents.filter(uploaded_at__gte=start)
    if end:
        notes, documents = notes.filter(occurred_at__lt=end), documents.filter(uploaded_at__lt=end)
    labels = dict(RecordSection.choices)
    return Export(
        student=student,
        header=header,
        chosen=chosen,
        chosen_labels=[str(labels[s]) for s in chosen],
        since=since,
        until=until,
        events=events,
        notes=list(notes.order_by("occurred_at", "pk")),
        documents=list(documents.order_by("uploaded_at", "pk")),
        made_by=user.name,
        made_at=timezone.localtime(),
    )


def render_pdf(export: Export) -> bytes:
    import weasyprint

    html = render_to_string("records/file_print.html", {"export": export, "for_pdf": True})
    stylesheet = weasyprint.CSS(filename=finders.find(STYLESHEET))
    return weasyprint.HTML(string=html).write_pdf(stylesheets=[stylesheet])


def file_export(request, pk):
    """ "Dossier afdrukken / PDF": choose sections and period, then the PDF or the print page."""
    student, sections = student_for_file(user=request.user, pk=pk, log=False)
    if not access.can(request.user, "student.export_file", student):
        raise PermissionDenied
    allowed = export_sections(request.user, student, sections)
    wants = request.GET.get("uitvoer")
    form = ExportForm(request.GET if wants else None, sections=allowed)
    if wants and form.is_valid():
        data = form.cleaned_data
        export = build_export(
            user=request.user,
            student=student,
            sections=sections,
            chosen=data["sections"],
            since=data["since"],
            until=data["until"],
        )
        if wants == "pdf":
            log_read(user=request.user, students=[student], section="dossier export (pdf)")
            response = HttpResponse(render_pdf(export), content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="dossier-{student.pk}-{timezone.localdate():%Y%m%d}.pdf"'
            )
            return response
        log_read(user=request.user, students=[student], section="dossier export (afdruk)")
        response = render(request, "records/file_print.html", {"export": export, "for_pdf": False})
        return response
    log_read(user=request.user, students=[student], section="dossier afdrukken")
    return render(
        request, "records/export_form.html", {"student": student, "form": form, "title": _("Dossier afdrukken / PDF")}
    )
