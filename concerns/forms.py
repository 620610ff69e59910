"""Forms of the zorgroute. They parse input; the services check the rules."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Role, User
from carecoord.access import concerns as concern_access
from carecoord.forms import DateInput, form_helper

from . import selectors
from .models import ConcernCategory, HandlerKind, MeldcodeDecision, MeldcodeStepNumber, Urgency


class ConcernForm(forms.Form):
    """The zorgroute form: four required fields (pupil, category, what you saw, urgency).
    The submission key makes a second POST of the same form harmless."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    student = forms.CharField(
        label=_("Leerling"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Kies een leerling: typ een deel van de naam en klik op de leerling.")},
    )
    category = forms.ModelChoiceField(
        label=_("Waar gaat je zorg over?"),
        queryset=ConcernCategory.objects.none(),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        empty_label=None,
        error_messages={
            "required": _("Kies waar je zorg over gaat."),
            "invalid_choice": _("Deze categorie hoort niet bij de zorgroute van deze school."),
        },
    )
    observation = forms.CharField(
        label=_("Wat heb je gezien of gehoord?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Feiten: wat, wanneer, hoe vaak. Geen conclusies."),
    )
    already_done = forms.CharField(
        label=_("Wat heb je al gedaan?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bijvoorbeeld: gesprek met de leerling, contact met ouders."),
    )
    urgency = forms.TypedChoiceField(
        label=_("Hoe dringend?"),
        choices=Urgency.choices,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        initial=Urgency.NORMAL,
    )

    def __init__(self, *args, user, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.school = user, school
        self.fields["category"].queryset = selectors.school_categories(school=school)
        self.fields["submission_key"].initial = uuid.uuid4()
        self.picked_student = None
        if self.is_bound:
            self.picked_student = selectors.pickable_student(user=user, school=school, pk=self.data.get("student"))

    def clean_student(self):
        if self.picked_student is None:
            raise forms.ValidationError(
                _("Deze leerling kun je hier niet kiezen: kies een ingeschreven leerling van deze school.")
            )
        return self.picked_student


class ConcernAssignForm(forms.Form):
    """One choice for the handler: "role:<role>", "user:<id>" or "org:<id>"."""

    handler = forms.ChoiceField(label=_("Behandelaar"))

    def __init__(self, *args, concern, **kwargs):
        super().__init__(*args, **kwargs)
        roles = concern_access.handler_roles(meldcode=concern.is_meldcode)
        staff = concern_access.possible_handlers(concern.school_id, meldcode=concern.is_meldcode)
        self.people = {str(u.pk): u for u in staff}
        self.organisations = (
            {}
            if concern.is_meldcode
            else {str(o.pk): o for o in Organisation.objects.filter(schools=concern.school_id)}
        )
        choices = [("", "—")]
        choices.append((_("Rol op school"), [(f"role:{r}", Role(r).label) for r in roles]))
        choices.append((_("Persoon"), [(f"user:{pk}", u.name) for pk, u in self.people.items()]))
        if self.organisations:
            choices.append((_("Partnerorganisatie"), [(f"org:{pk}", o.name) for pk, o in self.organisations.items()]))
        self.fields["handler"].choices = choices
        if concern.handler_id:
            self.fields["handler"].initial = f"user:{concern.handler_id}"
        elif concern.handler_organisation_id:
            self.fields["handler"].initial = f"org:{concern.handler_organisation_id}"
        elif concern.handler_role:
            self.fields["handler"].initial = f"role:{concern.handler_role}"

    def service_kwargs(self) -> dict:
        kind, _sep, value = self.cleaned_data["handler"].partition(":")
        return {
            "handler": self.people.get(value) if kind == "user" else None,
            "handler_role": value if kind == "role" else "",
            "handler_organisation": self.organisations.get(value) if kind == "org" else None,
        }


class ConcernClassifyForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Categorie"),
        queryset=ConcernCategory.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Deze categorie hoort niet bij de zorgroute van deze school.")},
    )
    home_situation = forms.BooleanField(label=_("De thuissituatie speelt mee"), required=False)

    def __init__(self, *args, concern, **kwargs):
        super().__init__(*args, **kwargs)
        categories = selectors.school_categories(school=concern.school_id)
        if concern.is_meldcode:
            categories = categories.filter(follows_meldcode=True)
        self.fields["category"].queryset = categories
        self.fields["category"].initial = concern.category_id
        self.fields["home_situation"].initial = concern.home_situation


class ConcernActionForm(forms.Form):
    description = forms.CharField(label=_("Actie"), max_length=300)
    due_on = forms.DateField(label=_("Uiterlijk op"), required=False, widget=DateInput())
    owner = forms.ModelChoiceField(label=_("Wie"), queryset=User.objects.none(), required=False, empty_label="—")

    def __init__(self, *args, concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = concern_access.possible_handlers(
            concern.school_id, meldcode=concern.is_meldcode
        )


class ConcernCloseForm(forms.Form):
    feedback = forms.CharField(
        label=_("Terugkoppeling aan de melder"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Wat de melder mag weten: wat er gebeurt en wat je van hem of haar vraagt. Geen vertrouwelijke details."
        ),
    )
    close_open_actions = forms.BooleanField(
        label=_("Sluit ook de open acties (met deze terugkoppeling als reden)"),
        required=False,
        help_text=_("Een zorgmelding met open acties wordt alleen afgerond als je dat hier aangeeft."),
    )


YES_NO = [("", "—"), ("ja", _("ja")), ("nee", _("nee"))]


def _yes_no(value):
    return {"ja": True, "nee": False}.get(value)


class MeldcodeStepForm(forms.Form):
    step = forms.TypedChoiceField(label=_("Stap"), choices=MeldcodeStepNumber.choices, coerce=int)
    occurred_on = forms.DateField(label=_("Datum"), widget=DateInput())
    participants = forms.CharField(label=_("Wie"), max_length=300, help_text=_("Wie waren erbij of zijn geraadpleegd?"))
    notes = forms.CharField(label=_("Aantekeningen"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    veilig_thuis_consulted = forms.BooleanField(label=_("Advies gevraagd aan Veilig Thuis (stap 2)"), required=False)
    acute_unsafety = forms.TypedChoiceField(
        label=_("Acute onveiligheid? (stap 4)"), choices=YES_NO, coerce=_yes_no, empty_value=None, required=False
    )
    structural_unsafety = forms.TypedChoiceField(
        label=_("Structurele onveiligheid? (stap 4)"), choices=YES_NO, coerce=_yes_no, empty_value=None, required=False
    )
    decision = forms.ChoiceField(
        label=_("Besluit (stap 5)"), choices=[("", "—"), *MeldcodeDecision.choices], required=False
    )

    def __init__(self, *args, concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()


class ConcernCategoryForm(forms.ModelForm):
    class Meta:
        model = ConcernCategory
        fields = [
            "name",
            "guidance_when",
            "guidance_what",
            "guidance_first",
            "handler_kind",
            "handler_role",
            "handler_user",
            "handler_organisation",
            "default_urgency",
            "follows_meldcode",
            "home_situation",
            "position",
            "is_active",
        ]
        widgets = {
            "guidance_when": forms.Textarea(attrs={"rows": 2}),
            "guidance_what": forms.Textarea(attrs={"rows": 2}),
            "guidance_first": forms.Textarea(attrs={"rows": 2}),
            "handler_kind": forms.RadioSelect,
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        roles = concern_access.handler_roles(meldcode=False)
        self.fields["handler_role"].choices = [("", "—")] + [(r.value, r.label) for r in roles]
        self.instance.school = school
        self.fields["handler_user"].queryset = concern_access.possible_handlers(school, meldcode=False)
        self.fields["handler_organisation"].queryset = Organisation.objects.filter(schools=school)
        self.helper = form_helper(_("Opslaan"), form_tag=True)

    def clean(self):
        data = super().clean()
        # Keep only the handler that fits the kind chosen (the form shows all three).
        kind = data.get("handler_kind")
        required = {HandlerKind.ROLE: "handler_role", HandlerKind.PERSON: "handler_user"}.get(
            kind, "handler_organisation"
        )
        for name in ("handler_role", "handler_user", "handler_organisation"):
            if name != required:
                data[name] = "" if name == "handler_role" else None
            elif not data.get(name) and name not in self.errors:
                self.add_error(name, _("Kies wie deze meldingen behandelt."))
        return data

    def validate_unique(self):
        pass  # the service checks the name (case-insensitive) and says so under the field


class FiguresForm(forms.Form):
    start = forms.DateField(label=_("Van"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Tot en met"), widget=DateInput(), required=False)

    def period(self):
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or selectors.school_year_start(today)
        end = data.get("end") or today
        if end < start:
            start, end = end, start
        return start, end
