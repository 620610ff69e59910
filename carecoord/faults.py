"""A production-like stack on free ports, for the fault tests and bench/faults.py.

Its own PostgreSQL (initdb into a temporary folder), its own Redis, gunicorn with the
repository's gunicorn.conf.py, a Celery worker with beat, and a real SMTP server
(aiosmtpd) that keeps every message it receives. Never the shared PostgreSQL or Redis:
those can be stopped here without harming anyone.

    with Stack() as stack:
        stack.migrate(); stack.seed(); stack.start_web(); stack.start_worker()
        stack.stop_postgres(); ...; stack.start_postgres()
        stack.smtp.messages  # what arrived, with Message-IDs
"""

import contextlib
import email
import glob
import http.cookiejar
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "Fault-test-password-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def missing_parts() -> list[str]:
    """What this machine lacks to run the stack (empty when all is there)."""
    missing = []
    if postgres_bin() is None:
        missing.append("PostgreSQL server binaries (initdb, pg_ctl)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            missing.append("a 'postgres' user (PostgreSQL does not run as root)")
    return missing


# --- A real SMTP server -------------------------------------------------------------------------------


@dataclass
class Received:
    message_id: str
    to: str
    subject: str
    at: float


@dataclass
class SmtpSink:
    """aiosmtpd in a thread: every message that arrives is kept (with its arrival time).
    `delay` slows each message down a little, as a real mail server does."""

    delay: float = 0.0
    messages: list = field(default_factory=list)

    def __post_init__(self):
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per SMTP command otherwise

        self.port = free_port()
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        import asyncio

        if self.delay:
            await asyncio.sleep(self.delay)
        parsed = email.message_from_bytes(envelope.original_content or envelope.content)
        with self._lock:
            self.messages.append(
                Received(
                    message_id=parsed["Message-ID"] or "",
                    to=",".join(envelope.rcpt_tos),
                    subject=str(parsed["Subject"] or ""),
                    at=time.monotonic(),
                )
            )
        return "250 OK"

    def count(self) -> int:
        with self._lock:
            return len(self.messages)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


# --- The stack --------------------------------------------------------------------------------------------


class Stack:
    def __init__(self, *, smtp_delay: float = 0.0, worker_concurrency: int = 2):
        self.dir = Path(tempfile.mkdtemp(prefix="carecoord-faults-"))
        self.pg_port, self.redis_port, self.web_port = free_port(), free_port(), free_port()
        self.smtp = SmtpSink(delay=smtp_delay)
        self.worker_concurrency = worker_concurrency
        self.processes: dict[str, subprocess.Popen] = {}
        self.pg_data = self.dir / "pgdata"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    # -- lifecycle
    def __enter__(self):
        self.smtp.start()
        self.init_postgres()
        self.start_postgres()
        self.start_redis()
        return self

    def __exit__(self, *exc):
        for name in list(self.processes):
            self._stop(name)
        with contextlib.suppress(Exception):
            self.stop_postgres()
        with contextlib.suppress(Exception):
            self.smtp.stop()
        if os.environ.get("CARECOORD_FAULTS_KEEP"):  # for a look at the logs afterwards
            print(f"stack kept in {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/carecoord"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def env(self) -> dict:
        """The environment of a production deploy (settings from the environment only)."""
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "carecoord.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "fault-test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "SITE_URL": self.url,
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp.port}",
            "DJANGO_LOG_LEVEL": "WARNING",
        }

    def _spawn(self, name, args, **kwargs):
        log = open(self.dir / f"{name}.log", "ab")  # noqa: SIM115 (kept open while the process runs)
        self.processes[name] = subprocess.Popen(
            args, cwd=BASE_DIR, env=self.env(), stdout=log, stderr=subprocess.STDOUT, **kwargs
        )
        return self.processes[name]

    def _stop(self, name, sig_kill=False):
        process = self.processes.pop(name, None)
        if process is None:
            return
        started_by_it = _descendants(process.pid)  # pool and beat processes of a worker
        if sig_kill:  # the process we started and every process it started
            for pid in [process.pid, *started_by_it]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, 9)
        else:
            process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for pid in started_by_it:  # none may outlive the stack (they did exit on a warm shutdown)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)

    def log(self, name) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- PostgreSQL
    def init_postgres(self):
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")
        bin_dir = postgres_bin()
        subprocess.run(
            [*self.as_postgres, str(bin_dir / "initdb"), "-D", str(self.pg_data), "-U", "postgres", "-A", "trust"],
            check=True,
            capture_output=True,
        )

    def start_postgres(self):
        bin_dir = postgres_bin()
        options = f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        subprocess.run(
            [
                *self.as_postgres,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(self.pg_data),
                "-o",
                options,
                "-w",
                "-l",
                str(self.dir / "postgres.log"),
                "start",
            ],
            check=True,
            capture_output=True,
        )
        if not getattr(self, "_database_created", False):
            subprocess.run(
                [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "carecoord"],
                check=True,
                capture_output=True,
            )
            self._database_created = True

    def stop_postgres(self):
        """Stop at once: open connections are cut, as in a crash or a failover."""
        bin_dir = postgres_bin()
        subprocess.run(
            [*self.as_postgres, str(bin_dir / "pg_ctl"), "-D", str(self.pg_data), "-m", "fast", "-w", "stop"],
            check=True,
            capture_output=True,
        )

    def sql(self, query: str):
        import psycopg2

        with contextlib.closing(psycopg2.connect(self.database_url)) as conn, conn.cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchall()

    # -- Redis
    def start_redis(self):
        self._spawn(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        wait_for(lambda: _port_open(self.redis_port), timeout=10, what="redis")

    def stop_redis(self):
        self._stop("redis")

    # -- Django
    def manage(self, *args, timeout=300) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def migrate(self):
        self.manage("migrate", "--noinput", "-v", "0")

    def run(self, code: str) -> str:
        """Python in a Django shell of this stack; returns what it prints."""
        return self.manage("shell", "-c", code)

    def run_in_background(self, code: str) -> subprocess.Popen:
        """Like `run`, without waiting: `.communicate()` for its output."""
        return subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=BASE_DIR,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def start_web(self):
        self._spawn(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "carecoord.wsgi",
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                "2",
                "--access-logfile",
                str(self.dir / "access.log"),
            ],
        )
        wait_for(lambda: _port_open(self.web_port), timeout=30, what="gunicorn")

    def start_worker(self):
        seen = len(self.log("worker"))  # a restarted worker appends to the same log
        self._spawn(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "carecoord",
                "worker",
                "-B",
                "-s",
                str(self.dir / "beat-schedule"),
                "--pool",
                "prefork",
                "--concurrency",
                str(self.worker_concurrency),
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],
        )
        wait_for(lambda: "ready." in self.log("worker")[seen:], timeout=60, what="celery worker")

    def stop_worker(self, kill=False):
        """Stop the worker; `kill`: SIGKILL to it and its pool processes (a crash, an OOM kill)."""
        self._stop("worker", sig_kill=kill)


def _descendants(pid: int) -> list[int]:
    """Ids of the processes started by `pid`, and by those, from /proc (Linux)."""
    parents = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            parents[int(stat.split("/")[2])] = int(fields[1])
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        todo += children
    return found


def _port_open(port) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for(predicate, *, timeout: float, what: str = "", interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        time.sleep(interval)


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
