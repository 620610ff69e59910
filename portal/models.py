"""The parents' portal: guardians with gezag and pupils of 16+ as participants.

A participant is an ordinary `accounts.User` without a school role or partner organisation
(so `carecoord/access/portal.py` keeps them inside the portal), tied to one pupil by a
`Participant` row: as one of the pupil's guardians, or as the pupil themselves. What the
school shows them is an explicit choice per item (`Share`, default: not shared).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The user's own participations that count now (carecoord/access/portal.py)."""
        from carecoord.access.portal import participants_q

        return self.filter(participants_q(user)).active()

    def active(self):
        """Access that counts now: not revoked, the pupil still at school and, for a
        guardian, still with gezag. Checked on every request (nothing is cached), so
        access ends at once when gezag ends, the pupil leaves or the school revokes it."""
        return self.filter(revoked_at__isnull=True, student__left_on__isnull=True).filter(
            Q(guardian__isnull=True) | Q(guardian__has_authority=True)
        )


class Participant(models.Model):
    """Access to the portal for one pupil: as guardian (ouder/verzorger with gezag) or as
    the pupil themselves (from 16)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="participations", verbose_name=_("account")
    )
    student = models.ForeignKey(
        "students.Student", models.PROTECT, related_name="participants", verbose_name=_("leerling")
    )
    # Empty: the pupil themselves (16 or older when invited).
    guardian = models.ForeignKey(
        "students.Guardian",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("ouder/verzorger"),
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(_("uitgenodigd op"), default=timezone.now)
    activated_at = models.DateTimeField(_("eerste keer ingelogd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("toegang ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()
    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("deelnemer ouderportaal")
        verbose_name_plural = _("deelnemers ouderportaal")
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "student"], condition=Q(revoked_at__isnull=True), name="uniq_active_participant"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.student_id}"

    @property
    def is_pupil(self) -> bool:
        return self.guardian_id is None

    @property
    def label(self):
        return str(_("de leerling zelf")) if self.is_pupil else str(self.guardian)


class Invitation(models.Model):
    """A single-use link into the portal (valid INVITATION_DAYS). Only the token's hash is
    stored: the link is in the e-mail and nowhere else."""

    participant = models.ForeignKey(Participant, models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.participant} ({self.created_at:%d-%m-%Y})"


class LoginCode(models.Model):
    """A one-time sign-in code mailed to a participant: stored as a salted HMAC, valid
    CODE_MINUTES, locked after CODE_TRIES wrong tries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="portal_code_user_idx")]

    def __str__(self):
        return f"{self.user} ({self.created_at:%d-%m-%Y %H:%M})"


class Share(models.Model):
    """The school's explicit choice to show one item (a document, a plan, an agenda item)
    to the pupil's participants. No row: not shared. Unsharing deletes the row; the history
    keeps who shared and unshared what, when."""

    student = models.ForeignKey("students.Student", models.CASCADE, related_name="+", verbose_name=_("leerling"))
    content_type = models.ForeignKey(ContentType, models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gedeeld met ouders")
        verbose_name_plural = _("gedeeld met ouders")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="uniq_share_per_item"),
        ]
        indexes = [models.Index(fields=["student", "content_type"], name="portal_share_student_idx")]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}"


class ParentView(models.Model):
    """ "Onze kijk": what a participant writes before an OT meeting about the agenda item of
    their child. One per participant and item; a change is a new version (history)."""

    item = models.ForeignKey(
        "meetings.AgendaItem", models.CASCADE, related_name="parent_views", verbose_name=_("agendapunt")
    )
    participant = models.ForeignKey(Participant, models.PROTECT, related_name="views", verbose_name=_("deelnemer"))
    text = models.TextField(_("onze kijk"), max_length=4000)
    written_at = models.DateTimeField(_("geschreven op"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("onze kijk")
        verbose_name_plural = _("onze kijk")
        constraints = [
            models.UniqueConstraint(fields=["item", "participant"], name="uniq_parent_view_per_item"),
        ]

    def __str__(self):
        return f"{self.participant} — {self.item_id}"


class PlanAgreement(models.Model):
    """Instemming with a plan (the placement plan now; the OPP's handelingsdeel when it
    exists), for the plan as it was at `plan_version` (the id of its latest history row):
    a changed plan asks for agreement again."""

    participant = models.ForeignKey(Participant, models.PROTECT, related_name="agreements", verbose_name=_("deelnemer"))
    content_type = models.ForeignKey(ContentType, models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    plan = GenericForeignKey("content_type", "object_id")
    plan_version = models.PositiveBigIntegerField(_("versie van het plan"))
    agreed = models.BooleanField(_("akkoord"))
    comment = models.CharField(_("toelichting"), max_length=1000, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instemming met het plan")
        verbose_name_plural = _("instemmingen met het plan")
        ordering = ["-answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "content_type", "object_id", "plan_version"], name="uniq_plan_answer"
            ),
        ]

    def __str__(self):
        return f"{self.participant} — {self.object_id} ({'ja' if self.agreed else 'nee'})"


class OppView(models.Model):
    """ "Onze kijk" on one version of the groeidocument/OPP that the school shared: what a
    participant writes about the plan for that period. One per participant and version; a
    change is a new version (history). Kept apart from the OPP version itself, which the
    school writes and which is frozen once adopted."""

    version = models.ForeignKey(
        "plans.PlanVersion", models.PROTECT, related_name="parent_views", verbose_name=_("OPP-versie")
    )
    participant = models.ForeignKey(Participant, models.PROTECT, related_name="opp_views", verbose_name=_("deelnemer"))
    text = models.TextField(_("onze kijk"), max_length=4000)
    written_at = models.DateTimeField(_("geschreven op"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("onze kijk op het OPP")
        verbose_name_plural = _("onze kijk op het OPP")
        ordering = ["-written_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "participant"], name="uniq_parent_view_per_opp_version"),
        ]

    def __str__(self):
        return f"{self.participant} — OPP {self.version_id}"
