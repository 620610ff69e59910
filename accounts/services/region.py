"""Applicatiebeheer: schools and partner organisations of the installation; and leavers: a
school's staff member, deactivated by its functioneel beheerder, and a partner professional,
by their organisation's contact person or applicatiebeheer. Every change is in the audit log.
Someone who comes back is invited again (invitations.py; people.staff_add switches a
returning colleague on with a new password)."""

import re

import django.dispatch
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import change_record, values_of
from carecoord import access
from carecoord.access import accounts as account_access
from carecoord.access import concerns as concern_access

from ..models import Invitation, Membership, Organisation, School, SchoolType, User

SCHOOL_FIELDS = ("name", "school_type", "brin_code", "region", "holiday_region")
# DUO's BRIN number: two digits and two letters, with two digits for a branch (vestiging).
BRIN = re.compile(r"\d{2}[A-Z]{2}(\d{2})?")
ORGANISATION_FIELDS = ("name", "kind", "schools", "contact")

# Sent inside staff_deactivate's and professional_deactivate's transaction, once per school
# the leaver no longer works at: (school, user, actor). The apps that give people open work
# (concerns: actions and cases; meetings: agreements; todo: stored tasks) hand it on.
staff_left = django.dispatch.Signal()

# Sent when someone becomes one who takes over leavers' work at a school (its zorgcoördinator:
# carecoord.access.concerns.takes_over_leavers_work) inside the transaction that gives the
# role: (school, actor). A leaver's work with nobody to give it to stayed with them (the
# school had no coordinator, or the coordinator was the one who left); the same apps hand it
# on now, so it is not left with someone who can no longer open it.
coordinator_appointed = django.dispatch.Signal()

# Sent inside staff_roles_set's transaction when someone keeps working at a school with fewer
# roles: (school, user, actor), the user's access already read anew. Open work they cannot
# open with the roles they keep (a task about a pupil they no longer see, a Meldcode case
# once they are neither its zorgcoördinator nor its aandachtsfunctionaris) is handed on as a
# leaver's; what they can still do stays theirs, as it would if they had kept the role.
roles_taken = django.dispatch.Signal()


def work_waiting_handed_on(*, school: School, actor: User, roles=None) -> None:
    """Someone was just given `roles` at `school`, or (no `roles`) the school's type changed,
    which can make an IB'er count as its zorgcoördinator: if that gives the school someone who
    takes over leavers' work, the open work leavers left there with nobody to take it is
    handed on now (`coordinator_appointed`). Called inside the transaction of the change."""
    if roles is None:
        roles = Membership.objects.filter(school=school).values_list("role", flat=True).distinct()
    if concern_access.takes_over_leavers_work(school, roles):
        coordinator_appointed.send(sender=User, school=school, actor=actor)


def school_create(
    *, actor: User, name: str, brin_code: str, holiday_region: str, region: str = "", school_type: str = SchoolType.VO
) -> School:
    """Add a school to the installation, of its kind (its words and its day: groups and a
    leerkracht at a primary school). A BRIN code is DUO's and unique: another form, or a
    second school with it, is refused."""
    return _school_save(
        actor=actor,
        school=School(),
        name=name,
        brin_code=brin_code,
        holiday_region=holiday_region,
        region=region,
        school_type=school_type,
    )


def school_edit(
    *, actor: User, school: School, name: str, brin_code: str, holiday_region: str, region: str, school_type: str
) -> School:
    """Applicatiebeheer corrects what it entered when adding the school (a mistyped name or
    BRIN code, the wrong holiday region) or records a new type: a new school has no
    functioneel beheerder yet, and its beheerder's settings page (people.school_update) never
    changes the BRIN code. The same checks as adding one; recorded as `region.school_updated`.
    A role that no longer counts after a type change is not taken away (as on the settings
    page): `selectors.roles_that_do_not_count` says who holds one."""
    return _school_save(
        actor=actor,
        school=school,
        name=name,
        brin_code=brin_code,
        holiday_region=holiday_region,
        region=region,
        school_type=school_type,
    )


def _school_save(*, actor: User, school: School, brin_code: str, name: str, region: str, **fields) -> School:
    """The one way applicatiebeheer writes a school, new or existing: the BRIN code as DUO
    writes it and unique (any case), then the model's own checks, in one transaction with the
    change in the log (before and after: SCHOOL_FIELDS)."""
    brin_code = brin_code.strip().upper()
    if not BRIN.fullmatch(brin_code):
        raise ValidationError(
            {
                "brin_code": _(
                    "Een BRIN-code is twee cijfers en twee letters, eventueel met twee cijfers voor de vestiging "
                    "(bijv. 12AB of 12AB00)."
                )
            }
        )
    if _brin_taken(brin_code, school):
        raise _brin_taken_error(brin_code)
    created = school.pk is None
    try:
        with transaction.atomic():
            # Locked and read again: the log's "before" is what is stored, not what a form or
            # a second request left on the object in memory.
            school = school if created else School.objects.select_for_update().get(pk=school.pk)
            before = {} if created else values_of(school, SCHOOL_FIELDS)
            school.name, school.brin_code, school.region = name.strip(), brin_code, region.strip()
            for field, value in fields.items():
                setattr(school, field, value)
            school.full_clean(validate_unique=False)  # the BRIN code's, checked above in our words
            school.save()
            change_record(
                school=school,
                actor=actor,
                kind="region.school_created" if created else "region.school_updated",
                obj=school,
                before=before,
                after=values_of(school, SCHOOL_FIELDS),
            )
            if before and before["school_type"] != school.school_type:
                work_waiting_handed_on(school=school, actor=actor)
    except IntegrityError:
        # Another request saved a school with this BRIN code after the check above: the
        # database's unique constraint refused this one. Said as the check says it.
        if _brin_taken(brin_code, school):
            raise _brin_taken_error(brin_code) from None
        raise
    return school


def _brin_taken(brin_code: str, school: School) -> bool:
    return School.objects.filter(brin_code__iexact=brin_code).exclude(pk=school.pk).exists()


def _brin_taken_error(brin_code: str) -> ValidationError:
    return ValidationError({"brin_code": _("Er is al een school met BRIN-code %(brin)s.") % {"brin": brin_code}})


def organisation_save(
    *, actor: User, organisation: Organisation | None = None, name: str, kind: str, schools, contact=None
) -> Organisation:
    """Add or change a partner organisation: its kind and the schools it works with (each
    school once). The contact person must be one of its own professionals.

    A school taken off the list: the organisation's professionals no longer reach its pupils,
    so their open work there (tasks, agreements, triage actions) is handed on as a leaver's
    (`staff_left`), or nobody at the school would ever see it again. `schools_left` on the
    result names those schools, for the page to say."""
    schools = list(schools)
    if len({s.pk for s in schools}) != len(schools):
        raise ValidationError({"schools": _("Een school staat er twee keer in.")})
    organisation = organisation or Organisation()
    name = " ".join(name.split())  # "Leerplicht  Drechtsteden" is the same name (and looks it)
    namesakes = Organisation.objects.filter(name__iexact=name).exclude(pk=organisation.pk)
    if namesakes.exists():
        raise ValidationError({"name": _("Er is al een partnerorganisatie met de naam %(name)s.") % {"name": name}})
    if contact is not None and contact.organisation_id != organisation.pk:
        raise ValidationError({"contact": _("De contactpersoon moet een professional van deze organisatie zijn.")})
    created = organisation.pk is None
    with transaction.atomic():
        before = {} if created else values_of(Organisation.objects.get(pk=organisation.pk), ORGANISATION_FIELDS)
        worked_with = set() if created else set(organisation.schools.values_list("pk", flat=True))
        organisation.name, organisation.kind, organisation.contact = name, kind, contact
        organisation.full_clean(exclude=["schools"])
        organisation.save()
        organisation.schools.set(schools)
        organisation.schools_left = list(
            School.objects.filter(pk__in=worked_with - {s.pk for s in schools}).order_by("name")
        )
        professionals = User.objects.filter(organisation=organisation).order_by("pk")
        for school in organisation.schools_left:
            for professional in professionals:  # read only when a school was taken off, then kept
                staff_left.send(sender=User, school=school, user=professional, actor=actor)
        change_record(
            school=None,
            actor=actor,
            kind="region.organisation_created" if created else "region.organisation_updated",
            obj=organisation,
            before=before,
            after=values_of(organisation, ORGANISATION_FIELDS),
        )
    return organisation


def staff_deactivate(*, school: School, user: User, actor: User) -> bool:
    """A leaver: every role at `school` ends at once, open invitations there are withdrawn and
    their open work goes to the school's coordinator (the `staff_left` signal). Someone with no
    role left anywhere is switched off (is_active): their sessions end on the next request.
    Returns whether the account was switched off."""
    with transaction.atomic():
        # Locked: two schools taking away someone's last roles at once would each still see
        # the other's and neither would switch the account off.
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
        roles = sorted(Membership.objects.filter(user=user, school=school).values_list("role", flat=True))
        if not roles:
            raise ValidationError(_("%(name)s heeft geen rol op deze school.") % {"name": user.name})
        Membership.objects.filter(user=user, school=school).delete()
        revoked = Invitation.objects.open().filter(user=user, school=school).update(revoked_at=timezone.now())
        # An installation account (the Django admin's staff) keeps working: only the
        # installation switches it off, as only it switches it on (school_may_switch_on).
        switched_off = not Membership.objects.filter(user=user).exists() and account_access.school_may_switch_on(user)
        if switched_off:
            User.objects.filter(pk=user.pk).update(is_active=False)
            user.is_active = False
        staff_left.send(sender=User, school=school, user=user, actor=actor)
        change_record(
            school=school,
            actor=actor,
            kind="accounts.staff_deactivated",
            obj=user,
            before={"roles": roles, "is_active": True, "open_invitations": revoked},
            after={"roles": [], "is_active": not switched_off, "open_invitations": 0},
        )
    access.forget(user)
    return switched_off


def professional_deactivate(*, user: User, actor: User) -> None:
    """A partner professional who leaves their organisation: switched off at once (is_active:
    their sessions end on the next request), open invitations withdrawn, no longer the
    organisation's contact person, and their open work at each school the organisation works
    with handed on as a staff leaver's (`staff_left`: their stored tasks and agreements go to
    the school's zorgcoördinator). A concern the organisation handles stays with the
    organisation: it was never theirs in person, and a colleague picks it up."""
    with transaction.atomic():
        user = User.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=user.pk)
        organisation = user.organisation
        if organisation is None:
            raise ValidationError(_("%(name)s is geen professional van een partnerorganisatie.") % {"name": user.name})
        if not user.is_active:
            raise ValidationError(_("%(name)s is al uitgeschakeld.") % {"name": user.name})
        revoked = Invitation.objects.open().filter(user=user).update(revoked_at=timezone.now())
        was_contact = Organisation.objects.filter(pk=organisation.pk, contact=user).update(contact=None) > 0
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        for school in organisation.schools.order_by("pk"):
            staff_left.send(sender=User, school=school, user=user, actor=actor)
        # Of the installation (no school), like the organisation's own changes: the
        # applicatiebeheerder reads it in the onboarding log.
        change_record(
            school=None,
            actor=actor,
            kind="accounts.professional_deactivated",
            obj=user,
            before={"is_active": True, "contact": was_contact, "open_invitations": revoked},
            after={"is_active": False, "contact": False, "open_invitations": 0},
        )
    access.forget(user)


def organisation_contact_invite(*, actor: User, organisation: Organisation, email: str, name: str) -> User:
    """Invite the contact person of a partner organisation (a professional of it, who then
    invites the others). An address with an account of this organisation becomes the contact
    person at once; a switched-off one is invited back (it is switched on by accepting)."""
    from .invitations import invitation_create

    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email.strip(), organisation=organisation, is_active=True).first()
        user = existing or invitation_create(actor=actor, email=email, name=name, organisation=organisation)[0]
        organisation_save(
            actor=actor,
            organisation=organisation,
            name=organisation.name,
            kind=organisation.kind,
            schools=list(organisation.schools.all()),
            contact=user,
        )
    return user
