"""Which mails a user may switch off on "Meldingen", grouped as people think of them.

A group names the outbox kinds it covers by prefix. Mails that must always arrive are in no
group: the invitation and password mails, meeting invitations and cancellations (they carry the
calendar entry), and the task-assigned mail's own group can be switched off but not the
outbox itself."""

from django.utils.translation import gettext_lazy as _

from .models import MailPreference

GROUPS: dict[str, tuple] = {
    "digest": (_("Dagelijks overzicht van mijn taken (07:00 op schooldagen)"), ("todo.digest",)),
    "assigned": (_("Een taak die aan mij gegeven is"), ("todo.assigned",)),
    "concerns": (_("Zorgmeldingen: nieuw voor mij, doorgestuurd, terugkoppeling"), ("concerns.",)),
    "reminders": (
        _("Herinneringen aan overleggen en afspraken"),
        ("meetings.reminder", "meetings.agenda_empty", "agreements."),
    ),
    "absence": (_("Nieuwe verzuimsignalen"), ("absence.signals",)),
}


def group_of(kind: str) -> str | None:
    for group, (_label, prefixes) in GROUPS.items():
        if any(kind.startswith(prefix) for prefix in prefixes):
            return group
    return None


def switched_off(recipient, kind: str) -> bool:
    """Did `recipient` switch this kind of mail off? (One query, only for switchable kinds.)"""
    group = group_of(kind)
    return group is not None and MailPreference.objects.filter(user_id=recipient.pk, group=group).exists()


def switched_off_users(user_ids, kind: str) -> set[int]:
    """Of `user_ids`, those who switched this kind of mail off (one query)."""
    group = group_of(kind)
    if group is None:
        return set()
    return set(MailPreference.objects.filter(user_id__in=list(user_ids), group=group).values_list("user_id", flat=True))


def switched_off_groups(user) -> set[str]:
    return set(MailPreference.objects.filter(user_id=user.pk).values_list("group", flat=True))


def mail_preferences_save(*, user, receive: set[str]) -> None:
    """Store which switchable groups `user` receives: the others are switched off."""
    from django.db import transaction

    off = set(GROUPS) - set(receive)
    with transaction.atomic():
        MailPreference.objects.filter(user_id=user.pk).exclude(group__in=off).delete()
        MailPreference.objects.bulk_create(
            [MailPreference(user_id=user.pk, group=group) for group in sorted(off)], ignore_conflicts=True
        )
