"""What the fault tests and bench/faults.py do inside the stack of carecoord/faults.py: a
person signing in and posting forms like a browser (`WebUser`, with the authenticator app's
code), and the data of the scenarios, run inside the stack with `stack.run(...)`.
"""

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "Fault-test-password-2026"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the coordinator's authenticator app


# --- A browser without a browser: a session with cookies and CSRF ------------------------------------------


class WebUser:
    """Logs in through the login form and posts forms like a browser (cookies, CSRF)."""

    def __init__(self, base_url: str):
        self.base = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path, headers=None):
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), dict(exc.headers)

    def post_form(self, path, fields: dict):
        """GET the form (for its CSRF token and hidden fields), then POST `fields`. Follows the redirect."""
        _status, page, _headers = self.get(path)
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        data = urllib.parse.urlencode({**hidden, **fields}).encode()
        request = urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), path

    def login(self, email_address: str, password: str = PASSWORD):
        """Sign in as a person would: e-mail and password, then (for the roles that need it)
        the authenticator app's code, and "don't trust this browser"."""
        status, page, url = self.post_form("/account/login/", {"login": email_address, "password": password})
        if 'name="code"' in page:
            status, page, url = self.post_fields(urllib.parse.urlparse(url).path, page, {"code": totp_now()})
        if 'value="skip"' in page:
            status, page, url = self.post_fields(urllib.parse.urlparse(url).path, page, {"action": "skip"})
        if "/login/" in url or 'name="code"' in page:
            raise RuntimeError(f"login of {email_address} failed ({status})")

    def post_fields(self, path, page, fields: dict):
        """POST `fields` with the CSRF token of `page` (already fetched)."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        request = urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.read().decode(), response.url

    def session_cookie(self) -> str:
        return next(c.value for c in self.cookies if c.name == "sessionid")


_USED_STEPS: set[int] = set()


def totp_now(secret: str = TOTP_SECRET) -> str:
    """An RFC 6238 code (30 s, 6 digits, SHA-1) of an authenticator app holding `secret` that
    has not been used yet: a code works once, so a second sign-in within the same 30 s takes
    the next step's code (allauth accepts one step of clock drift)."""
    import base64
    import hashlib
    import hmac
    import struct

    key = base64.b32decode(secret)
    step = int(time.time()) // 30
    while step in _USED_STEPS:
        step += 1
    _USED_STEPS.add(step)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


# --- Data for the scenarios (run inside the stack: `stack.run(...)`) ---------------------------------------------

SEED = f"""
from accounts.models import Membership, Role, School, User
from concerns.models import ConcernCategory, HandlerKind
from students.models import SchoolClass, Student
school = School.objects.create(name="Faultschool", brin_code="99ZZ")
def person(email, name, role):
    user = User.objects.create_user(email=email, name=name, password="{PASSWORD}")
    Membership.objects.create(user=user, school=school, role=role)
    return user
mentor = person("mentor@fault.test", "Mentor Fout", Role.MENTOR)
coordinator = person("zc@fault.test", "Zorg Fout", Role.ZORGCOORDINATOR)
# The coordinator signs in with a second factor: an authenticator app with a known secret.
from allauth.mfa.totp.internal.auth import TOTP
TOTP.activate(coordinator, "{TOTP_SECRET}")
klas = SchoolClass.objects.create(school=school, name="1A", year=1, level=SchoolClass._meta.get_field("level").choices[0][0])
klas.mentors.add(mentor)
pupil = Student.objects.create(school=school, school_class=klas, student_number="900001",
    first_name="Pim", last_name="Proef", date_of_birth="2012-05-01")
category = ConcernCategory.objects.create(school=school, name="Gedrag", handler_kind=HandlerKind.ROLE,
    handler_role=Role.ZORGCOORDINATOR)
print(pupil.pk, category.pk)
"""


def fan_out_code(meetings: int, participants: int = 8, tag: str = "a") -> str:
    """`meetings` meetings tomorrow with `participants` each, then the reminder scheduler:
    meetings × participants day-before reminders, queued in batches as in production.
    The participants' addresses end in `-<tag>@fault.test`."""
    return f"""
from datetime import timedelta
from django.utils import timezone
from accounts.models import Membership, Role, School, User
from meetings.models import Meeting, MeetingKind
from meetings.reminders import reminders_send_due
school = School.objects.get(brin_code="99ZZ")
organiser = User.objects.create_user(email="organiser-{tag}@fault.test", name="Organisator", is_active=False)
people = [User.objects.create_user(email=f"deelnemer{{i}}-{tag}@fault.test", name=f"Deelnemer {{i}}")
          for i in range({participants})]
start = timezone.now() + timedelta(hours=20)
meetings = Meeting.objects.bulk_create([
    Meeting(school=school, kind=MeetingKind.OT, title=f"Overleg {{n}}", starts_at=start + timedelta(minutes=n),
            ends_at=start + timedelta(minutes=n + 60), organiser=organiser,
            scheduled_at=timezone.now() - timedelta(days=30))
    for n in range({meetings})])
through = Meeting.participants.through
through.objects.bulk_create([through(meeting_id=m.pk, user_id=p.pk) for m in meetings for p in people])
# The invitations went out long ago: only the reminders are due now.
from notifications.models import Notification
Notification.objects.bulk_create([
    Notification(key=f"meetings:invite:{{m.pk}}:{{p.pk}}:0", recipient=p, to_email=p.email, kind="meetings.invite",
                 subject="-", body="-", state="sent", sent_at=timezone.now())
    for m in meetings for p in people])
print(reminders_send_due())
"""


OUTBOX_COUNTS = """
SELECT count(*) FILTER (WHERE state = 'sent'), count(*) FILTER (WHERE state = 'pending'),
       count(*) FILTER (WHERE state = 'sending'), count(*) FILTER (WHERE state = 'failed'),
       coalesce(sum(resends), 0)
FROM notifications_notification WHERE kind = 'meetings.reminder_1d' AND to_email LIKE '%%-{tag}@fault.test'
"""
