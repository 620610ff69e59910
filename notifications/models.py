"""Outgoing e-mail, stored as a row before it is sent (an outbox).

The unique `key` makes every message exactly-once: whoever queues it a second time
(a retried task, a second beat process, a double submit) finds the row and sends
nothing. The rows are also the delivery log the functional administrator reads.

A row moves pending → sending → sent (or failed). "Sending" is claimed and committed
before the mail goes out, with an attempt id; the mail carries the row's own
Message-ID, the same on every attempt, so a resend after a crash between sending and
recording is the same message to every mail client (see README, "Delivery promise").
"""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def message_id_domain() -> str:
    return settings.EMAIL_MESSAGE_ID_DOMAIN or urlsplit(settings.SITE_URL).hostname or "carecoord.local"


def new_message_id() -> str:
    """A Message-ID on the site's own domain (RFC 5322: globally unique, in angle brackets)."""
    return f"<{uuid.uuid4().hex}@{message_id_domain()}>"


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.notifications import notifications_q

        return self.filter(notifications_q(user))

    def unsent(self):
        return self.filter(state__in=[DeliveryState.PENDING, DeliveryState.SENDING])


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("wacht")
    SENDING = "sending", _("wordt verstuurd")
    SENT = "sent", _("verstuurd")
    FAILED = "failed", _("mislukt")


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
    reply_to = models.EmailField(_("antwoordadres"), blank=True)
    # `<…@site-domain>`, fixed when the row is stored and used for every attempt.
    message_id = models.CharField(_("Message-ID"), max_length=250, unique=True, default=new_message_id)
    kind = models.CharField(_("soort"), max_length=60)
    subject = models.CharField(_("onderwerp"), max_length=250)
    body = models.TextField(_("tekst"))
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_mimetype = models.CharField(max_length=100, blank=True)
    attachment_content = models.TextField(blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    state = models.CharField(_("status"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempt_id = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("verzending begonnen op"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)
    # Publishing to the broker failed after commit: the next sweep takes it, whatever its age.
    queue_failed = models.BooleanField(_("niet in de wachtrij gekomen"), default=False)
    # How often a message stuck in "sending" (a worker died between sending and
    # recording) was sent again. At most once: see notifications/services.py.
    resends = models.PositiveSmallIntegerField(_("opnieuw verstuurd na onderbreking"), default=0)
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
            # The sweep looks for messages that are still pending or stuck in sending.
            models.Index(
                fields=["state", "created_at"],
                name="notif_unsent_idx",
                condition=models.Q(state__in=["pending", "sending"]),
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.to_email}"

    @property
    def status(self):
        """pending, sent or failed (a message being sent counts as pending)."""
        return "pending" if self.state == DeliveryState.SENDING else self.state


class MailPreference(models.Model):
    """A kind of mail a user switched off ("Meldingen"). No row: the mail comes. Which kinds
    may be switched off, and which never (sign-in, invitations), is notifications/preferences.py."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="mail_preferences", verbose_name=_("gebruiker")
    )
    group = models.CharField(_("soort berichten"), max_length=40)
    switched_off_at = models.DateTimeField(_("uitgezet op"), auto_now_add=True)

    class Meta:
        verbose_name = _("uitgezet bericht")
        verbose_name_plural = _("uitgezette berichten")
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="uniq_mail_preference")]

    def __str__(self):
        return f"{self.user_id}: {self.group}"
