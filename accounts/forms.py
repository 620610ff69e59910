from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm, _unicode_ci_compare
from django.utils.translation import gettext_lazy as _

from carecoord.access import accounts as account_access
from carecoord.forms import DateInput, form_helper

from .models import HolidayPeriod, Organisation, Role, School, SchoolType, User


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

    def get_users(self, email):
        """Django's choice (an active account with a password, the address matched as Django
        matches it), plus an active colleague who never chose a password
        (carecoord.access.accounts.may_reset_password), matched the same way: Django's
        `_unicode_ci_compare` (private, but one rule for both halves: Unicode case folding, a
        look-alike address in another script does not match)."""
        yield from super().get_users(email)
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if (
                not user.has_usable_password()
                and _unicode_ci_compare(email, user.email)
                and account_access.may_reset_password(user)
            ):
                yield user


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

    def offer_for(self, school) -> None:
        """Only the roles that mean something at `school` (no IB'er at a VO school), in its
        words (a primary school's mentor is its leerkracht)."""
        from carecoord.access.accounts import roles_fit_school

        from .words import role_label

        self.choices = [
            (value, role_label(value, school))
            for value, _label in Role.choices
            if roles_fit_school(school=school, roles=[value])
        ]


class StaffAddForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    email = forms.EmailField(
        label=_("E-mailadres"), help_text=_("Heeft dit adres al een account, dan krijgt het de rollen meteen.")
    )
    roles = RolesField()

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].offer_for(school)
        self.helper = form_helper(_("Uitnodiging versturen"), form_tag=True)


class PersonInviteForm(forms.Form):
    """Name and address of one person to invite (a school's first beheerder, a partner's
    contact person or professional)."""

    name = forms.CharField(label=_("Naam"), max_length=200)
    email = forms.EmailField(label=_("E-mailadres"))

    def __init__(self, *args, submit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit or _("Uitnodiging versturen"))


class InvitationAcceptForm(SetPasswordForm):
    """Choosing a password from an invitation link."""

    # The invitation the page showed: the link's secret is in the session, where an invitation
    # opened later in the same browser (another tab) takes its place (carecoord.links).
    invitation = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kies een wachtwoord")
        self.fields["new_password2"].label = _("Wachtwoord (nogmaals)")
        self.helper = form_helper(_("Account activeren"))


class SchoolForm(forms.ModelForm):
    """A school as applicatiebeheer enters it: adding one, and correcting it later (the
    service checks the BRIN code: accounts.services.region._school_save)."""

    class Meta:
        model = School
        fields = ["name", "school_type", "brin_code", "region", "holiday_region"]

    def __init__(self, *args, submit=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Chosen, never assumed: a primary school added as the default (secondary) got a
        # secondary school's words and day.
        self.fields["school_type"].choices = [("", _("Kies de soort school")), *SchoolType.choices]
        self.fields["school_type"].initial = None
        self.helper = form_helper(submit or _("School toevoegen"))

    def validate_unique(self):
        pass  # the service refuses a duplicate BRIN code (also in another case) with its own message


class OrganisationForm(forms.ModelForm):
    schools = forms.ModelMultipleChoiceField(
        School.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Werkt met deze scholen"),
    )
    contact = forms.ModelChoiceField(User.objects.none(), required=False, label=_("Contactpersoon"))

    class Meta:
        model = Organisation
        fields = ["name", "kind", "schools", "contact"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["contact"].queryset = self.instance.users.filter(is_active=True).order_by("name")
            self.fields["contact"].help_text = _("Nodigt de eigen professionals van de organisatie uit.")
        else:
            del self.fields["contact"]
        self.helper = form_helper(_("Opslaan"))


class StaffRolesForm(forms.Form):
    roles = RolesField(required=False, help_text=_("Zet alles uit om iemand van deze school te halen."))

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].offer_for(school)
        # accounts/staff_form.html writes the <form>: it asks before nothing ticked is saved.
        self.helper = form_helper(_("Opslaan"))


class SchoolSettingsForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["name", "school_type", "region", "holiday_region", "require_two_factor", "reply_to_email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a post (an older form, a script): the school keeps its type.
        self.fields["school_type"].required = False
        self.helper = form_helper(_("Opslaan"))

    def clean_school_type(self):
        return self.cleaned_data.get("school_type") or self.instance.school_type


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
