"""Forms of the daily point card."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord.forms import DateInput
from referrals.models import WEEKDAYS

from .models import DEFAULT_GOAL, MAX_EXPECTATIONS, PeriodStatus, Proposal


class CardForm(forms.Form):
    """Up to five expectations, the scored lesson hours per weekday, the goal, the start."""

    goal_percent = forms.IntegerField(
        label=_("Dagdoel (%)"),
        min_value=1,
        max_value=100,
        initial=DEFAULT_GOAL,
        error_messages={
            "min_value": _("Het dagdoel is een percentage van 1 tot en met 100."),
            "max_value": _("Het dagdoel is een percentage van 1 tot en met 100."),
        },
    )
    start_on = forms.DateField(label=_("Start van de kaart"), widget=DateInput())
    periods = forms.MultipleChoiceField(label=_("Gescoorde lesuren"), required=False)

    weekdays = WEEKDAYS

    def __init__(self, *args, hours, **kwargs):
        super().__init__(*args, **kwargs)
        self.hours = hours
        for n in range(1, MAX_EXPECTATIONS + 1):
            self.fields[f"expectation_{n}"] = forms.CharField(
                label=_("Verwachting %(n)s") % {"n": n},
                max_length=200,
                required=False,
                help_text=_("In woorden van de leerling, bijv. ‘Ik begin binnen 5 minuten aan mijn taak’.")
                if n == 1
                else "",
            )
        self.fields["periods"].choices = [(f"{d}-{h.number}", f"{d}-{h.number}") for d, _n in WEEKDAYS for h in hours]
        self.fields["start_on"].initial = timezone.localdate()

    def expectation_fields(self):
        return [self[f"expectation_{n}"] for n in range(1, MAX_EXPECTATIONS + 1)]

    def grid(self):
        chosen = set(self["periods"].value() or [])
        return [
            (h, [(f"{d}-{h.number}", f"{d}-{h.number}" in chosen, f"{name} {h.number}") for d, name in WEEKDAYS])
            for h in self.hours
        ]

    def clean(self):
        data = super().clean()
        if not any((data.get(f"expectation_{n}") or "").strip() for n in range(1, MAX_EXPECTATIONS + 1)):
            self.add_error("expectation_1", _("Schrijf ten minste één verwachting op."))
        if not data.get("periods"):
            self.add_error("periods", _("Kies de lesuren die gescoord worden."))
        return data

    def expectations(self) -> list[str]:
        return [self.cleaned_data.get(f"expectation_{n}", "") for n in range(1, MAX_EXPECTATIONS + 1)]

    def period_pairs(self) -> list[tuple[int, int]]:
        return [tuple(int(x) for x in value.split("-")) for value in self.cleaned_data["periods"]]


class ScoreForm(forms.Form):
    """One lesson hour: 0, 1 or 2 per expectation, or "afwezig" / "geen les"."""

    status = forms.ChoiceField(choices=PeriodStatus.choices, initial=PeriodStatus.SCORED, required=False)
    remark = forms.CharField(label=_("Opmerking (kort, mag leeg)"), max_length=200, required=False)

    def __init__(self, *args, expectations, **kwargs):
        super().__init__(*args, **kwargs)
        self.expectations = expectations
        for e in expectations:
            self.fields[f"e{e.pk}"] = forms.TypedChoiceField(
                label=e.text,
                choices=[(0, "0"), (1, "1"), (2, "2")],
                coerce=int,
                required=False,
                error_messages={"invalid_choice": _("Een score is 0, 1 of 2.")},
            )

    def clean(self):
        data = super().clean()
        data["status"] = data.get("status") or PeriodStatus.SCORED
        if data["status"] == PeriodStatus.SCORED:
            for e in self.expectations:
                if data.get(f"e{e.pk}") in (None, "") and f"e{e.pk}" not in self.errors:
                    self.add_error(f"e{e.pk}", _("Geef 0, 1 of 2 punten."))
        return data

    def rows(self):
        """(expectation, bound field, chosen value) for the big buttons."""
        rows = []
        for e in self.expectations:
            value = self[f"e{e.pk}"].value()
            rows.append((e, self[f"e{e.pk}"], "" if value in (None, "") else str(value)))
        return rows

    def points(self) -> dict[int, int]:
        if self.cleaned_data["status"] != PeriodStatus.SCORED:
            return {}
        return {e.pk: self.cleaned_data[f"e{e.pk}"] for e in self.expectations}


class CheckOutForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusie van de dag"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposalForm(forms.Form):
    proposal = forms.ChoiceField(label=_("Voorstel"), choices=Proposal.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Toelichting"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
