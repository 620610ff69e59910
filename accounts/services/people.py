"""Writes for schools, users and roles."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from audit.services import change_record, stored_values, values_of
from carecoord import access
from carecoord.access import accounts as account_access
from carecoord.middleware import SESSION_SCHOOL_KEY

from ..models import HolidayPeriod, Membership, School, TwoFactorReset, User
from ..tokens import welcome_back_tokens
from .region import roles_taken, work_waiting_handed_on


def school_switch(*, request, school: School) -> None:
    """Work in `school` from now on (the caller fetched it from the user's schools)."""
    request.session[SESSION_SCHOOL_KEY] = school.pk


def password_set_link(user: User) -> str:
    """Absolute link for a returning colleague to choose a new password ("welkom terug"):
    valid as long as an invitation (accounts.tokens), not the one day of a reset link."""
    from django.conf import settings

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = welcome_back_tokens.make_token(user)
    return settings.SITE_URL + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def staff_add(*, school: School, user: User, roles: list[str], actor: User) -> User:
    """Give someone who has an account roles at `school` (an invitation to their address:
    accounts.services.invitation_create, which locked the user row in its transaction). They
    keep their name and password. A switched-off account (a leaver who comes back) is switched
    on again, with a new password: see `_staff_reactivate`. The caller may read
    `user.reactivated` to say so. A new address is never an account made here: it gets an
    invitation (one kind of link, valid seven days, for everyone new)."""
    with transaction.atomic():
        _refuse(actor=actor, user=user, school=school, roles=roles)
        user.reactivated = not user.is_active
        if user.reactivated:
            _staff_reactivate(school=school, user=user, actor=actor)
        before = set(Membership.objects.filter(user=user, school=school).values_list("role", flat=True))
        for role in roles:
            Membership.objects.get_or_create(user=user, school=school, role=role)
        work_waiting_handed_on(school=school, roles=set(roles) - before, actor=actor)
        change = change_record(
            school=school,
            actor=actor,
            kind="accounts.staff_roles_set",
            obj=user,
            before={"roles": sorted(before)},
            after={"roles": sorted(before | set(roles))},
        )
        if change is not None and not user.reactivated:
            _tell_roles_given(user=user, school=school, roles=sorted(set(roles) - before), actor=actor, change=change)
    access.forget(actor)
    return user


def _tell_roles_given(*, user, school, roles, actor, change) -> None:
    """Someone who has an account hears of roles given to them (no invitation to accept):
    what, where and by whom, so a role they did not expect does not go unnoticed."""
    from django.conf import settings

    from notifications.services import notification_queue

    from ..words import role_label

    notification_queue(
        key=f"accounts.roles_given:{user.pk}:{change.pk}",
        recipient=user,
        kind="accounts.roles_given",
        template="accounts/email/roles_given",
        context={
            "school": school,
            "roles": ", ".join(role_label(role, school) for role in roles),
            "actor": actor,
            "link": settings.SITE_URL + "/",
        },
        school=school,
    )


def _staff_reactivate(*, school: School, user: User, actor: User) -> None:
    """A leaver who comes back (after leave, a returning intern): the account is switched on
    again, but not as it was. The old password stops working (it may have been shared or
    guessed while the account was off, and sessions tied to it end with it); the person
    chooses a new one through the link in a "welkom terug" mail, as a new colleague does.
    Their second-factor devices stay: it is the same person, and a lost phone has its own
    reset. Inside staff_add's transaction, with the user row locked."""
    from notifications.services import notification_queue

    # Refused before (staff_roles_refusal): one's own account (unreachable by signing in, but
    # a background import started by someone switched off since must not bring its starter
    # back) and an installation account.
    had_password = user.has_usable_password()
    user.set_unusable_password()
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    change = change_record(
        school=school,
        actor=actor,
        kind="accounts.staff_reactivated",
        obj=user,
        before={"is_active": False, "old_password_works": had_password},
        after={"is_active": True, "old_password_works": False},
    )
    # The link is made after the password changed: Django's token is tied to the password, so
    # it is the new state it unlocks. One mail per return (the change's id), never a resend
    # of an earlier welcome.
    notification_queue(
        key=f"accounts.welcome_back:{user.pk}:{change.pk}",
        recipient=user,
        kind="accounts.welcome_back",
        template="accounts/email/welcome_back",
        context={"school": school, "link": password_set_link(user), "actor": actor},
        school=school,
    )


def _refuse_roles_not_of_school(*, school, roles) -> None:
    if refusal := account_access.roles_of_school_refusal(school=school, roles=roles):
        raise ValidationError(refusal)


def _refuse(*, actor, user, school, roles) -> None:
    """The refusals of giving roles to an existing account, as the staff import's preview
    names them (carecoord.access.accounts.staff_roles_refusal)."""
    refusal = account_access.staff_roles_refusal(actor=actor, user=user, school=school, roles=roles)
    if refusal:
        raise ValidationError(refusal)


@dataclass(frozen=True)
class RolesSaved:
    # No role left: they left the school; whether the account was switched off (else None).
    switched_off: bool | None = None
    # Fewer roles: how many open tasks, actions and Meldcode cases the kept roles cannot open
    # were handed on (`roles_taken`).
    handed_on: int = 0


def staff_roles_set(*, school: School, user: User, roles: list[str], actor: User) -> RolesSaved:
    """Make `roles` the user's complete set of roles at `school`. None at all: they leave the
    school, as with "Uitschakelen" (region.staff_deactivate: open work handed on, invitations
    withdrawn, switched off without a role anywhere). Fewer roles: the open work the kept
    roles cannot open is handed on (`roles_taken`), and the log says how much."""
    roles = set(roles)
    with transaction.atomic():
        before = set(Membership.objects.filter(user=user, school=school).values_list("role", flat=True))
        if roles - before:
            _refuse(actor=actor, user=user, school=school, roles=roles)  # only what is given; taking away is not
        if account_access.drops_own_administration(actor=actor, user=user, school=school, roles=roles):
            # Otherwise the school could end up with nobody to manage it.
            raise ValidationError(_("Je kunt je eigen rol als functioneel beheerder niet weghalen."))
        if not roles:
            from .region import staff_deactivate

            return RolesSaved(switched_off=staff_deactivate(school=school, user=user, actor=actor))
        Membership.objects.filter(user=user, school=school).exclude(role__in=roles).delete()
        for role in roles:
            Membership.objects.get_or_create(user=user, school=school, role=role)
        handed_on = 0
        if before - roles:
            access.forget(user)  # the receivers ask what the roles they keep let them open
            answers = roles_taken.send(sender=User, school=school, user=user, actor=actor)
            handed_on = sum(count or 0 for _receiver, count in answers)
        work_waiting_handed_on(school=school, roles=roles - before, actor=actor)
        change_record(
            school=school,
            actor=actor,
            kind="accounts.staff_roles_set",
            obj=user,
            before={"roles": sorted(before)},
            after={"roles": sorted(roles), **({"work_handed_on": handed_on} if handed_on else {})},
        )
    access.forget(actor)
    return RolesSaved(handed_on=handed_on)


def school_update(*, school: School, actor: User, **fields) -> School:
    """Change the school's settings (name, region, holiday region); who changed what is kept."""
    before = stored_values(school, fields)
    for name, value in fields.items():
        setattr(school, name, value)
    school.full_clean()
    with transaction.atomic():
        school.save(update_fields=list(fields))
        change_record(
            school=school, actor=actor, kind="accounts.school_updated", obj=school, before=before, after=fields
        )
        if "school_type" in before and before["school_type"] != school.school_type:
            work_waiting_handed_on(school=school, actor=actor)
    return school


HOLIDAY_FIELDS = ("name", "start", "end")


def holiday_add(*, school: School, name: str, start, end, actor: User) -> HolidayPeriod:
    """Add a day off (or a period) of this school only; the meeting series and the absence
    rules skip it from now on."""
    holiday = HolidayPeriod(school=school, name=name, start=start, end=end)
    holiday.full_clean()
    with transaction.atomic():
        holiday.save()
        after = values_of(holiday, HOLIDAY_FIELDS)
        change_record(school=school, actor=actor, kind="accounts.holiday_added", obj=holiday, after=after)
    return holiday


def holiday_remove(*, holiday: HolidayPeriod, actor: User) -> None:
    """Remove one of the school's own days off (the national holidays stay)."""
    with transaction.atomic():
        change_record(
            school=holiday.school_id,
            actor=actor,
            kind="accounts.holiday_removed",
            obj=holiday,
            before=values_of(holiday, HOLIDAY_FIELDS),
        )
        holiday.delete()


def mfa_reset(*, user: User, actor: User) -> TwoFactorReset:
    """Remove every second factor of `user` (authenticator app, passkeys, recovery codes) after
    they lost their phone or key; their next sign-in asks them to enrol again.

    The caller checked `access.can(actor, "user.reset_two_factor", user)`. Recorded with who,
    when and what was removed (a TwoFactorReset row, never changed): the one place to hook the
    shared audit log into. Trusted browsers end as well: allauth ties that trust to the user's
    current devices.
    """
    from allauth.mfa.models import Authenticator

    with transaction.atomic():
        authenticators = Authenticator.objects.select_for_update().filter(user=user)
        removed = sorted({authenticator.type for authenticator in authenticators})
        authenticators.delete()
        return TwoFactorReset.objects.create(user=user, reset_by=actor, removed=removed)
