"""The care record's own entries: journal notes (journaalnotities), documents and families.

A note or a document belongs to one pupil and to one *section* of their file, which decides
who may read it (carecoord/access/records.py; the sections of carecoord/access/sections.py
plus *vertrouwelijk*). Nothing here is deleted by a user: removing marks it removed with a
reason, and every version stays in its history (django-simple-history).

Every query for a reader goes through `visible_to(user, student, sections)`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from carecoord.access.sections import RecordSection

NOTE_MAX_CHARS = 20_000


class NoteKind(models.TextChoices):
    PUPIL = "gesprek_leerling", _("gesprek met leerling")
    PARENTS = "gesprek_ouders", _("gesprek met ouders")
    PHONE = "telefoongesprek", _("telefoongesprek")
    HOME_VISIT = "huisbezoek", _("huisbezoek")
    COLLEAGUE = "overleg_collega", _("overleg met collega")
    PARTNER = "contact_partner", _("contact met externe partner")
    OBSERVATION = "observatie", _("observatie")
    OTHER = "anders", _("anders")


class RecordQuerySet(models.QuerySet):
    author_field = "author_id"

    def visible_to(self, user, student, sections):
        """What `user` may read of `student`'s entries, given the file sections they may see."""
        from carecoord.access.records import records_q

        return self.filter(records_q(user, student, sections, author_field=self.author_field), student=student)

    def present(self):
        """Not removed (removed entries are only in the history)."""
        return self.filter(removed_at__isnull=True)


class NoteQuerySet(RecordQuerySet):
    author_field = "author_id"


class Note(models.Model):
    """A journaalnotitie: what happened (a phone call with a mother, a home visit), when,
    with whom, in the words of the one who was there."""

    school = models.ForeignKey("accounts.School", models.PROTECT, related_name="+", verbose_name=_("school"))
    student = models.ForeignKey("students.Student", models.PROTECT, related_name="notes", verbose_name=_("leerling"))
    occurred_at = models.DateTimeField(_("datum en tijd"), default=timezone.now)
    kind = models.CharField(_("soort"), max_length=20, choices=NoteKind.choices)
    text = models.TextField(_("notitie"), max_length=NOTE_MAX_CHARS)
    section = models.CharField(_("wie mag dit lezen"), max_length=20, choices=RecordSection.choices)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("medewerkers")
    )
    organisations = models.ManyToManyField(
        "accounts.Organisation", related_name="+", blank=True, verbose_name=_("partnerorganisaties")
    )
    guardians = models.ManyToManyField(
        "students.Guardian", related_name="+", blank=True, verbose_name=_("ouders/verzorgers")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("auteur"))
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    removed_at = models.DateTimeField(_("verwijderd op"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verwijderd door"),
    )
    removed_reason = models.CharField(_("reden van verwijderen"), max_length=500, blank=True)

    # Who took part, as written down at the time: the version history keeps it with the text
    # (the many-to-many fields above are for choosing, and follow people who change name).
    participants_label = models.CharField(_("wie waren erbij"), max_length=1000, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("notitie")
        verbose_name_plural = _("notities")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["student", "-occurred_at"], name="note_student_time_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.occurred_at):%d-%m-%Y}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("records:note", args=[self.pk])

    @property
    def is_confidential(self):
        return self.section == RecordSection.VERTROUWELIJK


class DocumentKind(models.TextChoices):
    REPORT = "verslag", _("verslag")
    RESEARCH = "onderzoek", _("onderzoek")
    LETTER = "brief", _("brief")
    CONSENT_FORM = "toestemmingsformulier", _("toestemmingsformulier")
    PLAN = "plan", _("plan")
    OTHER = "anders", _("anders")


class AttachTarget(models.TextChoices):
    """What a document is attached to besides the pupil file itself."""

    FILE = "", _("het dossier")
    NOTE = "note", _("notitie")
    CONCERN = "concern", _("zorgmelding")
    REFERRAL = "referral", _("aanmelding")
    PLACEMENT = "placement", _("plaatsing")
    EVALUATION = "evaluation", _("evaluatie")
    AGENDA_ITEM = "agenda_item", _("agendapunt")
    CONSENT = "consent", _("toestemming")


class DocumentQuerySet(RecordQuerySet):
    author_field = "uploaded_by_id"

    def attached_to(self, target_type: str, target_id: int):
        return self.filter(target_type=target_type, target_id=target_id)


class Document(models.Model):
    """A file in the pupil's record (a psychologist's report, a Veilig Thuis letter).

    The content lives in the "documents" storage (a private folder or an object store)
    under a random name; the name the user gave is kept here and used only when they
    download it through the view that checks access and writes the read log.
    """

    school = models.ForeignKey("accounts.School", models.PROTECT, related_name="+", verbose_name=_("school"))
    student = models.ForeignKey(
        "students.Student", models.PROTECT, related_name="documents", verbose_name=_("leerling")
    )
    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("soort"), max_length=30, choices=DocumentKind.choices)
    section = models.CharField(_("wie mag dit lezen"), max_length=20, choices=RecordSection.choices)
    target_type = models.CharField(_("hoort bij"), max_length=20, choices=AttachTarget.choices, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    storage_name = models.CharField(max_length=200, unique=True, editable=False)
    original_name = models.CharField(_("bestandsnaam"), max_length=150)
    content_type = models.CharField(_("soort bestand"), max_length=100)
    size = models.PositiveBigIntegerField(_("grootte"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("toegevoegd door")
    )
    uploaded_at = models.DateTimeField(_("toegevoegd op"), default=timezone.now)
    removed_at = models.DateTimeField(_("verwijderd op"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verwijderd door"),
    )
    removed_reason = models.CharField(_("reden van verwijderen"), max_length=500, blank=True)

    history = HistoricalRecords(excluded_fields=["storage_name", "sha256"])
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [
            models.Index(fields=["student", "-uploaded_at"], name="document_student_time_idx"),
            models.Index(fields=["target_type", "target_id"], name="document_target_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_type="", target_id__isnull=True) | ~Q(target_type="") & Q(target_id__isnull=False),
                name="document_target_type_and_id",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("records:document", args=[self.pk])


class FamilyKind(models.TextChoices):
    SIBLINGS = "broer_zus", _("broer/zus")
    HOUSEHOLD = "huishouden", _("zelfde huishouden")


class FamilyLinkStatus(models.TextChoices):
    SUGGESTED = "voorgesteld", _("voorgesteld")
    CONFIRMED = "bevestigd", _("bevestigd")
    REJECTED = "afgewezen", _("afgewezen")


class FamilyLink(models.Model):
    """Two pupils of one school in one family: siblings or one household. Suggested by the
    LVS import when they share a guardian, or made by hand; only a confirmed link shows.
    The pair is stored once (the lower id first)."""

    school = models.ForeignKey("accounts.School", models.PROTECT, related_name="+", verbose_name=_("school"))
    student_a = models.ForeignKey("students.Student", models.PROTECT, related_name="+", verbose_name=_("leerling"))
    student_b = models.ForeignKey("students.Student", models.PROTECT, related_name="+", verbose_name=_("leerling"))
    kind = models.CharField(_("soort"), max_length=20, choices=FamilyKind.choices, default=FamilyKind.SIBLINGS)
    status = models.CharField(_("status"), max_length=20, choices=FamilyLinkStatus.choices)
    from_import = models.BooleanField(_("gevonden bij het inlezen"), default=False)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("door")
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gezinskoppeling")
        verbose_name_plural = _("gezinskoppelingen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["student_a", "student_b"], name="uniq_family_pair"),
            models.CheckConstraint(condition=Q(student_a__lt=models.F("student_b")), name="family_pair_ordered"),
        ]
        indexes = [
            models.Index(fields=["student_b", "status"], name="family_b_status_idx"),
            models.Index(fields=["school", "status"], name="family_school_status_idx"),
        ]

    def __str__(self):
        return f"{self.student_a_id} – {self.student_b_id}"

    def other(self, student):
        return self.student_b if self.student_a_id == student.pk else self.student_a
