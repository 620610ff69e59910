"""Sign in with the school's account: OpenID Connect (Microsoft Entra ID, Google Workspace).

allauth's `openid_connect` provider does the protocol (discovery, PKCE, the ID token's
issuer, audience and expiry). Two things are added here:

- a **nonce** in every authorisation request, checked against the ID token, so an ID token
  made for another sign-in (a replayed or injected code) is refused;
- **matching**: the person is an EXISTING active user whose address equals the verified
  e-mail address the identity provider gives. Nothing is created: no user, no role, no link
  (a school's identity provider cannot hand out access to Carecoord). A provider can be
  limited to the staff of given schools (`schools`, BRIN codes) and to addresses in given
  domains (`email_domains`).

Whether the provider's sign-in counts as the second factor is set per provider
(`second_factor`): "carecoord" (default: our own TOTP or passkey step follows), "idp" (the
school's identity provider enforces MFA for every account, e.g. by Entra conditional
access), or "idp_amr" (only when the ID token's `amr` claim says MFA was used).
"""

import secrets

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.utils.translation import gettext as _

from carecoord.access import accounts as account_access

SECOND_FACTOR_MODES = ("carecoord", "idp", "idp_amr")


class Refused(Exception):
    """The identity provider's answer does not let this person in; the text says why."""


class SchoolOIDCProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider with a nonce (OpenID Connect Core 1.0, 3.1.2.1)."""

    # Its URLs (login, callback) are allauth's openid_connect ones.
    package = "allauth.socialaccount.providers.openid_connect"

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        auth_params = dict(self.get_auth_params() if auth_params is None else auth_params)
        auth_params["nonce"] = nonce
        # Extra keyword arguments are stored in the sign-in's state (in the session).
        return super().redirect(request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs)


def _settings(sociallogin) -> dict:
    return sociallogin.account.get_provider().app.settings


def _claims(sociallogin) -> tuple[dict, dict]:
    """(ID token claims, userinfo) as allauth stored them on the unsaved account."""
    data = sociallogin.account.extra_data or {}
    return data.get("id_token") or {}, data.get("userinfo") or {}


def _verified_email(id_token: dict, userinfo: dict) -> str | None:
    for claims in (userinfo, id_token):
        email = (claims.get("email") or "").strip().lower()
        # Google sends email_verified; Entra ID sends xms_edov ("email domain owner
        # verified") when that optional claim is configured (README).
        verified = claims.get("email_verified") in (True, "true") or claims.get("xms_edov") in (True, "true", 1)
        if email and verified:
            return email
    return None


def match_user(sociallogin):
    """The existing user this sign-in is for, or `Refused` with a message for the person."""
    from .models import User

    id_token, userinfo = _claims(sociallogin)
    expected = (sociallogin.state or {}).get("nonce")
    if not expected or not secrets.compare_digest(str(id_token.get("nonce", "")), expected):
        raise Refused(
            _("De aanmelding kon niet worden gecontroleerd (de controlecode klopt niet). Probeer het opnieuw.")
        )
    settings = _settings(sociallogin)
    email = _verified_email(id_token, userinfo)
    unknown = _(
        "Met dit account kun je niet inloggen bij Carecoord: we kennen het e-mailadres niet, of het is "
        "niet bevestigd door je school. Vraag de functioneel beheerder van je school om je toe te voegen "
        "met je schooladres, of log in met je e-mailadres en wachtwoord."
    )
    if email is None:
        raise Refused(unknown)
    domains = [d.lower().lstrip("@") for d in settings.get("email_domains") or []]
    if domains and email.rsplit("@", 1)[-1] not in domains:
        raise Refused(unknown)
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise Refused(unknown)
    if account_access.waits_for_invitation(user):
        raise Refused(
            _(
                "Je bent uitgenodigd voor Carecoord, maar hebt de uitnodiging nog niet aangenomen. Open de link "
                "in de uitnodigingsmail; werkt die niet meer, vraag dan om een nieuwe uitnodiging."
            )
        )
    schools = settings.get("schools") or []
    if schools and not user.memberships.filter(school__brin_code__in=schools).exists():
        raise Refused(unknown)
    return user


def counts_as_second_factor(sociallogin) -> bool:
    """Does this provider's sign-in stand in for our second factor (per provider setting)?"""
    mode = _settings(sociallogin).get("second_factor", "carecoord")
    if mode == "idp":
        return True
    if mode == "idp_amr":
        id_token, _userinfo = _claims(sociallogin)
        return "mfa" in (id_token.get("amr") or [])
    return False
