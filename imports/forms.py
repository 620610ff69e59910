from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carecoord.forms import form_helper


class UploadForm(forms.Form):
    file = forms.FileField()

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["file"].label = kind.file_label
        self.fields["file"].help_text = kind.file_help
        self.fields["file"].widget = forms.ClearableFileInput(attrs={"accept": kind.accept})
        self.helper = form_helper(gettext_lazy("Controleren"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _("Dit bestand is %(size)s MB; het maximum is %(max)s MB.")
                % {"size": round(upload.size / 1024 / 1024, 1), "max": settings.MAX_UPLOAD_MB}
                + " "
                + str(self.kind.too_big_hint)
            )
        return upload


class ColumnMappingForm(forms.Form):
    """The column-mapping step: for each of our fields, one of their columns."""

    def __init__(self, *args, kind, school, header: list[str], sample: list[list[str]], found: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.header = header

        def example(position):
            values = [row[position] for row in sample if position < len(row) and row[position]]
            return (
                _("%(column)s (bijv. %(example)s)") % {"column": header[position], "example": values[0]}
                if values
                else header[position]
            )

        choices = [("", _("— staat niet in dit bestand —"))] + [
            (str(position), example(position)) for position, name in enumerate(header) if name
        ]
        for column in kind.columns:
            position = found.get(column.name)
            label = kind.column_label(column, school=school)
            self.fields[column.name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=column.required,
                initial="" if position is None else str(position),
                error_messages={"required": _("Kies de kolom met %(field)s.") % {"field": label}},
            )
        self.helper = form_helper(gettext_lazy("Koppelen en controleren"))

    def clean(self):
        cleaned = super().clean()
        fields_per_column: dict[str, list[str]] = {}
        for name, value in cleaned.items():
            if value:
                fields_per_column.setdefault(value, []).append(name)
        for value, names in fields_per_column.items():
            if len(names) > 1:
                labels = [str(self.fields[n].label) for n in names]
                self.add_error(
                    None,
                    _("Kolom '%(column)s' is gekozen voor %(fields)s. Kies voor elk veld een eigen kolom.")
                    % {"column": self.header[int(value)], "fields": _(" én ").join(labels)},
                )
                for name in names:
                    self.add_error(name, _("Deze kolom is ook voor een ander veld gekozen."))
        return cleaned

    def positions(self) -> dict[str, int | None]:
        return {name: int(value) if value else None for name, value in self.cleaned_data.items()}


class ConfirmForm(forms.Form):
    """The options of confirming an import; a kind subclasses it with its own fields."""

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch

    def options(self) -> dict:
        return dict(self.cleaned_data)
