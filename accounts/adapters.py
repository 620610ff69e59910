"""How django-allauth behaves here: no sign-up, Dutch messages, our lockout, our 2FA rules."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import oidc

WRONG_PASSWORD = _(
    "Deze combinatie van e-mailadres en wachtwoord kennen we niet. Controleer beide en probeer het opnieuw."
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": WRONG_PASSWORD,
        "account_inactive": _(
            "Dit account is uitgeschakeld. Neem contact op met de functioneel beheerder van je school."
        ),
        "incorrect_password": _("Dit wachtwoord klopt niet."),
        "too_many_login_attempts": _("Te veel pogingen. Wacht vijf minuten en probeer het dan opnieuw."),
    }

    def is_open_for_signup(self, request):
        # Accounts are made by a functioneel beheerder (staff) or the region (partners);
        # a future parent login-by-code will also only find existing accounts.
        return False

    def pre_authenticate(self, request, **credentials):
        # Wrong passwords are counted by django-axes, per address *and* IP address
        # (settings.AXES_LOCKOUT_PARAMETERS); allauth's per-address count would let anyone
        # lock a colleague out by typing their address.
        return None

    def is_reauthentication_required(self, *, app, **kwargs):
        # Enrolling the first device right after signing in (forced for the roles that need it)
        # does not ask for the password again; changing an existing second factor does.
        if app == "allauth.mfa" and _just_signed_in_without_device():
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_login_stages(self):
        # Our code step also knows when a school's identity provider already did it.
        return [
            "accounts.twofactor.AuthenticateStage" if path == "allauth.mfa.stages.AuthenticateStage" else path
            for path in super().get_login_stages()
        ]


def _just_signed_in_without_device() -> bool:
    import time

    from allauth.account import app_settings as account_settings
    from allauth.account.authentication import get_authentication_records
    from allauth.core import context

    from .twofactor import has_second_factor

    request = context.request
    if request is None or not request.user.is_authenticated or has_second_factor(request.user):
        return False
    records = get_authentication_records(request, request.user)
    return bool(records) and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        # One message for a wrong code, a code from another phone and a code used before:
        # in each case the remedy is the next code in the right app.
        "incorrect_code": _(
            "Deze code klopt niet of is al gebruikt. Neem de code die je app nu toont "
            "(de app van dít account) en probeer het opnieuw."
        ),
        "cannot_delete_authenticator": _(
            "Voor jouw rol is tweestapsverificatie verplicht; je kunt hem niet uitzetten. Kwijt? "
            "Vraag de functioneel beheerder om een reset."
        ),
    }

    def can_delete_authenticator(self, authenticator):
        from carecoord.access.twofactor import two_factor_required

        if authenticator.type == authenticator.Type.RECOVERY_CODES:
            return True
        others = authenticator.user.authenticator_set.exclude(pk=authenticator.pk).exclude(
            type=authenticator.Type.RECOVERY_CODES
        )
        return others.exists() or not two_factor_required(authenticator.user)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def list_apps(self, request, provider=None, client_id=None):
        # Identity providers come from the environment (OIDC_PROVIDERS) only, never from the
        # database, where anyone with the Django admin could add one that signs in as anyone.
        return [app for app in super().list_apps(request, provider, client_id) if app.pk is None]

    def pre_social_login(self, request, sociallogin):
        """Match the school account to an existing user, or refuse with a Dutch message."""
        try:
            user = oidc.match_user(sociallogin)
        except oidc.Refused as refused:
            raise ImmediateHttpResponse(
                render(request, "socialaccount/refused.html", {"reason": str(refused)}, status=403)
            ) from None
        # Not stored as a link: the next sign-in is matched by address again, so changing or
        # removing the address in Carecoord (or the account at the school) takes effect at once.
        sociallogin.user = user
