"""Signing in to the portal with an authenticator app (TOTP) instead of a mailed code.

The app is an allauth `Authenticator` row (type TOTP, its secret encrypted by allauth), made
and checked by allauth's own TOTP code, as for staff. Only the sign-in around it is ours, so
that it keeps the rules of the mailed code: the per-IP limit, a lockout after CODE_TRIES
wrong codes, and one answer whatever the address (known or not, with an app or not). For a
participant the app is the only factor (they have no password); their account stays a
participant's, so the gate (portal.middleware) keeps it inside the portal.
"""

import hashlib

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, validate_totp_code
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from carecoord import access
from carecoord.access.portal import is_participant
from students.timeline import timeline_add

from ..models import Participant
from . import CODE_REQUESTS_PER_IP, CODE_TRIES, TOO_MANY, _actor_label, _count_in_window, _rate_limited

WRONG_APP_CODE = gettext_lazy(
    "Deze code klopt niet, is al gebruikt of er is bij dit adres geen app gekoppeld. "
    "Neem de code die de app nu toont, of vraag een code per e-mail aan."
)
APP_LOCKED = gettext_lazy(
    "Te vaak een verkeerde code uit een app. Inloggen met een app kan een kwartier niet voor dit adres: "
    "vraag een code per e-mail aan."
)
WRONG_SETUP_CODE = gettext_lazy(
    "Deze code klopt niet. Neem de code van zes cijfers die de app nu toont en probeer het opnieuw."
)


def _fails_key(email: str) -> str:
    return "portal.app.fails:" + hashlib.sha256(email.encode()).hexdigest()


def _timeline(user, kind: str, **params) -> None:
    for participant in Participant.objects.active().filter(user=user).select_related("student"):
        timeline_add(student=participant.student, kind=kind, actor=user, who=_actor_label(participant), **params)


def app_secret_new() -> str:
    """A new secret for the page that adds an app (kept in the session until confirmed)."""
    return generate_totp_secret()


def app_of(user) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()


def app_add(*, user, secret: str, code: str) -> Authenticator:
    """Add an authenticator app to a participant's own account, confirmed by a current code
    of that app (so the secret was typed or scanned correctly). The confirming code is spent:
    it cannot also sign in."""
    if not access.can(user, "participant.manage_app", user):
        raise ValidationError(_("Je kunt hier geen app koppelen."))
    code = "".join(code.split())
    if not validate_totp_code(secret, code):
        raise ValidationError({"code": WRONG_SETUP_CODE})
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one app per account, also when clicked twice
        if app_of(user) is not None:
            raise ValidationError(_("Je hebt al een app gekoppeld."))
        totp = TOTP.activate(user, secret)
        totp.validate_code(code)  # marks the code used (allauth's cache of used codes)
        _timeline(user, "portal.app_added")
    return totp.instance


def app_remove(*, user) -> bool:
    """Remove the participant's authenticator app; they sign in with a mailed code again."""
    if not access.can(user, "participant.manage_app", user):
        raise ValidationError(_("Je kunt hier geen app verwijderen."))
    with transaction.atomic():
        deleted, _rows = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
        if deleted:
            _timeline(user, "portal.app_removed")
    return bool(deleted)


def login_app_verify(*, email: str, code: str, ip: str):
    """The participant behind `email` when `code` is a current, unused code of their app.

    Every try counts in the same per-IP window as code requests; wrong codes are counted per
    address (known or not) and after CODE_TRIES the address cannot use an app for the rest
    of the window. One message for an unknown address, an address without app, a wrong and
    a reused code. Raises ValidationError."""
    email = email.strip().lower()
    code = "".join(code.split())
    if _rate_limited(f"portal.code.ip:{ip}", CODE_REQUESTS_PER_IP):
        raise ValidationError(TOO_MANY)
    # Counted before checking (and cleared on success), so parallel tries cannot slip past the limit.
    tries = _count_in_window(_fails_key(email))
    if tries > CODE_TRIES:
        raise ValidationError({"app_code": APP_LOCKED})
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    valid = False
    # Staff and partners are never participants: their app is their second factor, not a way in here.
    if user is not None and is_participant(user) and Participant.objects.active().filter(user=user).exists():
        app = app_of(user)
        valid = app is not None and TOTP(app).validate_code(code)
    if not valid:
        raise ValidationError({"app_code": APP_LOCKED if tries >= CODE_TRIES else WRONG_APP_CODE})
    cache.delete(_fails_key(email))
    with transaction.atomic():
        for participant in Participant.objects.active().filter(user=user).select_related("student"):
            timeline_add(student=participant.student, kind="portal.signed_in", actor=user, how="app")
    return user
