"""Group arrangements with their funding as data (seed 003): "financiering van een groep"
— the SO+ class is funded as a group by the gemeente, not per pupil — and the ambulant
worker's log of what is delivered outside the room (family contacts)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Funder(models.TextChoices):
    GEMEENTE = "gemeente", _("gemeente")
    SWV = "swv", _("samenwerkingsverband")
    ZORGVERZEKERAAR = "zorgverzekeraar", _("zorgverzekeraar")
    SCHOOL = "school", _("school")
    OTHER = "anders", _("anders")


class GroupFunding(models.Model):
    """A funding agreement for a group facility: who pays, for which period, for how many
    hours a week (or which budget), delivered by which worker."""

    facility = models.ForeignKey("referrals.Facility", models.CASCADE, related_name="fundings", verbose_name=_("groep"))
    funder = models.CharField(_("financier"), max_length=20, choices=Funder.choices)
    funder_name = models.CharField(
        _("naam financier"), max_length=200, blank=True, help_text=_("Bijv. Gemeente Emmen.")
    )
    starts_on = models.DateField(_("contract vanaf"))
    ends_on = models.DateField(_("contract tot en met"))
    hours_per_week = models.DecimalField(
        _("gecontracteerde uren per week"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    budget = models.DecimalField(_("budget (euro)"), max_digits=10, decimal_places=2, null=True, blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ambulant begeleider"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("financiering groepsarrangement")
        verbose_name_plural = _("financieringen groepsarrangementen")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="funding_ends_after_start"),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__gte=0), name="funding_hours_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="funding_budget_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.get_funder_display()} {self.starts_on:%d-%m-%Y}–{self.ends_on:%d-%m-%Y}"


class ContactKind(models.TextChoices):
    FAMILY = "gezin", _("contact met het gezin")
    PARENTS = "ouders", _("gesprek met ouders")
    TEACHER = "leerkracht", _("overleg met de leerkracht")
    OTHER = "anders", _("anders")


class GroupContact(models.Model):
    """Time the group's worker spent outside the room for the group: with the families,
    the parents, the teacher. Counts as delivered hours. No pupil names (the funding report
    goes to the funder)."""

    facility = models.ForeignKey(
        "referrals.Facility", models.CASCADE, related_name="group_contacts", verbose_name=_("groep")
    )
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("begeleider"))
    on = models.DateField(_("datum"))
    minutes = models.PositiveIntegerField(_("minuten"))
    kind = models.CharField(_("soort"), max_length=20, choices=ContactKind.choices, default=ContactKind.FAMILY)
    note = models.CharField(_("korte notitie"), max_length=200, blank=True, help_text=_("Geen namen van leerlingen."))
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact buiten de groep")
        verbose_name_plural = _("contacten buiten de groep")
        ordering = ["-on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(minutes__gte=1), name="group_contact_minutes_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%d-%m-%Y} ({self.minutes} min)"
