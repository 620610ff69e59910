from django import forms
from django.utils.translation import gettext_lazy as _

from carecoord.forms import form_helper


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email", "autofocus": True}),
        error_messages={"required": _("Vul je e-mailadres in."), "invalid": _("Dit is geen geldig e-mailadres.")},
    )
    # Filled in: sign in with the app's code; empty: a code is mailed (portal.views.signin).
    app_code = forms.CharField(
        label=_("Of: code uit je authenticator-app"),
        max_length=12,
        required=False,
        help_text=_("Alleen als je een app hebt gekoppeld. Laat leeg om een code per e-mail te krijgen."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Stuur mij een code"), extra_buttons=[(APP_BUTTON, _("Inloggen met mijn app"))])


APP_BUTTON = "via_app"


class AppCodeForm(forms.Form):
    """Confirms a new authenticator app: the code it shows now."""

    code = forms.CharField(
        label=_("Code uit de app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Vul de code van zes cijfers uit de app in.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("App koppelen"))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code uit de e-mail"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": _("Vul de code uit de e-mail in.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Inloggen"))


class ParentViewForm(forms.Form):
    text = forms.CharField(
        label=_("Onze kijk"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Wat gaat goed, wat is lastig, wat wil je dat het team weet of bespreekt?"),
        error_messages={"required": _("Schrijf je kijk op de situatie.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Opslaan"))


class PlanAnswerForm(forms.Form):
    agreed = forms.TypedChoiceField(
        label=_("Stem je in met dit plan?"),
        choices=[("ja", _("Ja, ik stem in")), ("nee", _("Nee, ik stem (nog) niet in"))],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies ja of nee.")},
    )
    comment = forms.CharField(
        label=_("Toelichting"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nodig als je niet instemt: waarmee ben je het niet eens?"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Antwoord versturen"))


PUPIL = "leerling"


class InviteForm(forms.Form):
    who = forms.ChoiceField(label=_("Wie nodig je uit?"), error_messages={"required": _("Kies wie je uitnodigt.")})
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        help_text=_("Leeg: het adres dat bij de ouder/verzorger staat."),
        error_messages={"invalid": _("Dit is geen geldig e-mailadres.")},
    )

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student
        choices = [(str(g.pk), f"{g} — {g.email or _('geen e-mailadres')}") for g in student.guardians.all()]
        choices.append((PUPIL, _("%(name)s zelf (16 jaar of ouder)") % {"name": student.first_name}))
        self.fields["who"].choices = [("", "---------"), *choices]
        self.helper = form_helper(_("Uitnodiging versturen"))

    def guardian(self):
        who = self.cleaned_data["who"]
        return None if who == PUPIL else self.student.guardians.get(pk=int(who))


class OppViewForm(forms.Form):
    text = forms.CharField(
        label=_("Onze kijk op het plan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Wat vind je van de doelen en de ondersteuning? Wat werkt thuis, wat wil je anders?"),
        error_messages={"required": _("Schrijf je kijk op het plan.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Opslaan"))
