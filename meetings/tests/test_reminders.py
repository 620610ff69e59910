"""Invitations, reminders and nudges: each exactly once (Django's mail outbox)."""

from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from meetings import reminders, services, tasks
from meetings.models import MeetingKind
from meetings.recurrence import local_datetime
from meetings.tests.factories import AgendaItemFactory, AgreementFactory, MeetingFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the scheduler at `now` and send what it queued (the after-commit sends)."""

    def scheduler(now):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.reminders_send_due(now=now)

    return scheduler


def _plan(coordinator, school, participants, days=14, **extra):
    day = timezone.localdate() + timedelta(days=days)
    return services.meeting_create(
        school=school,
        actor=coordinator,
        kind=extra.get("kind", MeetingKind.OT),
        title="Ondersteuningsteam",
        day=day,
        start_time=time(14, 0),
        end_time=time(15, 30),
        location="Vergaderruimte 1.12",
        participants=participants,
    )


def _kinds(outbox=None):
    return sorted(Notification.objects.values_list("kind", flat=True))


def _ics(message):
    name, content, _mimetype = message.attachments[0]
    assert name.endswith(".ics")
    cal = icalendar.Calendar.from_ical(content)
    return cal, cal.walk("VEVENT")[0]


def test_planning_a_meeting_invites_every_participant_once_with_an_ics(
    coordinator, school, partner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(coordinator, school, [coordinator, partner_user])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, partner_user.email])
    cal, event = _ics(mail.outbox[0])
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == meeting.ical_uid
    assert event.decoded("dtstart") == timezone.localtime(meeting.starts_at)
    assert "Uitnodiging: Ondersteuningsteam" in mail.outbox[0].subject


def test_running_the_scheduler_twice_sends_the_day_before_reminder_once(
    coordinator, school, partner_user, run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(coordinator, school, [coordinator, partner_user], days=3)
    mail.outbox.clear()
    moment = meeting.starts_at - timedelta(hours=20)
    assert run(moment) == 3  # two reminders, and the organiser's nudge: the agenda is empty
    assert run(moment) == 0
    assert run(moment + timedelta(hours=1)) == 0
    reminders_sent = [m for m in mail.outbox if m.subject.startswith("Morgen: Ondersteuningsteam")]
    assert sorted(m.to[0] for m in reminders_sent) == sorted([coordinator.email, partner_user.email])


def test_a_retried_scheduler_task_and_a_retried_send_task_send_nothing_twice(
    coordinator, school, partner_user, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        school=school,
        organiser=coordinator,
        participants=[partner_user],
        starts_at=timezone.now() + timedelta(hours=10),
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.meetings_send_reminders.apply()
        tasks.meetings_send_reminders.apply()  # redelivered after a worker crash (acks_late)
    reminder = Notification.objects.get(kind="meetings.reminder_1d")
    from notifications.tasks import notification_send

    notification_send.apply(args=[reminder.pk])  # the send task itself runs again
    # Ten hours ahead is "Morgen" or, after midnight in Amsterdam, "Vandaag": count the
    # reminder's own subject.
    sent = [m for m in mail.outbox if m.subject == reminder.subject]
    assert len(sent) == 1 and meeting.title in sent[0].subject


def test_the_week_before_reminder_goes_out_at_the_same_local_hour_across_winter_time(
    coordinator, school, partner_user, run
):
    # Meeting Friday 30 October 2026, 15:00 CET; a week before is 23 October 15:00 CEST.
    meeting = MeetingFactory(
        school=school,
        organiser=coordinator,
        participants=[partner_user],
        starts_at=local_datetime(date(2026, 10, 30), time(15, 0)),
        scheduled_at=datetime(2026, 9, 1, tzinfo=UTC),
    )
    AgendaItemFactory(meeting=meeting, student=_pupil(school))
    Notification.objects.all().delete()
    run(datetime(2026, 10, 23, 12, 59, tzinfo=UTC))  # 14:59 CEST
    assert not Notification.objects.filter(kind="meetings.reminder_7d").exists()
    run(datetime(2026, 10, 23, 13, 0, tzinfo=UTC))  # 15:00 CEST
    reminder = Notification.objects.get(kind="meetings.reminder_7d")
    assert reminder.key.endswith(":20261030T1400Z")  # named by the meeting's moment (UTC)
    assert "Over een week" in reminder.subject


def test_a_moved_meeting_gets_new_reminders_and_never_the_old_ones(
    coordinator, school, partner_user, run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(coordinator, school, [partner_user], days=10)
    old_start = meeting.starts_at
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=meeting,
            actor=coordinator,
            title=meeting.title,
            day=timezone.localdate(old_start) + timedelta(days=2),
            start_time=time(9, 0),
            end_time=time(10, 0),
            location=meeting.location,
        )
    meeting.refresh_from_db()
    # The updated invitation: same calendar entry, higher sequence.
    invites = [m for m in mail.outbox if ".ics" in m.attachments[0][0]]
    assert len(invites) == 2
    (_c1, first), (_c2, second) = _ics(invites[0]), _ics(invites[1])
    assert first["UID"] == second["UID"]
    assert second["SEQUENCE"] > first["SEQUENCE"]
    assert invites[1].subject.startswith("Gewijzigd:")
    mail.outbox.clear()

    # The day before the *old* moment: nothing about the old moment is sent. That moment is
    # two days before the new one: too late for a week reminder, the day-before one follows.
    run(old_start - timedelta(hours=12))
    assert [m.subject for m in mail.outbox if m.to == [partner_user.email]] == []
    assert not Notification.objects.filter(key__endswith=reminders._stamp(old_start)).exists()
    # The day before the new moment: one reminder, for the new time.
    mail.outbox.clear()
    run(meeting.starts_at - timedelta(hours=12))
    run(meeting.starts_at - timedelta(hours=11))
    to_partner = [m.subject for m in mail.outbox if m.to == [partner_user.email]]
    assert to_partner == ["Morgen: Ondersteuningsteam om 09:00"]
    keys = list(Notification.objects.filter(kind="meetings.reminder_1d").values_list("key", flat=True))
    assert keys == [reminders.key_for("reminder_1d", meeting.pk, partner_user.pk, reminders._stamp(meeting.starts_at))]


def test_a_meeting_planned_within_the_week_gets_no_separate_week_reminder(
    coordinator, school, partner_user, run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(coordinator, school, [partner_user], days=4)
    run(timezone.now())
    assert not Notification.objects.filter(kind="meetings.reminder_7d").exists()
    assert Notification.objects.filter(kind="meetings.invite").count() == 1
    assert meeting.pk


def test_cancelling_sends_a_cancel_for_the_same_entry_and_stops_reminders(
    coordinator, school, partner_user, run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(coordinator, school, [partner_user], days=3)
        services.meeting_cancel(meeting=meeting, actor=coordinator)
        services.meeting_cancel(meeting=meeting, actor=coordinator)  # a double click
    cancel = [m for m in mail.outbox if m.subject.startswith("Gaat niet door")]
    assert len(cancel) == 1
    cal, event = _ics(cancel[0])
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(event["UID"]) == meeting.ical_uid
    assert event["SEQUENCE"] == 1
    run(meeting.starts_at - timedelta(hours=12))
    assert not Notification.objects.filter(kind__startswith="meetings.reminder").exists()


def test_removed_participants_get_a_cancel_and_a_fresh_invite_when_added_again(
    coordinator, school, partner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(coordinator, school, [coordinator, partner_user])
        services.meeting_set_participants(meeting=meeting, participants=[coordinator], actor=coordinator)
        services.meeting_set_participants(meeting=meeting, participants=[coordinator, partner_user], actor=coordinator)
    to_partner = [m.subject.split(":")[0] for m in mail.outbox if m.to == [partner_user.email]]
    assert to_partner == ["Uitnodiging", "Gaat niet door", "Gewijzigd"]
    assert len([m for m in mail.outbox if m.to == [coordinator.email]]) == 1


def test_far_meetings_are_invited_when_they_come_within_the_horizon(
    coordinator, school, partner_user, run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(coordinator, school, [partner_user], days=reminders.INVITE_HORIZON_DAYS + 20)
    assert mail.outbox == []
    run(meeting.starts_at - timedelta(days=reminders.INVITE_HORIZON_DAYS - 1))
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Uitnodiging"]


def test_the_organiser_is_nudged_ten_days_before_when_the_agenda_is_empty(coordinator, school, partner_user, run):
    empty = MeetingFactory(school=school, organiser=coordinator, participants=[partner_user])
    full = MeetingFactory(school=school, organiser=coordinator, participants=[partner_user])
    AgendaItemFactory(meeting=full, student=_pupil(school))
    run(empty.starts_at - timedelta(days=11))
    assert not Notification.objects.filter(kind="meetings.agenda_empty").exists()
    run(empty.starts_at - timedelta(days=10))
    run(empty.starts_at - timedelta(days=9))
    nudges = Notification.objects.filter(kind="meetings.agenda_empty")
    assert [(n.recipient, n.key.split(":")[2]) for n in nudges] == [(coordinator, str(empty.pk))]


def test_agreement_owners_get_a_due_soon_and_an_overdue_reminder_once_each(coordinator, school, partner_user, run):
    meeting = MeetingFactory(
        school=school, organiser=coordinator, participants=[partner_user], starts_at=timezone.now() - timedelta(days=30)
    )
    agreement = AgreementFactory(meeting=meeting, owner=partner_user, due_on=date(2026, 12, 10))
    morning = lambda day: local_datetime(day, time(8, 0))  # noqa: E731
    run(morning(date(2026, 12, 7)))
    assert not Notification.objects.filter(kind__startswith="agreements").exists()
    run(local_datetime(date(2026, 12, 8), time(6, 30)))  # not in the middle of the night
    assert not Notification.objects.filter(kind__startswith="agreements").exists()
    run(morning(date(2026, 12, 8)))
    run(morning(date(2026, 12, 9)))
    run(morning(date(2026, 12, 11)))
    run(morning(date(2026, 12, 12)))
    assert _kinds() == ["agreements.due_soon", "agreements.overdue"]
    services.agreement_mark_done(agreement=agreement, actor=partner_user)
    assert agreement.pk


def test_done_agreements_get_no_reminders(coordinator, school, partner_user, run):
    meeting = MeetingFactory(school=school, organiser=coordinator, starts_at=timezone.now() - timedelta(days=30))
    agreement = AgreementFactory(meeting=meeting, owner=partner_user, due_on=timezone.localdate() + timedelta(days=1))
    services.agreement_mark_done(agreement=agreement, actor=partner_user)
    run(local_datetime(timezone.localdate(), time(9, 0)))
    assert not Notification.objects.filter(kind__startswith="agreements").exists()


def test_no_email_names_a_pupil_or_holds_care_details(
    coordinator, school, consented_partner, student, run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(coordinator, school, [coordinator, consented_partner], days=3)
        item = services.agenda_item_add(
            meeting=meeting, student=student, actor=coordinator, question="Thuiszitten dreigt"
        )
        services.agreement_create(
            meeting=meeting,
            item=item,
            actor=coordinator,
            description="Gesprek met moeder over verzuim",
            owner=consented_partner,
            due_on=timezone.localdate() + timedelta(days=1),
        )
    run(meeting.starts_at - timedelta(hours=12))
    run(local_datetime(timezone.localdate() + timedelta(days=3), time(9, 0)))
    assert len(mail.outbox) >= 5
    for message in mail.outbox:
        parts = [a[1] for a in message.attachments] + [a[0] for a in message.alternatives]
        text = message.subject + message.body + "".join(p.decode() if isinstance(p, bytes) else p for p in parts)
        for secret in ("Daan", "Jansen", "Thuiszitten", "moeder", "verzuim"):
            assert secret not in text
        assert "/overleg/" in message.body


def test_every_meeting_email_is_in_the_delivery_log_of_the_school(
    coordinator, school, partner_user, beheerder, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _plan(coordinator, school, [partner_user])
    client.force_login(beheerder)
    page = client.get("/berichten/")
    assert "Uitnodiging: Ondersteuningsteam" in page.text
    assert partner_user.email in page.text


def _pupil(school):
    from students.tests.factories import SchoolClassFactory, StudentFactory

    return StudentFactory(school_class=SchoolClassFactory(school=school))
