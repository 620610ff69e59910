"""An uploaded LVS export from upload to applied: the preview and, once confirmed, the job."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One uploaded file of one import kind (pupils, absence). The file's bytes and the
    preview details hold personal data: kept only until the import is applied or
    abandoned."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("voorbeeld")
        APPLIED = "applied", _("ingelezen")

    kind = models.CharField(_("soort"), max_length=20)
    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="+", verbose_name=_("school"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    content = models.BinaryField(blank=True, default=b"")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    options = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    preview = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("LVS-import")
        verbose_name_plural = _("LVS-imports")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["school", "kind", "-uploaded_at"], name="import_batch_school_idx")]

    def __str__(self):
        return f"{self.kind}: {self.filename} ({self.uploaded_at:%d-%m-%Y %H:%M})"
