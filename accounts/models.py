"""People and organisations: users (login by e-mail), schools, roles per school, partners.

A region can run one installation for many schools, so every record of the other apps
belongs to a School, and a person's role is per school (Membership).
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HolidayRegion(models.TextChoices):
    # The three regions of the Dutch national school holiday schedule.
    NOORD = "noord", _("Noord")
    MIDDEN = "midden", _("Midden")
    ZUID = "zuid", _("Zuid")


class SchoolType(models.TextChoices):
    """The sector of a school. Primary (PO) and special (SO) schools work with groepen 1-8,
    a leerkracht per groep, an intern begeleider and day parts; VSO and VO with classes,
    mentors, a zorgcoördinator and lesson hours (seeds 003 and 004)."""

    PO = "po", _("Primair onderwijs (basisschool)")
    SO = "so", _("Speciaal onderwijs (SO)")
    VSO = "vso", _("Voortgezet speciaal onderwijs (VSO)")
    VO = "vo", _("Voortgezet onderwijs")


# The school types that work with groepen, a leerkracht, an intern begeleider and day parts.
PRIMARY_TYPES = frozenset({SchoolType.PO, SchoolType.SO})


class School(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    school_type = models.CharField(
        _("soort school"),
        max_length=3,
        choices=SchoolType.choices,
        default=SchoolType.VO,
        help_text=_("Bepaalt de woorden (groep of klas, leerkracht of mentor) en dagdelen of lesuren."),
    )
    brin_code = models.CharField(
        _("BRIN-code"),
        max_length=6,
        unique=True,
        help_text=_("Vier tekens, eventueel met twee cijfers voor de vestiging (bijv. 12AB of 12AB00)."),
    )
    region = models.CharField(
        _("regio (samenwerkingsverband)"), max_length=200, blank=True, help_text=_("Bijv. Koers VO.")
    )
    holiday_region = models.CharField(
        _("vakantieregio"), max_length=10, choices=HolidayRegion.choices, default=HolidayRegion.MIDDEN
    )
    require_two_factor = models.BooleanField(
        _("tweestapsverificatie voor iedereen"),
        default=False,
        help_text=_(
            "Aan: iedereen met een rol op deze school logt in met een tweede stap. Uit: alleen de "
            "zorgcoördinator, aandachtsfunctionaris en functioneel beheerder (en partners) moeten dat."
        ),
    )
    reply_to_email = models.EmailField(
        _("antwoordadres voor e-mail"),
        blank=True,
        help_text=_(
            "Waar antwoorden op e-mails van Carecoord heen gaan, bijvoorbeeld zorg@school.nl. "
            "Ook de organisator in uitnodigingen voor overleggen. Leeg: antwoorden gaan naar niemand."
        ),
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_primary(self) -> bool:
        """PO or SO: groepen 1-8, leerkracht, intern begeleider, day parts."""
        return self.school_type in PRIMARY_TYPES

    @property
    def uses_day_parts(self) -> bool:
        """Plans and the board count day parts (ochtend/middag) instead of lesson hours.
        Code about lesson hours reads this; `accounts.words.DAY_PARTS` names them."""
        return self.is_primary

    @property
    def words(self):
        """The words of this school's screens (groep/klas, leerkracht/mentor, IB'er/zorgcoördinator)."""
        from .words import words_for

        return words_for(self.school_type)


class OrganisationKind(models.TextChoices):
    LEERPLICHT = "leerplicht", _("Leerplicht")
    SMW = "smw", _("Schoolmaatschappelijk werk")
    JGZ = "jgz", _("JGZ / schoolarts")
    JEUGDTEAM = "jeugdteam", _("Jeugdteam")
    SWV = "swv", _("Samenwerkingsverband")
    JEUGDHULP = "jeugdhulp", _("Jeugdhulpaanbieder")
    JONGERENWERK = "jongerenwerk", _("Jongerenwerk")
    OTHER = "other", _("Anders")


class Organisation(models.Model):
    """An external partner (ketenpartner) and the schools it works with."""

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=OrganisationKind.choices)
    schools = models.ManyToManyField(
        School, related_name="partner_organisations", blank=True, verbose_name=_("scholen")
    )
    # Invites the organisation's own professionals (accounts.services.invitations); set by
    # applicatiebeheer. A partner professional of this organisation.
    contact = models.ForeignKey(
        "User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contactpersoon"),
    )

    class Meta:
        verbose_name = _("partnerorganisatie")
        verbose_name_plural = _("partnerorganisaties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        # Staff type their address in any case; it is stored lower-cased.
        return self.get(email__iexact=email)

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: school staff and partner professionals.

    Staff get their roles through Membership; a partner professional belongs to an
    Organisation and works at that organisation's schools.
    """

    email = models.EmailField(_("e-mailadres"), unique=True)
    name = models.CharField(_("naam"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("partnerorganisatie"),
        help_text=_("Alleen voor externe partners."),
    )
    language = models.CharField(_("taal"), max_length=5, default="nl")
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(
        _("toegang tot Django-admin"), default=False, help_text=_("Alleen voor technisch beheer.")
    )
    # Applicatiebeheer: a role of the installation, not of a school. Adds schools and partner
    # organisations and appoints a school's first functioneel beheerder; sees no pupil data
    # (no Membership, so no school: carecoord/access/region.py).
    is_application_admin = models.BooleanField(_("applicatiebeheerder"), default=False)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = [Lower("name")]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def is_partner(self):
        return self.organisation_id is not None


class Role(models.TextChoices):
    ZORGCOORDINATOR = "zorgcoordinator", _("Zorgcoördinator")
    MENTOR = "mentor", _("Mentor")
    COACH = "coach", _("Coach (voorziening)")
    SCHOOLLEIDER = "schoolleider", _("Schoolleider")
    BEHEERDER = "beheerder", _("Functioneel beheerder")
    # Designated per school by the Meldcode huiselijk geweld en kindermishandeling.
    AANDACHTSFUNCTIONARIS = "aandachtsfunctionaris", _("Aandachtsfunctionaris")
    VERZUIMCOORDINATOR = "verzuimcoordinator", _("Verzuimcoördinator")
    # The zorgcoördinator's counterpart in primary and special schools (seed 004): counts as
    # the coordinator at a PO/SO school, and for nothing elsewhere (carecoord/access/core.py).
    INTERN_BEGELEIDER = "intern_begeleider", _("Intern begeleider (IB'er)")


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Roles the user may see and change: at schools where they are functional administrator."""
        from carecoord.access.accounts import memberships_q

        return self.filter(memberships_q(user))


class Membership(models.Model):
    """A role of a user at one school. One person may hold several, at several schools."""

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships", verbose_name=_("gebruiker"))
    school = models.ForeignKey(School, models.CASCADE, related_name="memberships", verbose_name=_("school"))
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("rol op school")
        verbose_name_plural = _("rollen op scholen")
        constraints = [
            models.UniqueConstraint(fields=["user", "school", "role"], name="uniq_membership_user_school_role"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.school})"

    @property
    def role_label(self) -> str:
        """The role as its school says it (a primary school's mentor is its leerkracht).
        Reads `school`: select it with the membership in lists."""
        from .words import role_label

        return role_label(self.role, self.school)


class HolidayPeriodQuerySet(models.QuerySet):
    def for_school(self, school):
        """Holidays that apply to a school: its region's national ones plus its own."""
        return self.filter(models.Q(school=school) | models.Q(school__isnull=True, region=school.holiday_region))

    def visible_to(self, user):
        """Days off the user may change: their own school's, as functional administrator.
        The national holidays per region are managed in the Django admin."""
        from carecoord.access.accounts import holidays_q

        return self.filter(holidays_q(user))


class HolidayPeriod(models.Model):
    """A school holiday (or a day off) for a holiday region, or for one school only.

    The one place for the school calendar: meeting series skip these dates and the
    absence rules do not count these weeks as school weeks.
    """

    name = models.CharField(_("naam"), max_length=100)
    start = models.DateField(_("eerste dag"))
    end = models.DateField(_("laatste dag"))
    region = models.CharField(_("vakantieregio"), max_length=10, choices=HolidayRegion.choices, blank=True)
    school = models.ForeignKey(
        School, models.CASCADE, null=True, blank=True, related_name="holidays", verbose_name=_("school")
    )

    objects = HolidayPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("vakantie of vrije dag")
        verbose_name_plural = _("vakanties en vrije dagen")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="holiday_end_after_start"),
            models.CheckConstraint(
                condition=models.Q(school__isnull=False) | ~models.Q(region=""), name="holiday_has_region_or_school"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.start:%d-%m-%Y} – {self.end:%d-%m-%Y})"


class TwoFactorReset(models.Model):
    """A second factor (authenticator app, passkeys, recovery codes) removed for someone who
    lost it, by whom and when. Written by `accounts.services.mfa_reset` only; never changed."""

    user = models.ForeignKey(User, models.CASCADE, related_name="two_factor_resets", verbose_name=_("gebruiker"))
    reset_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("gereset door"))
    reset_at = models.DateTimeField(_("gereset op"), default=timezone.now)
    removed = models.JSONField(_("verwijderd"), default=list, help_text=_("Soorten tweede stap die zijn verwijderd."))

    class Meta:
        verbose_name = _("reset van tweestapsverificatie")
        verbose_name_plural = _("resets van tweestapsverificatie")
        ordering = ["-reset_at"]

    def __str__(self):
        return f"{self.user} — {self.reset_at:%d-%m-%Y %H:%M}"


class InvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)

    def visible_to(self, user):
        """Invitations the user may see, resend and revoke (carecoord/access/region.py)."""
        from carecoord.access.region import invitations_q

        return self.filter(invitations_q(user))


class Invitation(models.Model):
    """An invitation to work in Carecoord: for school staff (`school` and `roles`) or for a
    partner organisation's professional (`organisation`). Not for parents.

    The link carries a random token; only its SHA-256 is stored. It works once, for
    INVITATION_DAYS; resending makes a new token (the old link stops working). The account
    exists from the invitation on, without a password and without roles: accepting sets the
    password and gives the roles.
    """

    user = models.ForeignKey(User, models.CASCADE, related_name="invitations", verbose_name=_("gebruiker"))
    school = models.ForeignKey(
        School, models.CASCADE, null=True, blank=True, related_name="invitations", verbose_name=_("school")
    )
    organisation = models.ForeignKey(
        Organisation,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("partnerorganisatie"),
    )
    invited_roles = models.JSONField(_("rollen"), default=list, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("uitgenodigd door"))
    created_at = models.DateTimeField(_("uitgenodigd op"), default=timezone.now)
    sent_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)
    expires_at = models.DateTimeField(_("geldig tot"))
    accepted_at = models.DateTimeField(_("aangenomen op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    times_sent = models.PositiveSmallIntegerField(default=1)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(school__isnull=False) | models.Q(organisation__isnull=False),
                name="invitation_for_school_or_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.user.email} ({self.school or self.organisation})"

    @property
    def role_labels(self) -> list[str]:
        """The invited roles as the school says them (a primary school's mentor is its
        leerkracht). Reads `school`: select it with the invitation in lists."""
        from .words import role_label

        labels = dict(Role.choices)
        school = self.school if self.school_id else None
        return [role_label(role, school) for role in self.invited_roles if role in labels]

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "open"

    def get_state_display(self):
        return {
            "accepted": _("aangenomen"),
            "revoked": _("ingetrokken"),
            # A link past its date ("expired"), not an agreement past its date ("overdue").
            "expired": pgettext_lazy("link", "verlopen"),
            "open": _("open"),
        }[self.state]
