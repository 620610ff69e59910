"""Facilities (trajectvoorzieningen) and the school's lesson-hour timetable."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FacilityKind(models.TextChoices):
    VIPROOM = "viproom", _("viproom / trajectvoorziening")
    GROUP = "group", _("kleine groep (SO+)")
    KANSENCOACH = "kansencoach", _("kansencoach")
    JEUGDHULP = "jeugdhulp", _("jeugdhulp op school")


# Seed 000: a viproom holds at most ten pupils full-time; seed 003: an SO+ group is four pupils.
DEFAULT_CAPACITY = {
    FacilityKind.VIPROOM: 10,
    FacilityKind.GROUP: 4,
    FacilityKind.KANSENCOACH: 6,
    FacilityKind.JEUGDHULP: 8,
}


class FacilityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Facilities (no pupil data) of the schools where the user is staff."""
        from carecoord.access.placements import facilities_q

        return self.filter(facilities_q(user))

    def active(self):
        return self.filter(is_active=True)


class Facility(models.Model):
    """A trajectvoorziening: a room or arrangement in school with coaches/workers and a
    capacity in full-time places."""

    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="facilities", verbose_name=_("school"))
    name = models.CharField(_("naam"), max_length=100)
    kind = models.CharField(_("soort"), max_length=20, choices=FacilityKind.choices, default=FacilityKind.VIPROOM)
    capacity = models.PositiveSmallIntegerField(
        _("capaciteit (voltijdplaatsen)"),
        help_text=_("Zoveel leerlingen mogen tegelijk aanwezig zijn, en zoveel voltijdplaatsingen passen erin."),
    )
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coached_facilities", blank=True, verbose_name=_("coaches/begeleiders")
    )
    partner_organisation = models.ForeignKey(
        "accounts.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
        verbose_name=_("partnerorganisatie"),
        help_text=_("Bijv. de jeugdhulpaanbieder of het sociaal team dat de begeleiders levert."),
    )
    # Seed 004: the kansencoach is in school "twee uur in de week"; the IB'er sees the hours
    # of the conversations against this budget (other kinds of facility do not use it).
    hours_per_week = models.DecimalField(
        _("uren per week (kansencoach)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2"),
        validators=[MinValueValidator(0, message=_("Het aantal uren per week kan niet onder nul zijn."))],
        help_text=_("Voor een kansencoach: zoveel uur per week is de coach op school."),
    )
    is_active = models.BooleanField(_("in gebruik"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("trajectvoorziening")
        verbose_name_plural = _("trajectvoorzieningen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="uniq_facility_name_per_school"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="facility_capacity_at_least_1"),
            models.CheckConstraint(condition=Q(hours_per_week__gte=0), name="facility_hours_not_negative"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("referrals:facility_board", args=[self.pk])

    @property
    def consent_purpose(self) -> str:
        """The consent purpose a placement here needs ('' when none): seed 004, parents must
        agree to the kansencoach; seed 002, youth care in school works with parents' consent."""
        from students.models import ConsentPurpose

        return {
            FacilityKind.KANSENCOACH: ConsentPurpose.KANSENCOACH,
            FacilityKind.JEUGDHULP: ConsentPurpose.JEUGDHULP_OP_SCHOOL,
        }.get(self.kind, "")


class LessonHour(models.Model):
    """One lesson hour (lesuur) of a school's timetable: the board expects pupils by it."""

    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="lesson_hours", verbose_name=_("school"))
    number = models.PositiveSmallIntegerField(_("lesuur"))
    starts_at = models.TimeField(_("begint om"))
    ends_at = models.TimeField(_("eindigt om"))

    class Meta:
        verbose_name = _("lesuur")
        verbose_name_plural = _("lesuren")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="uniq_lesson_hour_per_school"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="lesson_hour_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.label}: {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def label(self) -> str:
        """'3' at a secondary school; 'ochtend'/'middag' at a PO/SO school (day parts)."""
        from accounts.words import lesson_hour_label

        return lesson_hour_label(self.school, self.number)
