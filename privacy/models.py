"""Retention (bewaartermijnen) and AVG rights: a school's terms per kind of record, the
counts of what retention removed, inzage exports and requests for correction or removal.

Nothing here keeps the content of what was removed: a retention run keeps per kind of
record only how many rows went, and when (AVG art. 5(1)(e): storage limitation).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .registry import Term

# Retention terms in months and what they count from. Documented defaults (docs/privacy.md):
# - care data: 2 years after the pupil left (the usual term of Dutch schools' privacy rules);
# - Meldcode documentation: 5 years after the pupil left (longer, so a later report to
#   Veilig Thuis can show what was seen and done; a school may choose up to 20 years, the
#   Jeugdwet term for youth-care files);
# - absence: 2 years after the pupil left;
# - the pupil's own details (name, guardians): 5 years after leaving, and only when nothing
#   else of theirs is kept;
# - the read log: 5 years after each read (NEN 7513 practice).
DEFAULT_MONTHS = {
    Term.ZORG: 24,
    Term.MELDCODE: 60,
    Term.VERZUIM: 24,
    Term.LEERLING: 60,
    Term.LEESLOG: 60,
}
TERM_LABELS = {
    Term.ZORG: _("Zorggegevens (zorgmeldingen, aanmeldingen, plaatsingen, overleggen, notities, documenten)"),
    Term.MELDCODE: _("Meldcode-documentatie"),
    Term.VERZUIM: _("Verzuim"),
    Term.LEERLING: _("Leerlinggegevens (naam, ouders/verzorgers)"),
    Term.LEESLOG: _("Leesregistratie"),
}
TERM_CHOICES = list(TERM_LABELS.items())
MAX_MONTHS = 240  # 20 years: the longest term any rule asks of a school


class RetentionTerm(models.Model):
    """A school's own term for one kind of data; a kind without a row keeps its default."""

    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="+", verbose_name=_("school"))
    term = models.CharField(_("soort gegevens"), max_length=20, choices=TERM_CHOICES)
    months = models.PositiveSmallIntegerField(
        _("bewaartermijn (maanden)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)]
    )
    changed_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("door"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bewaartermijn")
        verbose_name_plural = _("bewaartermijnen")
        constraints = [
            models.UniqueConstraint(fields=["school", "term"], name="uniq_retention_term_per_school"),
            models.CheckConstraint(condition=models.Q(months__gte=1), name="retention_term_at_least_a_month"),
        ]

    def __str__(self):
        return f"{self.get_term_display()}: {self.months}"


class RetentionRun(models.Model):
    """One run of retention at one school: a dry run (what is due) or a removal."""

    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="+", verbose_name=_("school"))
    dry_run = models.BooleanField(_("proefrun"))
    started_at = models.DateTimeField(_("gestart op"), default=timezone.now)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("door")
    )

    class Meta:
        verbose_name = _("opschoonrun")
        verbose_name_plural = _("opschoonruns")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["school", "dry_run", "-started_at"], name="retention_run_school_idx")]

    def __str__(self):
        return f"{self.school_id} {self.started_at:%Y-%m-%d}"

    @property
    def total(self) -> int:
        return sum(c.number for c in self.counts.all())


class RetentionCount(models.Model):
    """How many rows of one kind of record a run removed (or, in a dry run, would remove).
    The count only: never which pupil or what it said."""

    run = models.ForeignKey(RetentionRun, models.CASCADE, related_name="counts")
    kind = models.CharField(_("soort"), max_length=40)
    label = models.CharField(_("omschrijving"), max_length=200)
    number = models.PositiveIntegerField(_("aantal"))
    versions = models.PositiveIntegerField(_("versies"), default=0)

    class Meta:
        verbose_name = _("aantal verwijderd")
        verbose_name_plural = _("aantallen verwijderd")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.kind}: {self.number}"


class RightsRequestKind(models.TextChoices):
    INZAGE = "inzage", _("inzage")
    CORRECTION = "correctie", _("correctie")
    REMOVAL = "verwijdering", _("verwijdering")
    OBJECTION = "bezwaar", _("bezwaar / beperking")


class RightsRequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "uitgevoerd", _("uitgevoerd")
    PARTLY = "deels", _("deels uitgevoerd")
    REFUSED = "afgewezen", _("afgewezen")


class RightsRequest(models.Model):
    """A request of a parent or pupil under the AVG (art. 15-18, 21): inzage, correction,
    removal. Recorded with its handling: the school answers within a month (art. 12(3))."""

    school = models.ForeignKey("accounts.School", models.PROTECT, related_name="+", verbose_name=_("school"))
    student = models.ForeignKey("students.Student", models.PROTECT, related_name="+", verbose_name=_("leerling"))
    kind = models.CharField(_("soort verzoek"), max_length=20, choices=RightsRequestKind.choices)
    received_on = models.DateField(_("ontvangen op"))
    requested_by = models.CharField(_("verzoek van"), max_length=200, help_text=_("Bijv. moeder, of de leerling zelf."))
    description = models.TextField(_("wat wordt gevraagd"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=20, choices=RightsRequestStatus.choices, default=RightsRequestStatus.OPEN
    )
    handling = models.TextField(_("afhandeling"), max_length=4000, blank=True)
    handled_on = models.DateField(_("afgehandeld op"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("door")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("vastgelegd door")
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("AVG-verzoek")
        verbose_name_plural = _("AVG-verzoeken")
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.received_on:%d-%m-%Y})"

    @property
    def answer_due(self):
        from dateutil.relativedelta import relativedelta

        return self.received_on + relativedelta(months=1)


class InzageStatus(models.TextChoices):
    QUEUED = "wachtrij", _("in de wachtrij")
    RUNNING = "bezig", _("bezig")
    DONE = "klaar", _("klaar")
    FAILED = "mislukt", _("mislukt")


class InzageExport(models.Model):
    """An inzage export of one pupil: everything kept about them, as a ZIP (a readable PDF,
    a JSON file and the documents), made in the background. The ZIP lives in the private
    documents storage and is removed after EXPORT_DAYS (privacy.services.inzage)."""

    school = models.ForeignKey("accounts.School", models.PROTECT, related_name="+", verbose_name=_("school"))
    student = models.ForeignKey("students.Student", models.PROTECT, related_name="+", verbose_name=_("leerling"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("aangevraagd door")
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=InzageStatus.choices, default=InzageStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    storage_name = models.CharField(max_length=200, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("grootte"), default=0)
    # The exception's type only: a message could carry pupil data.
    error = models.CharField(max_length=200, blank=True)
    removed_at = models.DateTimeField(_("bestand verwijderd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("inzage-export")
        verbose_name_plural = _("inzage-exports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"inzage {self.student_id} {self.requested_at:%Y-%m-%d}"

    @property
    def percent(self) -> int:
        if self.status == InzageStatus.DONE:
            return 100
        return min(99, int(100 * self.done / max(self.total, 1)))

    @property
    def is_busy(self) -> bool:
        return self.status in (InzageStatus.QUEUED, InzageStatus.RUNNING)
