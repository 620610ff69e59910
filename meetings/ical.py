"""Invites (METHOD REQUEST / CANCEL) and the personal feed, built with the icalendar library.

Every meeting keeps one UID for life, and SEQUENCE rises with each change, so a calendar
updates the same entry. Nothing about pupils goes in: calendars are synced to servers
outside the school, and the feed URL works without login. Summary, time, place and a
link to the meeting page (behind login) are all a calendar gets.

Invitations are iMIP (RFC 6047, sent as notifications/mail.py describes): ORGANIZER is the
organising coordinator, at the school's reply-to address when it set one (RSVPs go
there), SENT-BY our own sender address; each ATTENDEE has RSVP=TRUE.
"""

from datetime import date, timedelta

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

PRODID = "-//Carecoord//Overleg//NL"


def _calendar(method: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    return cal


def meeting_url(meeting) -> str:
    return f"{settings.SITE_URL}{meeting.get_absolute_url()}"


def mimetype(method: str) -> str:
    """The MIME type of an iMIP part: its `method` parameter must equal the METHOD inside."""
    return f"text/calendar; method={method}; charset=utf-8"


def _event(meeting, *, attendees=(), cancelled=False, stamp=None) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", meeting.ical_uid)
    event.add("sequence", meeting.sequence)
    # In a message: when it was made. In the feed: the last change (so an unchanged feed
    # is byte for byte the same, and its ETag too).
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", timezone.localtime(meeting.starts_at))
    event.add("dtend", timezone.localtime(meeting.ends_at))
    event.add("summary", f"{meeting.title} ({meeting.school.name})")
    location = ", ".join(p for p in (meeting.location, meeting.online_link) if p)
    if location:
        event.add("location", location)
    event.add("url", meeting_url(meeting))
    event.add(
        "description",
        _("Agenda en verslag (inloggen nodig): %(url)s") % {"url": meeting_url(meeting)},
    )
    event.add("status", "CANCELLED" if cancelled or meeting.is_cancelled else "CONFIRMED")
    event.add("organizer", organizer(meeting))
    for person in attendees:
        address = icalendar.vCalAddress(f"mailto:{person.email}")
        address.params["cn"] = person.name
        address.params["role"] = "REQ-PARTICIPANT"
        address.params["partstat"] = "NEEDS-ACTION"
        address.params["rsvp"] = "TRUE"
        event.add("attendee", address)
    return event


def organizer(meeting) -> icalendar.vCalAddress:
    """The organising coordinator; the address is the school's reply-to address when set
    (answers reach the care team's shared mailbox), else the coordinator's own."""
    person = meeting.organiser
    email = meeting.school.reply_to_email or person.email or _from_address()
    address = icalendar.vCalAddress(f"mailto:{email}")
    address.params["cn"] = person.name
    address.params["sent-by"] = f"mailto:{_from_address()}"
    return address


def _from_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@carecoord.local"


def _finish(cal: icalendar.Calendar, first: date, last: date) -> str:
    cal.add_missing_timezones(first_date=first - timedelta(days=370), last_date=last + timedelta(days=370))
    return cal.to_ical().decode()


def invite_ics(meeting, recipient, *, cancel: bool = False) -> str:
    """One meeting for one participant: METHOD REQUEST (new or changed) or CANCEL."""
    cal = _calendar("CANCEL" if cancel else "REQUEST")
    cal.add_component(_event(meeting, attendees=[recipient], cancelled=cancel))
    day = timezone.localdate(meeting.starts_at)
    return _finish(cal, day, day)


# How often a subscribed calendar should fetch the feed again (RFC 7986, and the older
# X-PUBLISHED-TTL that Outlook reads). A 304 answer makes a fetch cheap.
FEED_REFRESH = timedelta(hours=1)


def feed_ics(meetings, *, name: str) -> str:
    """The personal feed: every meeting of the person in the window, cancelled ones
    marked CANCELLED so a subscribed calendar removes them. The same meetings give the
    same bytes (DTSTAMP is the meeting's last change), so the ETag holds."""
    cal = _calendar()
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", FEED_REFRESH)
    first = last = timezone.localdate()
    for meeting in meetings:
        cal.add_component(_event(meeting, stamp=meeting.updated_at))
        day = timezone.localdate(meeting.starts_at)
        first, last = min(first, day), max(last, day)
    return _finish(cal, first, last)
