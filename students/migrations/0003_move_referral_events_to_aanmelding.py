"""Referral events move from the TRAJECT section (seen by coaches and partners) to the new
AANMELDING section (the zorgcoördinator only)."""

from django.db import migrations

KINDS = ["referrals.referral_created", "referrals.referral_state"]


def forward(apps, schema_editor):
    TimelineEvent = apps.get_model("students", "TimelineEvent")
    TimelineEvent.objects.filter(kind__in=KINDS).update(section="aanmelding")


def backward(apps, schema_editor):
    TimelineEvent = apps.get_model("students", "TimelineEvent")
    TimelineEvent.objects.filter(kind__in=KINDS).update(section="traject")


class Migration(migrations.Migration):
    dependencies = [("students", "0002_timeline_section_aanmelding")]

    operations = [migrations.RunPython(forward, backward)]
