"""The zorgroute: the school's written route as data (categories with guidance and a
default handler), the concerns (zorgmeldingen) raised through it, the coordinator's triage
actions and the steps of the Meldcode huiselijk geweld en kindermishandeling.

Every model holding pupil data has a `visible_to(user)` QuerySet method that asks the
access module (carecoord/access/); views start from it. This app never imports the
referrals app: a referral points at its concerns, not the other way round.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Role


class HandlerKind(models.TextChoices):
    ROLE = "rol", _("een rol op school")
    PERSON = "persoon", _("een vaste persoon")
    ORGANISATION = "organisatie", _("een partnerorganisatie")


class Urgency(models.IntegerChoices):
    # Integers, so the inbox can sort "most urgent first" in the database.
    LOW = 1, _("kan wachten")
    NORMAL = 2, _("deze week")
    HIGH = 3, _("vandaag")


def is_late(urgency, created_at, today=None) -> bool:
    """A "vandaag" concern raised before today (in Amsterdam) is late: it reads "dringend" in
    the late style, not the alarm style of the day it was raised (issue 17). The one rule
    behind the badge of concerns/_urgency.html and of the inbox's rows (concerns/rows.py)."""
    return urgency == Urgency.HIGH and timezone.localdate(created_at) != (today or timezone.localdate())


# Which roles may handle a concern (and a Meldcode case) is an access rule:
# carecoord/access/concerns.py (HANDLER_ROLES, MELDCODE_ROLES).


class ConcernCategoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ConcernCategory(models.Model):
    """A category of the school's zorgroute: when and about what to raise a concern, what
    to try first, and who handles it. Managed by the coordinator and the functional
    administrator; never deleted once used (archive with `is_active`)."""

    school = models.ForeignKey(
        "accounts.School", models.CASCADE, related_name="concern_categories", verbose_name=_("school")
    )
    name = models.CharField(_("naam"), max_length=100)
    guidance_when = models.TextField(
        _("wanneer melden"), max_length=1000, blank=True, help_text=_("Welke signalen horen bij deze categorie?")
    )
    guidance_what = models.TextField(
        _("wat beschrijf je"), max_length=1000, blank=True, help_text=_("Wat wil de behandelaar in de melding lezen?")
    )
    guidance_first = models.TextField(
        _("wat probeer je eerst"), max_length=1000, blank=True, help_text=_("Wat doet de mentor zelf, vóór het melden?")
    )
    handler_kind = models.CharField(
        _("behandeld door"), max_length=20, choices=HandlerKind.choices, default=HandlerKind.ROLE
    )
    handler_role = models.CharField(_("rol"), max_length=30, choices=Role.choices, blank=True)
    handler_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("persoon"),
    )
    handler_organisation = models.ForeignKey(
        "accounts.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partnerorganisatie"),
    )
    default_urgency = models.PositiveSmallIntegerField(
        _("standaard urgentie"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    follows_meldcode = models.BooleanField(
        _("volgt de Meldcode"),
        default=False,
        help_text=_(
            "Vermoeden van huiselijk geweld of kindermishandeling: alleen de zorgcoördinator en de "
            "aandachtsfunctionaris zien deze meldingen."
        ),
    )
    home_situation = models.BooleanField(
        _("gaat over de thuissituatie"),
        default=False,
        help_text=_("Meldingen in deze categorie tellen standaard mee als 'thuissituatie' in de cijfers."),
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=10)
    is_active = models.BooleanField(_("in gebruik"), default=True)

    objects = ConcernCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("categorie van de zorgroute")
        verbose_name_plural = _("categorieën van de zorgroute")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="uniq_concern_category_name_per_school"),
            models.CheckConstraint(
                condition=(
                    models.Q(handler_kind="rol", handler_user__isnull=True, handler_organisation__isnull=True)
                    & ~models.Q(handler_role="")
                    | models.Q(
                        handler_kind="persoon",
                        handler_role="",
                        handler_user__isnull=False,
                        handler_organisation__isnull=True,
                    )
                    | models.Q(
                        handler_kind="organisatie",
                        handler_role="",
                        handler_user__isnull=True,
                        handler_organisation__isnull=False,
                    )
                ),
                name="concern_category_one_handler",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def handler_label(self) -> str:
        """Who handles this category's concerns (needs handler_user and handler_organisation loaded)."""
        if self.handler_kind == HandlerKind.PERSON and self.handler_user_id:
            return self.handler_user.name
        if self.handler_kind == HandlerKind.ORGANISATION and self.handler_organisation_id:
            return self.handler_organisation.name
        return str(Role(self.handler_role).label) if self.handler_role else "—"


class ConcernStatus(models.TextChoices):
    NEW = "nieuw", _("nieuw")
    IN_PROGRESS = "in_behandeling", _("in behandeling")
    CLOSED = "afgerond", _("afgerond")


class ConcernQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Concerns the user may open: what they handle, and what they raised themselves
        (the raiser sees status and feedback only). See carecoord/access/concerns.py."""
        from carecoord.access.concerns import concerns_q

        return self.filter(concerns_q(user))

    def handled_by(self, user):
        """Concerns the user may see in full (their inbox): not merely raised by them."""
        from carecoord.access.concerns import concerns_handled_q

        return self.filter(concerns_handled_q(user))

    def open(self):
        return self.exclude(status=ConcernStatus.CLOSED)


class Concern(models.Model):
    """A zorgmelding: what a teacher observed about a pupil, routed by its category."""

    school = models.ForeignKey("accounts.School", models.PROTECT, related_name="concerns", verbose_name=_("school"))
    student = models.ForeignKey("students.Student", models.PROTECT, related_name="concerns", verbose_name=_("leerling"))
    category = models.ForeignKey(ConcernCategory, models.PROTECT, related_name="concerns", verbose_name=_("categorie"))
    # Copied from the category when raised (and when the coordinator moves it into a
    # Meldcode category): who may see a case must not change when a category is edited.
    is_meldcode = models.BooleanField(_("Meldcode"), default=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="raised_concerns", verbose_name=_("gemeld door")
    )
    observation = models.TextField(_("wat heb je gezien of gehoord?"), max_length=4000)
    already_done = models.TextField(_("wat heb je al gedaan?"), max_length=2000, blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgentie"), choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.NEW)
    # The handler: a role at the school (a team), a person, or a partner organisation.
    handler_role = models.CharField(_("behandelaar (rol)"), max_length=30, choices=Role.choices, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_concerns",
        verbose_name=_("behandelaar"),
    )
    handler_organisation = models.ForeignKey(
        "accounts.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("behandelaar (partner)"),
    )
    home_situation = models.BooleanField(_("thuissituatie speelt mee"), default=False)
    # One submission key per form: a second POST of the same form (double click, back
    # button, a retry on a flaky network) finds the concern instead of making another.
    submission_key = models.UUIDField(_("verzendsleutel"), unique=True, editable=False)
    created_at = models.DateTimeField(_("gemeld op"), default=timezone.now)
    first_action_at = models.DateTimeField(_("eerste actie op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgerond door"),
    )
    feedback = models.TextField(_("terugkoppeling"), max_length=2000, blank=True)

    # Versions of what was written (observation, feedback) and decided: the record is never rewritten.
    history = HistoricalRecords(excluded_fields=["submission_key"])
    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("zorgmelding")
        verbose_name_plural = _("zorgmeldingen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The coordinator's inbox: one school's concerns per status, most urgent and oldest first.
            models.Index(fields=["school", "status", "-urgency", "created_at"], name="concern_inbox_idx"),
            # "Mijn meldingen": what one teacher raised, newest first.
            models.Index(fields=["raised_by", "-created_at"], name="concern_raised_by_idx"),
            # The figures: one school's concerns in a period.
            models.Index(fields=["school", "created_at"], name="concern_school_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="afgerond", closed_at__isnull=False)
                | ~models.Q(status="afgerond") & models.Q(closed_at__isnull=True),
                name="concern_closed_has_closed_at",
            ),
        ]

    def __str__(self):
        return f"{self.category} — {self.created_at:%d-%m-%Y}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("concerns:concern_detail", args=[self.pk])

    @property
    def is_closed(self):
        return self.status == ConcernStatus.CLOSED

    @property
    def urgent_today(self) -> bool:
        """Raised today (in Amsterdam) as "vandaag": only then does the alarm style fit."""
        return self.urgency == Urgency.HIGH and not self.is_late

    @property
    def is_late(self) -> bool:
        return is_late(self.urgency, self.created_at)

    @property
    def urgency_style(self) -> str:
        """The badge's style: `urgency-<this>` (static/css/app.css)."""
        return "late" if self.is_late else str(self.urgency)

    @property
    def urgency_label(self) -> str:
        """The urgency as a list shows it: "vandaag" only on the day it was raised; after
        that day it reads "dringend" (the raiser asked for the same day, and that has passed)."""
        if self.is_late:
            return str(_("dringend"))
        return self.get_urgency_display()

    @property
    def handler_label(self) -> str:
        """Who handles it, as the inbox shows it (needs handler and handler_organisation loaded)."""
        if self.handler_id:
            return self.handler.name
        if self.handler_organisation_id:
            return self.handler_organisation.name
        if self.handler_role:
            return str(Role(self.handler_role).label)
        return "—"

    @property
    def status_for_raiser(self) -> str:
        """What the person who raised it sees. A Meldcode case shows only 'in behandeling'
        until it is closed: the raiser must not learn which Meldcode step it is in."""
        if self.is_meldcode and not self.is_closed:
            return str(ConcernStatus.IN_PROGRESS.label)
        return self.get_status_display()

    @property
    def category_for_raiser(self) -> str:
        """The category as the raiser may see it. A concern the coordinator moved into a
        Meldcode category must not tell the raiser so: it shows a neutral word instead."""
        return str(_("zorgmelding")) if self.is_meldcode else self.category.name

    @property
    def handler_for_raiser(self) -> str:
        """Who handles it, as the raiser may see it (a Meldcode case: the zorgcoördinator)."""
        return str(Role.ZORGCOORDINATOR.label) if self.is_meldcode else self.handler_label


class ConcernAction(models.Model):
    """A triage action (e.g. "gesprek met ouders plannen") with an optional due date."""

    concern = models.ForeignKey(Concern, models.CASCADE, related_name="actions", verbose_name=_("zorgmelding"))
    description = models.CharField(_("actie"), max_length=300)
    due_on = models.DateField(_("uiterlijk op"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("wie")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    done_at = models.DateTimeField(_("gedaan op"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    # Set when the action was closed with its concern instead of being done: why.
    closed_reason = models.CharField(_("gesloten met de melding, reden"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self):
        return self.description


class MeldcodeStepNumber(models.IntegerChoices):
    # The five steps of the Meldcode huiselijk geweld en kindermishandeling (2019).
    SIGNALS = 1, _("1. Signalen in kaart brengen")
    CONSULTATION = 2, _("2. Collegiale consultatie (en zo nodig advies van Veilig Thuis)")
    CONVERSATION = 3, _("3. Gesprek met de leerling en/of ouders")
    WEIGHING = 4, _("4. Wegen: is er acute of structurele onveiligheid?")
    DECISION = 5, _("5. Beslissen: hulp organiseren en/of melden bij Veilig Thuis")


class MeldcodeDecision(models.TextChoices):
    HELP = "hulp", _("hulp organiseren")
    REPORT = "melden", _("melden bij Veilig Thuis")
    REPORT_AND_HELP = "melden_en_hulp", _("melden bij Veilig Thuis én hulp organiseren")
    NONE = "geen", _("geen melding en geen hulp nodig (vermoeden niet bevestigd)")


class MeldcodeStep(models.Model):
    """One recorded step of a Meldcode case: date, who was involved, notes, and for the
    weighing and the decision what was concluded. A step may be recorded more than once
    (a second consultation), except the decision."""

    concern = models.ForeignKey(Concern, models.CASCADE, related_name="meldcode_steps", verbose_name=_("zorgmelding"))
    step = models.PositiveSmallIntegerField(_("stap"), choices=MeldcodeStepNumber.choices)
    occurred_on = models.DateField(_("datum"))
    participants = models.CharField(_("wie"), max_length=300, help_text=_("Wie waren erbij of zijn geraadpleegd?"))
    notes = models.TextField(_("aantekeningen"), max_length=4000)
    veilig_thuis_consulted = models.BooleanField(_("advies gevraagd aan Veilig Thuis"), default=False)
    acute_unsafety = models.BooleanField(_("acute onveiligheid"), null=True, blank=True)
    structural_unsafety = models.BooleanField(_("structurele onveiligheid"), null=True, blank=True)
    decision = models.CharField(_("besluit"), max_length=20, choices=MeldcodeDecision.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Meldcode-stap")
        verbose_name_plural = _("Meldcode-stappen")
        ordering = ["step", "occurred_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["concern"], condition=models.Q(step=5), name="uniq_meldcode_decision_per_concern"
            ),
            models.CheckConstraint(
                condition=models.Q(step=5, decision__gt="") | ~models.Q(step=5) & models.Q(decision=""),
                name="meldcode_decision_only_in_step_5",
            ),
        ]

    def __str__(self):
        return self.get_step_display()
