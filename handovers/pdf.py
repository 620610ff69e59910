"""The care summary as a PDF (WeasyPrint), for the OSO overstapdossier: the school's LVS
attaches it. Same look as the file as a PDF (records/file-print.css)."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from carecoord.access.sections import Section

from .summary import care_summary, meldcode_steps

STYLESHEET = "records/file-print.css"


def summary_pdf(*, student, user, notes, meldcode: bool, reason: str = "") -> bytes:
    import weasyprint

    notes = [n for n in notes if meldcode or n.section != Section.MELDCODE]
    context = {
        "student": student,
        "summary": care_summary(student, meldcode=meldcode),
        "notes": notes,
        "steps": list(meldcode_steps(student)) if meldcode else [],
        "reason": reason,
        "made_by": user.name,
        "made_at": timezone.localtime(),
    }
    html = render_to_string("handovers/summary_print.html", context)
    return weasyprint.HTML(string=html).write_pdf(stylesheets=[weasyprint.CSS(filename=finders.find(STYLESHEET))])
