from datetime import date

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.forms import ConfirmForm


class PupilConfirmForm(ConfirmForm):
    """Confirming a pupil import: mark missing pupils as left, and for every possible
    duplicate (same name and date of birth, another number) say whether it is the same
    pupil. Confirmation is refused until each is answered."""

    mark_missing_left = forms.BooleanField(
        label=gettext_lazy("Leerlingen die niet in dit bestand staan uitschrijven"),
        required=False,
        help_text=gettext_lazy("Alleen aanvinken als dit een volledige export van alle leerlingen is."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates = self.batch.preview.get("duplicates", [])
        for duplicate in self.duplicates:
            choices = [
                (
                    str(c["pk"]),
                    _(
                        "Dezelfde leerling als %(number)s (%(name)s, klas %(klas)s): bijwerken, met leerlingnummer %(new)s"
                    )
                    % {**c, "new": duplicate["number"], "klas": c["klas"] or "-"},
                )
                for c in duplicate["candidates"]
            ]
            choices.append(("new", _("Een andere leerling: %(name)s nieuw aanmaken") % duplicate))
            born = date_format(date.fromisoformat(duplicate["born"]), "SHORT_DATE_FORMAT")
            self.fields[self.duplicate_field(duplicate)] = forms.ChoiceField(
                label=_("Regel %(line)s: %(name)s, geboren %(born)s, leerlingnummer %(number)s")
                % {**duplicate, "born": born},
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Kies of dit dezelfde leerling is.")},
            )

    @staticmethod
    def duplicate_field(duplicate) -> str:
        return f"duplicate_{duplicate['line']}"

    def duplicate_fields(self):
        return [self[self.duplicate_field(d)] for d in self.duplicates]

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(self.duplicate_field(d)) for d in self.duplicates]
        same = [c for c in chosen if c and c != "new"]
        if len(same) != len(set(same)):
            raise forms.ValidationError(
                _("Twee regels zijn als dezelfde bestaande leerling gekozen; kies per leerling één regel.")
            )
        return cleaned

    def options(self) -> dict:
        return {
            "mark_missing_left": self.cleaned_data["mark_missing_left"],
            "duplicates": {d["number"]: self.cleaned_data[self.duplicate_field(d)] for d in self.duplicates},
        }
