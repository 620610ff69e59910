"""Delivery states (pending → sending → sent/failed) and a Message-ID per row."""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations, models

import notifications.models


def fill(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    domain = getattr(settings, "EMAIL_MESSAGE_ID_DOMAIN", "") or urlsplit(settings.SITE_URL).hostname or "carecoord.local"
    for row in Notification.objects.only("pk", "sent_at", "gave_up_at").iterator():
        row.message_id = f"<{uuid.uuid4().hex}@{domain}>"
        row.state = "sent" if row.sent_at else "failed" if row.gave_up_at else "pending"
        row.save(update_fields=["message_id", "state"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="notification", name="notif_unsent_idx"),
        migrations.AddField(
            model_name="notification",
            name="reply_to",
            field=models.EmailField(blank=True, max_length=254, verbose_name="antwoordadres"),
        ),
        migrations.AddField(
            model_name="notification",
            name="message_id",
            field=models.CharField(max_length=250, null=True, verbose_name="Message-ID"),
        ),
        migrations.AddField(
            model_name="notification",
            name="state",
            field=models.CharField(
                choices=[("pending", "wacht"), ("sending", "wordt verstuurd"), ("sent", "verstuurd"), ("failed", "mislukt")],
                default="pending",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="attempt_id",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="verzending begonnen op"),
        ),
        migrations.AddField(
            model_name="notification",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="volgende poging"),
        ),
        migrations.AddField(
            model_name="notification",
            name="queue_failed",
            field=models.BooleanField(default=False, verbose_name="niet in de wachtrij gekomen"),
        ),
        migrations.AddField(
            model_name="notification",
            name="resends",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="opnieuw verstuurd na onderbreking"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="message_id",
            field=models.CharField(
                default=notifications.models.new_message_id, max_length=250, unique=True, verbose_name="Message-ID"
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("state__in", ["pending", "sending"])),
                fields=["state", "created_at"],
                name="notif_unsent_idx",
            ),
        ),
    ]
