"""The care that follows a concern: referrals (aanmeldingen) to in-school facilities,
placements with a plan, and the visits a coach checks in and out.

Every model holding pupil data has a `visible_to(user)` QuerySet method that asks the
access module (carecoord/access/); views start from it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concerns.models import Concern

# Issue 6: facilities (trajectvoorzieningen) with a lesson-hour timetable, referrals with a
# state machine and their history, placements with a plan, goals and evaluations, and visits.


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
        return f"{self.number}: {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class ReferralState(models.TextChoices):
    SUBMITTED = "submitted", _("aangemeld")
    INTAKE_PLANNED = "intake_planned", _("intake gepland")
    INTAKE_HELD = "intake_held", _("intake gehouden")
    WAITING = "waiting", _("op de wachtlijst")
    PLACED = "placed", _("geplaatst")
    DECLINED = "declined", _("afgewezen")
    ELSEWHERE = "elsewhere", _("elders geholpen")
    WITHDRAWN = "withdrawn", _("ingetrokken")


# The state machine. Placing (and the waiting list) only after an intake: "a good aanmelding
# process, led by the zorgcoördinator, prevents pupils being dropped in the viproom" (seed
# 000). Declining or sending elsewhere may happen without one (clearly the wrong facility).
TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralState.SUBMITTED: frozenset(
        {ReferralState.INTAKE_PLANNED, ReferralState.DECLINED, ReferralState.ELSEWHERE, ReferralState.WITHDRAWN}
    ),
    ReferralState.INTAKE_PLANNED: frozenset(
        {
            ReferralState.INTAKE_PLANNED,  # moved to another moment
            ReferralState.INTAKE_HELD,
            ReferralState.DECLINED,
            ReferralState.ELSEWHERE,
            ReferralState.WITHDRAWN,
        }
    ),
    ReferralState.INTAKE_HELD: frozenset(
        {
            ReferralState.PLACED,
            ReferralState.WAITING,
            ReferralState.DECLINED,
            ReferralState.ELSEWHERE,
            ReferralState.WITHDRAWN,
        }
    ),
    ReferralState.WAITING: frozenset(
        {ReferralState.PLACED, ReferralState.DECLINED, ReferralState.ELSEWHERE, ReferralState.WITHDRAWN}
    ),
}
OPEN_STATES = frozenset(TRANSITIONS)
# Which states count as "a decision" for the waiting time from aanmelding to decision.
DECISION_STATES = frozenset(
    {ReferralState.PLACED, ReferralState.WAITING, ReferralState.DECLINED, ReferralState.ELSEWHERE}
)


class IntakeParticipant(models.TextChoices):
    PUPIL = "leerling", _("leerling")
    PARENTS = "ouders", _("ouders/verzorgers")
    MENTOR = "mentor", _("mentor")
    COACH = "coach", _("coach")
    PARTNER = "partner", _("externe partner")


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Referrals hold the question for help: the zorgcoördinator of the school only."""
        from carecoord.access.placements import referrals_q

        return self.filter(referrals_q(user))

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class Referral(models.Model):
    """An aanmelding of a pupil to a facility, led by the zorgcoördinator, optionally
    for one or more of the pupil's concerns (zorgmeldingen)."""

    school = models.ForeignKey("accounts.School", models.PROTECT, related_name="referrals", verbose_name=_("school"))
    student = models.ForeignKey(
        "students.Student", models.PROTECT, related_name="referrals", verbose_name=_("leerling")
    )
    facility = models.ForeignKey(Facility, models.PROTECT, related_name="referrals", verbose_name=_("voorziening"))
    question = models.TextField(_("hulpvraag"))
    involved = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="involved_referrals", blank=True, verbose_name=_("betrokken collega's")
    )
    involved_others = models.CharField(
        _("andere betrokkenen"), max_length=300, blank=True, help_text=_("Bijv. moeder, jeugdteam, huisarts.")
    )
    state = models.CharField(_("status"), max_length=20, choices=ReferralState.choices, default=ReferralState.SUBMITTED)
    intake_at = models.DateTimeField(_("intake op"), null=True, blank=True)
    intake_participants = models.JSONField(_("bij de intake"), default=list, blank=True)
    intake_notes = models.TextField(_("verslag van de intake"), blank=True)
    decided_at = models.DateTimeField(_("besluit op"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("op de wachtlijst sinds"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    # The concerns (zorgmeldingen) that led to this aanmelding, all of the same pupil.
    concerns = models.ManyToManyField(
        Concern, blank=True, related_name="referrals", verbose_name=_("naar aanleiding van zorgmeldingen")
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open aanmelding per pupil per facility: a second one would race the first.
            models.UniqueConstraint(
                fields=["student", "facility"],
                condition=Q(state__in=sorted(OPEN_STATES)),
                name="uniq_open_referral_per_facility",
            ),
        ]
        indexes = [
            # The waiting list: one facility's waiting referrals in order of arrival on the list.
            models.Index(fields=["facility", "state", "waitlisted_at"], name="referral_facility_state_idx"),
            models.Index(fields=["school", "state", "-created_at"], name="referral_school_state_idx"),
        ]

    def __str__(self):
        return f"{self.student} → {self.facility}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("referrals:referral_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    def allowed_next(self) -> frozenset[str]:
        return TRANSITIONS.get(self.state, frozenset())

    def intake_participant_labels(self) -> list[str]:
        labels = dict(IntakeParticipant.choices)
        return [str(labels.get(code, code)) for code in self.intake_participants]


class ReferralTransition(models.Model):
    """The history of a referral: who moved it from which state to which, when, and why."""

    referral = models.ForeignKey(Referral, models.CASCADE, related_name="transitions", verbose_name=_("aanmelding"))
    from_state = models.CharField(_("van"), max_length=20, choices=ReferralState.choices, blank=True)
    to_state = models.CharField(_("naar"), max_length=20, choices=ReferralState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_state or '-'} → {self.to_state}"


class PlacementKind(models.TextChoices):
    FULL_TIME = "full_time", _("voltijds")
    CHECK_IN_OUT = "check_in_out", _("alleen in- en uitchecken")
    HOURS = "hours", _("specifieke vakken/lesuren")


class Outcome(models.TextChoices):
    BACK_FULLY = "back_fully", _("volledig terug in de klas")
    BACK_PARTLY = "back_partly", _("deels terug in de klas")
    OTHER_FACILITY = "other_facility", _("andere voorziening")
    OTHER_SCHOOL = "other_school", _("andere school")
    AT_HOME = "at_home", _("thuis / thuiszitter")
    OTHER = "other", _("anders")


RETURN_TO_CLASS = frozenset({Outcome.BACK_FULLY, Outcome.BACK_PARTLY})
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
    referral = models.OneToOneField(Referral, models.PROTECT, related_name="placement", verbose_name=_("aanmelding"))
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

    def schedule_label(self) -> str:
        """'ma 1, 2 · wo 3': when the pupil comes (uses the prefetched slots)."""
        if self.kind == PlacementKind.FULL_TIME:
            return str(_("elke schooldag, de hele dag"))
        days: dict[int, list[int]] = {}
        for slot in self.slots.all():
            days.setdefault(slot.weekday, []).append(slot.hour)
        names = dict(WEEKDAYS)
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

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "goal"], name="uniq_goal_result_per_evaluation")]

    def __str__(self):
        return f"{self.goal}: {self.get_progress_display()}"


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
