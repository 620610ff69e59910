"""Placements (plaatsingen) with their plan: schedule, goals and evaluations."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .facilities import Facility
from .referrals import Referral


class PlacementKind(models.TextChoices):
    FULL_TIME = "full_time", _("voltijds")
    CHECK_IN_OUT = "check_in_out", _("alleen in- en uitchecken")
    HOURS = "hours", _("specifieke vakken/lesuren")
    # Seed 004: the kansencoach is a person, not a room: conversations with the pupil, the
    # parents and the teacher, no lesson hours, and started without referral or intake.
    COACHING = "coaching", _("gesprekken met de kansencoach")


class Outcome(models.TextChoices):
    BACK_FULLY = "back_fully", _("volledig terug in de klas")
    BACK_PARTLY = "back_partly", _("deels terug in de klas")
    OTHER_FACILITY = "other_facility", _("andere voorziening")
    OTHER_SCHOOL = "other_school", _("andere school")
    # Seed 003: two pupils of the SO+ class went on to a mainstream school.
    TO_MAINSTREAM = "to_mainstream", _("uitgestroomd naar regulier onderwijs")
    TO_OTHER_SPECIAL = "to_other_special", _("naar ander speciaal onderwijs")
    AT_HOME = "at_home", _("thuis / thuiszitter")
    OTHER = "other", _("anders")


EVALUATION_WEEKS = 6  # evaluate every six weeks by default, in step with the OT


class PlacementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinator of the school, coach of the facility (active placements), partner
        with consent for the pupil: see carecoord/access/placements.py."""
        from carecoord.access.placements import placements_q

        return self.filter(placements_q(user))

    def active(self):
        return self.filter(ended_on__isnull=True)


class Placement(models.Model):
    """A plaatsing: a pupil in a facility with a plan (kind, hours, goals, evaluations)."""

    school = models.ForeignKey("accounts.School", models.PROTECT, related_name="placements", verbose_name=_("school"))
    student = models.ForeignKey(
        "students.Student", models.PROTECT, related_name="placements", verbose_name=_("leerling")
    )
    facility = models.ForeignKey(Facility, models.PROTECT, related_name="placements", verbose_name=_("voorziening"))
    # Empty only for coaching: the kansencoach starts on a teacher's nomination and the
    # parents' consent, "zonder allerlei formulieren in te vullen en een intake te houden".
    referral = models.OneToOneField(
        Referral, models.PROTECT, null=True, blank=True, related_name="placement", verbose_name=_("aanmelding")
    )
    kind = models.CharField(_("vorm"), max_length=20, choices=PlacementKind.choices)
    subjects = models.CharField(
        _("vakken"), max_length=200, blank=True, help_text=_("Bij specifieke vakken, bijv. wiskunde, Engels.")
    )
    start_on = models.DateField(_("start"))
    planned_end_on = models.DateField(_("geplande einddatum"), null=True, blank=True)
    evaluation_weeks = models.PositiveSmallIntegerField(_("evalueren elke (weken)"), default=EVALUATION_WEEKS)
    next_evaluation_on = models.DateField(_("volgende evaluatie"), null=True, blank=True)
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("toelichting bij de uitkomst"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    # Versions of the plan (kind, subjects, dates, outcome).
    history = HistoricalRecords()
    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")
        ordering = ["-start_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "facility"],
                condition=Q(ended_on__isnull=True),
                name="uniq_active_placement_per_facility",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, outcome="") | Q(ended_on__isnull=False) & ~Q(outcome=""),
                name="placement_outcome_iff_ended",
            ),
            models.CheckConstraint(
                condition=Q(referral__isnull=False) | Q(kind=PlacementKind.COACHING),
                name="placement_referral_unless_coaching",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True) | Q(planned_end_on__gte=models.F("start_on")),
                name="placement_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start_on")),
                name="placement_end_after_start",
            ),
        ]
        indexes = [
            # The board and the capacity check: a facility's active placements.
            models.Index(fields=["facility", "ended_on"], name="placement_facility_end_idx"),
        ]

    def __str__(self):
        return f"{self.student} — {self.facility}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("referrals:placement_detail", args=[self.pk])

    @property
    def is_active(self):
        return self.ended_on is None

    @property
    def schedule_from_slots(self) -> bool:
        """Is `schedule_label` read from the slots? Not for a full-time or coaching placement."""
        return self.kind not in (PlacementKind.FULL_TIME, PlacementKind.COACHING)

    def schedule_label(self, slots=None, weekday_names=None) -> str:
        """'ma 1, 2 · wo 3': when the pupil comes (uses the prefetched slots, or `slots`: the
        (weekday, hour) pairs the caller loaded). `weekday_names`: the short day names already
        translated, for a caller that labels many placements (the board)."""
        if self.kind == PlacementKind.FULL_TIME:
            return str(_("elke schooldag, de hele dag"))
        if self.kind == PlacementKind.COACHING:
            return str(_("gesprekken wanneer nodig, geen vaste lesuren"))
        if slots is None:
            slots = [(slot.weekday, slot.hour) for slot in self.slots.all()]
        days: dict[int, list[int]] = {}
        for weekday, hour in slots:
            days.setdefault(weekday, []).append(hour)
        names = weekday_names or dict(WEEKDAYS)
        return " · ".join(f"{names[d]} {', '.join(str(h) for h in sorted(hours))}" for d, hours in sorted(days.items()))

    def evaluation_dates(self, limit: int = 6) -> list:
        """The coming evaluation dates: the next one, then every `evaluation_weeks`,
        up to the planned end."""
        if not self.is_active or self.next_evaluation_on is None:
            return []
        dates, day = [], self.next_evaluation_on
        while len(dates) < limit and (self.planned_end_on is None or day <= self.planned_end_on):
            dates.append(day)
            day += timedelta(weeks=self.evaluation_weeks or EVALUATION_WEEKS)
        return dates


WEEKDAYS = [(0, _("ma")), (1, _("di")), (2, _("wo")), (3, _("do")), (4, _("vr"))]


class PlacementSlot(models.Model):
    """A lesson hour on a weekday when the pupil is expected (check-in/out and specific
    hours). Full-time pupils have none: they are expected every school day, all day."""

    placement = models.ForeignKey(Placement, models.CASCADE, related_name="slots", verbose_name=_("plaatsing"))
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=WEEKDAYS)
    hour = models.PositiveSmallIntegerField(_("lesuur"))

    class Meta:
        verbose_name = _("lesuur in het rooster")
        verbose_name_plural = _("lesuren in het rooster")
        ordering = ["weekday", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "weekday", "hour"], name="uniq_placement_slot"),
            models.CheckConstraint(condition=Q(weekday__lte=4), name="placement_slot_school_weekday"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.hour}"


class PlacementGoal(models.Model):
    placement = models.ForeignKey(Placement, models.CASCADE, related_name="goals", verbose_name=_("plaatsing"))
    text = models.CharField(_("doel"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class EvaluationDecision(models.TextChoices):
    CONTINUE = "continue", _("voortzetten")
    ADJUST = "adjust", _("bijstellen")
    END = "end", _("beëindigen")


class GoalProgress(models.TextChoices):
    NOT_YET = "not_yet", _("nog niet")
    PARTLY = "partly", _("deels")
    REACHED = "reached", _("behaald")


class PlacementEvaluation(models.Model):
    placement = models.ForeignKey(Placement, models.CASCADE, related_name="evaluations", verbose_name=_("plaatsing"))
    held_on = models.DateField(_("gehouden op"))
    decision = models.CharField(_("besluit"), max_length=20, choices=EvaluationDecision.choices)
    note = models.TextField(_("toelichting"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.placement} {self.held_on:%d-%m-%Y}"


class PlacementGoalResult(models.Model):
    """How far one goal got, at one evaluation."""

    evaluation = models.ForeignKey(PlacementEvaluation, models.CASCADE, related_name="results")
    goal = models.ForeignKey(PlacementGoal, models.CASCADE, related_name="results", verbose_name=_("doel"))
    progress = models.CharField(_("voortgang"), max_length=20, choices=GoalProgress.choices)
    decision = models.CharField(_("besluit"), max_length=20, choices=EvaluationDecision.choices)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "goal"], name="uniq_goal_result_per_evaluation")]

    def __str__(self):
        return f"{self.goal}: {self.get_progress_display()}"
