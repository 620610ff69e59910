from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from carecoord.access.sections import RecordSection, Section
from carecoord.forms import DateInput, DateTimeInput, form_helper
from students.models import Guardian

from .models import NOTE_MAX_CHARS, DocumentKind, FamilyKind, NoteKind


class NoteForm(forms.Form):
    """A journal note. The service checks the rules again (a crafted POST meets them too)."""

    occurred_at = forms.DateTimeField(
        label=_("Datum en tijd"), widget=DateTimeInput(), help_text=_("Wanneer het gebeurde; mag eerder zijn dan nu.")
    )
    kind = forms.ChoiceField(label=_("Soort contact"), choices=NoteKind.choices)
    staff = forms.ModelMultipleChoiceField(
        label=_("Medewerkers erbij"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Partners erbij"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guardians = forms.ModelMultipleChoiceField(
        label=_("Ouders/verzorgers erbij"),
        queryset=Guardian.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # No max_length on the field: the service says how long it is and what the limit is,
    # and what was typed stays in the form.
    text = forms.CharField(
        label=_("Notitie"),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": NOTE_MAX_CHARS}),
        required=False,
        strip=False,
    )
    section = forms.ChoiceField(
        label=_("Wie mag dit lezen"),
        choices=RecordSection.choices,
        initial=Section.ZORG,
        help_text=_(
            "Iedereen die dit onderdeel van het dossier mag zien. Vertrouwelijk: alleen jij en de zorgcoördinator."
        ),
    )

    def __init__(self, *args, student, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = (
            User.objects.filter(memberships__school=student.school_id, is_active=True).distinct().order_by("name")
        )
        self.fields["organisations"].queryset = Organisation.objects.filter(schools=student.school_id).order_by("name")
        self.fields["guardians"].queryset = Guardian.objects.filter(student=student)
        if not self.is_bound and "occurred_at" not in self.initial:
            self.initial["occurred_at"] = timezone.localtime().replace(second=0, microsecond=0)
        self.helper = form_helper(submit_label or _("Notitie opslaan"))


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("PDF, Word, Excel of een afbeelding."),
        required=False,
        allow_empty_file=True,
    )
    title = forms.CharField(label=_("Titel"), required=False, help_text=_("Leeg: de bestandsnaam."))
    kind = forms.ChoiceField(label=_("Soort document"), choices=DocumentKind.choices)
    section = forms.ChoiceField(label=_("Wie mag dit lezen"), choices=RecordSection.choices)

    def __init__(self, *args, max_mb, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, Word, Excel of een afbeelding, hoogstens %(max)s MB.") % {"max": max_mb}
        self.helper = form_helper(_("Document toevoegen"), form_tag=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            # Also what an upload cut off half-way looks like: the browser's part never ended.
            raise forms.ValidationError(
                _("Er is geen (volledig) bestand aangekomen. Kies het bestand en probeer het opnieuw.")
            )
        return upload


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Blijft bewaard in de geschiedenis."),
    )

    def __init__(self, *args, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit_label)


class ExportForm(forms.Form):
    """Which sections and which period of the file to print."""

    sections = forms.MultipleChoiceField(label=_("Onderdelen"), widget=forms.CheckboxSelectMultiple, required=False)
    since = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = [
            (value, label) for value, label in RecordSection.choices if value in sections
        ]
        self.fields["sections"].initial = list(sections)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("Deze datum ligt vóór de begindatum."))
        if self.is_bound and not data.get("sections"):
            self.add_error("sections", _("Kies minstens één onderdeel."))
        return data


class FamilyLinkForm(forms.Form):
    student_number = forms.CharField(label=_("Leerlingnummer van de broer, zus of huisgenoot"), max_length=20)
    kind = forms.ChoiceField(label=_("Soort"), choices=FamilyKind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Koppelen"))
