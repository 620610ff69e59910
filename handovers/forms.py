from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from carecoord.forms import DateInput, TimeInput, form_helper

from .models import HandoverBasis


class HandoverForm(forms.Form):
    to_school = forms.ModelChoiceField(label=_("Naar school"), queryset=School.objects.none(), required=False)
    basis = forms.ChoiceField(
        label=_("Grondslag"),
        choices=[("", "---------"), *HandoverBasis.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    basis_note = forms.CharField(
        label=_("Toelichting"),
        help_text=_("Bijvoorbeeld: wie van de ouders akkoord gaf en wanneer."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    plan = forms.BooleanField(
        label=_("De huidige vastgestelde versie van het OPP gaat mee"), required=False, initial=True
    )
    notes = forms.ModelMultipleChoiceField(
        label=_("Notities die meegaan"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Documenten die meegaan"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    meldcode = forms.BooleanField(
        label=_("Ook de Meldcode-stappen meegeven"),
        help_text=_("Alleen als de nieuwe school dit moet weten om de leerling veilig te houden. Leg de reden vast."),
        required=False,
    )
    meldcode_reason = forms.CharField(
        label=_("Reden om de Meldcode mee te geven"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, student, notes, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_school"].queryset = School.objects.exclude(pk=student.school_id).order_by("name")
        self.fields["notes"].queryset = notes
        self.fields["notes"].label_from_instance = lambda n: (
            f"{n.occurred_at:%d-%m-%Y} · {n.get_kind_display()} · {n.text[:80]}"
        )
        self.fields["documents"].queryset = documents
        self.fields["documents"].label_from_instance = lambda d: f"{d.uploaded_at:%d-%m-%Y} · {d.title}"
        self.helper = form_helper(_("Overdracht starten"))


class SummaryForm(forms.Form):
    """The care summary PDF for the OSO overstapdossier: which notes go in, and the Meldcode."""

    notes = HandoverForm.base_fields["notes"]
    meldcode = HandoverForm.base_fields["meldcode"]
    meldcode_reason = HandoverForm.base_fields["meldcode_reason"]

    def __init__(self, *args, notes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes"].queryset = notes
        self.fields["notes"].label_from_instance = lambda n: (
            f"{n.occurred_at:%d-%m-%Y} · {n.get_kind_display()} · {n.text[:80]}"
        )
        self.helper = form_helper(_("PDF maken"))

    def clean(self):
        data = super().clean()
        if data.get("meldcode") and not (data.get("meldcode_reason") or "").strip():
            self.add_error("meldcode_reason", _("Schrijf op waarom de Meldcode-stappen in de samenvatting moeten."))
        return data


class AcceptForm(forms.Form):
    student_number = forms.CharField(
        label=_("Leerlingnummer op uw school"),
        max_length=20,
        help_text=_(
            "Staat de leerling al in uw lijst (na het inlezen uit het LVS), dan wordt het dossier daaraan gekoppeld."
        ),
    )
    school_class = forms.ModelChoiceField(label=_("Klas"), queryset=None, required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = school.classes.order_by("name")
        self.helper = form_helper(_("Overdracht aanvaarden"))


class MeetingForm(forms.Form):
    day = forms.DateField(label=_("Datum"), widget=DateInput())
    start_time = forms.TimeField(label=_("Van"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Tot"), widget=TimeInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Overleg plannen"))
