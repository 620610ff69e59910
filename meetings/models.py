"""Overleg: meeting series and their meetings, the agenda (pupils with a question for
the team), minutes per item, agreements (afspraken), and the personal calendar feed.

Reminders are not a table of this app: every e-mail is a row of notifications.Notification
whose unique key names the meeting or agreement, the person, the kind and the moment
(see meetings/reminders.py).

Every model holding pupil data has a `visible_to(user)` QuerySet method that asks the
access module (carecoord/access/meetings.py); views start from it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MeetingKind(models.TextChoices):
    OT = "ot", _("Ondersteuningsteam")
    KORTE_LIJN = "korte_lijn", _("Korte lijn")
    BREED = "breed", _("Breed overleg")
    OVERLEG_1234 = "1234", _("1-2-3-4-overleg")
    OTHER = "overig", _("Overig overleg")


class HolidayPolicy(models.TextChoices):
    SKIP = "skip", _("overslaan")
    MOVE = "move", _("verplaatsen naar de eerste schooldag erna")


class MeetingSeries(models.Model):
    """A recurring overleg: every N weeks on a weekday and time, with standing participants.

    The dates come from python-dateutil's rrule and the school calendar (meetings/recurrence.py);
    each date becomes a Meeting, which can then be moved, cancelled or prepared on its own.
    """

    school = models.ForeignKey(
        "accounts.School", models.CASCADE, related_name="meeting_series", verbose_name=_("school")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("naam"), max_length=200)
    interval_weeks = models.PositiveSmallIntegerField(_("elke zoveel weken"), default=6)
    weekday = models.PositiveSmallIntegerField(
        _("weekdag"),
        choices=[(0, _("maandag")), (1, _("dinsdag")), (2, _("woensdag")), (3, _("donderdag")), (4, _("vrijdag"))],
    )
    start_time = models.TimeField(_("begintijd"))
    end_time = models.TimeField(_("eindtijd"))
    starts_on = models.DateField(_("eerste datum vanaf"))
    ends_on = models.DateField(_("tot en met"))
    holiday_policy = models.CharField(
        _("in een vakantie"), max_length=10, choices=HolidayPolicy.choices, default=HolidayPolicy.SKIP
    )
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("vaste deelnemers")
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("organisator")
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("overlegreeks")
        verbose_name_plural = _("overlegreeksen")
        ordering = ["school", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="series_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="series_until_after_from"
            ),
            models.CheckConstraint(
                condition=models.Q(interval_weeks__gte=1, interval_weeks__lte=52), name="series_interval_1_to_52"
            ),
        ]

    def __str__(self):
        return self.title


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("gepland")
    CANCELLED = "cancelled", _("geannuleerd")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Meetings the user may open: see carecoord/access/meetings.py."""
        from carecoord.access.meetings import meetings_q

        return self.filter(meetings_q(user))

    def planned(self):
        return self.filter(status=MeetingStatus.PLANNED)


class Meeting(models.Model):
    """One overleg on one date (from a series or on its own).

    `uid` is the iCalendar UID: stable for the life of the meeting, so every invite and
    the feed update the same calendar entry. `sequence` rises with every change that
    participants must see in their calendar (time, place, cancellation).
    """

    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="meetings", verbose_name=_("school"))
    series = models.ForeignKey(
        MeetingSeries, models.CASCADE, null=True, blank=True, related_name="meetings", verbose_name=_("reeks")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("naam"), max_length=200)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    # When a holiday moved this date, the date the series would have had (shown, not used).
    moved_from = models.DateField(_("oorspronkelijke datum"), null=True, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="meetings", blank=True, verbose_name=_("deelnemers")
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("organisator")
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # When the date/time was last set (planned or moved): the 7-day reminder is skipped when
    # the invitation itself went out within those 7 days.
    scheduled_at = models.DateTimeField(default=timezone.now, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    # Last change of anything a calendar shows: the feed's Last-Modified and DTSTAMP.
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_end_after_start"
            ),
        ]
        indexes = [
            # The reminder scheduler asks "planned meetings starting in the next 10 days" every few minutes.
            models.Index(fields=["status", "starts_at"], name="meeting_status_start_idx"),
            # A school's meeting list and a series' next/previous meeting.
            models.Index(fields=["school", "starts_at"], name="meeting_school_start_idx"),
            models.Index(fields=["series", "starts_at"], name="meeting_series_start_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d-%m-%Y %H:%M})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_cancelled(self):
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_past(self):
        return self.ends_at <= timezone.now()

    @property
    def ical_uid(self):
        return f"{self.uid}@carecoord"


class AgendaItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Agenda items the user may see: a partner only pupils whose consent covers them
        (carecoord/access/meetings.py)."""
        from carecoord.access.meetings import agenda_items_q

        return self.filter(agenda_items_q(user))


class AgendaItem(models.Model):
    """A pupil on a meeting's agenda with the question for the team, and what was said and decided."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="items", verbose_name=_("overleg"))
    student = models.ForeignKey(
        "students.Student", models.PROTECT, related_name="agenda_items", verbose_name=_("leerling")
    )
    question = models.TextField(_("vraag aan het team"), blank=True)
    reason = models.CharField(_("aanleiding"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    notes = models.TextField(_("bespreking"), blank=True)
    decision = models.TextField(_("besluit"), blank=True)
    discussed_at = models.DateTimeField(_("besproken op"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Versions of the question, the minutes and the decision: minutes are never silently rewritten.
    history = HistoricalRecords()
    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "student"], name="uniq_agenda_item_student"),
        ]

    def __str__(self):
        return f"{self.student} — {self.meeting}"


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.meetings import agreements_q

        return self.filter(agreements_q(user))

    def open(self):
        return self.filter(done_at__isnull=True)


class Agreement(models.Model):
    """Afspraak: what, who (owner), when (due date), made in a meeting, usually about a pupil.

    Open agreements carry over: every later meeting of the same series shows them until
    they are done.
    """

    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="+", verbose_name=_("school"))
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="agreements", verbose_name=_("overleg"))
    item = models.ForeignKey(
        AgendaItem, models.CASCADE, null=True, blank=True, related_name="agreements", verbose_name=_("agendapunt")
    )
    student = models.ForeignKey(
        "students.Student",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("leerling"),
    )
    description = models.CharField(_("wat"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="agreements", verbose_name=_("wie")
    )
    due_on = models.DateField(_("uiterlijk op"))
    done_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["due_on", "pk"]
        indexes = [
            # The scheduler and "Mijn afspraken" look for open agreements by due date.
            models.Index(fields=["due_on"], name="agreement_open_due_idx", condition=models.Q(done_at__isnull=True)),
            models.Index(fields=["owner", "due_on"], name="agreement_owner_due_idx"),
        ]

    def __str__(self):
        return self.description

    @property
    def is_overdue(self):
        return self.done_at is None and self.due_on < timezone.localdate()


class CalendarFeed(models.Model):
    """A personal iCalendar feed. Only a hash of the secret token is stored: the link is
    shown once; a new link replaces (revokes) the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")

    def __str__(self):
        return str(self.user)
