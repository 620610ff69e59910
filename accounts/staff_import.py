"""The staff import: a CSV (or Excel) of a school's staff, through the one import pipeline
(imports/): the same upload, column mapping, preview, confirm and all-or-nothing rules as the
pupil import. Each line becomes an invitation (accounts.services.invitation_create), or the
roles at once for an address that already has an account (a switched-off one is switched on
again, with a link to choose a new password); mentors are put on their classes. A line whose
address has an open invitation at this school with the same roles changes nothing (last
week's list read in again); what the service would refuse is a problem of its line.

Columns (first line):  email  naam  rollen  klassen
- rollen: one or more of the role names (zorgcoordinator, mentor, coach, schoolleider,
  beheerder, aandachtsfunctionaris, verzuimcoordinator) or their labels, separated by , ; or |
- klassen: for mentors, the classes (they must exist at the school), separated the same way
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.columns import Column, normal
from imports.forms import ConfirmForm
from imports.kinds import ImportKind, register

from .models import Invitation, Role, User

COLUMNS = [
    Column("email", gettext_lazy("e-mailadres"), required=True, aliases=("e-mail", "mail", "emailadres")),
    Column("naam", gettext_lazy("naam"), required=True, aliases=("name", "volledige naam")),
    Column("rollen", gettext_lazy("rollen"), required=True, aliases=("rol", "roles")),
    Column("klassen", gettext_lazy("klassen (mentoren)"), aliases=("klas", "mentorklassen", "groepen", "groep")),
]
SEPARATORS = re.compile(r"[,;|/]+")
# Role names a school's own staff list uses beside ours (case and accents aside).
ROLE_WORDS = {
    "leerkracht": Role.MENTOR,
    "groepsleerkracht": Role.MENTOR,
    "ib": Role.INTERN_BEGELEIDER,
    "ib'er": Role.INTERN_BEGELEIDER,
    "ib-er": Role.INTERN_BEGELEIDER,
    "intern begeleider": Role.INTERN_BEGELEIDER,
}


@dataclass
class Context:
    school: object
    actor: object  # who uploads or confirms: what they may not give themselves is refused
    classes: dict  # normal(name) -> SchoolClass
    role_codes: dict  # normal(code or label) -> role code
    invited: dict  # user id -> roles of their open invitation at this school
    seen: dict = field(default_factory=dict)  # e-mail -> first line
    accounts: dict = field(default_factory=dict)  # e-mail (lower case) -> the file's existing accounts
    waiting: set = field(default_factory=set)  # ids of those accounts still waiting for an invitation

    def load_accounts(self, addresses) -> None:
        """The accounts of the file's addresses and which of them wait for an invitation:
        two queries for the whole file (StaffImport.prepare), not two per line."""
        from django.db.models.functions import Lower

        from carecoord.access.accounts import waiting_for_invitation

        users = list(User.objects.annotate(address=Lower("email")).filter(address__in=set(addresses)))
        self.accounts = {user.address: user for user in users}
        self.waiting = waiting_for_invitation(users) if users else set()

    @classmethod
    def for_school(cls, school, actor=None):
        from students.models import SchoolClass

        roles = {}
        for code, label in Role.choices:
            roles[normal(code)] = code
            roles[normal(str(label))] = code
        # What a school's own list may call them (a primary school's leerkracht, its IB'er).
        for word, code in ROLE_WORDS.items():
            roles[normal(word)] = code
        invited = dict(Invitation.objects.open().filter(school=school).values_list("user_id", "invited_roles"))
        return cls(
            school,
            actor,
            {normal(c.name): c for c in SchoolClass.objects.filter(school=school)},
            roles,
            {user_id: sorted(set(invited_roles)) for user_id, invited_roles in invited.items()},
        )


def _parts(value: str) -> list[str]:
    return [p.strip() for p in SEPARATORS.split(value or "") if p.strip()]


def email(line, context: Context) -> None:
    address = line.get("email").strip().lower()
    line.values["email"] = address
    try:
        validate_email(address)
    except ValidationError:
        line.problem(_("e-mailadres klopt niet: %(value)s") % {"value": address or "(leeg)"})
        return
    if address in context.seen:
        line.problem(_("%(email)s staat ook op regel %(line)s") % {"email": address, "line": context.seen[address]})
    else:
        context.seen[address] = line.number


def name(line, context: Context) -> None:
    line.values["name"] = line.get("naam").strip()
    if not line.values["name"]:
        line.problem(_("naam ontbreekt"))
    elif len(line.values["name"]) > 200:
        line.problem(_("naam is langer dan 200 tekens"))


def roles(line, context: Context) -> None:
    found, unknown = [], []
    for part in _parts(line.get("rollen")):
        code = context.role_codes.get(normal(part))
        (found if code else unknown).append(code or part)
    line.values["roles"] = sorted(set(found))
    if unknown:
        line.problem(_("onbekende rol: %(roles)s") % {"roles": ", ".join(unknown)})
    elif not found:
        line.problem(_("geen rol ingevuld"))


def classes(line, context: Context) -> None:
    names = _parts(line.get("klassen"))
    unknown = [n for n in names if normal(n) not in context.classes]
    line.values["classes"] = [context.classes[normal(n)].pk for n in names if normal(n) in context.classes]
    # In the school's words (accounts.words): a primary school's groepen have a leerkracht.
    primary = context.school.is_primary
    if unknown:
        text = (
            _("groep bestaat niet op deze school: %(classes)s")
            if primary
            else _("klas bestaat niet op deze school: %(classes)s")
        )
        line.problem(text % {"classes": ", ".join(unknown)})
    elif names and Role.MENTOR not in line.values.get("roles", []):
        line.problem(
            _("groepen ingevuld, maar de rol leerkracht ontbreekt")
            if primary
            else _("klassen ingevuld, maar de rol mentor ontbreekt")
        )


def account(line, context: Context) -> None:
    """What `invitation_create` would refuse for this line, said here so the preview names
    the line (confirming would refuse the whole file for it). The rules are those of
    carecoord.access.accounts (`staff_roles_refusal`); an address with an open invitation at
    this school is refused by the service, but the same invitation on next week's list is
    not an error: nothing changes for that line ("pending"). The accounts were read for the
    whole file beforehand (`Context.load_accounts`)."""
    from carecoord.access.accounts import gets_invitation, roles_of_school_refusal, staff_roles_refusal

    from .words import role_label

    address, roles = line.values.get("email"), line.values.get("roles")
    if line.problems or not roles:
        return  # the address or the roles are wrong already: said once
    if refusal := roles_of_school_refusal(school=context.school, roles=roles):
        line.problem(refusal)  # a new address is refused for it too
        return
    user = context.accounts.get(address)
    if user is None:
        return  # a new address: an invitation
    invited = context.invited.get(user.pk)
    if invited is not None:
        if invited == roles:
            line.values["pending"] = True
        else:
            line.problem(
                _(
                    "Er staat al een uitnodiging open voor dit adres, met andere rollen (%(roles)s). Zet hier "
                    "dezelfde rollen, of trek de uitnodiging in en lees het bestand opnieuw in."
                )
                % {"roles": ", ".join(role_label(code, context.school) for code in invited)}
            )
        return
    if refusal := staff_roles_refusal(actor=context.actor, user=user, school=context.school, roles=roles):
        line.problem(refusal)
    elif gets_invitation(user, waiting=user.pk in context.waiting):
        line.values["invited"] = True  # waiting for another school's invitation: gets this one


@dataclass
class Plan:
    invitations: list
    role_additions: list  # existing accounts, switched-off ones included
    reactivations: list  # switched-off accounts that come back (a new password link)
    pending: list  # their invitation at this school, with these roles, is open: nothing changes

    def summary(self) -> dict:
        return {
            "invitations": len(self.invitations),
            "role_additions": len(self.role_additions),
            "reactivations": len(self.reactivations),
            "pending": len(self.pending),
        }

    def what_happens(self) -> dict:
        """E-mail -> what confirming does with that line, in words for the preview."""
        happens = {r["email"]: _("uitnodiging") for r in self.invitations}
        happens.update({r["email"]: _("krijgt de rollen meteen") for r in self.role_additions})
        happens.update({r["email"]: _("wordt weer ingeschakeld (nieuw wachtwoord)") for r in self.reactivations})
        happens.update({r["email"]: _("uitnodiging staat al open") for r in self.pending})
        return happens


class StaffConfirmForm(ConfirmForm):
    pass


class StaffImport(ImportKind):
    code = "staff"
    permission = "school.import_staff"
    url_namespace = "accounts"
    columns = COLUMNS
    steps = [email, name, roles, classes, account]
    title = gettext_lazy("Medewerkers inlezen")
    back_label = gettext_lazy("Medewerkers")
    back_url = "accounts:staff_list"
    file_label = gettext_lazy("Lijst van medewerkers")
    file_help = gettext_lazy("CSV (komma, puntkomma of tab) of Excel (.xlsx): e-mailadres, naam, rollen, klassen.")
    missing_message = gettext_lazy("De eerste regel mist de kolom(men): %(columns)s.")
    empty_message = gettext_lazy("Het bestand bevat geen medewerkers (alleen een kopregel).")
    too_big_hint = gettext_lazy("Lees de medewerkers van één school in.")
    done_message = gettext_lazy("De medewerkers zijn uitgenodigd.")
    help_template = "accounts/_staff_import_help.html"
    preview_template = "accounts/staff_import_confirm.html"
    done_template = "accounts/staff_import_done.html"
    confirm_form = StaffConfirmForm

    def context(self, *, school, actor=None):
        return Context.for_school(school, actor)

    def column_label(self, column, *, school) -> str:
        if column.name == "klassen" and school is not None and school.is_primary:
            return _("groepen (leerkrachten)")
        return super().column_label(column, school=school)

    def prepare(self, context, lines):
        context.load_accounts(line.get("email").strip().lower() for line in lines)

    def plan(self, *, school, rows, options):
        pending = [r for r in rows if r.get("pending")]
        rows = [r for r in rows if not r.get("pending")]
        active = dict(User.objects.filter(email__in=[r["email"] for r in rows]).values_list("email", "is_active"))
        existing = [r for r in rows if r["email"] in active and not r.get("invited")]
        return Plan(
            invitations=[r for r in rows if r["email"] not in active or r.get("invited")],
            role_additions=existing,
            reactivations=[r for r in existing if active.get(r["email"]) is False],
            pending=pending,
        )

    def apply(self, *, school, rows, actor, options, progress=None):
        """Every line, inside the pipeline's transaction: a refusal on one line (a partner's
        address, an open invitation, a role the actor may not give themselves) undoes all."""
        from students.models import SchoolClass
        from students.services import class_mentors_add

        from .services import invitation_create

        the_plan = self.plan(school=school, rows=rows, options=options)
        mentors = {}  # class id -> the users this file puts on it
        for number, row in enumerate(rows, start=1):
            if row.get("pending"):
                # Its open invitation says the roles; read again here, inside the transaction:
                # withdrawn or expired since the check, the line gets a new one after all.
                open_invitation = (
                    Invitation.objects.open()
                    .select_for_update(of=("self",))
                    .filter(user__email__iexact=row["email"], school=school)
                    .select_related("user")
                    .first()
                )
                if open_invitation is not None:
                    for class_id in row["classes"]:  # the preview showed them: they are given
                        mentors.setdefault(class_id, []).append(open_invitation.user)
                    continue
            try:
                user, _invitation = invitation_create(
                    actor=actor, school=school, email=row["email"], name=row["name"], roles=row["roles"]
                )
            except ValidationError as exc:
                raise ValidationError(
                    _("%(email)s: %(problem)s Er is niets ingelezen.")
                    % {"email": row["email"], "problem": " ".join(exc.messages)}
                ) from exc
            for class_id in row["classes"]:
                mentors.setdefault(class_id, []).append(user)
            if progress:
                progress("staff", number, len(rows))
        # One recorded change per class (students.class_saved), as on the class page.
        for school_class in SchoolClass.objects.filter(pk__in=mentors, school=school).order_by("pk"):
            class_mentors_add(school_class=school_class, mentors=mentors[school_class.pk], actor=actor)
        return the_plan.summary()

    def preview(self, *, school, checked, the_plan):
        from students.models import SchoolClass

        from .words import role_label

        happens = the_plan.what_happens()
        shown = checked.rows[:200]
        class_names = dict(
            SchoolClass.objects.filter(pk__in={pk for r in shown for pk in r["classes"]}).values_list("pk", "name")
        )
        return {
            "rows": [
                [
                    r["email"],
                    r["name"],
                    [role_label(code, school) for code in r["roles"]],
                    ", ".join(class_names.get(pk, "") for pk in r["classes"]),
                    happens[r["email"]],
                ]
                for r in shown
            ]
        }


STAFF = register(StaffImport())
__all__ = ["STAFF", "Invitation"]
