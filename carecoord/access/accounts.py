"""Schools, users and roles: managed per school by its functional administrator."""

from django.db.models import Count, Exists, OuterRef, Q

from accounts.models import Invitation, Membership, Role

from .core import can, has_role, permission, remember_roles_of, role_counts_at, school_q
from .region import first_administrator_roles


def memberships_q(user):
    """Roles a user may see and manage: those at schools where they are functional administrator."""
    return school_q(user, Role.BEHEERDER)


def leavers_q(user, school) -> Q:
    """Former colleagues `user` may still find at `school`: people who left it ("Uitschakelen",
    or every role taken away; the log keeps `accounts.staff_deactivated`) and hold no role
    there now. For the school's functioneel beheerder only, who switched them off: a second
    click on "Uitschakelen" names them on the staff list instead of ending on a 404. Anyone
    else (another school's staff, an id that never worked here) stays unknown."""
    from audit.models import Change

    if school is None or not has_role(user, school, Role.BEHEERDER):
        return Q(pk__in=[])
    left = Change.objects.filter(
        school=school, kind="accounts.staff_deactivated", object_type="accounts.user", object_id=OuterRef("pk")
    )
    return Q(Exists(left)) & ~Q(memberships__school=school)


def holidays_q(user):
    """A school's own days off, changed by its functional administrator."""
    return school_q(user, Role.BEHEERDER)


@permission("school.manage_users")
def _manage_users(user, school):
    return has_role(user, school, Role.BEHEERDER)


@permission("school.import_staff")
def _import_staff(user, school):
    return has_role(user, school, Role.BEHEERDER)


@permission("school.manage_settings")
def _manage_settings(user, school):
    return has_role(user, school, Role.BEHEERDER)


# --- Changing roles (accounts.services.staff_add, staff_roles_set) ---------------------------


def grants_self_role(*, actor, user, school, roles) -> bool:
    """Would `actor` give themselves a role they do not have at `school`? Nobody grants
    themselves access: every role opens pupils (a mentor their class, the verzuimcoördinator
    every pupil's absence, the zorgcoördinator every care file), so another functioneel
    beheerder gives it, or applicatiebeheer appoints a second beheerder who does."""
    if user != actor:
        return False
    current = set(Membership.objects.filter(user=user, school=school).values_list("role", flat=True))
    return bool(set(roles) - current)


def may_hold_school_roles(user) -> bool:
    """May this account get roles at a school? Not applicatiebeheer: it manages the
    installation and never sees pupil data, which every role at a school would open
    (carecoord/access/region.py). Someone who also works at a school uses another address."""
    return not user.is_application_admin


def roles_fit_school(*, school, roles) -> bool:
    """Do all `roles` mean something at `school`? The intern begeleider only at PO/SO."""
    return all(role_counts_at(role, school) for role in roles)


def roles_not_counting_at(school) -> list[str]:
    """The roles that open nothing at `school` (the intern begeleider at a VO school): what
    its staff and open invitations may still hold after the school's type changed."""
    return [role for role in Role.values if not role_counts_at(role, school)]


def mark_what_does_not_count(school, *, memberships=(), invitations=()) -> None:
    """For the staff list: `counts_here` on each of `school`'s memberships and `does_not_fit`
    on each invitation that names a role the school's type cannot hold (its type changed
    since: an IB'er at a school that is VO now)."""
    out_of_place = set(roles_not_counting_at(school))
    for membership in memberships:
        membership.counts_here = membership.role not in out_of_place
    for invitation in invitations:
        invitation.does_not_fit = bool(out_of_place.intersection(invitation.invited_roles))


def roles_of_school_refusal(*, school, roles) -> str | None:
    """Why `roles` cannot be given at `school` at all (a new address or an existing one), or
    None: the intern begeleider belongs to a PO/SO school."""
    from django.utils.translation import gettext as _

    if not roles_fit_school(school=school, roles=roles):
        return _("De rol intern begeleider hoort bij een basisschool of een school voor speciaal onderwijs (SO).")
    return None


def own_account_refusal() -> str:
    """Switching one's own switched-off account on (a background job of someone switched
    off since, a contact person inviting themselves back)."""
    from django.utils.translation import gettext as _

    return _("Je kunt je eigen account niet weer inschakelen.")


def gets_invitation(user, *, waiting: bool | None = None) -> bool:
    """Does giving roles to this existing account send it an invitation instead? Yes when it
    is still waiting for one elsewhere (never accepted: no password, no way to get one, see
    `waits_for_invitation`; `waiting` when the caller read it for many at once): the
    invitation is its way in, and accepting gives the roles."""
    if user.is_partner or not may_hold_school_roles(user):
        return False
    return waits_for_invitation(user) if waiting is None else waiting


def staff_roles_refusal(*, actor, user, school, roles) -> str | None:
    """Why `actor` may not give the existing account `user` the `roles` at `school` (what
    `accounts.services.staff_add` refuses), in the words the beheerder reads; None when they
    may. Asked before anything is written, so the staff import's preview names the line
    instead of promising what confirming then refuses (an open invitation at the school is
    the caller's own check: `Invitation.objects.open()`, as in `invitation_create`)."""
    from django.utils.translation import gettext as _

    if refusal := roles_of_school_refusal(school=school, roles=roles):
        return refusal
    if user.is_partner:
        return _("Dit adres hoort bij een externe partner; partners beheert de regio.")
    if not may_hold_school_roles(user):
        return _(
            "Dit adres is een account van applicatiebeheer, dat geen rol op een school krijgt. Gebruik een ander adres."
        )
    if grants_self_role(actor=actor, user=user, school=school, roles=roles):
        return _(
            "Je kunt jezelf geen rol geven, want elke rol opent leerlinggegevens: een andere functioneel "
            "beheerder moet hem je geven."
        )
    if not user.is_active and actor is not None and user.pk == actor.pk:
        return own_account_refusal()
    if not user.is_active and not school_may_switch_on(user):
        return _("Dit account is van applicatiebeheer en staat uit; alleen applicatiebeheer kan het weer inschakelen.")
    return None


def drops_own_administration(*, actor, user, school, roles) -> bool:
    """Would `actor` take their own functional-administrator role away? The school could
    end up with nobody to manage it."""
    return user == actor and Role.BEHEERDER not in roles and has_role(actor, school, Role.BEHEERDER)


def school_may_switch_on(user) -> bool:
    """May a school switch this switched-off account on again (by giving it roles: a leaver
    who comes back, accounts.services.staff_add)? Not an installation-wide account
    (applicatiebeheer, the Django admin's staff): whoever switched that off switches it on."""
    return not (user.is_application_admin or user.is_staff or user.is_superuser)


def may_reset_password(user) -> bool:
    """Who gets the "Wachtwoord vergeten?" mail (accounts.forms.ResetForm): an active account
    with a password, and also an active staff or partner account without one (Django sends
    nothing to an account without a usable password) that was in use before: a colleague
    switched on again after leaving whose seven-day link ran out.

    Not an account that is still waiting for its invitation (made by an invitation, none
    accepted): the invitation is its only way in. A professional's account is active from the
    invitation on, so a forgotten-password mail would otherwise open it after the invitation
    expired or was withdrawn, to whoever reads that mailbox. Nor a portal participant who never
    chose a password: they get in through their own invitation."""
    from .portal import is_school_account

    if not user.is_active:
        return False
    if user.has_usable_password():
        return True
    if waits_for_invitation(user):
        return False
    return user.is_application_admin or is_school_account(user)


def waiting_for_invitation(users) -> set[int]:
    """The ids of those of `users` that `waits_for_invitation` (one query for all)."""
    rows = (
        Invitation.objects.filter(user__in=users)
        .values("user_id")
        .annotate(sent=Count("pk"), accepted=Count("accepted_at"))
        .filter(accepted=0)
    )
    return {row["user_id"] for row in rows}


def waits_for_invitation(user) -> bool:
    """An account made by an invitation that was never accepted (open, expired or withdrawn):
    the invitation is its only way in, not "Wachtwoord vergeten" nor the school's sign-in
    (accounts.oidc). Once one invitation was accepted the account has been in use."""
    invitations = Invitation.objects.filter(user=user).aggregate(sent=Count("pk"), accepted=Count("accepted_at"))
    return bool(invitations["sent"]) and not invitations["accepted"]


# --- Who backs an invitation (accounts.services.invitations; the lists of invitations) ------
#
# An invitation is a grant of access made by its sender (`invited_by`); accepting it is when
# the grant takes effect. A privacy officer traces every grant back to someone who may make
# it at that moment, not only when the mail went out: a functioneel beheerder who left the
# school or lost the role, an applicatiebeheerder switched off, a contact person replaced or
# switched off backs nothing any more. Someone who may send it now takes it over by sending
# it again (`invitation_resend`).


def may_send_invitation(user, invitation) -> bool:
    """May `user` send `invitation` now, by the rules that let such an invitation be sent? A
    school's invitation: its functioneel beheerder (`school.manage_users`: the staff list and
    the staff import), or applicatiebeheer when it names only the roles of a school's first
    functioneel beheerder (`region.manage`: the region's school page). A partner organisation's
    invitation (its professionals, its contact person): the organisation's contact person or
    applicatiebeheer (`organisation.invite_professionals`). Someone switched off may do none of
    these (`can`)."""
    if user is None:
        return False
    if invitation.school_id is not None:
        if can(user, "school.manage_users", invitation.school_id):
            return True
        appoints_administrator = set(invitation.invited_roles) <= set(first_administrator_roles())
        return appoints_administrator and can(user, "region.manage")
    return can(user, "organisation.invite_professionals", invitation.organisation)


def sender_backs(invitation) -> bool:
    """Does the person who sent `invitation` still back it: may they send it now
    (`may_send_invitation`)? With no sender on record, nobody does. Reads the sender's roles
    (once per object; `mark_invitations_not_backed` reads a list's senders at once)."""
    return invitation.invited_by_id is not None and may_send_invitation(invitation.invited_by, invitation)


def who_may_send(invitation) -> str:
    """Whom the invitee asks for a new link of `invitation` (`may_send_invitation`, in words):
    the school's functioneel beheerder; applicatiebeheer too for a functioneel beheerder's
    invitation (the first of a school has nobody else); the organisation's contact person."""
    from django.utils.translation import gettext as _

    if invitation.school_id is None:
        return _("de contactpersoon van %(organisation)s") % {"organisation": invitation.organisation.name}
    if set(invitation.invited_roles) <= set(first_administrator_roles()):
        return _("applicatiebeheer of een functioneel beheerder van %(school)s") % {"school": invitation.school.name}
    return _("de functioneel beheerder van %(school)s") % {"school": invitation.school.name}


def invitation_sender_refusal(invitation) -> str | None:
    """Why `invitation` cannot be accepted because its sender no longer backs it
    (`sender_backs`), in the invitee's words and naming whom to ask; None when it is backed."""
    from django.utils.translation import gettext as _

    if sender_backs(invitation):
        return None
    if invitation.invited_by_id is None:
        reason = _("Wie deze uitnodiging verstuurde, is niet meer bekend.")
    else:
        reason = _("%(name)s heeft je uitgenodigd, maar mag dat niet meer.") % {"name": invitation.invited_by.name}
    ask = _("Vraag %(who)s om de uitnodiging opnieuw te versturen.") % {"who": who_may_send(invitation)}
    return f"{reason} {ask}"


def mark_invitations_not_backed(invitations) -> None:
    """For the lists of invitations (a school's staff list, the region's school and
    organisation pages, a contact person's professionals): `sender_cannot_invite` on each open
    invitation whose sender no longer backs it, so the page says to send it again. The
    senders' roles are read for the whole list at once (`remember_roles_of`), not per row;
    select `invited_by` (and a partner's invitation's `organisation`) with the invitations."""
    invitations = list(invitations)
    open_ids = {invitation.pk for invitation in invitations if invitation.state == "open"}
    # A school's invitation asks its sender's roles there; a partner organisation's asks only
    # the sender's account and the organisation's contact person (selected with it).
    remember_roles_of(
        invitation.invited_by
        for invitation in invitations
        if invitation.pk in open_ids and invitation.school_id is not None and invitation.invited_by_id
    )
    for invitation in invitations:
        invitation.sender_cannot_invite = invitation.pk in open_ids and not sender_backs(invitation)
