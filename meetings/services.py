"""Writes of the meetings app. Each service owns its transaction, checks the rules and
raises ValidationError with a field dict, and queues its e-mail inside the transaction
(sent after commit, once per key: meetings/reminders.py)."""

import hashlib
import secrets
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import change_record, values_of
from carecoord.access import meetings as meeting_access
from carecoord.access.meetings import consent_gaps, participants_q
from students.timeline import timeline_add

from . import reminders
from .models import AgendaItem, Agreement, CalendarFeed, Meeting, MeetingSeries, MeetingStatus
from .recurrence import local_datetime, series_dates

# A series is planned for at most about a school year ahead.
MAX_SERIES_DAYS = 400


def _shown(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def check_participants(*, school, participants) -> list:
    """Participants must work at or with `school`: staff with a role there, or partner
    professionals whose organisation works with it. Raises ValidationError naming them."""
    participants = list(participants)
    allowed = set(
        User.objects.filter(participants_q(school), pk__in=[p.pk for p in participants]).values_list("pk", flat=True)
    )
    wrong = [p for p in participants if p.pk not in allowed]
    if wrong:
        raise ValidationError(
            {
                "participants": _(
                    "%(names)s werkt niet op of met %(school)s en kan daarom niet deelnemen. "
                    "Kies alleen medewerkers en partners van deze school."
                )
                % {"names": ", ".join(p.name for p in wrong), "school": school.name}
            }
        )
    return participants


def _check_times(start: time, end: time) -> None:
    if end <= start:
        raise ValidationError({"end_time": _("De eindtijd ligt vóór (of op) de begintijd.")})


# --- Series ----------------------------------------------------------------------------------


def series_plan_dates(*, school, weekday, interval_weeks, starts_on, ends_on, holiday_policy, start_time, now=None):
    """The dates a series would get: (all dates with holidays marked, the future ones to
    create). Raises ValidationError for impossible input."""
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("De einddatum ligt vóór de eerste datum.")
    elif (ends_on - starts_on).days > MAX_SERIES_DAYS:
        errors["ends_on"] = _("Plan een reeks voor hoogstens een schooljaar vooruit.")
    if not 1 <= interval_weeks <= 52:
        errors["interval_weeks"] = _("Kies elke 1 tot 52 weken.")
    if errors:
        raise ValidationError(errors)
    dates = series_dates(
        school=school,
        weekday=weekday,
        interval_weeks=interval_weeks,
        starts_on=starts_on,
        ends_on=ends_on,
        move=holiday_policy == "move",
    )
    now = now or timezone.now()
    future = [d for d in dates if d.date and local_datetime(d.date, start_time) > now]
    if not future:
        raise ValidationError(
            {
                "starts_on": _(
                    "Deze reeks levert geen datums op: tussen %(start)s en %(end)s valt geen enkele %(day)s "
                    "in de toekomst buiten de vakanties. Kies een andere periode of weekdag."
                )
                % {
                    "start": _shown(starts_on),
                    "end": _shown(ends_on),
                    "day": date_format(starts_on + timedelta(days=(weekday - starts_on.weekday()) % 7), "l"),
                }
            }
        )
    return dates, future


def series_create(
    *,
    school,
    actor,
    kind,
    title,
    interval_weeks,
    weekday,
    start_time,
    end_time,
    starts_on,
    ends_on,
    holiday_policy,
    location="",
    online_link="",
    participants=(),
) -> MeetingSeries:
    """Create a series and a meeting for each of its future dates (holidays skipped or
    moved); invitations go out for the meetings within the invitation horizon."""
    _check_times(start_time, end_time)
    participants = check_participants(school=school, participants=participants)
    _dates, future = series_plan_dates(
        school=school,
        weekday=weekday,
        interval_weeks=interval_weeks,
        starts_on=starts_on,
        ends_on=ends_on,
        holiday_policy=holiday_policy,
        start_time=start_time,
    )
    with transaction.atomic():
        series = MeetingSeries.objects.create(
            school=school,
            kind=kind,
            title=title,
            interval_weeks=interval_weeks,
            weekday=weekday,
            start_time=start_time,
            end_time=end_time,
            starts_on=starts_on,
            ends_on=ends_on,
            holiday_policy=holiday_policy,
            location=location,
            online_link=online_link,
            organiser=actor,
        )
        series.participants.set(participants)
        meetings = create_occurrences(series=series, dates=future, participants=participants)
        for meeting in meetings:
            reminders.queue_invites(meeting, participants)
    return series


def create_occurrences(*, series, dates, participants) -> list[Meeting]:
    """The meetings of `series` for `dates` (SeriesDate), in bulk. No e-mail: callers decide."""
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                school=series.school,
                series=series,
                kind=series.kind,
                title=series.title,
                starts_at=local_datetime(d.date, series.start_time),
                ends_at=local_datetime(d.date, series.end_time),
                location=series.location,
                online_link=series.online_link,
                moved_from=d.regular if d.moved else None,
                organiser=series.organiser,
            )
            for d in dates
        ]
    )
    if not all(m.pk for m in meetings):  # backends without RETURNING (not PostgreSQL/SQLite 3.35+)
        meetings = list(series.meetings.order_by("starts_at"))
    through = Meeting.participants.through
    through.objects.bulk_create([through(meeting_id=m.pk, user_id=p.pk) for m in meetings for p in participants])
    return meetings


def _record(obj, actor, kind: str, before: dict, fields) -> None:
    """Who changed `fields` of a meeting or series (see audit.services.change_record)."""
    change_record(school=obj.school_id, actor=actor, kind=kind, obj=obj, before=before, after=values_of(obj, fields))


def series_set_participants(*, series, participants, actor) -> None:
    """Change the standing participants: applies to every future planned meeting of the series."""
    participants = check_participants(school=series.school, participants=participants)
    with transaction.atomic():
        before = values_of(series, ["participants"])
        series.participants.set(participants)
        _record(series, actor, "meetings.series_participants", before, ["participants"])
        for meeting in series.meetings.planned().filter(starts_at__gt=timezone.now()):
            _set_participants(meeting, participants)


def series_stop(*, series, actor) -> int:
    """Stop a series: every future planned meeting is cancelled (invited participants get a
    cancellation). Past meetings, their minutes and agreements stay. Returns how many."""
    cancelled = 0
    with transaction.atomic():
        for meeting in series.meetings.planned().filter(starts_at__gt=timezone.now()):
            meeting_cancel(meeting=meeting, actor=actor)
            cancelled += 1
    return cancelled


# --- One meeting --------------------------------------------------------------------------------


def _combine(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    return local_datetime(day, start), local_datetime(day, end)


def meeting_create(
    *, school, actor, kind, title, day, start_time, end_time, location="", online_link="", participants=(), guests=()
) -> Meeting:
    """A meeting on its own (not part of a series). `guests` are people of another school
    whom the calling service vouches for (a warm handover's receiving zorgcoördinator): they
    are invited without the participant check."""
    _check_times(start_time, end_time)
    starts_at, ends_at = _combine(day, start_time, end_time)
    if starts_at <= timezone.now():
        raise ValidationError({"day": _("Dit moment ligt in het verleden. Kies een datum en tijd in de toekomst.")})
    participants = check_participants(school=school, participants=participants)
    participants += [guest for guest in guests if guest not in participants]
    with transaction.atomic():
        meeting = Meeting.objects.create(
            school=school,
            kind=kind,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            location=location,
            online_link=online_link,
            organiser=actor,
        )
        meeting.participants.set(participants)
        reminders.queue_invites(meeting, participants)
    return meeting


# What the change log keeps of a meeting (no pupil is named in these fields).
MEETING_FIELDS = ("title", "starts_at", "ends_at", "location", "online_link")


def meeting_update(*, meeting, actor, title, day, start_time, end_time, location="", online_link="") -> bool:
    """Move a meeting or change its place. Participants get an updated invitation (same
    UID, higher SEQUENCE); reminders follow the new moment. Returns False when nothing changed."""
    if meeting.is_cancelled:
        raise ValidationError(_("Dit overleg is geannuleerd en kan niet meer worden gewijzigd."))
    _check_times(start_time, end_time)
    starts_at, ends_at = _combine(day, start_time, end_time)
    moved = (starts_at, ends_at) != (meeting.starts_at, meeting.ends_at)
    if moved and starts_at <= timezone.now():
        raise ValidationError({"day": _("Dit moment ligt in het verleden. Kies een datum en tijd in de toekomst.")})
    changed = moved or (title, location, online_link) != (meeting.title, meeting.location, meeting.online_link)
    if not changed:
        return False
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        before = values_of(meeting, MEETING_FIELDS)
        meeting.title, meeting.location, meeting.online_link = title, location, online_link
        meeting.starts_at, meeting.ends_at = starts_at, ends_at
        meeting.sequence += 1
        if moved:
            meeting.scheduled_at = timezone.now()
        meeting.save()
        _record(meeting, actor, "meetings.meeting_updated", before, MEETING_FIELDS)
        reminders.queue_invites(meeting)
    return True


def meeting_cancel(*, meeting, actor) -> None:
    """Cancel: invited participants get a cancellation for the same calendar entry; no
    reminders follow (the scheduler only looks at planned meetings)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_cancelled:
            return
        before = values_of(meeting, ["status"])
        meeting.status = MeetingStatus.CANCELLED
        meeting.sequence += 1
        meeting.save(update_fields=["status", "sequence", "updated_at"])
        _record(meeting, actor, "meetings.meeting_cancelled", before, ["status"])
        reminders.queue_cancellations(meeting)


def meeting_set_participants(*, meeting, participants, actor) -> None:
    participants = check_participants(school=meeting.school, participants=participants)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        before = values_of(meeting, ["participants"])
        _set_participants(meeting, participants)
        _record(meeting, actor, "meetings.meeting_participants", before, ["participants"])


def _set_participants(meeting, participants) -> None:
    current = {u.pk: u for u in meeting.participants.all()}
    wanted = {u.pk: u for u in participants}
    added = [u for pk, u in wanted.items() if pk not in current]
    removed = [u for pk, u in current.items() if pk not in wanted]
    if not added and not removed:
        return
    # A new sequence: a person removed and added again gets a fresh invitation.
    meeting.sequence += 1
    meeting.save(update_fields=["sequence", "updated_at"])
    meeting.participants.remove(*removed)
    meeting.participants.add(*added)
    if meeting.status == MeetingStatus.PLANNED:
        reminders.queue_cancellations(meeting, removed)
        reminders.queue_invites(meeting, added)


# --- Agenda and minutes ----------------------------------------------------------------------


def agenda_item_add(*, meeting, student, actor, question="", reason="") -> AgendaItem:
    """Put a pupil on the agenda with the question for the team."""
    if meeting.is_cancelled:
        raise ValidationError(_("Dit overleg is geannuleerd."))
    if student.school_id != meeting.school_id:
        raise ValidationError({"student": _("Deze leerling zit niet op de school van dit overleg.")})
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        if AgendaItem.objects.filter(meeting=meeting, student=student).exists():
            raise ValidationError(
                {"student": _("%(name)s staat al op de agenda van dit overleg.") % {"name": student.full_name}}
            )
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
        item = AgendaItem.objects.create(
            meeting=meeting,
            student=student,
            question=question,
            reason=reason[:300],
            position=last + 1,
            added_by=actor,
        )
        timeline_add(
            student=student,
            kind="meetings.on_agenda",
            actor=actor,
            meeting=meeting.get_kind_display(),
            date=timezone.localdate(meeting.starts_at),
            meeting_id=meeting.pk,
        )
    return item


def agenda_item_remove(*, item, actor) -> None:
    """Take a pupil off the agenda (not once agreements were made about them there)."""
    if item.agreements.exists():
        raise ValidationError(_("Er zijn al afspraken over deze leerling vastgelegd; het agendapunt blijft staan."))
    with transaction.atomic():
        change_record(
            school=item.meeting.school_id,
            student=item.student,
            actor=actor,
            kind="meetings.agenda_item_removed",
            obj=item,
            before={"meeting": item.meeting_id, "question": item.question},
            hidden={"question"},
        )
        item.delete()


def agenda_item_update(*, item, actor, question=None, notes=None, decision=None) -> AgendaItem:
    """Change the question, or record what was discussed and decided. The first time there is
    something on record, the pupil's timeline shows "besproken in <overleg>"."""
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting", "student").get(pk=item.pk)
        if question is not None:
            item.question = question
        if notes is not None:
            item.notes = notes
        if decision is not None:
            item.decision = decision
        first_time = item.discussed_at is None and bool(item.notes.strip() or item.decision.strip())
        if first_time:
            item.discussed_at = timezone.now()
        item.save()
        if first_time:
            meeting = item.meeting
            timeline_add(
                student=item.student,
                kind="meetings.discussed",
                actor=actor,
                meeting=meeting.get_kind_display(),
                date=timezone.localdate(meeting.starts_at),
                meeting_id=meeting.pk,
            )
    return item


# --- Agreements ------------------------------------------------------------------------------


def agreement_create(*, meeting, actor, description, owner, due_on, item=None) -> Agreement:
    """Record an agreement (what, who, when) in the meeting. The owner must take part in the
    meeting (or be its organiser or the coordinator); a partner only for a pupil whose
    consent covers them."""
    errors = {}
    if not description.strip():
        errors["description"] = _("Beschrijf wat er is afgesproken.")
    if due_on < timezone.localdate(meeting.starts_at) and due_on < timezone.localdate():
        errors["due_on"] = _("Deze datum ligt vóór het overleg. Kies een datum vanaf de dag van het overleg.")
    if not meeting_access.may_own_agreement(owner, meeting):
        errors["owner"] = _("%(name)s neemt niet deel aan dit overleg.") % {"name": owner.name}
    elif item is not None and consent_gaps(meeting=meeting, students=[item.student], participants=[owner]):
        errors["owner"] = _(
            "Voor %(org)s is geen toestemming vastgelegd voor deze leerling. Kies een andere eigenaar "
            "of leg eerst toestemming vast."
        ) % {"org": owner.organisation}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            school=meeting.school,
            meeting=meeting,
            item=item,
            student=item.student if item else None,
            description=description.strip(),
            owner=owner,
            due_on=due_on,
            created_by=actor,
        )
        if item is not None:
            timeline_add(
                student=item.student,
                kind="meetings.agreement_made",
                actor=actor,
                owner=owner.name,
                due=due_on,
                meeting=meeting.get_kind_display(),
                meeting_id=meeting.pk,
            )
    return agreement


def agreement_mark_done(*, agreement, actor) -> bool:
    """Tick an agreement off. Returns False when it was done already (a double click)."""
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update(of=("self",)).select_related("student").get(pk=agreement.pk)
        if agreement.done_at is not None:
            return False
        agreement.done_at = timezone.now()
        agreement.done_by = actor
        agreement.save(update_fields=["done_at", "done_by"])
        if agreement.student_id:
            timeline_add(
                student=agreement.student, kind="meetings.agreement_done", actor=actor, meeting_id=agreement.meeting_id
            )
    return True


# --- Calendar feed -----------------------------------------------------------------------------


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_create(*, user) -> str:
    """A new secret feed link for `user`; the old one stops working. Returns the token
    (shown once; only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        CalendarFeed.objects.create(user=user, token_hash=feed_token_hash(token))
    return token


def feed_revoke(*, user) -> bool:
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
