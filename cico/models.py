"""The daily point card of Check-In/Check-Out (CICO, as in SWIS CICO; seed 000: many
viproom pupils "enkel in- en uitchecken"): a card per placement with up to five
expectations, the lesson hours that are scored, and a daily goal (80 % by default).

Every lesson the teacher scores each expectation 0, 1 or 2 (`PeriodScore`); the day
(`CardDay`) keeps the sum of points and the possible points of its scored periods, so a
school year's graph reads ~190 day rows, not 1,500 period rows.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from referrals.models import WEEKDAYS

MAX_EXPECTATIONS = 5  # CICO: three to five expectations, in the pupil's own words
DEFAULT_GOAL = 80  # CICO: a day counts as a success at 80 % of the points
POINTS = (0, 1, 2)


class CardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who may open the scoring screen of a card: any staff member of the school
        (carecoord/access/cico.py). The card shows name, class and expectations only."""
        from carecoord.access.cico import cards_q

        return self.filter(cards_q(user))

    def active(self):
        return self.filter(placement__ended_on__isnull=True)


class Card(models.Model):
    """A pupil's daily point card (dagkaart), part of a placement's plan."""

    placement = models.OneToOneField(
        "referrals.Placement", models.CASCADE, related_name="cico_card", verbose_name=_("plaatsing")
    )
    # Copied from the placement: the scoring screen's scope asks for the school without a join.
    school = models.ForeignKey("accounts.School", models.PROTECT, related_name="+", verbose_name=_("school"))
    student = models.ForeignKey(
        "students.Student", models.PROTECT, related_name="cico_cards", verbose_name=_("leerling")
    )
    goal_percent = models.PositiveSmallIntegerField(
        _("dagdoel (%)"),
        default=DEFAULT_GOAL,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Een dag is geslaagd bij dit percentage van de punten (meestal 80 %)."),
    )
    start_on = models.DateField(_("start van de kaart"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    history = HistoricalRecords()
    objects = CardQuerySet.as_manager()

    class Meta:
        verbose_name = _("puntenkaart")
        verbose_name_plural = _("puntenkaarten")
        constraints = [
            models.CheckConstraint(condition=Q(goal_percent__gte=1, goal_percent__lte=100), name="card_goal_percent"),
        ]

    def __str__(self):
        return f"{self.student}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("cico:card_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.placement.ended_on is None


class Expectation(models.Model):
    """One expectation in words the pupil understands ("Ik begin binnen 5 minuten aan mijn
    taak"). A retired one stays: its past scores keep their meaning."""

    card = models.ForeignKey(Card, models.CASCADE, related_name="expectations", verbose_name=_("kaart"))
    text = models.CharField(_("verwachting"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    retired_on = models.DateField(_("vervallen op"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verwachting")
        verbose_name_plural = _("verwachtingen")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class CardPeriod(models.Model):
    """A lesson hour on a weekday that is scored (the pupil is in class then)."""

    card = models.ForeignKey(Card, models.CASCADE, related_name="periods", verbose_name=_("kaart"))
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=WEEKDAYS)
    hour = models.PositiveSmallIntegerField(_("lesuur"))

    class Meta:
        verbose_name = _("gescoord lesuur")
        verbose_name_plural = _("gescoorde lesuren")
        ordering = ["weekday", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["card", "weekday", "hour"], name="uniq_card_period"),
            models.CheckConstraint(condition=Q(weekday__lte=4), name="card_period_school_weekday"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.hour}"


class CardDay(models.Model):
    """One school day of a card: check-in, check-out with the coach's conclusion, and the
    totals of its scored periods (kept by `cico.services.period_score` under a row lock)."""

    card = models.ForeignKey(Card, models.CASCADE, related_name="days", verbose_name=_("kaart"))
    day = models.DateField(_("dag"))
    points = models.PositiveIntegerField(_("punten"), default=0)
    possible = models.PositiveIntegerField(_("te halen punten"), default=0)
    checked_in_at = models.DateTimeField(_("ingecheckt om"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    checked_out_at = models.DateTimeField(_("uitgecheckt om"), null=True, blank=True)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    conclusion = models.CharField(_("conclusie van de dag"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("kaartdag")
        verbose_name_plural = _("kaartdagen")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["card", "day"], name="uniq_card_day"),
            models.CheckConstraint(condition=Q(points__lte=models.F("possible")), name="card_day_points_possible"),
        ]

    def __str__(self):
        return f"{self.card} {self.day:%d-%m-%Y}"

    @property
    def percent(self) -> int | None:
        """The day's percentage, rounded; None when no period was scored."""
        return round(100 * self.points / self.possible) if self.possible else None


class PeriodStatus(models.TextChoices):
    SCORED = "scored", _("gescoord")
    ABSENT = "absent", _("afwezig")
    NO_LESSON = "no_lesson", _("geen les")


class PeriodScore(models.Model):
    """The scores of one lesson hour: {expectation id: 0, 1 or 2}. "Afwezig" and "geen les"
    count for nothing (not as zero). A later score of the same hour replaces this one;
    every version stays in the history."""

    day = models.ForeignKey(CardDay, models.CASCADE, related_name="scores", verbose_name=_("dag"))
    hour = models.PositiveSmallIntegerField(_("lesuur"))
    status = models.CharField(_("status"), max_length=12, choices=PeriodStatus.choices, default=PeriodStatus.SCORED)
    points = models.JSONField(_("punten per verwachting"), default=dict, blank=True)
    remark = models.CharField(_("opmerking"), max_length=200, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(_("gescoord om"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lesuurscore")
        verbose_name_plural = _("lesuurscores")
        ordering = ["hour"]
        constraints = [models.UniqueConstraint(fields=["day", "hour"], name="uniq_period_score")]

    def __str__(self):
        return f"{self.day} {self.hour}"

    @property
    def total(self) -> int:
        return sum(self.points.values()) if self.status == PeriodStatus.SCORED else 0

    @property
    def possible(self) -> int:
        return 2 * len(self.points) if self.status == PeriodStatus.SCORED else 0


class Proposal(models.TextChoices):
    CONTINUE = "continue", _("voortzetten")
    ADJUST = "adjust", _("bijstellen")
    FADE_OUT = "fade_out", _("afbouwen")
    END = "end", _("beëindigen")


class CardProposal(models.Model):
    """The coach's proposal for the placement's evaluation, from the card's trend: the
    zorgcoördinator sees it on the evaluation form and decides."""

    card = models.ForeignKey(Card, models.CASCADE, related_name="proposals", verbose_name=_("kaart"))
    proposal = models.CharField(_("voorstel"), max_length=12, choices=Proposal.choices)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("gedaan op"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voorstel bij de evaluatie")
        verbose_name_plural = _("voorstellen bij de evaluatie")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.get_proposal_display()
