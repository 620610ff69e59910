"""Whether this session has passed a second factor, and how.

allauth records each step of a sign-in in the session ("password", "mfa", "socialaccount").
A session counts as two-factor when one of these happened in it:

- a TOTP code, a recovery code or a passkey (allauth's "mfa" step, at sign-in or when asked
  again later);
- this browser was trusted after such a step (allauth skips the step then, at most 30 days);
- the user enrolled a second factor in this session (the code or key was just proven);
- sign-in through a school's identity provider configured to count as two-factor
  (`second_factor` in OIDC_PROVIDERS, accounts/oidc.py).

Who needs it is decided in carecoord/access/twofactor.py; the middleware enforces it.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.account.signals import user_logged_in
from allauth.mfa.internal.flows.trust import is_trusted_browser
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from allauth.mfa.stages import AuthenticateStage as AllauthAuthenticateStage
from django.dispatch import receiver

import carecoord.access.twofactor  # noqa: F401  (registers the rule "user.reset_two_factor")

SESSION_KEY = "carecoord_second_factor"


def mark_second_factor(request, how: str) -> None:
    """Record in the session that (and how) the second factor was passed."""
    request.session[SESSION_KEY] = how


def second_factor_passed(request) -> bool:
    """Did this session pass a second factor? Reads the session only (no query)."""
    if request.session.get(SESSION_KEY):
        return True
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def has_second_factor(user) -> bool:
    """Has the user enrolled a TOTP app or a passkey (recovery codes alone are no device)?"""
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


class AuthenticateStage(AllauthAuthenticateStage):
    """allauth's "enter your code" step, skipped after a sign-in through an identity provider
    that counts as the second factor (OIDC_PROVIDERS `second_factor`, accounts/oidc.py)."""

    def _should_handle(self, request) -> bool:
        if _idp_counts(self.login.signal_kwargs):
            return False
        return super()._should_handle(request)


def _idp_counts(signal_kwargs) -> bool:
    from .oidc import counts_as_second_factor

    sociallogin = (signal_kwargs or {}).get("sociallogin")
    return sociallogin is not None and counts_as_second_factor(sociallogin)


# --- allauth signals: keep the session mark in step (connected in AccountsConfig.ready) -------


@receiver(authenticator_added, dispatch_uid="carecoord_2fa_enrolled")
def _enrolled(sender, request, user, authenticator, **kwargs):
    # Enrolling needs the current code (TOTP) or the key itself (passkey): proven just now.
    if authenticator.type not in (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN):
        return  # new recovery codes need the second factor already
    if request is not None and request.user.is_authenticated and request.user.pk == user.pk:
        mark_second_factor(request, f"enrolled:{authenticator.type}")
        # Also as a fresh confirmation, so the recovery codes shown next need no code again.
        record_authentication(request, user, "mfa", type=authenticator.type, id=authenticator.pk, reauthenticated=True)


@receiver(user_logged_in, dispatch_uid="carecoord_2fa_trusted_browser")
def _logged_in(sender, request, user, **kwargs):
    if _idp_counts(kwargs):
        mark_second_factor(request, f"oidc:{kwargs['sociallogin'].account.provider}")
        return
    # allauth skips the code step in a trusted browser without recording that it did.
    if not second_factor_passed(request) and is_trusted_browser(request, user) and has_second_factor(user):
        mark_second_factor(request, "trusted_browser")
