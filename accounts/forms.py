from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from carecoord.forms import DateInput, form_helper

from .models import HolidayPeriod, Role, School


class LoginForm(AuthenticationForm):
    """E-mail and password. A wrong password and an unknown address get the same
    message, so the form does not tell which addresses have an account."""

    username = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "Deze combinatie van e-mailadres en wachtwoord kennen we niet. Controleer beide en probeer het opnieuw."
        ),
        "inactive": _("Dit account is uitgeschakeld. Neem contact op met de functioneel beheerder van je school."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Wachtwoord")
        self.helper = form_helper(form_tag=False)


class ResetForm(PasswordResetForm):
    email = forms.EmailField(label=_("E-mailadres"), max_length=254, widget=forms.EmailInput(attrs={"autofocus": True}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(form_tag=False)


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Nieuw wachtwoord")
        self.fields["new_password2"].label = _("Nieuw wachtwoord (nogmaals)")
        self.helper = form_helper(form_tag=False)


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=Role.choices, widget=forms.CheckboxSelectMultiple, label=_("Rollen op deze school"), **kwargs
        )


class StaffAddForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    email = forms.EmailField(label=_("E-mailadres"))
    roles = RolesField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Toevoegen"))


class StaffRolesForm(forms.Form):
    roles = RolesField(required=False, help_text=_("Zet alles uit om iemand van deze school te halen."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Opslaan"))


class SchoolSettingsForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["name", "region", "holiday_region", "reply_to_email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Opslaan"))


class HolidayForm(forms.ModelForm):
    class Meta:
        model = HolidayPeriod
        fields = ["name", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("De laatste dag ligt vóór de eerste dag."))
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Toevoegen"))
