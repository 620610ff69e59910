from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord.forms import DateInput, form_helper, style_selects
from students.filters import offer_classes
from students.models import SchoolClass

from .models import AbsenceKind, AbsencePolicy, MasDeadlines, MasStep, SignalLevel


class OverviewFilterForm(forms.Form):
    SHOW_CHOICES = [("signalled", _("met een signaal")), ("all", _("iedereen met verzuim"))]

    q = forms.CharField(label=_("Zoek"), required=False)
    show = forms.ChoiceField(label=_("Leerlingen"), choices=SHOW_CHOICES, required=False)
    level = forms.ChoiceField(label=_("Signaal"), required=False)
    school_class = forms.ModelChoiceField(label=_("Klas"), queryset=SchoolClass.objects.none(), required=False)
    overdue = forms.BooleanField(label=_("alleen stap te laat"), required=False)

    def __init__(self, *args, school, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", _("alle"))] + [
            (str(value), label) for value, label in SignalLevel.choices if value
        ]
        offer_classes(self.fields["school_class"], school=school, user=user)
        self.fields["school_class"].empty_label = _("alle")
        style_selects(self)

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q", ""),
            "show": data.get("show") or "signalled",
            "level": data.get("level", ""),
            "school_class": data.get("school_class"),
            "overdue": bool(data.get("overdue")),
        }


class AbsenceRecordForm(forms.Form):
    on = forms.DateField(label=_("Datum"), widget=DateInput())
    # A no-show is recorded by the viproom board, not by hand.
    kind = forms.ChoiceField(label=_("Soort"), choices=[c for c in AbsenceKind.choices if c[0] != AbsenceKind.NO_SHOW])
    minutes = forms.IntegerField(
        label=_("Minuten"),
        min_value=0,
        max_value=24 * 60,
        required=False,
        help_text=_("Hoe lang afwezig of te laat. Een lesuur is meestal 50 minuten."),
    )
    lesson = forms.IntegerField(
        label=_("Lesuur"), min_value=1, max_value=20, required=False, help_text=_("Leeg: niet per lesuur.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.helper = form_helper(_("Verzuim registreren"))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "on": data["on"],
            "kind": data["kind"],
            "minutes": data["minutes"] or 0,
            "lesson": data["lesson"] or 0,
        }


class EscalationStepForm(forms.Form):
    step = forms.TypedChoiceField(label=_("Stap"), choices=MasStep.choices, coerce=int)
    on = forms.DateField(label=_("Datum"), widget=DateInput())
    who = forms.CharField(label=_("Door wie"), max_length=200, help_text=_("Bijv. de mentor, of jijzelf."))
    outcome = forms.CharField(
        label=_("Uitkomst"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat is afgesproken? Geen medische details: leerplicht leest mee."),
    )
    concern = forms.ModelChoiceField(
        label=_("Naar aanleiding van zorgmelding"),
        queryset=None,
        required=False,
        help_text=_("Bijv. de verzuimmelding van de mentor."),
    )

    def __init__(self, *args, user, student, suggested_step=None, **kwargs):
        super().__init__(*args, **kwargs)
        from concerns.models import Concern

        # The pupil's concerns this user may see in full; never a Meldcode case (leerplicht reads the steps).
        self.fields["concern"].queryset = (
            Concern.objects.visible_to(user).filter(student=student, is_meldcode=False).select_related("category")
        )
        self.fields["concern"].label_from_instance = lambda c: f"{c.category.name} ({c.created_at:%d-%m-%Y})"
        self.fields["on"].initial = timezone.localdate()
        self.fields["who"].initial = user.name
        if suggested_step:
            self.fields["step"].initial = suggested_step
        self.helper = form_helper(_("Stap vastleggen"))


class AbsencePolicyForm(forms.ModelForm):
    early_warning_hours = forms.DecimalField(
        label=_("Vroegsignaal vanaf (uren ongeoorloofd in 4 schoolweken)"),
        min_value=1,
        max_value=15.9,
        decimal_places=1,
        localize=True,  # 4,5 in Dutch
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("De wettelijke meldgrens is 16 uur in 4 schoolweken; een vroegsignaal komt ruim daarvoor."),
    )

    class Meta:
        model = AbsencePolicy
        fields = ["late_per_week", "whole_day_minutes", "lesson_minutes", "no_show_counts"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["early_warning_hours"].initial = self.instance.early_warning_minutes / 60
        self.order_fields(["early_warning_hours", "late_per_week", "whole_day_minutes", "lesson_minutes"])
        self.helper = form_helper(_("Opslaan"))

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["early_warning_minutes"] = int(round(data.pop("early_warning_hours") * 60))
        return data


class MasDeadlinesForm(forms.ModelForm):
    """The school's table of MAS step deadlines, on the school settings page."""

    class Meta:
        model = MasDeadlines
        fields = ["mentor_contact_days", "adviesgesprek_days", "report_days"]
        help_texts = {
            "mentor_contact_days": _("Standaard 7: de MAS-afspraak vraagt contact met de ouders binnen een week."),
            "adviesgesprek_days": _("Standaard 7."),
            "report_days": _("Standaard 7. De wet zegt 'onverwijld': hoogstens 14 dagen."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limits = {"mentor_contact_days": 30, "adviesgesprek_days": 30, "report_days": 14}
        for name, top in limits.items():
            self.fields[name].min_value = 1
            self.fields[name].max_value = top
            self.fields[name].validators.append(MinValueValidator(1))
            self.fields[name].validators.append(MaxValueValidator(top))
            self.fields[name].widget.attrs.update(min=1, max=top)
        self.helper = form_helper(_("Termijnen opslaan"))
