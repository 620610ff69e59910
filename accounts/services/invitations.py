"""Inviting people: school staff (by the school's functioneel beheerder, or its first beheerder
by applicatiebeheer) and partner professionals (by their organisation's contact person).

The link carries a random token (only its SHA-256 is stored), works once and for
INVITATION_DAYS days. An address that already has an account gets the roles at once instead
(no second account, no invitation).
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import change_record

from ..models import Invitation, Membership, Organisation, School, User
from .people import _refuse_roles_not_of_school, staff_add

INVITATION_DAYS = 7


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("invitation_accept", kwargs={"token": token})


def _send(invitation: Invitation, token: str) -> None:
    from notifications.services import notification_queue

    notification_queue(
        key=f"accounts.invitation:{invitation.pk}:{invitation.times_sent}",
        recipient=invitation.user,
        kind="accounts.invitation",
        template="accounts/email/invitation",
        context={
            "invitation": invitation,
            "school": invitation.school,
            "organisation": invitation.organisation,
            "link": invitation_link(token),
            "days": INVITATION_DAYS,
        },
        school=invitation.school,
    )


def _audit(invitation: Invitation, *, actor, kind: str, after: dict | None = None, before: dict | None = None):
    change_record(
        school=invitation.school_id,
        actor=actor,
        kind=kind,
        obj=invitation,
        before=before,
        after=after,
    )


def invitation_create(
    *,
    actor: User,
    email: str,
    name: str,
    roles=(),
    school: School | None = None,
    organisation: Organisation | None = None,
) -> tuple[User, Invitation | None]:
    """Invite `email` to work at `school` with `roles`, or as a professional of `organisation`.

    Returns (user, invitation). An address with an account already gets the roles at the
    school at once and no invitation (None); a partner organisation's invitation to an
    existing address is refused. The caller checked the actor's right. Raises
    ValidationError with a clear message; nothing is written then.
    """
    email = email.strip().lower()
    roles = sorted(set(roles))
    if (school is None) == (organisation is None):
        raise ValueError("An invitation is for a school or for a partner organisation")
    if school is not None and not roles:
        raise ValidationError({"roles": _("Kies ten minste één rol.")})
    if school is not None:
        # The intern begeleider belongs to a PO/SO school (issue 25), also for a new account.
        _refuse_roles_not_of_school(school=school, roles=roles)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is not None:
            return _existing_account(user=user, actor=actor, school=school, organisation=organisation, roles=roles)
        user = User.objects.create_user(email=email, password=None, name=name.strip(), organisation=organisation)
        token, hashed = _new_token()
        now = timezone.now()
        invitation = Invitation.objects.create(
            user=user,
            school=school,
            organisation=organisation,
            invited_roles=roles,
            token_hash=hashed,
            invited_by=actor,
            created_at=now,
            sent_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        _audit(
            invitation,
            actor=actor,
            kind="accounts.invitation_sent",
            after={"email": email, "roles": roles, "organisation": getattr(organisation, "pk", None)},
        )
        _send(invitation, token)
    return user, invitation


def _existing_account(*, user, actor, school, organisation, roles):
    if organisation is not None:
        if user.organisation_id == organisation.pk:
            raise ValidationError({"email": _("Dit adres heeft al een account bij deze organisatie.")})
        raise ValidationError(
            {
                "email": _(
                    "Dit adres heeft al een account (van een school of een andere organisatie). Gebruik een ander adres."
                )
            }
        )
    if Invitation.objects.open().filter(user=user, school=school).exists():
        raise ValidationError(
            {"email": _("Er staat al een uitnodiging open voor dit adres. Verstuur die opnieuw als hij niet aankwam.")}
        )
    # The roles at once: the person signs in as before and finds the school in the menu.
    staff_add(school=school, email=user.email, name=user.name, roles=roles, actor=actor)
    return user, None


def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """Send the invitation again with a new link (the old one stops working), valid
    INVITATION_DAYS from now. An accepted invitation is not sent again."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at:
            raise ValidationError(_("Deze uitnodiging is al aangenomen."))
        token, hashed = _new_token()
        now = timezone.now()
        before = {"expires_at": invitation.expires_at, "revoked_at": invitation.revoked_at}
        invitation.token_hash = hashed
        invitation.sent_at = now
        invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
        invitation.revoked_at = None
        invitation.times_sent += 1
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "revoked_at", "times_sent"])
        _audit(
            invitation,
            actor=actor,
            kind="accounts.invitation_resent",
            before=before,
            after={"expires_at": invitation.expires_at, "revoked_at": None},
        )
        _send(invitation, token)
    return invitation


def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw an invitation: its link stops working at once."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at:
            raise ValidationError(_("Deze uitnodiging is al aangenomen; haal de rollen weg bij de medewerker."))
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            _audit(
                invitation, actor=actor, kind="accounts.invitation_revoked", after={"revoked_at": invitation.revoked_at}
            )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation of a link (any state), or None for a link that never existed."""
    if not token:
        return None
    return (
        Invitation.objects.select_related("user", "school", "organisation").filter(token_hash=token_hash(token)).first()
    )


def invitation_accept(*, token: str, password: str) -> User:
    """Accept an invitation: set the password, give the roles. Works once, while open."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("user").filter(token_hash=token_hash(token)).first()
        )
        if invitation is None or invitation.state != "open":
            raise ValidationError(invitation_closed_message(invitation))
        user = invitation.user
        validate_password(password, user)
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        for role in invitation.invited_roles:
            Membership.objects.get_or_create(user=user, school_id=invitation.school_id, role=role)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        _audit(
            invitation, actor=user, kind="accounts.invitation_accepted", after={"accepted_at": invitation.accepted_at}
        )
    return user


def invitation_closed_message(invitation: Invitation | None) -> str:
    state = invitation.state if invitation is not None else "unknown"
    return {
        "accepted": _("Deze uitnodiging is al gebruikt. Log in met je e-mailadres en wachtwoord."),
        "revoked": _("Deze uitnodiging is ingetrokken. Vraag je functioneel beheerder om een nieuwe."),
        "expired": _("Deze uitnodiging is verlopen. Vraag je functioneel beheerder om hem opnieuw te versturen."),
    }.get(state, _("Deze link klopt niet. Vraag je functioneel beheerder om een nieuwe uitnodiging."))
