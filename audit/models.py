"""Who changed what, and when: the one change log of the application.

Services that change something without an event of its own on a pupil's timeline (a
school's settings and days off, its absence thresholds, zorgroute categories, facilities and
the timetable, classes, meetings, a guardian's details, a visit, a goal) write one row
here through `audit.services.change_record`, inside their own transaction.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Change(models.Model):
    """One change: who, when, which object, and per field the old and new value. Free text
    about a pupil (a note, a goal, a guardian's details) is recorded as the field's name
    only (value None), so the log never copies care content."""

    # Empty for a change of the installation (applicatiebeheer: a partner organisation).
    school = models.ForeignKey(
        "accounts.School", models.CASCADE, null=True, blank=True, related_name="changes", verbose_name=_("school")
    )
    # The pupil the change is about, if any (AVG inzage: every row about a pupil can be found).
    student = models.ForeignKey(
        "students.Student", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("leerling")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    kind = models.CharField(_("soort"), max_length=60)  # "<app>.<what happened>", e.g. "accounts.school_updated"
    object_type = models.CharField(_("soort object"), max_length=60)  # "<app_label>.<model>"
    object_id = models.PositiveBigIntegerField(_("object"), null=True)
    changes = models.JSONField(_("wijzigingen"), default=dict)  # {field: [old, new]} or {field: None}

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["school", "-at"], name="change_school_at_idx")]

    def __str__(self):
        return f"{self.kind} {self.object_type}#{self.object_id}"
