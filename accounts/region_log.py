"""The onboarding log as applicatiebeheer reads it (accounts/region/log.html): what happened
in words, whom or what it was about by name, and every changed value as people write it
(names for ids, role names, Ja/Nee, dates as dd-mm-jjjj uu:mm in Amsterdam time).

The log itself (audit.Change) keeps ids and codes, so it stays true when a name changes;
this only reads it out. One query per kind of name on a page, whatever its length.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Organisation, OrganisationKind, School, User
from .words import role_label

WHAT = {
    "region.school_created": _("School toegevoegd"),
    "region.school_updated": _("School gewijzigd"),
    "accounts.school_updated": _("Schoolgegevens gewijzigd"),
    "region.organisation_created": _("Partnerorganisatie toegevoegd"),
    "region.organisation_updated": _("Partnerorganisatie gewijzigd"),
    "accounts.staff_roles_set": _("Rollen gewijzigd"),
    "accounts.staff_deactivated": _("Uit dienst op deze school"),
    "accounts.staff_reactivated": _("Weer ingeschakeld"),
    "accounts.professional_deactivated": _("Professional uitgeschakeld"),
    "accounts.professional_reactivated": _("Professional weer ingeschakeld"),
    "accounts.invitation_sent": _("Uitnodiging verstuurd"),
    "accounts.invitation_resent": _("Uitnodiging opnieuw verstuurd"),
    "accounts.invitation_revoked": _("Uitnodiging ingetrokken"),
    "accounts.invitation_accepted": _("Uitnodiging aangenomen"),
}

# The names of the values the services record about people and invitations; a school's or
# an organisation's own fields are named by their model (verbose_name).
FIELDS = {
    "roles": _("rollen"),
    "is_active": _("kan inloggen"),
    "open_invitations": _("open uitnodigingen"),
    "work_handed_on": _("open werk doorgegeven"),
    "email": _("e-mailadres"),
    "organisation": _("organisatie"),
    "revoked_at": _("ingetrokken op"),
    "expires_at": _("geldig tot"),
    "accepted_at": _("aangenomen op"),
    "old_password_works": _("oude wachtwoord werkt"),
    "returning": _("komt terug"),
    "invitation": _("via uitnodiging"),
    "invited_by": _("uitgenodigd door"),
}
MOMENTS = {"revoked_at", "expires_at", "accepted_at"}
# Values that are the id of an organisation or of a person (a contact person, an invitation's sender).
PEOPLE_AND_ORGANISATIONS = {"organisation", "contact", "invited_by"}
MODELS = {"accounts.school": School, "accounts.organisation": Organisation}


@dataclass
class LogRow:
    at: datetime
    actor: str
    school: str
    what: str
    about: str
    changes: list[tuple[str, str, str]]  # (field, old, new) as read


def log_rows(changes) -> list[LogRow]:
    """The rows of one page of `accounts.selectors.onboarding_log()`."""
    changes = list(changes)
    names = _Names(changes)
    return [
        LogRow(
            at=change.at,
            actor=change.actor.name if change.actor else "—",
            school=change.school.name if change.school else "—",
            what=str(WHAT.get(change.kind, change.kind)),
            about=names.about(change),
            changes=[
                (
                    _field_label(change, field),
                    names.value(field, values[0], change.school),
                    names.value(field, values[1], change.school),
                )
                for field, values in change.changes.items()
                if values is not None
            ],
        )
        for change in changes
    ]


def _field_label(change, field: str) -> str:
    model = MODELS.get(change.object_type)
    if model is not None and field not in FIELDS:
        try:
            return str(model._meta.get_field(field).verbose_name)
        except FieldDoesNotExist:  # a field since renamed: its stored name
            return field
    return str(FIELDS.get(field, field))


class _Names:
    """The people, schools, organisations and invitations a page of changes names, read at once."""

    def __init__(self, changes):
        ids = {"user": set(), "invitation": set(), "school": set(), "organisation": set()}
        for change in changes:
            kind = change.object_type.partition(".")[2]
            if kind in ids and change.object_id:
                ids[kind].add(change.object_id)
            for field, values in change.changes.items():
                for value in values or ():
                    if field in PEOPLE_AND_ORGANISATIONS and isinstance(value, int) and not isinstance(value, bool):
                        ids["organisation" if field == "organisation" else "user"].add(value)
                    elif field == "schools" and isinstance(value, list):
                        ids["school"].update(value)
        invitations = Invitation.objects.filter(pk__in=ids["invitation"]).select_related("user")
        self.invitations = {i.pk: i.user for i in invitations}
        self.users = {u.pk: u for u in User.objects.filter(pk__in=ids["user"])}
        self.schools = dict(School.objects.filter(pk__in=ids["school"]).values_list("pk", "name"))
        self.organisations = dict(Organisation.objects.filter(pk__in=ids["organisation"]).values_list("pk", "name"))

    def about(self, change) -> str:
        kind = change.object_type.partition(".")[2]
        if kind == "user":
            return _person(self.users.get(change.object_id))
        if kind == "invitation":
            return _person(self.invitations.get(change.object_id))
        if kind == "school":
            return self.schools.get(change.object_id, "—")
        if kind == "organisation":
            return self.organisations.get(change.object_id, "—")
        return "—"

    def value(self, field: str, value, school=None) -> str:
        """`value` of `field` as people write it; role names in the words of `school` (the
        change's), so a primary school's mentor reads as its leerkracht."""
        if value is None or value == []:
            return "—"
        if isinstance(value, bool):
            return str(_("Ja") if value else _("Nee"))
        if field == "roles":
            return ", ".join(role_label(r, school) for r in value)
        if field == "schools":
            return ", ".join(self.schools.get(pk, "—") for pk in value)
        if field == "organisation":
            return self.organisations.get(value, "—")
        if field in ("contact", "invited_by"):
            return _person(self.users.get(value))
        if field in MOMENTS and isinstance(value, str):
            moment = timezone.localtime(datetime.fromisoformat(value))
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        if field == "kind":
            return str(dict(OrganisationKind.choices).get(value, value))
        if field in ("holiday_region", "school_type"):
            return str(dict(School._meta.get_field(field).choices).get(value, value))
        return str(value)


def _person(user) -> str:
    return f"{user.name} ({user.email})" if user is not None else "—"
