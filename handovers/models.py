"""A warm handover (overdracht) of a pupil's care record to another school of this
installation (issue 23).

What travels is a *copy made when the handover starts*: the care summary as text, and the
notes, documents and (only with an explicit choice and reason) Meldcode steps the sending
zorgcoördinator chose. The copy belongs to the handover, not to the sending school's
record: the sending school's retention never reaches it, and what the new school adds later
never flows back. Consents never travel (the new school asks again).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from carecoord.access.sections import RecordSection

# A handover not accepted within this many school days (of the receiving school) is flagged
# to both coordinators.
ACCEPT_WITHIN_SCHOOL_DAYS = 10


class HandoverStatus(models.TextChoices):
    WAITING = "wacht", _("wacht op aanvaarding")
    ACCEPTED = "aanvaard", _("aanvaard")


class HandoverBasis(models.TextChoices):
    PARENTS = "ouders", _("De ouders/verzorgers (of de leerling van 16 jaar of ouder) gaan akkoord")
    LAW = "wet", _("Wettelijke grondslag: het onderwijskundig rapport bij overstap (WPO/WVO)")


class HandoverQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.handovers import handovers_q

        return self.filter(handovers_q(user))


class Handover(models.Model):
    # The pupil at the sending school. Empty once the sending school's retention removed that
    # pupil: the handover (a copy, with the name and date of birth above) then belongs to the
    # receiving school's record alone.
    student = models.OneToOneField(
        "students.Student",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="handover_out",
        verbose_name=_("leerling"),
    )
    from_school = models.ForeignKey("accounts.School", models.PROTECT, related_name="+", verbose_name=_("van school"))
    to_school = models.ForeignKey("accounts.School", models.PROTECT, related_name="+", verbose_name=_("naar school"))
    status = models.CharField(
        _("status"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.WAITING
    )
    basis = models.CharField(_("grondslag"), max_length=10, choices=HandoverBasis.choices)
    basis_note = models.TextField(_("toelichting bij de grondslag"), max_length=1000, blank=True)
    meldcode_included = models.BooleanField(_("Meldcode-stappen gaan mee"), default=False)
    meldcode_reason = models.TextField(_("reden om de Meldcode mee te geven"), max_length=1000, blank=True)
    # The care summary as it was when the handover started: [{"title": ..., "lines": [...]}].
    summary = models.JSONField(_("zorgsamenvatting"), default=list)
    # Copied so that the receiving school knows the pupil before a leerlingnummer exists there.
    first_name = models.CharField(_("voornaam"), max_length=100)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100)
    date_of_birth = models.DateField(_("geboortedatum"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("door"))
    started_at = models.DateTimeField(_("gestart op"), default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aanvaard door"),
    )
    accepted_at = models.DateTimeField(_("aanvaard op"), null=True, blank=True)
    received_student = models.OneToOneField(
        "students.Student",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="handover_in",
        verbose_name=_("leerling op de nieuwe school"),
    )
    flagged_at = models.DateTimeField(_("gesignaleerd als te laat op"), null=True, blank=True)

    history = HistoricalRecords()
    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["to_school", "status"], name="handover_to_status_idx"),
            models.Index(fields=["from_school", "-started_at"], name="handover_from_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(from_school=models.F("to_school")), name="handover_other_school"),
            models.CheckConstraint(
                condition=Q(status="wacht", accepted_at__isnull=True, received_student__isnull=True)
                | Q(status="aanvaard", accepted_at__isnull=False, received_student__isnull=False),
                name="handover_accepted_complete",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} → {self.to_school}"

    def get_absolute_url(self):
        return reverse("handovers:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.tussenvoegsel, self.last_name) if p)


class HandoverItemKind(models.TextChoices):
    NOTE = "notitie", _("notitie")
    DOCUMENT = "document", _("document")
    MELDCODE = "meldcode", _("Meldcode-stap")
    PLAN = "opp", _("OPP")


class HandoverItem(models.Model):
    """One chosen part, copied: a note's text, a document's content, a Meldcode step."""

    handover = models.ForeignKey(Handover, models.CASCADE, related_name="items", verbose_name=_("overdracht"))
    kind = models.CharField(_("soort"), max_length=10, choices=HandoverItemKind.choices)
    # The section it had at the sending school: at the new school it shows to whoever may
    # see that section of the pupil's file (never *vertrouwelijk*: those do not travel).
    section = models.CharField(_("onderdeel"), max_length=20, choices=RecordSection.choices)
    title = models.CharField(_("titel"), max_length=200)
    occurred_on = models.DateField(_("datum"))
    text = models.TextField(_("tekst"), blank=True)
    # A document's content, copied into the "documents" storage under the receiving school.
    storage_name = models.CharField(max_length=200, blank=True, editable=False)
    filename = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    content_type = models.CharField(_("soort bestand"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("overgedragen onderdeel")
        verbose_name_plural = _("overgedragen onderdelen")
        ordering = ["occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(section="vertrouwelijk"), name="handover_item_not_confidential"),
        ]

    def __str__(self):
        return self.title
