"""Forms of the privacy app: the school's retention terms and AVG requests."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord.forms import DateInput, form_helper

from .models import DEFAULT_MONTHS, MAX_MONTHS, TERM_LABELS, RightsRequestKind, RightsRequestStatus


class RetentionTermsForm(forms.Form):
    """One number of months per kind of data. Zero, negative or too long is refused here
    and again by the service."""

    def __init__(self, *args, months: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for term, label in TERM_LABELS.items():
            self.fields[term] = forms.IntegerField(
                label=label,
                initial=months[term],
                min_value=1,
                max_value=MAX_MONTHS,
                help_text=_("Standaard %(months)s maanden.") % {"months": DEFAULT_MONTHS[term]},
                error_messages={
                    "min_value": _("Een bewaartermijn is minstens 1 maand."),
                    "max_value": _("Een bewaartermijn is hoogstens %(limit_value)s maanden (20 jaar)."),
                    "required": _("Vul een aantal maanden in."),
                    "invalid": _("Vul een heel aantal maanden in."),
                },
            )
        self.helper = form_helper(_("Bewaartermijnen opslaan"))


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort verzoek"), choices=[("", "—"), *RightsRequestKind.choices])
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput())
    requested_by = forms.CharField(
        label=_("Verzoek van"), max_length=200, help_text=_("Bijv. moeder, of de leerling zelf.")
    )
    description = forms.CharField(
        label=_("Wat wordt er gevraagd?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.helper = form_helper(_("Verzoek vastleggen"))


class RightsRequestHandleForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Afgehandeld"),
        choices=[("", "—"), *[(v, label) for v, label in RightsRequestStatus.choices if v != RightsRequestStatus.OPEN]],
    )
    handling = forms.CharField(
        label=_("Wat is er gedaan?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijv. welke gegevens zijn verbeterd of verwijderd, of waarom het verzoek is afgewezen."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Afhandeling vastleggen"))
