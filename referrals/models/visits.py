"""Visits: a pupil checked in and out of a facility (planned, or a walk-in)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .facilities import Facility
from .placements import Placement


class VisitReason(models.TextChoices):
    TIME_OUT = "time_out", _("time-out uit de les")
    UPSET = "upset", _("onrustig of boos")
    UNWELL = "unwell", _("niet lekker / angstig")
    WORK = "work", _("werk afmaken")
    OTHER = "other", _("anders")


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.placements import visits_q

        return self.filter(visits_q(user))

    def open(self):
        return self.filter(checked_out_at__isnull=True)


class Visit(models.Model):
    """A pupil in a facility: checked in, and (later) out. Planned visits belong to a
    placement; an unplanned walk-in (time-out) has a reason."""

    facility = models.ForeignKey(Facility, models.PROTECT, related_name="visits", verbose_name=_("voorziening"))
    student = models.ForeignKey("students.Student", models.PROTECT, related_name="visits", verbose_name=_("leerling"))
    placement = models.ForeignKey(
        Placement, models.SET_NULL, null=True, blank=True, related_name="visits", verbose_name=_("plaatsing")
    )
    planned = models.BooleanField(_("gepland"), default=True)
    reason = models.CharField(_("reden"), max_length=20, choices=VisitReason.choices, blank=True)
    checked_in_at = models.DateTimeField(_("ingecheckt om"))
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    checked_out_at = models.DateTimeField(_("uitgecheckt om"), null=True, blank=True)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("notitie"), max_length=300, blank=True)
    # Closed by the end-of-day task, not by a person: the coach corrects the time.
    needs_correction = models.BooleanField(_("controleren"), default=False)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("bezoek")
        verbose_name_plural = _("bezoeken")
        ordering = ["-checked_in_at", "-pk"]
        constraints = [
            # A pupil is in one place at a time: a second check-in, even a racing one, fails here.
            models.UniqueConstraint(
                fields=["student"], condition=Q(checked_out_at__isnull=True), name="uniq_open_visit_per_student"
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=models.F("checked_in_at")),
                name="visit_out_after_in",
            ),
            models.CheckConstraint(condition=Q(planned=True) | ~Q(reason=""), name="visit_walk_in_has_reason"),
        ]
        indexes = [
            # The board (today's visits) and the figures (a period's visits) of one facility.
            models.Index(fields=["facility", "checked_in_at"], name="visit_facility_time_idx"),
            models.Index(fields=["student", "-checked_in_at"], name="visit_student_time_idx"),
        ]

    def __str__(self):
        return f"{self.student} {self.checked_in_at:%d-%m-%Y %H:%M}"

    @property
    def minutes(self) -> int | None:
        if self.checked_out_at is None:
            return None
        return int((self.checked_out_at - self.checked_in_at).total_seconds() // 60)
