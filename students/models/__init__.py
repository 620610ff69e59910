"""Pupils, their classes and guardians, consent and partner links (the timeline and the read
log: logs.py).

Every model holding pupil data has a `visible_to(user)` QuerySet method that asks the
access module (carecoord/access/students.py); views start from it.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def age_on(date_of_birth: date, on: date) -> int:
    """Whole years between birth and `on` (a birthday counts on the day itself;
    29 February birthdays count on 1 March in other years)."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


class Level(models.TextChoices):
    PO = "po", _("basisonderwijs")
    SO = "so", _("speciaal onderwijs")
    PRO = "pro", _("Praktijkonderwijs")
    VMBO_B = "vmbo-b", _("vmbo basis")
    VMBO_K = "vmbo-k", _("vmbo kader")
    VMBO_G = "vmbo-g", _("vmbo gemengd")
    VMBO_T = "vmbo-t", _("vmbo theoretisch (mavo)")
    HAVO = "havo", _("havo")
    VWO = "vwo", _("vwo")
    VSO = "vso", _("voortgezet speciaal onderwijs")
    OTHER = "anders", _("anders")


# The highest leerjaar per level in secondary school (vmbo 4, havo 5, vwo 6); a PO or SO
# groep is 1 to 8. VSO and praktijkonderwijs run up to 6 years.
MAX_YEAR = {
    Level.PO: 8,
    Level.SO: 8,
    Level.PRO: 6,
    Level.VMBO_B: 4,
    Level.VMBO_K: 4,
    Level.VMBO_G: 4,
    Level.VMBO_T: 4,
    Level.HAVO: 5,
    Level.VWO: 6,
    Level.VSO: 6,
    Level.OTHER: 8,
}
# The levels a school of each type offers (accounts.SchoolType).
LEVELS_OF_TYPE = {
    "po": [Level.PO],
    "so": [Level.SO],
    "vso": [Level.VSO, Level.PRO, Level.OTHER],
    "vo": [Level.PRO, Level.VMBO_B, Level.VMBO_K, Level.VMBO_G, Level.VMBO_T, Level.HAVO, Level.VWO, Level.OTHER],
}


def class_fit_errors(*, school_type: str, year, level: str) -> dict:
    """Field errors when a class's leerjaar and level do not fit its school's type: a PO
    groep is 1 to 8, a havo class at most year 5 (seed 004: a primary school has groepen)."""
    errors = {}
    if level and level not in LEVELS_OF_TYPE.get(school_type, Level.values):
        errors["level"] = _("Dit niveau hoort niet bij deze soort school.")
    if year is None:
        return errors
    if school_type in ("po", "so") and not 1 <= year <= 8:
        errors["year"] = _("Een groep is groep 1 tot en met 8.")
    elif level in MAX_YEAR and not 1 <= year <= MAX_YEAR[level]:
        errors["year"] = _("Leerjaar %(year)s past niet bij %(level)s: dat loopt van 1 tot en met %(max)s.") % {
            "year": year,
            "level": Level(level).label,
            "max": MAX_YEAR[level],
        }
    return errors


class SchoolClassQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.students import classes_q

        return self.filter(classes_q(user))


class SchoolClass(models.Model):
    """A class (klas); its mentors are the pupils' mentors."""

    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="classes", verbose_name=_("school"))
    name = models.CharField(_("klas"), max_length=20, help_text=_("Zoals in het LVS, bijv. 3B."))
    year = models.PositiveSmallIntegerField(_("leerjaar"))
    level = models.CharField(_("niveau"), max_length=10, choices=Level.choices)
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentor_classes", blank=True, verbose_name=_("mentoren")
    )

    objects = SchoolClassQuerySet.as_manager()

    class Meta:
        verbose_name = _("klas")
        verbose_name_plural = _("klassen")
        ordering = ["year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="uniq_class_name_per_school"),
            models.CheckConstraint(condition=models.Q(year__gte=1, year__lte=8), name="class_year_1_to_8"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.school_id:
            errors = class_fit_errors(school_type=self.school.school_type, year=self.year, level=self.level)
            if errors:
                raise ValidationError(errors)


class SupportStatus(models.TextChoices):
    """What a mentor may know about a pupil's support: the stage, not the content."""

    NONE = "", _("geen")
    SIGNALED = "gesignaleerd", _("gesignaleerd")
    IN_BEGELEIDING = "in_begeleiding", _("in begeleiding")
    AANGEMELD = "aangemeld", _("aangemeld voor een voorziening")
    GEPLAATST = "geplaatst", _("geplaatst in een voorziening")
    EXTERNE_HULP = "externe_hulp", _("externe hulp")


class StudentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Pupils whose file the user may open (some part of it): see carecoord/access/students.py."""
        from carecoord.access.students import students_q

        return self.filter(students_q(user))

    def active(self):
        return self.filter(left_on__isnull=True)

    def in_dutch_order(self):
        # Dutch sorting: by last name without the tussenvoegsel ("de Vries" under V).
        return self.order_by(Lower("last_name"), Lower("first_name"), "pk")


def full_name(first_name: str, tussenvoegsel: str, last_name: str) -> str:
    """'Jan de Vries' (also for a pupil read as plain values: the task list, suggestions)."""
    return " ".join(p for p in (first_name, tussenvoegsel, last_name) if p)


def sort_name(first_name: str, tussenvoegsel: str, last_name: str) -> str:
    """'Vries, Jan de': how Dutch school lists show a name sorted on the last name (also for a
    pupil read as plain values, students/rows.py)."""
    given = " ".join(p for p in (first_name, tussenvoegsel) if p)
    return f"{last_name}, {given}"


class Student(models.Model):
    school = models.ForeignKey("accounts.School", models.PROTECT, related_name="students", verbose_name=_("school"))
    student_number = models.CharField(_("leerlingnummer"), max_length=20)
    first_name = models.CharField(_("voornaam"), max_length=100)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100)
    date_of_birth = models.DateField(_("geboortedatum"))
    school_class = models.ForeignKey(
        SchoolClass, models.SET_NULL, null=True, blank=True, related_name="students", verbose_name=_("klas")
    )
    left_on = models.DateField(_("vertrokken op"), null=True, blank=True)
    support_status = models.CharField(
        _("ondersteuning"), max_length=20, choices=SupportStatus.choices, blank=True, default=SupportStatus.NONE
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    # Versions of the pupil's data (who changed a name or a date of birth, and the old value).
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = StudentQuerySet.as_manager()

    class Meta:
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")
        ordering = [Lower("last_name"), Lower("first_name"), "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "student_number"], name="uniq_student_number_per_school"),
        ]
        indexes = [
            # The pupil list: one school's pupils in Dutch name order.
            models.Index(Lower("last_name"), Lower("first_name"), "school", name="student_school_name_idx"),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("students:file", args=[self.pk])

    @property
    def full_name(self):
        return full_name(self.first_name, self.tussenvoegsel, self.last_name)

    @property
    def sort_name(self):
        """'Vries, Jan de': how Dutch school lists show a name sorted on the last name."""
        return sort_name(self.first_name, self.tussenvoegsel, self.last_name)

    @property
    def is_active(self):
        return self.left_on is None

    @property
    def file_closed(self) -> bool:
        """Is this file closed at this school (the pupil left and their handover was
        accepted)? Read-only then; the rule is carecoord/access/handovers.py `file_closed`.
        No query for a pupil at school, one for a pupil who left."""
        from carecoord.access.handovers import file_closed

        return file_closed(self)

    def age(self, on: date | None = None) -> int:
        return age_on(self.date_of_birth, on or timezone.localdate())

    def is_16_or_older(self, on: date | None = None) -> bool:
        # From 16 a pupil gives consent themselves (AVG/WGBO practice in Dutch schools).
        return self.age(on) >= 16


class GuardianRelation(models.TextChoices):
    MOEDER = "moeder", _("moeder")
    VADER = "vader", _("vader")
    OUDER = "ouder", _("ouder")
    VERZORGER = "verzorger", _("verzorger")
    VOOGD = "voogd", _("voogd")
    OTHER = "anders", _("anders")


class Guardian(models.Model):
    """A parent or carer (ouder/verzorger). Only one with parental authority (gezag) can
    give consent for a pupil under 16."""

    student = models.ForeignKey(Student, models.CASCADE, related_name="guardians", verbose_name=_("leerling"))
    name = models.CharField(_("naam"), max_length=200)
    relation = models.CharField(_("relatie"), max_length=20, choices=GuardianRelation.choices)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    has_authority = models.BooleanField(_("heeft gezag"), default=True)
    # 1 or 2 for guardians that come from the LVS import (ouder1_/ouder2_ columns);
    # empty for guardians entered by hand, which a re-import leaves alone.
    import_position = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ouder/verzorger")
        verbose_name_plural = _("ouders/verzorgers")
        ordering = ["import_position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "import_position"],
                condition=models.Q(import_position__isnull=False),
                name="uniq_guardian_import_position",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_relation_display()})"


class ConsentPurpose(models.TextChoices):
    """Consent for a purpose rather than for one partner organisation."""

    OT_BESPREKING = "ot_bespreking", _("bespreking in het ondersteuningsteam")
    KANSENCOACH = "kansencoach", _("begeleiding door de kansencoach")
    JEUGDHULP_OP_SCHOOL = "jeugdhulp_op_school", _("jeugdhulp op school")


class ConsentQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.students import consents_q

        return self.filter(consents_q(user))

    def active(self, on: date | None = None):
        """In force on `on` (today): given, not ended, not withdrawn. Withdrawal counts
        from the moment it is recorded, whatever date it carries."""
        on = on or timezone.localdate()
        return self.filter(given_on__lte=on, withdrawn_at__isnull=True).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on)
        )


class Consent(models.Model):
    """Toestemming: for one partner organisation or for a purpose. Never deleted:
    withdrawal and expiry are recorded, so the history stays."""

    student = models.ForeignKey(Student, models.PROTECT, related_name="consents", verbose_name=_("leerling"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("partnerorganisatie"),
    )
    purpose = models.CharField(_("doel"), max_length=30, choices=ConsentPurpose.choices, blank=True)
    # Below 16 a guardian with authority gives consent; from 16 the pupil (services.consent_give).
    given_by_guardian = models.ForeignKey(
        Guardian, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("gegeven door ouder")
    )
    given_by_student = models.BooleanField(_("gegeven door de leerling"), default=False)
    given_on = models.DateField(_("gegeven op"))
    ends_on = models.DateField(_("geldig tot en met"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    # Consent dated more than BACKDATE_DAYS before it was recorded needs a reason (issue 15:
    # backdating must not get round the 16-year rule unseen); the timeline shows it as backdated.
    backdate_reason = models.CharField(_("reden terugdateren"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("vastgelegd door")
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.CharField(_("ingetrokken door"), max_length=200, blank=True)
    withdrawal_reason = models.CharField(_("reden van intrekken"), max_length=500, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(organisation__isnull=False, purpose="")
                    | models.Q(organisation__isnull=True) & ~models.Q(purpose="")
                ),
                name="consent_scope_is_organisation_or_purpose",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(given_by_guardian__isnull=False, given_by_student=False)
                    | models.Q(given_by_guardian__isnull=True, given_by_student=True)
                ),
                name="consent_given_by_guardian_or_student",
            ),
        ]
        indexes = [
            # Partner scoping asks "active consent for this organisation?" on every request.
            models.Index(fields=["organisation", "student"], name="consent_org_student_idx"),
        ]

    def __str__(self):
        return f"{self.scope_label} — {self.student}"

    @property
    def scope_label(self):
        return str(self.organisation) if self.organisation_id else self.get_purpose_display()

    @property
    def giver_label(self):
        if self.given_by_student:
            return str(_("de leerling zelf"))
        return str(self.given_by_guardian) if self.given_by_guardian_id else "-"

    @property
    def is_backdated(self) -> bool:
        return bool(self.backdate_reason)

    def is_active(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.withdrawn_at is None and self.given_on <= on and (self.ends_on is None or self.ends_on >= on)


class PartnerLinkQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.students import partner_links_q

        return self.filter(partner_links_q(user))

    def active(self):
        return self.filter(ended_on__isnull=True)


class PartnerLink(models.Model):
    """A partner organisation (or one professional of it) involved with a pupil,
    e.g. the jeugdteam professional on the case. Access also needs consent."""

    student = models.ForeignKey(Student, models.CASCADE, related_name="partner_links", verbose_name=_("leerling"))
    organisation = models.ForeignKey(
        "accounts.Organisation", models.PROTECT, related_name="student_links", verbose_name=_("partnerorganisatie")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="student_links",
        verbose_name=_("professional"),
        help_text=_("Leeg: iedereen van de organisatie. Ingevuld: alleen deze professional."),
    )
    role = models.CharField(_("rol bij de leerling"), max_length=100, blank=True, help_text=_("Bijv. casusregisseur."))
    linked_on = models.DateField(_("betrokken sinds"), default=timezone.localdate)
    ended_on = models.DateField(_("betrokken tot"), null=True, blank=True)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = PartnerLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("betrokken partner")
        verbose_name_plural = _("betrokken partners")
        ordering = ["ended_on", "-linked_on"]
        indexes = [models.Index(fields=["organisation", "student"], name="partnerlink_org_student_idx")]

    def __str__(self):
        who = self.user.name if self.user_id else str(self.organisation)
        return f"{who} — {self.student}"


# The timeline and the read log live in logs.py (this module would pass ~500 lines).
from .logs import AppendOnlyQuerySet, FileAccess, FileAccessQuerySet, TimelineEvent, TimelineEventQuerySet  # noqa: E402, F401
