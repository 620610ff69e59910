"""E-mail about meetings and agreements, each exactly once.

Every message is a notifications.Notification row with a unique key that names what it
is about, for whom, which kind and which moment:

    meetings:invite:<meeting>:<user>:<sequence>        invitation (.ics REQUEST), new or changed
    meetings:cancel:<meeting>:<user>:<sequence>        cancellation (.ics CANCEL)
    meetings:reminder_7d:<meeting>:<user>:<start UTC>  7 days before
    meetings:reminder_1d:<meeting>:<user>:<start UTC>  1 day before
    meetings:agenda_empty:<meeting>:<user>:<start UTC> 10 days before, agenda still empty (organiser)
    agreements:due_soon:<agreement>:<user>:<due date>  2 days before the due date (owner)
    agreements:overdue:<agreement>:<user>:<due date>   once the due date has passed (owner)

A moved meeting has a new start (and a higher sequence), so it gets new keys: new
reminders, and the old moment is never sent because nothing asks for it any more. A second
scheduler, a retried task or a double click finds the key taken and sends nothing.

No pupil names and no care details in any message: only the meeting's name, time and
place, and a link that needs login.
"""

from datetime import UTC, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notification_queue

from . import ical
from .models import Agreement, Meeting, MeetingStatus
from .recurrence import local_shift

# Invitations go out when a meeting comes within this many days (a year of weekly
# meetings would otherwise arrive as forty e-mails on one day); the feed shows them all.
INVITE_HORIZON_DAYS = 56
# Agreement reminders are dated, not timed: they go out from this hour, not at midnight.
DAY_START = time(7, 0)
# A 7-day reminder that would go out this close to the meeting (calendar days: "Over 2
# dagen" or less) is skipped: the day-before reminder follows soon enough.
LATE_WEEK_REMINDER_DAYS = 2


def _stamp(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def key_for(kind: str, obj_id: int, user_id: int, moment) -> str:
    prefix = "agreements" if kind in ("due_soon", "overdue") else "meetings"
    return f"{prefix}:{kind}:{obj_id}:{user_id}:{moment}"


def _meeting_context(meeting) -> dict:
    return {
        "meeting": meeting,
        "school": meeting.school,
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at),
        "link": ical.meeting_url(meeting),
    }


def _invited_user_ids(meeting) -> set[int]:
    """Who got an invitation for this meeting at some point (from the outbox keys)."""
    keys = Notification.objects.filter(key__startswith=f"meetings:invite:{meeting.pk}:").values_list("key", flat=True)
    return {int(key.split(":")[3]) for key in keys}


def within_horizon(meeting, now=None) -> bool:
    now = now or timezone.now()
    return now < meeting.starts_at <= now + timedelta(days=INVITE_HORIZON_DAYS)


def queue_invites(meeting, users=None) -> int:
    """Send the current version of `meeting` (.ics REQUEST) to `users` (default: all
    participants): when it is within the horizon, or when they were invited before (so
    their calendar follows a move). Call inside the service's transaction."""
    if meeting.status != MeetingStatus.PLANNED or meeting.starts_at <= timezone.now():
        return 0
    users = list(meeting.participants.all() if users is None else users)
    invited = _invited_user_ids(meeting)
    if not within_horizon(meeting):
        users = [u for u in users if u.pk in invited]
    sent = 0
    for user in users:
        sent += _queue_invite(meeting, user, changed=user.pk in invited) is not None
    return sent


def _was_invited(meeting, user) -> bool:
    return Notification.objects.filter(key__startswith=f"meetings:invite:{meeting.pk}:{user.pk}:").exists()


def _queue_invite(meeting, user, *, changed: bool | None = None):
    """An invitation, or an update for someone invited before ("Gewijzigd"). Someone added
    later gets an invitation, whatever the meeting's sequence (their calendar has no entry)."""
    if changed is None:
        changed = _was_invited(meeting, user)
    return notification_queue(
        key=key_for("invite", meeting.pk, user.pk, meeting.sequence),
        recipient=user,
        kind="meetings.invite",
        template="meetings/email/invite",
        context={**_meeting_context(meeting), "changed": changed},
        school=meeting.school,
        attachment=("overleg.ics", ical.invite_ics(meeting, user), ical.mimetype("REQUEST")),
    )


def queue_cancellations(meeting, users=None) -> int:
    """Tell `users` (default: all participants) who were invited that the meeting is off
    for them (.ics CANCEL, same UID, higher sequence)."""
    invited = _invited_user_ids(meeting)
    users = [u for u in (meeting.participants.all() if users is None else users) if u.pk in invited]
    sent = 0
    for user in users:
        sent += (
            notification_queue(
                key=key_for("cancel", meeting.pk, user.pk, meeting.sequence),
                recipient=user,
                kind="meetings.cancel",
                template="meetings/email/cancel",
                context=_meeting_context(meeting),
                school=meeting.school,
                attachment=("overleg.ics", ical.invite_ics(meeting, user, cancel=True), ical.mimetype("CANCEL")),
            )
            is not None
        )
    return sent


# --- The scheduler -----------------------------------------------------------------------


def _due_meeting_messages(now):
    """(key, recipient, kind, template, meeting) for every meeting message due at `now`."""
    meetings = (
        Meeting.objects.planned()
        .filter(starts_at__gt=now, starts_at__lte=now + timedelta(days=INVITE_HORIZON_DAYS))
        .select_related("school", "organiser")
        .prefetch_related("participants")
        .annotate(item_count=Count("items"))
        .order_by("starts_at", "pk")
    )
    for meeting in list(meetings):
        start = meeting.starts_at
        stamp = _stamp(start)
        participants = list(meeting.participants.all())
        for user in participants:
            yield key_for("invite", meeting.pk, user.pk, meeting.sequence), user, "invite", meeting
        week_before, day_before = local_shift(start, days=-7), local_shift(start, days=-1)
        if (
            week_before <= now < day_before
            and meeting.scheduled_at <= week_before
            and days_left(start, now) > LATE_WEEK_REMINDER_DAYS
        ):
            # Not when the invitation itself went out within the week: that would be two mails
            # at once. Not when it is this late (after an outage): the day-before one follows.
            for user in participants:
                yield key_for("reminder_7d", meeting.pk, user.pk, stamp), user, "reminder_7d", meeting
        if day_before <= now:
            for user in participants:
                yield key_for("reminder_1d", meeting.pk, user.pk, stamp), user, "reminder_1d", meeting
        if local_shift(start, days=-10) <= now and meeting.item_count == 0 and meeting.organiser.is_active:
            yield (
                key_for("agenda_empty", meeting.pk, meeting.organiser_id, stamp),
                meeting.organiser,
                "agenda_empty",
                meeting,
            )


def _due_agreement_messages(now):
    today = timezone.localdate(now)
    if timezone.localtime(now).time() < DAY_START:
        return
    agreements = (
        Agreement.objects.open()
        .filter(due_on__lte=today + timedelta(days=2))
        .select_related("owner", "meeting", "school")
        .order_by("due_on", "pk")
    )
    for agreement in list(agreements):
        kind = "overdue" if agreement.due_on < today else "due_soon"
        yield (
            key_for(kind, agreement.pk, agreement.owner_id, agreement.due_on.isoformat()),
            agreement.owner,
            kind,
            agreement,
        )


TEMPLATES = {
    "reminder_7d": "meetings/email/reminder",
    "reminder_1d": "meetings/email/reminder",
    "agenda_empty": "meetings/email/agenda_empty",
    "due_soon": "meetings/email/agreement_due",
    "overdue": "meetings/email/agreement_overdue",
}


def days_left(starts_at, now) -> int:
    """Calendar days from `now` to the meeting, in the school's time zone: 0 today, 1 tomorrow."""
    return (timezone.localdate(starts_at) - timezone.localdate(now)).days


def _send(key, user, kind, obj, now):
    if kind == "invite":
        return _queue_invite(obj, user)
    if kind in ("due_soon", "overdue"):
        context = {
            "agreement": obj,
            "meeting": obj.meeting,
            "school": obj.school,
            "due_on": obj.due_on,
            "link": f"{settings.SITE_URL}/overleg/afspraken/",
        }
        kind_label, school = f"agreements.{kind}", obj.school
    else:
        # The wording comes from the time actually left when it is queued (a late reminder
        # after an outage says "Morgen", not "Over een week").
        context = {**_meeting_context(obj), "days": days_left(obj.starts_at, now)}
        kind_label, school = f"meetings.{kind}", obj.school
    return notification_queue(
        key=key, recipient=user, kind=kind_label, template=TEMPLATES[kind], context=context, school=school
    )


def reminders_send_due(*, now=None, batch: int = 200) -> int:
    """Queue every meeting and agreement message that is due at `now` and not yet queued.

    Run by the periodic task every few minutes; safe to run twice at once (the unique key
    decides). Keys already in the outbox are skipped with one query per batch, so a run
    that finds nothing new is cheap. Returns the number of messages queued now.
    """
    now = now or timezone.now()
    queued = 0
    pending = []

    def flush():
        nonlocal queued
        keys = [p[0] for p in pending]
        existing = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
        # One transaction per batch: one commit for its rows; the sends are queued when it
        # commits. Every scheduler walks the messages in the same order (meeting start,
        # participant name), so two at once wait for each other instead of deadlocking.
        with transaction.atomic():
            for key, user, kind, obj in pending:
                if key not in existing and user.is_active:
                    queued += _send(key, user, kind, obj, now) is not None
        pending.clear()

    for generator in (_due_meeting_messages(now), _due_agreement_messages(now)):
        for message in generator:
            pending.append(message)
            if len(pending) >= batch:
                flush()
    if pending:
        flush()
    return queued
