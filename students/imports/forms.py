from django import forms
from django.utils.translation import gettext_lazy as _

from imports.forms import ConfirmForm


class PupilConfirmForm(ConfirmForm):
    mark_missing_left = forms.BooleanField(
        label=_("Leerlingen die niet in dit bestand staan uitschrijven"),
        required=False,
        help_text=_("Alleen aanvinken als dit een volledige export van alle leerlingen is."),
    )
