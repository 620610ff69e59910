"""An uploaded LVS export from upload to applied (the preview, then the job), and the
column mapping a school chose for an export we did not recognise."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportBatch(models.Model):
    """One uploaded file of one import kind (pupils, absence).

    Life: MAPPING (the columns are not recognised: the school maps them) → PREVIEW (every line
    good; the preview shows what will change) → QUEUED (confirmed: stored as a job first) →
    RUNNING → APPLIED, or FAILED (a line became wrong; nothing written). A preview nobody
    confirms becomes EXPIRED after 24 hours. The file's bytes and the preview details hold
    personal data: deleted when the import is applied, fails or expires.
    """

    class Status(models.TextChoices):
        MAPPING = "mapping", _("kolommen koppelen")
        PREVIEW = "preview", _("voorbeeld")
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("bezig")
        APPLIED = "applied", _("ingelezen")
        FAILED = "failed", _("mislukt")
        EXPIRED = "expired", pgettext_lazy("link", "verlopen")

    kind = models.CharField(_("soort"), max_length=20)
    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="+", verbose_name=_("school"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Who confirmed the preview (usually the uploader): the one who decided to apply it.
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    filename = models.CharField(max_length=200)
    content = models.BinaryField(blank=True, default=b"")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    columns = models.JSONField(default=dict, blank=True)  # our field -> their header (as compared)
    options = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=20, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("LVS-import")
        verbose_name_plural = _("LVS-imports")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "kind", "-uploaded_at"], name="import_batch_school_idx"),
            # The sweep and the purge look for batches by status and age.
            models.Index(fields=["status", "uploaded_at"], name="import_batch_status_idx"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.filename} ({self.uploaded_at:%d-%m-%Y %H:%M})"

    @property
    def is_job(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ColumnMapping(models.Model):
    """Which column of the school's export holds which of our fields, chosen once in the
    column-mapping step and used again for the next upload of the same export."""

    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="+", verbose_name=_("school"))
    kind = models.CharField(_("soort"), max_length=20)
    columns = models.JSONField(default=dict)  # our field -> their header (as compared)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kolomkoppeling")
        verbose_name_plural = _("kolomkoppelingen")
        constraints = [models.UniqueConstraint(fields=["school", "kind"], name="uniq_column_mapping_per_kind")]

    def __str__(self):
        return f"{self.kind} ({self.school})"
