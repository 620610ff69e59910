"""The kansencoach as a person (seed 004, issue 25): "de leerkracht signaleert en draagt een
leerling voor", "de ouders moeten akkoord gaan", and then "direct hulp zonder allerlei
formulieren in te vullen en een intake te houden".

A nomination (voordracht) waits until the parents' consent is on record; starting it makes
a Placement of kind COACHING in the kansencoach facility (no referral, no lesson hours), so
the pupil file, the timeline and the outcomes know it like any other support. The coach
records dated conversations with minutes; their sum per week is set against the facility's
`hours_per_week`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .facilities import Facility
from .placements import Placement


class NominationState(models.TextChoices):
    OPEN = "open", _("voorgedragen")
    STARTED = "started", _("gestart")
    WITHDRAWN = "withdrawn", _("ingetrokken")


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """IB'er/zorgcoördinator of the school; the teacher who nominated; the coach once the
        parents agreed (carecoord/access/coaching.py)."""
        from carecoord.access.coaching import nominations_q

        return self.filter(nominations_q(user))

    def open(self):
        return self.filter(state=NominationState.OPEN)


class CoachingNomination(models.Model):
    """A voordracht: a teacher puts a pupil forward to the kansencoach with a short reason."""

    school = models.ForeignKey(
        "accounts.School", models.PROTECT, related_name="coaching_nominations", verbose_name=_("school")
    )
    student = models.ForeignKey(
        "students.Student", models.PROTECT, related_name="coaching_nominations", verbose_name=_("leerling")
    )
    facility = models.ForeignKey(Facility, models.PROTECT, related_name="nominations", verbose_name=_("kansencoach"))
    reason = models.CharField(_("korte reden"), max_length=500)
    state = models.CharField(_("stand"), max_length=20, choices=NominationState.choices, default=NominationState.OPEN)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("voorgedragen door")
    )
    created_at = models.DateTimeField(_("voorgedragen op"), default=timezone.now)
    placement = models.OneToOneField(
        Placement, models.PROTECT, null=True, blank=True, related_name="nomination", verbose_name=_("begeleiding")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gestart door"),
    )
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)

    history = HistoricalRecords()
    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("voordracht kansencoach")
        verbose_name_plural = _("voordrachten kansencoach")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open nomination per pupil and coach: a second teacher's adds nothing new.
            models.UniqueConstraint(
                fields=["student", "facility"], condition=Q(state="open"), name="uniq_open_nomination"
            ),
            models.CheckConstraint(
                condition=~Q(state="started") | Q(placement__isnull=False), name="nomination_started_has_placement"
            ),
        ]

    def __str__(self):
        return f"{self.student} → {self.facility}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("referrals:coaching_nomination", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == NominationState.OPEN


class ConversationKind(models.TextChoices):
    PUPIL = "leerling", _("met de leerling")
    PARENTS = "ouders", _("met de ouders")
    TEACHER = "leerkracht", _("advies aan de leerkracht")


class ConversationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The coach of the facility (while the coaching runs) and the IB'er/zorgcoördinator."""
        from carecoord.access.coaching import conversations_q

        return self.filter(conversations_q(user))


class CoachingConversation(models.Model):
    """One conversation of the kansencoach, dated, with its minutes: with the pupil, with the
    parents ("de ouders worden nauw bij de gesprekken betrokken"), or advice to the teacher."""

    placement = models.ForeignKey(
        Placement, models.PROTECT, related_name="conversations", verbose_name=_("begeleiding")
    )
    held_on = models.DateField(_("datum"))
    minutes = models.PositiveSmallIntegerField(_("minuten"))
    kind = models.CharField(_("soort gesprek"), max_length=20, choices=ConversationKind.choices)
    note = models.TextField(_("notitie"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("kansencoach"))
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    # A care record is never silently rewritten: versions with who and when.
    history = HistoricalRecords()
    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("gesprek kansencoach")
        verbose_name_plural = _("gesprekken kansencoach")
        ordering = ["-held_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(minutes__gte=1), name="conversation_minutes_positive")]
        indexes = [models.Index(fields=["placement", "held_on"], name="conversation_placement_day_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%d-%m-%Y} ({self.minutes} min)"
