"""Outgoing e-mail, stored as a row before it is sent (an outbox).

The unique `key` makes every message exactly-once: whoever queues it a second time
(a retried task, a second beat process, a double submit) finds the row and sends
nothing. The rows are also the delivery log the functional administrator reads.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.notifications import notifications_q

        return self.filter(notifications_q(user))

    def unsent(self):
        return self.filter(sent_at__isnull=True, gave_up_at__isnull=True)


class Notification(models.Model):
    key = models.CharField(
        _("sleutel"),
        max_length=250,
        unique=True,
        help_text=_("Wat, voor wie, welke soort en welk moment; twee keer dezelfde sleutel is één bericht."),
    )
    school = models.ForeignKey(
        "accounts.School", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("ontvanger")
    )
    to_email = models.EmailField(_("e-mailadres"))
    kind = models.CharField(_("soort"), max_length=60)
    subject = models.CharField(_("onderwerp"), max_length=250)
    body = models.TextField(_("tekst"))
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_mimetype = models.CharField(max_length=100, blank=True)
    attachment_content = models.TextField(blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    gave_up_at = models.DateTimeField(_("opgegeven op"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-created_at"]
        indexes = [
            # The delivery log lists a school's messages newest first.
            models.Index(fields=["school", "-created_at"], name="notif_school_created_idx"),
            # The sweeper looks for messages that are still unsent.
            models.Index(
                fields=["created_at"],
                name="notif_unsent_idx",
                condition=models.Q(sent_at__isnull=True, gave_up_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.to_email}"

    @property
    def status(self):
        if self.sent_at:
            return "sent"
        if self.gave_up_at:
            return "failed"
        return "pending"
