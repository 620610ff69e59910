"""Forms of the plans app (crispy, Bootstrap 5). Rules live in the services; a form only
parses, and shows the services' errors at the field (carecoord.forms.add_service_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carecoord.forms import DateInput, DateTimeInput, form_helper

from .models import CONTENT_FIELDS, PlanVersion, RequestKind, RequestState, TlvCategory


class PlanStartForm(forms.Form):
    support_started_on = forms.DateField(
        label=_("Extra ondersteuning gestart op"),
        widget=DateInput,
        help_text=_("Het OPP moet binnen zes weken daarna zijn vastgesteld."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("OPP starten"))


class VersionForm(forms.ModelForm):
    """The parts of a draft the user may write (`fields`: all for the coordinator, their own
    part for the mentor and the coach)."""

    class Meta:
        model = PlanVersion
        fields = CONTENT_FIELDS
        widgets = {
            "period_start": DateInput,
            "period_end": DateInput,
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in CONTENT_FIELDS
                if name not in ("period_start", "period_end", "destination")
            },
        }

    def __init__(self, *args, writable=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in writable:
                del self.fields[name]
        self.helper = form_helper(_("Opslaan"))

    def _post_clean(self):
        # The service writes (and checks) the draft; the form does not touch the instance.
        pass


class DiscussionForm(forms.Form):
    discussed_on = forms.DateField(label=_("Besproken op"), widget=DateInput)
    discussed_with = forms.CharField(
        label=_("Met wie"), max_length=300, help_text=_("Bijv. moeder, vader, leerling, mentor.")
    )
    parents_view = forms.CharField(
        label=_("Zienswijze van ouders en leerling"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Gesprek vastleggen"))


STUDENT = "leerling"


class ConsentForm(forms.Form):
    """Instemming with the handelingsdeel. Every guardian is listed: one without gezag is
    refused by the service with a message that names the rule."""

    giver = forms.ChoiceField(label=_("Wie stemt in"))
    consent_given_on = forms.DateField(label=_("Instemming gegeven op"), widget=DateInput)

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.pk): g for g in student.guardians.all()}
        choices = [("", "---------")]
        choices += [
            (pk, str(g) + ("" if g.has_authority else f" — {_('geen gezag')}")) for pk, g in self.guardians.items()
        ]
        choices.append((STUDENT, _("de leerling zelf (vanaf 18 jaar)")))
        self.fields["giver"].choices = choices
        self.helper = form_helper(_("Instemming vastleggen"))

    def giver_kwargs(self):
        giver = self.cleaned_data["giver"]
        if giver == STUDENT:
            return {"guardian": None, "by_student": True}
        return {"guardian": self.guardians.get(giver), "by_student": False}


class AnyDocumentField(forms.TypedMultipleChoiceField):
    """The choices are the documents the sender may read; any other id goes to the service,
    which refuses it with a message that says why (not Django's "not a valid choice")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, coerce=int, **kwargs)

    def valid_value(self, value):
        return str(value).isdigit()


class RequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Samenwerkingsverband"),
        queryset=None,
        error_messages={"invalid_choice": _("Een aanvraag kan alleen naar een samenwerkingsverband van deze school.")},
    )
    kind = forms.ChoiceField(label=_("Soort aanvraag"), choices=RequestKind.choices)
    tlv_category = forms.ChoiceField(
        label=_("Gevraagde categorie (alleen bij een TLV)"),
        choices=[("", "---------"), *TlvCategory.choices],
        required=False,
    )
    question = forms.CharField(label=_("Vraag aan het samenwerkingsverband"), widget=forms.Textarea(attrs={"rows": 5}))
    documents = AnyDocumentField(
        label=_("Documenten meesturen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen documenten uit het dossier die u zelf mag inzien."),
    )

    def __init__(self, *args, organisations, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["documents"].choices = list(documents)
        if not documents:
            self.fields["documents"].help_text = _("Er staan geen documenten in het dossier.")
        self.helper = form_helper(_("Aanvraag indienen"))

    def add_error(self, field, error):
        # A check-box list without boxes shows no error of its own: say it on top.
        if field == "documents" and not self.fields["documents"].choices:
            field = None
        super().add_error(field, error)


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Bericht"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit_label or _("Versturen"))


class MeetingForm(forms.Form):
    meeting_at = forms.DateTimeField(label=_("Datum en tijd"), widget=DateTimeInput)
    place = forms.CharField(label=_("Plaats of link"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Gesprek plannen"))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Besluit"),
        choices=[(RequestState.GRANTED.value, _("toekennen")), (RequestState.REFUSED.value, _("afwijzen"))],
        widget=forms.RadioSelect,
    )
    hours = forms.DecimalField(label=_("Uren per week"), required=False, min_value=0, max_digits=5, decimal_places=1)
    budget = forms.DecimalField(label=_("Budget (euro)"), required=False, min_value=0, max_digits=9, decimal_places=2)
    starts_on = forms.DateField(label=_("Ingangsdatum"), widget=DateInput, required=False)
    ends_on = forms.DateField(label=_("Einddatum"), widget=DateInput, required=False)
    granted_category = forms.ChoiceField(
        label=_("Toegekende categorie (TLV)"), choices=[("", "---------"), *TlvCategory.choices], required=False
    )
    reasons = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Besluit vastleggen"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reden van intrekken"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Aanvraag intrekken"))


class ExternalReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=None,
        error_messages={
            "invalid_choice": _("Kies een partner van deze school: jeugdteam, SMW, jeugdhulp of JGZ."),
        },
    )
    question = forms.CharField(label=_("Hulpvraag"), widget=forms.Textarea(attrs={"rows": 5}))
    contact_person = forms.CharField(label=_("Contactpersoon bij de partner"), max_length=200, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = form_helper(_("Doorverwijzen"))


class AcceptForm(forms.Form):
    help_started_on = forms.DateField(label=_("Hulp gestart op"), widget=DateInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Accepteren"))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reden van afwijzen"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Afwijzen"))


class EndForm(forms.Form):
    help_started_on = forms.DateField(label=_("Hulp gestart op"), widget=DateInput, required=False)
    help_ended_on = forms.DateField(label=_("Hulp beëindigd op"), widget=DateInput)
    summary = forms.CharField(label=_("Korte samenvatting"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Hulp afronden"))
