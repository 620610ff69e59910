"""Referrals (aanmeldingen) with their state machine and history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concerns.models import Concern

from .facilities import Facility


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
