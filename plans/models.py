"""The groeidocument / ontwikkelingsperspectiefplan (OPP) and the requests to the
samenwerkingsverband (SWV).

Law (WPO/WVO, art. 'ontwikkelingsperspectief'): a pupil who gets extra support has an OPP,
drawn up within six weeks after that support starts, discussed with the parents in an
*op overeenstemming gericht overleg*; its handelingsdeel needs the parents' instemming (the
pupil's own from 18); it is evaluated at least once a year.

A `Plan` is the pupil's OPP; its `PlanVersion`s are the periods. A version is a draft until
it is adopted (vastgesteld); an adopted version is frozen (the service refuses changes and
`save()` refuses them too) and the next period starts a new draft copied from it. Every
change is kept in the history (django-simple-history): the OPP is part of the care record.

A `SupportRequest` (aanvraag) goes to an organisation of kind samenwerkingsverband, with a
frozen copy of the groeidocument as it was when sent; the SWV's users see only the requests
sent to them, and only while the parents' consent for that SWV is active
(carecoord/access/plans.py).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Drawn up within six weeks after the extra support starts (WVO art. 8a / WPO art. 40a).
PLAN_DEADLINE = timedelta(weeks=6)
# Evaluated at least once a year; the task shows from a month before that.
EVALUATION_INTERVAL = timedelta(days=365)
EVALUATION_NOTICE = timedelta(days=30)
# A request to the SWV open longer than this is flagged to both sides (once).
REQUEST_OPEN_FLAG = timedelta(weeks=6)
# Instemming with the handelingsdeel: the parents', the pupil's own from 18.
CONSENT_OWN_AGE = 18


class Destination(models.TextChoices):
    """Uitstroombestemming (the ontwikkelingsperspectief)."""

    PRO = "pro", _("praktijkonderwijs")
    VMBO = "vmbo", _("vmbo")
    HAVO = "havo", _("havo")
    VWO = "vwo", _("vwo")
    VSO = "vso", _("voortgezet speciaal onderwijs")
    ARBEID = "arbeid", _("arbeid")
    DAGBESTEDING = "dagbesteding", _("dagbesteding")
    MBO = "mbo", _("mbo")
    OTHER = "anders", _("anders")


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.plans import plans_q

        return self.filter(plans_q(user))


class Plan(models.Model):
    """The OPP (groeidocument) of one pupil."""

    school = models.ForeignKey("accounts.School", models.PROTECT, related_name="+", verbose_name=_("school"))
    student = models.OneToOneField("students.Student", models.PROTECT, related_name="plan", verbose_name=_("leerling"))
    support_started_on = models.DateField(
        _("extra ondersteuning gestart op"), help_text=_("Het OPP moet binnen zes weken daarna zijn vastgesteld.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("ontwikkelingsperspectiefplan")
        verbose_name_plural = _("ontwikkelingsperspectiefplannen")

    def __str__(self):
        return str(_("OPP van %(name)s")) % {"name": self.student}

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("plans:plan", args=[self.student_id])

    @property
    def deadline(self):
        return self.support_started_on + PLAN_DEADLINE


class VersionState(models.TextChoices):
    DRAFT = "concept", _("concept")
    ADOPTED = "vastgesteld", _("vastgesteld")


# The content of a version: copied into the next period's draft and into a request's
# frozen copy of the groeidocument.
CONTENT_FIELDS = (
    "period_start",
    "period_end",
    "educational_needs",
    "stimulating_factors",
    "hindering_factors",
    "destination",
    "destination_reasons",
    "goals",
    "support",
    "evaluation",
    "mentor_contribution",
    "coach_contribution",
)
# Who writes which part: the coordinator all of it, the mentor and the coach their own.
MENTOR_FIELDS = ("mentor_contribution",)
COACH_FIELDS = ("coach_contribution",)


class PlanVersion(models.Model):
    """One period of the OPP: a draft, then adopted and frozen."""

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="versions", verbose_name=_("OPP"))
    number = models.PositiveSmallIntegerField(_("versie"))
    state = models.CharField(_("status"), max_length=20, choices=VersionState.choices, default=VersionState.DRAFT)
    period_start = models.DateField(_("periode van"), null=True, blank=True)
    period_end = models.DateField(_("periode tot en met"), null=True, blank=True)
    educational_needs = models.TextField(_("onderwijsbehoeften"), blank=True)
    stimulating_factors = models.TextField(_("stimulerende factoren"), blank=True)
    hindering_factors = models.TextField(_("belemmerende factoren"), blank=True)
    destination = models.CharField(_("uitstroombestemming"), max_length=20, choices=Destination.choices, blank=True)
    destination_reasons = models.TextField(_("onderbouwing van de uitstroombestemming"), blank=True)
    goals = models.TextField(_("doelen voor deze periode"), blank=True)
    support = models.TextField(
        _("afgesproken ondersteuning"),
        blank=True,
        help_text=_("Wat, door wie, hoe vaak: ook plaatsing in een voorziening en externe hulp."),
    )
    evaluation = models.TextField(_("evaluatie van de vorige periode"), blank=True)
    mentor_contribution = models.TextField(_("bijdrage van de mentor"), blank=True)
    coach_contribution = models.TextField(_("bijdrage van de coach"), blank=True)
    # Op overeenstemming gericht overleg with the parents.
    discussed_on = models.DateField(_("besproken met ouders op"), null=True, blank=True)
    discussed_with = models.CharField(_("besproken met"), max_length=300, blank=True)
    parents_view = models.TextField(_("zienswijze van ouders/leerling"), blank=True)
    # Instemming with the handelingsdeel: a guardian with gezag, or the pupil from 18.
    consent_given_on = models.DateField(_("instemming gegeven op"), null=True, blank=True)
    consent_by_guardian = models.ForeignKey(
        "students.Guardian", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("instemming door")
    )
    consent_by_student = models.BooleanField(_("instemming door de leerling zelf"), default=False)
    consent_online = models.BooleanField(_("instemming online gegeven"), default=False)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    adopted_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("OPP-versie")
        verbose_name_plural = _("OPP-versies")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="uniq_plan_version_number"),
            # One draft at a time: the next period starts from the adopted one.
            models.UniqueConstraint(fields=["plan"], condition=models.Q(state="concept"), name="uniq_plan_draft"),
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="plan_version_end_after_start",
            ),
        ]

    def __str__(self):
        return str(_("OPP versie %(number)s")) % {"number": self.number}

    def save(self, *args, **kwargs):
        # A frozen version is never rewritten: changes are a new draft (the law's yearly
        # evaluation and the care record's "no silent rewrite").
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored == VersionState.ADOPTED:
                raise PermissionError("An adopted OPP version is frozen")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("plans:version", args=[self.pk])

    @property
    def is_draft(self):
        return self.state == VersionState.DRAFT

    @property
    def has_consent(self):
        return self.consent_given_on is not None

    @property
    def consent_giver_label(self):
        if self.consent_by_student:
            return str(_("de leerling zelf"))
        return str(self.consent_by_guardian) if self.consent_by_guardian_id else ""

    def content(self) -> dict:
        """The content as plain values (the frozen copy a request carries)."""
        values = {}
        for name in CONTENT_FIELDS:
            value = getattr(self, name)
            values[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return values


class RequestKind(models.TextChoices):
    ARRANGEMENT = "arrangement", _("arrangement")
    TLV = "tlv", _("toelaatbaarheidsverklaring (TLV) voor het vso")
    CONSULTATION = "consultatie", _("consultatie")


class TlvCategory(models.TextChoices):
    LOW = "1", _("categorie 1 (laag)")
    MIDDLE = "2", _("categorie 2 (midden)")
    HIGH = "3", _("categorie 3 (hoog)")


class RequestState(models.TextChoices):
    SENT = "ingediend", _("ingediend")
    QUESTION = "vraag", _("aanvullende informatie gevraagd")
    GRANTED = "toegekend", _("toegekend")
    REFUSED = "afgewezen", _("afgewezen")
    WITHDRAWN = "ingetrokken", _("ingetrokken")


OPEN_REQUEST_STATES = frozenset({RequestState.SENT, RequestState.QUESTION})


class SupportRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.plans import requests_q

        return self.filter(requests_q(user))

    def open(self):
        return self.filter(state__in=OPEN_REQUEST_STATES)


class SupportRequest(models.Model):
    """An aanvraag bij het samenwerkingsverband: arrangement, TLV or consultation."""

    school = models.ForeignKey("accounts.School", models.PROTECT, related_name="+", verbose_name=_("school"))
    student = models.ForeignKey(
        "students.Student", models.PROTECT, related_name="support_requests", verbose_name=_("leerling")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", models.PROTECT, related_name="support_requests", verbose_name=_("samenwerkingsverband")
    )
    kind = models.CharField(_("soort aanvraag"), max_length=20, choices=RequestKind.choices)
    tlv_category = models.CharField(_("gevraagde categorie"), max_length=2, choices=TlvCategory.choices, blank=True)
    question = models.TextField(_("vraag aan het samenwerkingsverband"))
    # The groeidocument as it was when sent (PlanVersion.content()), and which version it was.
    plan_version = models.ForeignKey(PlanVersion, models.PROTECT, related_name="+", null=True, blank=True)
    groeidocument = models.JSONField(_("groeidocument (kopie)"), default=dict)
    # The documents of the file sent with it, as they were described then (plans/sharing.py).
    documents = models.JSONField(_("meegestuurde documenten"), default=list, blank=True)
    # The parents' consent for sharing with this SWV, as checked when sending.
    consent = models.ForeignKey("students.Consent", models.PROTECT, related_name="+", verbose_name=_("toestemming"))
    state = models.CharField(_("status"), max_length=20, choices=RequestState.choices, default=RequestState.SENT)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("ingediend op"), default=timezone.now)
    meeting_at = models.DateTimeField(_("consultatiegesprek op"), null=True, blank=True)
    meeting_place = models.CharField(_("plaats of link"), max_length=300, blank=True)
    # The consultation as an overleg (meetings app) with the SWV and the coordinators taking part.
    meeting = models.ForeignKey(
        "meetings.Meeting", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("overleg")
    )
    decided_at = models.DateTimeField(_("besluit op"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    hours = models.DecimalField(_("uren per week"), max_digits=5, decimal_places=1, null=True, blank=True)
    budget = models.DecimalField(_("budget (euro)"), max_digits=9, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(_("ingangsdatum"), null=True, blank=True)
    ends_on = models.DateField(_("einddatum"), null=True, blank=True)
    granted_category = models.CharField(
        _("toegekende categorie"), max_length=2, choices=TlvCategory.choices, blank=True
    )
    reasons = models.TextField(_("motivering"), blank=True)
    # The six-week flag is raised once (both sides get one e-mail).
    flagged_at = models.DateTimeField(_("gesignaleerd als langer dan zes weken open"), null=True, blank=True)
    # The coordinator's task "besluit ontvangen" is done once they have seen it.
    decision_seen_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanvraag bij het samenwerkingsverband")
        verbose_name_plural = _("aanvragen bij het samenwerkingsverband")
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "state", "-sent_at"], name="swvrequest_org_state_idx"),
            models.Index(fields=["school", "state", "-sent_at"], name="swvrequest_school_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="swvrequest_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.student}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("plans:request", args=[self.pk])

    @property
    def is_open(self):
        return self.state in OPEN_REQUEST_STATES


class RequestMessage(models.Model):
    """The thread of a request: the SWV's questions and the coordinator's answers."""

    request = models.ForeignKey(SupportRequest, models.CASCADE, related_name="messages", verbose_name=_("aanvraag"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("door"))
    from_swv = models.BooleanField(_("van het samenwerkingsverband"))
    text = models.TextField(_("bericht"))
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bericht bij een aanvraag")
        verbose_name_plural = _("berichten bij aanvragen")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request_id}: {self.at:%d-%m-%Y}"


# Doorverwijzing to an external partner: the partners who give help themselves. The SWV gets
# a request (above), leerplicht acts on its legal basis (absence), not on a referral.
EXTERNAL_KINDS = frozenset({"jeugdteam", "smw", "jeugdhulp", "jgz", "other"})


class ExternalState(models.TextChoices):
    SENT = "verstuurd", _("verstuurd")
    ACCEPTED = "geaccepteerd", _("geaccepteerd")
    DECLINED = "afgewezen", _("afgewezen")
    ENDED = "afgerond", _("afgerond")


class ExternalReferralQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.plans import external_referrals_q

        return self.filter(external_referrals_q(user))


class ExternalReferral(models.Model):
    """A doorverwijzing of a pupil to an external partner (jeugdteam, SMW, jeugdhulp on
    school, JGZ) with the question for help, the parents' consent for that organisation and
    the contact person. The partner accepts or declines, records start and end of their help
    and a short closing summary; the school sees the state."""

    school = models.ForeignKey("accounts.School", models.PROTECT, related_name="+", verbose_name=_("school"))
    student = models.ForeignKey(
        "students.Student", models.PROTECT, related_name="external_referrals", verbose_name=_("leerling")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", models.PROTECT, related_name="external_referrals", verbose_name=_("partner")
    )
    question = models.TextField(_("hulpvraag"))
    contact_person = models.CharField(_("contactpersoon bij de partner"), max_length=200, blank=True)
    consent = models.ForeignKey("students.Consent", models.PROTECT, related_name="+", verbose_name=_("toestemming"))
    state = models.CharField(_("status"), max_length=20, choices=ExternalState.choices, default=ExternalState.SENT)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    decline_reason = models.TextField(_("reden van afwijzen"), blank=True)
    help_started_on = models.DateField(_("hulp gestart op"), null=True, blank=True)
    help_ended_on = models.DateField(_("hulp beëindigd op"), null=True, blank=True)
    summary = models.TextField(_("korte samenvatting bij afsluiten"), blank=True)
    # A declined referral is on the coordinator's tasks until they open it.
    decline_seen_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ExternalReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("doorverwijzing")
        verbose_name_plural = _("doorverwijzingen")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "state", "-sent_at"], name="extref_org_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(help_ended_on__isnull=True)
                | models.Q(help_started_on__isnull=True)
                | models.Q(help_ended_on__gte=models.F("help_started_on")),
                name="extref_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.student}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("plans:referral", args=[self.pk])
