from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from carecoord.forms import DateInput, form_helper

from .models import HolidayPeriod, Role, School


class LoginForm(AllauthLoginForm):
    """E-mail and password (allauth). A wrong password and an unknown address get the same
    message (accounts.adapters.WRONG_PASSWORD), so the form does not tell which addresses
    have an account."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mailadres")
        self.fields["login"].widget.attrs.update({"autofocus": True, "autocomplete": "username", "placeholder": ""})
        self.fields["password"].label = _("Wachtwoord")
        self.fields["password"].widget.attrs.update({"placeholder": ""})
        self.fields["password"].help_text = ""
        self.helper = form_helper(form_tag=False)


class ActivateTOTPForm(AllauthActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code uit de app")
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})


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
        fields = ["name", "region", "holiday_region", "require_two_factor", "reply_to_email"]

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
