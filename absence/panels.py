"""The absence panel of the pupil file (section VERZUIM): signal, hours, MAS step."""

from django.utils.translation import gettext_lazy as _

from carecoord.access.sections import Section
from students.panels import Panel, register_panel
from students.presence import holds, track

from .models import AbsenceSignal, EscalationStep

track(AbsenceSignal)
track(EscalationStep)  # a pupil without any MAS step: the signal is read without the step's subqueries


@register_panel
def absence_panel(request, student, sections):
    """One query (the signal with its current step); nothing when there is no signal row."""
    if Section.VERZUIM not in sections:
        return None
    from .selectors import signal_for

    signal = None
    if holds(student, AbsenceSignal):
        signal = signal_for(student=student, steps_taken=holds(student, EscalationStep))
    if signal is None:
        return None
    return Panel(_("Verzuim"), "absence/_panel.html", Section.VERZUIM, {"signal": signal}, order=40)
