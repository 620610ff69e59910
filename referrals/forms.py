"""Forms of the referrals app. They parse input; the services check the rules."""

from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from carecoord.access import placements as placement_access
from carecoord.forms import DateInput, DateTimeInput, TimeInput, form_helper
from concerns.models import Concern
from students.models import Student

from .models import (
    EVALUATION_WEEKS,
    WEEKDAYS,
    ContactKind,
    EvaluationDecision,
    Facility,
    FacilityKind,
    Funder,
    GoalProgress,
    IntakeParticipant,
    Outcome,
    PlacementKind,
    VisitReason,
)


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = ["name", "kind", "capacity", "hours_per_week", "coaches", "partner_organisation", "is_active"]
        widgets = {"coaches": forms.CheckboxSelectMultiple}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coaches"].queryset = placement_access.possible_coaches(school)
        self.fields["coaches"].help_text = _(
            "Medewerkers met de rol coach. De ambulant begeleider van een SO+-groep hoort hier ook."
        )
        self.fields["partner_organisation"].queryset = Organisation.objects.filter(schools=school)
        self.fields["capacity"].required = False
        self.fields["capacity"].help_text = _("Leeg: viproom 10, SO+-groep 4.")
        self.fields["hours_per_week"].required = False
        self.helper = form_helper(_("Opslaan"))

    def clean(self):
        data = super().clean()
        if not data.get("capacity") and data.get("kind"):
            from .models import DEFAULT_CAPACITY

            data["capacity"] = DEFAULT_CAPACITY[FacilityKind(data["kind"])]
        if data.get("hours_per_week") is None and "hours_per_week" not in self.errors:
            # Seed 004: the kansencoach is in school two hours a week.
            data["hours_per_week"] = Facility._meta.get_field("hours_per_week").default
        return data


class LessonHourForm(forms.Form):
    starts_at = forms.TimeField(label=_("begint om"), required=False, widget=TimeInput())
    ends_at = forms.TimeField(label=_("eindigt om"), required=False, widget=TimeInput())


LessonHourFormSet = forms.formset_factory(LessonHourForm, extra=0, max_num=12)


class StudentPickField(forms.ModelChoiceField):
    """A pupil chosen with the search field (students:autocomplete); posted as an id."""

    widget = forms.HiddenInput

    def label_from_instance(self, obj):
        return obj.full_name


class ReferralForm(forms.Form):
    student = StudentPickField(label=_("Leerling"), queryset=Student.objects.none())
    facility = forms.ModelChoiceField(label=_("Voorziening"), queryset=Facility.objects.none())
    question = forms.CharField(
        label=_("Hulpvraag"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat heeft de leerling nodig, en wat is al geprobeerd?"),
    )
    involved = forms.ModelMultipleChoiceField(
        label=_("Betrokken collega's"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    involved_others = forms.CharField(
        label=_("Andere betrokkenen"), max_length=300, required=False, help_text=_("Bijv. moeder, jeugdteam.")
    )
    concerns = forms.ModelMultipleChoiceField(
        label=_("Naar aanleiding van zorgmelding(en)"),
        queryset=Concern.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, school, students, concerns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students
        self.fields["facility"].queryset = Facility.objects.filter(school=school).active()
        self.fields["involved"].queryset = User.objects.filter(memberships__school=school, is_active=True).distinct()
        self.helper = form_helper(form_tag=False)
        # The pupil is chosen with the search field (referrals/_student_picker.html).
        fields = ["facility", "question", "involved", "involved_others"]
        if concerns is not None:
            # The open concerns the coordinator may see; the service checks they are this pupil's.
            self.fields["concerns"].queryset = concerns
            self.fields["concerns"].label_from_instance = lambda c: (
                f"{c.category.name} — {c.student.full_name} ({c.created_at:%d-%m-%Y})"
            )
            fields.insert(0, "concerns")
        self.helper.layout = Layout(*fields)


class IntakePlanForm(forms.Form):
    intake_at = forms.DateTimeField(label=_("Intake op"), widget=DateTimeInput())
    participants = forms.MultipleChoiceField(
        label=_("Met"), choices=IntakeParticipant.choices, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].initial = [
            IntakeParticipant.PUPIL,
            IntakeParticipant.PARENTS,
            IntakeParticipant.MENTOR,
            IntakeParticipant.COACH,
        ]
        self.helper = form_helper(_("Intake plannen"))


class IntakeRecordForm(forms.Form):
    held_at = forms.DateTimeField(label=_("Gehouden op"), widget=DateTimeInput())
    participants = forms.MultipleChoiceField(
        label=_("Aanwezig"), choices=IntakeParticipant.choices, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label=_("Verslag"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Intake vastleggen"))


class DecisionNoteForm(forms.Form):
    note = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, submit_label, note_help="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = note_help
        self.helper = form_helper(submit_label)


class PlanForm(forms.Form):
    """The placement plan: kind, the lesson hours per weekday, dates, evaluation rhythm."""

    kind = forms.ChoiceField(label=_("Vorm"), choices=PlacementKind.choices, widget=forms.RadioSelect)
    slots = forms.MultipleChoiceField(label=_("Dagen en lesuren"), required=False)
    subjects = forms.CharField(label=_("Vakken"), max_length=200, required=False)
    start_on = forms.DateField(label=_("Start"), widget=DateInput())
    planned_end_on = forms.DateField(label=_("Geplande einddatum"), required=False, widget=DateInput())
    evaluation_weeks = forms.IntegerField(
        label=_("Evalueren elke … weken"), min_value=1, max_value=26, initial=EVALUATION_WEEKS
    )

    weekdays = WEEKDAYS

    def __init__(self, *args, hours, **kwargs):
        super().__init__(*args, **kwargs)
        self.hours = hours
        self.fields["slots"].choices = [(f"{d}-{h.number}", f"{d}-{h.number}") for d, _n in WEEKDAYS for h in hours]
        self.fields["start_on"].initial = timezone.localdate()
        self.helper = form_helper(form_tag=False)

    def grid(self):
        """Rows of the weekday × lesson hour grid: (hour, [(value, checked), ...])."""
        chosen = set(self["slots"].value() or [])
        return [
            (h, [(f"{d}-{h.number}", f"{d}-{h.number}" in chosen, f"{name} {h.label}") for d, name in WEEKDAYS])
            for h in self.hours
        ]

    def slot_pairs(self):
        return [tuple(int(x) for x in value.split("-")) for value in self.cleaned_data["slots"]]


class PlaceForm(PlanForm):
    goals = forms.CharField(
        label=_("Doelen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén doel per regel."),
    )
    note = forms.CharField(
        label=_("Toelichting bij het besluit"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanEditForm(PlanForm):
    next_evaluation_on = forms.DateField(label=_("Volgende evaluatie"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_on"].disabled = True


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Doel"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Doel toevoegen"))


class EvaluationForm(forms.Form):
    """An evaluation: per open goal the progress and a decision, and one for the placement."""

    held_on = forms.DateField(label=_("Gehouden op"), widget=DateInput())
    decision = forms.ChoiceField(
        label=_("Besluit over de plaatsing"), choices=EvaluationDecision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_evaluation_on = forms.DateField(
        label=_("Volgende evaluatie"),
        required=False,
        widget=DateInput(),
        help_text=_("Leeg: over het vaste aantal weken."),
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals
        self.fields["held_on"].initial = timezone.localdate()
        for goal in goals:
            self.fields[f"progress_{goal.pk}"] = forms.ChoiceField(
                label=_("Voortgang"), choices=GoalProgress.choices, initial=GoalProgress.PARTLY
            )
            self.fields[f"decision_{goal.pk}"] = forms.ChoiceField(
                label=_("Besluit"), choices=EvaluationDecision.choices, initial=EvaluationDecision.CONTINUE
            )
            self.fields[f"note_{goal.pk}"] = forms.CharField(label=_("Toelichting"), max_length=500, required=False)

    def goal_rows(self):
        return [(g, self[f"progress_{g.pk}"], self[f"decision_{g.pk}"], self[f"note_{g.pk}"]) for g in self.goals]

    def results(self):
        data = self.cleaned_data
        return [(g, data[f"progress_{g.pk}"], data[f"decision_{g.pk}"], data[f"note_{g.pk}"]) for g in self.goals]


class PlacementEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Beëindigd op"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
        self.helper = form_helper(_("Plaatsing beëindigen"))


class VisitNoteForm(forms.Form):
    note = forms.CharField(label=_("Notitie"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Opslaan"))


class WalkInForm(forms.Form):
    student = StudentPickField(label=_("Leerling"), queryset=Student.objects.none())
    reason = forms.ChoiceField(label=_("Reden"), choices=VisitReason.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Korte notitie"), max_length=300, required=False)

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students
        self.helper = form_helper(form_tag=False)
        self.helper.layout = Layout("reason", "note")


class VisitCorrectForm(forms.Form):
    checked_in_at = forms.DateTimeField(label=_("Ingecheckt om"), widget=DateTimeInput())
    checked_out_at = forms.DateTimeField(label=_("Uitgecheckt om"), widget=DateTimeInput())
    note = forms.CharField(label=_("Notitie"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Opslaan"))


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Van"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())


class FundingForm(forms.Form):
    """The funding of a group arrangement; the service checks the period and the numbers."""

    funder = forms.ChoiceField(label=_("Financier"), choices=Funder.choices)
    funder_name = forms.CharField(label=_("Naam financier"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Contract vanaf"), widget=DateInput())
    ends_on = forms.DateField(label=_("Contract tot en met"), widget=DateInput())
    hours_per_week = forms.DecimalField(
        label=_("Gecontracteerde uren per week"), max_digits=5, decimal_places=1, required=False
    )
    budget = forms.DecimalField(label=_("Budget (euro)"), max_digits=10, decimal_places=2, required=False)
    worker = forms.ModelChoiceField(label=_("Ambulant begeleider"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = facility.coaches.all()
        self.helper = form_helper(_("Opslaan"))


class GroupContactForm(forms.Form):
    on = forms.DateField(label=_("Datum"), widget=DateInput())
    minutes = forms.IntegerField(label=_("Duur (minuten)"))
    kind = forms.ChoiceField(label=_("Soort contact"), choices=ContactKind.choices)
    note = forms.CharField(
        label=_("Korte notitie"), max_length=200, required=False, help_text=_("Geen namen van leerlingen.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.helper = form_helper(_("Vastleggen"))
