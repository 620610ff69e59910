"""A production-like stack on free ports, for the fault tests and bench/faults.py.

Its own PostgreSQL (initdb into a temporary folder), its own Redis, gunicorn with the
repository's gunicorn.conf.py, a Celery worker with beat, and a real SMTP server
(aiosmtpd) that keeps every message it receives. Never the shared PostgreSQL or Redis:
those can be stopped here without harming anyone.

    with Stack() as stack:
        stack.migrate(); stack.seed(); stack.start_web(); stack.start_worker()
        stack.stop_postgres(); ...; stack.start_postgres()
        stack.smtp.messages  # what arrived, with Message-IDs

What the fault tests do inside it (the people, the pupil, a fan-out of reminders, a person
in a browser) is in carecoord/fault_scenarios.py.
"""

import contextlib
import email
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


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
