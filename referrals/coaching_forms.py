"""Forms of the kansencoach (seed 004). They parse input; referrals/services/coaching.py
checks the rules (a pupil of the own school, consent, minutes, dates)."""

from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord.access import coaching as coaching_access
from carecoord.forms import DateInput, form_helper
from students.models import Student

from .forms import StudentPickField
from .models import ConversationKind, Facility, FacilityKind


class NominationForm(forms.Form):
    # Chosen with the shared search field (referrals/_student_picker.html); any pupil of the
    # school can be found there, only the nominable ones are accepted.
    student = StudentPickField(
        label=_("Leerling"),
        queryset=Student.objects.none(),
        error_messages={
            "invalid_choice": _(
                "Deze leerling kun je niet voordragen: kies een leerling van je eigen school en je eigen groep."
            ),
            "required": _("Kies de leerling die je voordraagt."),
        },
    )
    facility = forms.ModelChoiceField(
        label=_("Kansencoach"),
        queryset=Facility.objects.none(),
        error_messages={"required": _("Kies de kansencoach.")},
    )
    reason = forms.CharField(
        label=_("Wat zie je, en waarom de kansencoach?"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kort: de ouders en de kansencoach lezen dit. Geen diagnose, wel wat je in de groep ziet."),
    )

    def __init__(self, *args, user, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = Student.objects.filter(
            coaching_access.nominable_students_q(user, school)
        ).select_related("school_class")
        coaches = Facility.objects.filter(school=school, kind=FacilityKind.KANSENCOACH, is_active=True)
        self.fields["facility"].queryset = coaches
        if len(coaches) == 1:
            self.fields["facility"].initial = coaches[0].pk
        self.helper = form_helper(form_tag=False)
        self.helper.layout = Layout("facility", "reason")


class ConversationForm(forms.Form):
    held_on = forms.DateField(
        label=_("Datum"), widget=DateInput(), error_messages={"invalid": _("Vul een datum in als dd-mm-jjjj.")}
    )
    # No min_value here: the service says what is wrong in the coach's words, and the typed
    # value stays in the field.
    minutes = forms.IntegerField(
        label=_("Minuten"), required=False, error_messages={"invalid": _("Vul het aantal minuten in als getal.")}
    )
    kind = forms.ChoiceField(label=_("Gesprek"), choices=ConversationKind.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Notitie"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["kind"].initial = ConversationKind.PUPIL
        self.helper = form_helper(_("Gesprek vastleggen"))
