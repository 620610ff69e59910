"""The daily digest: at 07:00 on school days every user with tasks overdue or due today gets
one mail (no pupil data: the numbers and a link), exactly once per user per day, also with
two schedulers running (the outbox key names user and day), never on a weekend or on a
day all of the user's schools are off, never for a user who switched it off."""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import School, User
from accounts.selectors import holiday_dates
from notifications.models import Notification
from notifications.services import notification_queue_many

from .registry import sources
from .selectors import task_list

DIGEST_KIND = "todo.digest"
BATCH = 1000


def digest_key(user_id: int, day: date) -> str:
    return f"{DIGEST_KIND}:{user_id}:{day.isoformat()}"


def _school_days(day: date) -> list[int]:
    """The schools that have school today (a weekday outside their holidays)."""
    if day.weekday() > 4:
        return []
    return [s.pk for s in School.objects.all() if day not in holiday_dates(school=s, start=day, end=day)]


def digest_counts(*, day: date) -> dict[int, list[int]]:
    """{user id: [overdue, due today]} over every source of the schools in session today:
    one or two grouped queries per source, whatever the number of users. A partner's count
    is made from their own list (consent decides what they may see)."""
    school_ids = _school_days(day)
    if not school_ids:
        return {}
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for source in sources():
        if source.counts is None:
            continue
        for user_id, (overdue, today) in source.counts(school_ids, day).items():
            totals[user_id][0] += overdue
            totals[user_id][1] += today
    partners = User.objects.filter(pk__in=list(totals), organisation__isnull=False).select_related("organisation")
    for partner in partners:
        counted = [0, 0]
        for school in School.objects.filter(pk__in=school_ids, partner_organisations=partner.organisation_id):
            for item in task_list(user=partner, school=school, today=day, due_until=day):
                counted[0 if item.due_on < day else 1] += 1
        totals[partner.pk] = counted
    return {pk: counts for pk, counts in totals.items() if counts[0] or counts[1]}


def digest_queue(*, day: date | None = None) -> int:
    """Queue today's digests; returns how many were queued now (0 the second time)."""
    day = day or timezone.localdate()
    counts = digest_counts(day=day)
    if not counts:
        return 0
    keys = {digest_key(pk, day): pk for pk in counts}
    # Already queued today (a second scheduler, a rerun): not rendered again. The outbox key
    # keeps it exactly once even when two runs get here at the same moment.
    done = set(Notification.objects.filter(key__in=list(keys)).values_list("recipient_id", flat=True))
    wanted = sorted(pk for pk in counts if pk not in done)
    link = f"{settings.SITE_URL}{reverse('todo:list')}"
    queued = 0
    for start in range(0, len(wanted), BATCH):
        users = User.objects.filter(pk__in=wanted[start : start + BATCH], is_active=True)
        messages = [
            (
                digest_key(user.pk, day),
                user,
                {"overdue": counts[user.pk][0], "today": counts[user.pk][1], "day": day, "link": link},
                None,
            )
            for user in users
        ]
        with transaction.atomic():
            queued += notification_queue_many(kind=DIGEST_KIND, template="todo/mail/digest", messages=messages)
    return queued
