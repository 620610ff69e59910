from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from carecoord.access import students as student_access
from carecoord.forms import DateInput, form_helper

from . import services
from .models import LEVELS_OF_TYPE, ConsentPurpose, Guardian, Level, PartnerLink, SchoolClass, Student, SupportStatus


class StudentForm(forms.ModelForm):
    class Meta:
        model = Student
        fields = ["student_number", "first_name", "tussenvoegsel", "last_name", "date_of_birth", "school_class"]
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.school = school
        self.fields["school_class"].queryset = SchoolClass.objects.filter(school=school)
        self.helper = form_helper(_("Opslaan"))

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today or born.year < today.year - 30:
            raise forms.ValidationError(_("Deze geboortedatum kan niet kloppen."))
        return born


class GuardianForm(forms.ModelForm):
    class Meta:
        model = Guardian
        fields = ["name", "relation", "phone", "email", "has_authority"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Opslaan"))


STUDENT_GIVER = "leerling"


class ConsentForm(forms.Form):
    """Consent for a partner or a purpose. Who may give it depends on the pupil's age on
    the day it was given; the service checks that and the form shows its message."""

    scope = forms.ChoiceField(label=_("Toestemming voor"))
    giver = forms.ChoiceField(label=_("Gegeven door"))
    given_on = forms.DateField(label=_("Gegeven op"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Geldig tot en met"), required=False, widget=DateInput(), help_text=_("Leeg: geen einddatum.")
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    backdate_reason = forms.CharField(
        label=_("Reden van terugdateren"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Alleen nodig als de toestemming meer dan 30 dagen geleden is gegeven."),
    )
    signed_form = forms.FileField(
        label=_("Getekend toestemmingsformulier"),
        required=False,
        help_text=_(
            "Een scan of foto (PDF, JPEG, PNG). Verplicht als de toestemming meer dan 30 dagen geleden is gegeven. "
            "Komt bij de documenten van het dossier."
        ),
    )

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        if not services.signed_form_supported():
            del self.fields["signed_form"]
        self.student = student
        organisations = Organisation.objects.filter(schools=student.school_id).order_by("name")
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["scope"].choices = [
            ("", "—"),
            (_("Partnerorganisatie"), [(f"org:{o.pk}", o.name) for o in organisations]),
            (_("Doel"), [(f"purpose:{value}", label) for value, label in ConsentPurpose.choices]),
        ]
        self.guardians = {str(g.pk): g for g in student.guardians.all()}
        self.fields["giver"].choices = [("", "—"), (STUDENT_GIVER, _("de leerling zelf"))] + [
            (pk, f"{g.name} ({g.get_relation_display()}{'' if g.has_authority else ', ' + str(_('geen gezag'))})")
            for pk, g in self.guardians.items()
        ]
        self.fields["given_on"].initial = timezone.localdate()
        self.helper = form_helper(_("Toestemming vastleggen"))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kind, _sep, value = data["scope"].partition(":")
        return {
            "organisation": self.organisations.get(value) if kind == "org" else None,
            "purpose": value if kind == "purpose" else "",
            "given_by_student": data["giver"] == STUDENT_GIVER,
            "given_by_guardian": self.guardians.get(data["giver"]),
            "given_on": data["given_on"],
            "ends_on": data["ends_on"],
            "note": data["note"],
            "backdate_reason": data["backdate_reason"],
            "signed_form": data.get("signed_form"),
        }


class ConsentWithdrawForm(forms.Form):
    withdrawn_by = forms.CharField(
        label=_("Ingetrokken door"), max_length=200, help_text=_("Bijv. moeder, of de leerling zelf.")
    )
    reason = forms.CharField(label=_("Reden"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Toestemming intrekken"))


class PartnerLinkForm(forms.ModelForm):
    class Meta:
        model = PartnerLink
        fields = ["organisation", "user", "role"]

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(schools=student.school_id)
        self.fields["user"].queryset = User.objects.filter(organisation__schools=student.school_id, is_active=True)
        self.helper = form_helper(_("Partner koppelen"))


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Uitgeschreven per"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()
        self.helper = form_helper(_("Uitschrijven"))


class SupportStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Ondersteuning"), choices=SupportStatus.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Opslaan"))


class SchoolClassForm(forms.ModelForm):
    class Meta:
        model = SchoolClass
        fields = ["name", "year", "level", "mentors"]
        widgets = {"mentors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.school = school
        self.fields["mentors"].queryset = student_access.possible_mentors(school)
        # The words and levels of the school's type: a PO school has groepen 1-8 with leerkrachten.
        words = school.words
        self.fields["name"].label = words.klas
        self.fields["year"].label = words.leerjaar
        self.fields["mentors"].label = words.mentoren
        levels = LEVELS_OF_TYPE.get(school.school_type, Level.values)
        self.fields["level"].choices = [(v, label) for v, label in Level.choices if v in levels]
        if len(levels) == 1:
            self.fields["level"].initial = levels[0]
        self.helper = form_helper(_("Opslaan"))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = SchoolClass.objects.filter(school=self.instance.school, name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Klas %(name)s bestaat al op deze school.") % {"name": name})
        return name
