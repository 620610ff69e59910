"""Meeting requests that calendars accept (iMIP, RFC 6047), the feed's caching headers, and
reminder wording from the time actually left."""

import email
from datetime import time, timedelta

import icalendar
import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from meetings import reminders, services
from meetings.models import Meeting, MeetingKind
from meetings.recurrence import local_datetime

pytestmark = pytest.mark.django_db


def _plan(coordinator, school, participants, days=14):
    return services.meeting_create(
        school=school,
        actor=coordinator,
        kind=MeetingKind.OT,
        title="Ondersteuningsteam",
        day=timezone.localdate() + timedelta(days=days),
        start_time=time(14, 0),
        end_time=time(15, 30),
        location="Vergaderruimte 1.12",
        participants=participants,
    )


def _parsed(message):
    """The message as it goes over the wire, parsed back by the standard library."""
    return email.message_from_bytes(message.message().as_bytes())


def _calendar_part(parsed):
    parts = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0], icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def test_an_invitation_is_an_imip_meeting_request_with_text_html_calendar_and_attachment(
    coordinator, school, partner_user, django_capture_on_commit_callbacks
):
    school.reply_to_email = "zorg@school-a.nl"
    school.save()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(coordinator, school, [partner_user])
    (message,) = mail.outbox
    parsed = _parsed(message)
    assert parsed.get_content_type() == "multipart/mixed"
    alternative, attachment = parsed.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html", "text/calendar"]
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "overleg.ics"

    part, cal = _calendar_part(parsed)
    assert part.get_param("method") == str(cal["METHOD"]) == "REQUEST"
    assert icalendar.Calendar.from_ical(attachment.get_payload(decode=True)).to_ical() == cal.to_ical()
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == meeting.ical_uid
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:zorg@school-a.nl"  # the school's reply-to address
    assert organizer.params["CN"] == coordinator.name  # the organising coordinator
    attendee = event["ATTENDEE"]
    assert str(attendee) == f"mailto:{partner_user.email}"
    assert attendee.params["RSVP"] == "TRUE"
    assert parsed["Reply-To"] == "zorg@school-a.nl"
    assert parsed["Auto-Submitted"] == "auto-generated"


def test_without_a_school_reply_to_the_organizer_is_the_coordinators_own_address(
    coordinator, school, partner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _plan(coordinator, school, [partner_user])
    _part, cal = _calendar_part(_parsed(mail.outbox[0]))
    assert str(cal.walk("VEVENT")[0]["ORGANIZER"]) == f"mailto:{coordinator.email}"


def test_update_and_cancel_keep_the_uid_and_raise_the_sequence(
    coordinator, school, partner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(coordinator, school, [partner_user])
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=meeting,
            actor=coordinator,
            title=meeting.title,
            day=timezone.localdate(meeting.starts_at) + timedelta(days=1),
            start_time=time(9, 0),
            end_time=time(10, 0),
            location=meeting.location,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=Meeting.objects.get(pk=meeting.pk), actor=coordinator)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Uitnodiging", "Gewijzigd", "Gaat niet door"]
    found = []
    for message in mail.outbox:
        part, cal = _calendar_part(_parsed(message))
        assert part.get_param("method") == str(cal["METHOD"])
        event = cal.walk("VEVENT")[0]
        found.append((str(cal["METHOD"]), str(event["UID"]), int(event["SEQUENCE"])))
    assert [f[0] for f in found] == ["REQUEST", "REQUEST", "CANCEL"]
    assert {f[1] for f in found} == {meeting.ical_uid}
    assert [f[2] for f in found] == [0, 1, 2]
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 3


def test_a_participant_added_later_gets_an_invitation_not_a_change(
    coordinator, school, partner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(coordinator, school, [coordinator])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_set_participants(meeting=meeting, participants=[coordinator, partner_user], actor=coordinator)
    (message,) = mail.outbox
    assert message.to == [partner_user.email]
    assert message.subject.startswith("Uitnodiging:")
    assert "Je bent uitgenodigd" in message.body


# --- The personal feed ------------------------------------------------------------------------------


def test_the_feed_answers_304_to_a_matching_if_none_match_and_200_after_a_change(coordinator, consented_partner):
    meeting = _plan(coordinator, coordinator_school(coordinator), [consented_partner])
    token = services.feed_create(user=consented_partner)
    url = f"/overleg/agenda/{token}.ics"
    first = Client().get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"] and "no-store" not in first["Cache-Control"]
    cal = icalendar.Calendar.from_ical(first.content)
    assert cal["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    again = Client().get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    services.meeting_cancel(meeting=meeting, actor=coordinator)
    changed = Client().get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def coordinator_school(coordinator):
    return coordinator.memberships.first().school


def test_the_feed_page_offers_a_webcal_subscribe_button_beside_the_https_link(client, consented_partner):
    client.force_login(consented_partner)
    page = client.post("/overleg/agenda-abonnement/", {"action": "create"})
    https = page.context["feed_url"]
    assert https.startswith("http")
    webcal = "webcal://" + https.split("://", 1)[1]
    assert f'href="{webcal}"' in page.text
    assert "Abonneren in je agenda" in page.text
    assert f'value="{https}"' in page.text


# --- Reminder wording from the time left -------------------------------------------------------------


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def scheduler(now):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.reminders_send_due(now=now)

    return scheduler


def _reminders_to(user):
    return [m.subject for m in mail.outbox if m.to == [user.email] and not m.subject.startswith("Uitnodiging")]


def test_a_reminder_23_hours_before_says_morgen(coordinator, school, partner_user, run):
    meeting = _plan(coordinator, school, [partner_user], days=20)
    Meeting.objects.filter(pk=meeting.pk).update(scheduled_at=timezone.now() - timedelta(days=30))
    run(meeting.starts_at - timedelta(hours=23))
    assert _reminders_to(partner_user) == ["Morgen: Ondersteuningsteam om 14:00"]


def test_a_late_week_reminder_6_days_before_says_over_6_dagen(coordinator, school, partner_user, run):
    meeting = _plan(coordinator, school, [partner_user], days=20)
    Meeting.objects.filter(pk=meeting.pk).update(scheduled_at=timezone.now() - timedelta(days=30))
    run(meeting.starts_at - timedelta(days=6))
    day = timezone.localtime(meeting.starts_at).strftime("%d-%m-%Y")
    assert _reminders_to(partner_user) == [f"Over 6 dagen: Ondersteuningsteam op {day}"]
    (body,) = [m.body for m in mail.outbox if m.to == [partner_user.email] and m.subject.startswith("Over")]
    assert "Over 6 dagen is het overleg" in body


def test_a_week_reminder_within_two_days_of_the_meeting_is_skipped(coordinator, school, partner_user, run):
    meeting = _plan(coordinator, school, [partner_user], days=20)
    Meeting.objects.filter(pk=meeting.pk).update(scheduled_at=timezone.now() - timedelta(days=30))
    start = timezone.localtime(meeting.starts_at)
    run(local_datetime(start.date() - timedelta(days=2), time(9, 0)))  # beat was down for five days
    assert _reminders_to(partner_user) == []  # no "Over 2 dagen"; the day-before reminder follows
    run(meeting.starts_at - timedelta(hours=20))
    assert _reminders_to(partner_user) == ["Morgen: Ondersteuningsteam om 14:00"]
