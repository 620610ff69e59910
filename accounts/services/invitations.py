"""Inviting people: school staff (by the school's functioneel beheerder, or its first beheerder
by applicatiebeheer) and partner professionals (by their organisation's contact person).

The link carries a random token (only its SHA-256 is stored), works once and for
INVITATION_DAYS days. An address that already has an account gets the roles at once instead
(no second account, no invitation); a switched-off one is switched on again with a new
password (people.staff_add); one still waiting for an invitation elsewhere gets this school's
invitation too (it has no other way in). A switched-off professional invited by their own organisation
gets a normal invitation for that account; accepting switches it on again.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import change_record
from carecoord.access import accounts as account_access
from carecoord.links import link_path

from ..models import Invitation, Membership, Organisation, School, User
from ..words import role_label
from .people import _refuse_roles_not_of_school, staff_add
from .region import work_waiting_handed_on

INVITATION_DAYS = 7


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def invitation_link(token: str) -> str:
    return settings.SITE_URL + link_path("invitation_accept", token)


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
            "roles": ", ".join(role_label(role, invitation.school) for role in invitation.invited_roles),
            "returning": not invitation.user.is_active,
        },
        school=invitation.school,
        # A returning professional's account stays off until they accept: the invitation is
        # the one mail that must reach it (resent ones too).
        to_switched_off=invitation.organisation_id is not None,
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


def _new_invitation(*, user, actor, school=None, organisation=None, roles=()) -> tuple[Invitation, str]:
    """A new open invitation for `user`, valid INVITATION_DAYS, and its link's token (only its
    hash is stored)."""
    token, hashed = _new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        user=user,
        school=school,
        organisation=organisation,
        invited_roles=list(roles),
        token_hash=hashed,
        invited_by=actor,
        created_at=now,
        sent_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    return invitation, token


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
    school at once and no invitation (None); `user.reactivated` says whether that account
    was switched off and is switched on again (people.staff_add). A partner organisation's
    invitation to an existing address is refused, except to its own switched-off
    professional, who gets a normal invitation (`user.is_active` stays False until accepted).
    Raises ValidationError with a clear message; nothing is written then.
    """
    email = email.strip().lower()
    roles = sorted(set(roles))
    if (school is None) == (organisation is None):
        raise ValueError("An invitation is for a school or for a partner organisation")
    if not account_access.may_send_invitation(
        actor, Invitation(school=school, organisation=organisation, invited_roles=roles)
    ):
        # Asked here as well as by the page: the staff import runs after its confirmation
        # with the rights its sender has then, and an invitation its sender may not send
        # would only be refused at accepting (`sender_backs`), after a password was chosen.
        where = school.name if school is not None else organisation.name
        raise ValidationError(_("Je mag geen uitnodigingen (meer) versturen voor %(where)s.") % {"where": where})
    if school is not None and not roles:
        raise ValidationError({"roles": _("Kies ten minste één rol.")})
    if school is not None:
        # The intern begeleider belongs to a PO/SO school (issue 25), also for a new account.
        _refuse_roles_not_of_school(school=school, roles=roles)
    with transaction.atomic():
        # Locked: two beheerders who bring back the same leaver at once switch them on once
        # (people.staff_add, inside this transaction).
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is not None:
            return _existing_account(user=user, actor=actor, school=school, organisation=organisation, roles=roles)
        try:
            # A savepoint: the lock above cannot hold a row that is not there yet, so a
            # colleague inviting the same new address at the same moment may insert it first.
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email, password=None, name=name.strip(), organisation=organisation
                )
        except IntegrityError:
            raise ValidationError(
                {"email": _("Dit adres is zojuist door iemand anders uitgenodigd; kijk bij de uitnodigingen.")}
            ) from None
        return user, _invite(user=user, actor=actor, school=school, organisation=organisation, roles=roles)


def _invite(*, user, actor, school, organisation, roles) -> Invitation:
    """A new invitation for `user` (new, or waiting for an earlier one), recorded and mailed."""
    invitation, token = _new_invitation(user=user, actor=actor, school=school, organisation=organisation, roles=roles)
    _audit(
        invitation,
        actor=actor,
        kind="accounts.invitation_sent",
        after={"email": user.email, "roles": roles, "organisation": getattr(organisation, "pk", None)},
    )
    _send(invitation, token)
    return invitation


def _existing_account(*, user, actor, school, organisation, roles):
    if organisation is not None:
        if user.organisation_id == organisation.pk and not user.is_active:
            return user, _professional_reinvite(user=user, actor=actor, organisation=organisation)
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
            {"email": _("Er staat al een uitnodiging open voor dit adres. Verstuur die opnieuw als die niet aankwam.")}
        )
    if account_access.gets_invitation(user):
        # Invited elsewhere and never accepted: roles alone would strand them.
        return user, _invite(user=user, actor=actor, school=school, organisation=None, roles=roles)
    # The roles at once: the person signs in as before and finds the school in the menu (a
    # switched-off account is switched on again and its owner chooses a new password). What
    # staff_add refuses (a partner's or applicatiebeheer's address…) is said at the address.
    try:
        return staff_add(school=school, user=user, roles=roles, actor=actor), None
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from None


def _professional_reinvite(*, user, actor, organisation) -> Invitation:
    """A professional who comes back to their organisation: their switched-off account gets a
    normal invitation. It stays switched off until they accept (choosing a new password);
    their old password stops working now. Their second-factor devices stay (the same person).
    Inside invitation_create's transaction, with the user row locked."""
    if user.pk == actor.pk:
        raise ValidationError({"email": account_access.own_account_refusal()})
    if Invitation.objects.open().filter(user=user).exists():
        raise ValidationError(
            {"email": _("Er staat al een uitnodiging open voor dit adres. Verstuur die opnieuw als die niet aankwam.")}
        )
    had_password = user.has_usable_password()
    user.set_unusable_password()
    user.save(update_fields=["password"])
    invitation, token = _new_invitation(user=user, actor=actor, organisation=organisation)
    _audit(
        invitation,
        actor=actor,
        kind="accounts.invitation_sent",
        before={"old_password_works": had_password},
        after={
            "email": user.email,
            "roles": [],
            "organisation": organisation.pk,
            "returning": True,
            "old_password_works": False,
        },
    )
    _send(invitation, token)
    return invitation


def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """Send the invitation again with a new link (the old one stops working), valid
    INVITATION_DAYS from now, on the name of `actor` when they may send it now (`_sender_now`:
    a beheerder rescues the invitation of one who left, recorded as `invited_by`). An accepted
    invitation is not sent again, nor one naming a role the school can no longer hold (its
    type changed since): it is withdrawn and sent anew."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at:
            raise ValidationError(_("Deze uitnodiging is al aangenomen."))
        left_out = _roles_that_fit(invitation)[1] if invitation.school_id else []
        if left_out:
            # The school's type changed since (an IB'er invited at a school that is VO now):
            # a new link would promise a role that opens nothing there.
            raise ValidationError(
                _(
                    "Deze uitnodiging noemt een rol die bij %(school)s niet past (%(roles)s) en wordt daarom niet "
                    "opnieuw verstuurd. Trek de uitnodiging in en nodig %(email)s opnieuw uit met een andere rol."
                )
                % {
                    "school": invitation.school.name,
                    "roles": ", ".join(role_label(role, invitation.school) for role in left_out),
                    "email": invitation.user.email,
                }
            )
        sender = _sender_now(invitation, actor)
        token, hashed = _new_token()
        now = timezone.now()
        before = {
            "expires_at": invitation.expires_at,
            "revoked_at": invitation.revoked_at,
            "invited_by": invitation.invited_by_id,
        }
        after = {"revoked_at": None, "invited_by": sender.pk}
        user = invitation.user
        if not user.is_active and user.has_usable_password():
            # A switched-off account invited back (the old invitation of a leaver): as with a
            # new one, the old password stops working; accepting sets a new one.
            before["old_password_works"], after["old_password_works"] = True, False
            user.set_unusable_password()
            user.save(update_fields=["password"])
        invitation.invited_by = sender
        invitation.token_hash = hashed
        invitation.sent_at = now
        invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
        invitation.revoked_at = None
        invitation.times_sent += 1
        invitation.save(update_fields=["invited_by", "token_hash", "sent_at", "expires_at", "revoked_at", "times_sent"])
        _audit(
            invitation,
            actor=actor,
            kind="accounts.invitation_resent",
            before=before,
            after={"expires_at": invitation.expires_at, **after},
        )
        _send(invitation, token)
    return invitation


def _sender_now(invitation: Invitation, actor: User) -> User:
    """Who backs `invitation` once it is sent again (carecoord.access.accounts.sender_backs):
    `actor` when they may send it now, the grant is theirs from then on; else its sender if
    they still may (applicatiebeheer resending a school's staff invitation). When neither may,
    resending is refused: the new link would not work."""
    if account_access.may_send_invitation(actor, invitation):
        return actor
    if account_access.sender_backs(invitation):
        return invitation.invited_by
    raise ValidationError(
        _(
            "Je mag deze uitnodiging niet zelf versturen, en wie die verstuurde mag dat niet meer: de link zou niet werken."
        )
    )


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
        Invitation.objects.select_related("user", "school", "organisation", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_accept(*, token: str, password: str) -> User:
    """Accept an invitation: set the password, give the roles. Works once, while open.

    Only the roles the school can hold now are given: its type may have changed since the
    invitation (an IB'er invited at a PO school that became a VO school). The person gets in
    with the others and `user.roles_left_out` names what was left out, for the page to say
    (`roles_left_out_message`); the functioneel beheerder gives another role from the staff
    list, as they would anyway. With none left, accepting is refused and nothing is set: an
    account without a role opens nothing. So is accepting what the rules of giving roles
    refuse now (`_refusal_now`): an account made applicatiebeheer since, for one.

    An invitation whose sender may no longer send it (a beheerder who left the school, a
    contact person replaced: carecoord.access.accounts.sender_backs) is refused too, naming
    whom to ask instead; it stays open for someone who may to send it again. The sender is
    not locked: an accept that reads their roles before a change of them is saved happened
    before that change."""
    hashed = token_hash(token)
    with transaction.atomic():
        # The person's row first, then the invitation: the order staff_deactivate locks in
        # (user, then their invitations), so accepting while being switched off waits instead
        # of ending one of the two in a deadlock.
        user_id = Invitation.objects.filter(token_hash=hashed).values_list("user_id", flat=True).first()
        User.objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True).first()
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("user", "school", "organisation", "invited_by")
            .filter(token_hash=hashed)
            .first()
        )
        if invitation is None or invitation.state != "open":
            raise ValidationError(invitation_closed_message(invitation))
        if refusal := account_access.invitation_sender_refusal(invitation):
            raise ValidationError(refusal)
        roles, left_out = _roles_that_fit(invitation)
        if left_out and not roles:
            # Nothing the school can hold: nothing is written; the inviter sends a new
            # invitation with another role.
            raise ValidationError(
                _(
                    "%(reason)s Je uitnodiging is daarom niet aangenomen: vraag %(who)s om een nieuwe met een andere rol."
                )
                % {
                    "reason": account_access.roles_of_school_refusal(school=invitation.school, roles=left_out),
                    **_who(invitation),
                }
            )
        user = invitation.user
        if refusal := _refusal_now(invitation, roles):
            # The account changed since the invitation (made applicatiebeheer, say): what the
            # rules refuse now is refused here too, before anything is set.
            raise ValidationError(
                _("%(reason)s Je uitnodiging is daarom niet aangenomen; neem contact op met %(who)s.")
                % {"reason": refusal, **_who(invitation)}
            )
        validate_password(password, user)
        returning = not user.is_active
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        if returning:
            # A returning professional (or colleague) is switched on by accepting: recorded as
            # the inviter's decision, which the person completed.
            change_record(
                school=invitation.school_id,
                actor=invitation.invited_by,
                kind=(
                    "accounts.professional_reactivated" if invitation.organisation_id else "accounts.staff_reactivated"
                ),
                obj=user,
                before={"is_active": False, "invitation": None},
                after={"is_active": True, "invitation": invitation.pk},
            )
        for role in roles:
            Membership.objects.get_or_create(user=user, school_id=invitation.school_id, role=role)
        if roles:
            work_waiting_handed_on(school=invitation.school, roles=roles, actor=invitation.invited_by)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        # The roles are in the log only when some were left out: "rollen: invited → given".
        _audit(
            invitation,
            actor=user,
            kind="accounts.invitation_accepted",
            before={"roles": sorted(invitation.invited_roles)},
            after={"accepted_at": invitation.accepted_at, "roles": roles},
        )
    user.roles_left_out = left_out
    return user


def _roles_that_fit(invitation: Invitation) -> tuple[list[str], list[str]]:
    """The invited roles the school can hold now, and those it cannot: its type may have
    changed since the invitation (an IB'er invited at a PO school that is a VO school now).
    The rule is carecoord.access.accounts' (`roles_of_school_refusal`), asked per role."""
    fit, left_out = [], []
    for role in sorted(invitation.invited_roles):
        refused = account_access.roles_of_school_refusal(school=invitation.school, roles=[role])
        (left_out if refused else fit).append(role)
    return fit, left_out


def _refusal_now(invitation: Invitation, roles) -> str | None:
    """Why the invited account may not get `roles` (those that fit the school) now, by the
    rules of giving roles to an existing account (`staff_roles_refusal`: not applicatiebeheer,
    not a partner's account, not an installation account switched off…), asked again at
    accepting: the account may have changed since the invitation. A partner organisation's
    invitation gives no school role."""
    if invitation.school_id is None:
        return None
    return account_access.staff_roles_refusal(
        actor=invitation.invited_by, user=invitation.user, school=invitation.school, roles=roles
    )


def roles_left_out_message(invitation: Invitation, roles) -> str:
    """What the invitee reads after accepting when some invited `roles` were not given (the
    school's type changed since): which, why, and whom to ask."""
    return ngettext(
        "Je hebt de rol %(roles)s niet gekregen. %(reason)s Vraag %(who)s om een rol die bij %(school)s past.",
        "Je hebt de rollen %(roles)s niet gekregen. %(reason)s Vraag %(who)s om rollen die bij %(school)s passen.",
        len(roles),
    ) % {
        "roles": ", ".join(role_label(role, invitation.school) for role in roles),
        "school": invitation.school.name,
        "reason": account_access.roles_of_school_refusal(school=invitation.school, roles=roles),
        **_who(invitation),
    }


def _who(invitation: Invitation) -> dict:
    """Whom the invitee asks: who sent the invitation, by name; those who may send it now when
    the sender no longer may (a beheerder who left the school: asking them leads nowhere)."""
    if not account_access.sender_backs(invitation):
        return {"who": account_access.who_may_send(invitation)}
    return {"who": invitation.invited_by.name}


def invitation_closed_message(invitation: Invitation | None) -> str:
    """What the page of a link that no longer works says, naming who sent it (a partner's
    contact person, applicatiebeheer for a first beheerder, the school's beheerder)."""
    if invitation is None:
        return _("Deze link klopt niet. Vraag je functioneel beheerder om een nieuwe uitnodiging.")
    state = invitation.state
    if state == "accepted":
        return _("Deze uitnodiging is al gebruikt. Log in met je e-mailadres en wachtwoord.")
    if state == "revoked":
        return _("Deze uitnodiging is ingetrokken. Vraag %(who)s om een nieuwe.") % _who(invitation)
    if state == "expired":
        return _("Deze uitnodiging is verlopen. Vraag %(who)s om die opnieuw te versturen.") % _who(invitation)
    return _("Deze link klopt niet. Vraag je functioneel beheerder om een nieuwe uitnodiging.")
