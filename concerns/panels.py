"""Parts of the pupil file this app adds (see students/panels.py)."""

from django.utils.translation import gettext_lazy as _

from carecoord.access.sections import Section
from students.panels import Panel, register_panel

from . import selectors


@register_panel
def concern_panel(request, student, sections):
    """The pupil's concerns (Zorg section: the coordinator). One query."""
    if Section.ZORG not in sections:
        return None
    concerns = selectors.concerns_of_student(student=student, meldcode=False)
    return Panel(_("Zorgmeldingen"), "concerns/_concern_panel.html", Section.ZORG, {"concerns": concerns}, order=20)


@register_panel
def meldcode_panel(request, student, sections):
    """Meldcode cases: only for the coordinator and the aandachtsfunctionaris. One query."""
    if Section.MELDCODE not in sections:
        return None
    concerns = selectors.concerns_of_student(student=student, meldcode=True)
    if not concerns:
        return None
    return Panel(_("Meldcode"), "concerns/_concern_panel.html", Section.MELDCODE, {"concerns": concerns}, order=15)
