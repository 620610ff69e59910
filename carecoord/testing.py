"""Test helpers shared by every app: the system Chromium, a real Celery worker, logins."""

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
IN_CI = os.environ.get("CI") == "true"

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@contextlib.contextmanager
def chromium():
    """The system Chromium through Playwright; Playwright never downloads a browser here.

    Outside CI a machine without Chromium skips the browser tests; in CI it fails them.
    """
    path = chromium_path()
    if path is None:
        if IN_CI:
            pytest.fail("CI=true but no Chromium found (install Debian's chromium or set CHROMIUM_PATH)")
        pytest.skip("no Chromium on this machine; the browser tests run in CI")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def celery_worker():
    """Run a real Celery worker in a thread against the configured broker (Redis in CI).

    Skips without a broker outside CI; in CI a missing broker is a failure.
    """
    if not settings.BROKER_CONFIGURED:
        if IN_CI:
            pytest.fail("CI=true but no CELERY_BROKER_URL/REDIS_URL is set")
        pytest.skip("needs a broker (CELERY_BROKER_URL); runs in CI on Redis")
    from celery.contrib.testing.worker import start_worker

    from carecoord.celery import app

    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            yield app
    finally:
        app.conf.task_always_eager = True


# --- Content-Security-Policy in the browser tests -------------------------------------------

# Every page the browser tests open must carry the CSP header, and no journey may cause a CSP
# violation (an inline script, an on*= handler, an inline style, eval). Each browser context
# is watched (conftest's `browser` fixture) and every browser test fails on what was seen.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " in " + e.sourceFile + ":" + e.lineNumber);
});
"""


class CspWatch:
    def __init__(self):
        self.reset()

    def reset(self):
        self.violations: list[str] = []
        self.without_header: list[str] = []
        self.documents = 0

    def attach(self, context, base_url: str = "http://"):
        context.add_init_script(_CSP_LISTENER)
        context.on("console", self._console)
        context.on("response", self._response)
        return context

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            self.violations.append(f"{message.page.url if message.page else '?'}: {text}")

    def _response(self, response):
        if response.request.resource_type != "document":
            return
        self.documents += 1
        if "content-security-policy" not in response.headers:
            self.without_header.append(f"{response.status} {response.url}")


CSP_WATCH = CspWatch()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/ (kept by CI, looked at by people)."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def mark_second_factor(client, how: str) -> None:
    """Mark a test client's session as having passed the second factor."""
    from accounts.twofactor import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = how
    session.save()


def totp_code(secret: str, *, step: int = 0) -> str:
    """The current TOTP code for `secret` (as an authenticator app shows it)."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_totp(user, secret: str = TEST_TOTP_SECRET):
    """Give `user` an authenticator app (TOTP) with a known secret, as enrolment would."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance


def unused_totp_code(user, secret: str = TEST_TOTP_SECRET) -> str:
    """A code for `user` that allauth has not seen yet (a code works once; two sign-ins of one
    user within 30 seconds take the next step's code, which the tolerance accepts)."""
    import time

    from allauth.core.internal.cryptokit import normalize_user_code
    from django.core.cache import cache

    # A user who signs in three times within one 30-second window (a fast test) has used
    # both codes the tolerance accepts: wait for the next window, as a person would.
    deadline = time.monotonic() + 65
    while True:
        for step in (0, 1):
            code = totp_code(secret, step=step)
            key = f"allauth.mfa.totp.used?user={user.pk}&code={normalize_user_code(code)}"
            if cache.get(key) is None:
                return code
        if time.monotonic() > deadline:
            raise AssertionError("no unused TOTP code within two windows")
        time.sleep(30 - time.time() % 30 + 0.2)


def idle_time_passes_for_cached_session(client) -> None:
    """What the passing of the idle time does to the copy of `client`'s session in the cache
    (carecoord.sessions), where a test cannot move the clock: the copy ends with the session's
    own idle time (checked here when the cache is Redis, which can tell), so it is removed.
    The database copy's end is the test's to move (its clock or its expiry date)."""
    from django.core.cache import caches

    if settings.SESSION_ENGINE != "carecoord.sessions":
        return
    cache = caches[settings.SESSION_CACHE_ALIAS]
    session = client.session
    key = session.cache_key
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        stored = cache.make_key(key)
        assert 0 < cache._cache.get_client(stored).ttl(stored) <= session.get_expiry_age()
    cache.delete(key)


def browser_login(page, email: str, password: str | None = None) -> None:
    """Sign in through the login page; users who need a second factor get an authenticator
    app (a known secret) and type its current code, as a person would."""
    from accounts.models import User
    from accounts.tests.factories import PASSWORD
    from carecoord.access.twofactor import two_factor_required

    user = User.objects.filter(email__iexact=email).first()
    needs_code = user is not None and password is None and two_factor_required(user)
    if needs_code:
        give_totp(user)
    page.goto(page.base_url + "/account/login/")
    if page.get_by_label("E-mailadres").count() == 0:
        # Still signed in (the login page sends a signed-in user on) or refused: say where we are.
        raise AssertionError(f"no login form at {page.url} ({page.title()!r})")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password or PASSWORD)
    # Each button posts a form: wait for the page it leads to and its scripts. A click does not
    # wait for the navigation it starts, and wait_for_load_state() alone answers at once for the
    # page still showing, so the test's next step could act on a half-loaded page.
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    if needs_code:
        page.get_by_label("Code").fill(unused_totp_code(user))
        with page.expect_navigation():
            page.get_by_role("button", name="Bevestigen").click()
        # "Trust this browser?": no, a test browser is a shared PC.
        with page.expect_navigation():
            page.get_by_role("button", name="Nee, elke keer een code vragen").click()


def browser_switch(page, email: str) -> None:
    """Sign out as the menu's "Uitloggen" does, then sign in as someone else, as two colleagues
    sharing a PC would. Signing out ends the session on the server: a request the old page
    still has open cannot bring a live session cookie back (clearing cookies alone raced with
    it: the next login page then sent the old user on)."""
    page.goto(page.base_url + "/")
    page.locator('form[action$="/account/logout/"]').first.evaluate("form => form.requestSubmit()")
    page.wait_for_url("**/account/login/**")
    page.context.clear_cookies()
    browser_login(page, email)


def wait_until(predicate, timeout: float = 15.0, interval: float = 0.1):
    """Poll `predicate` until it returns something truthy (for work done by a worker)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(interval)


def query_count(client, url: str, **extra) -> int:
    """Number of database queries one GET of `url` makes (the page must answer 200).

    List pages are tested by comparing this before and after adding rows: the count
    must not grow with the number of rows.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def worker_database_url() -> str:
    """DATABASE_URL of the test database, for a worker process started by a test: the
    PostgreSQL test database, or on the embedded default the test database's file."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def celery_worker_process(log_path: Path):
    """A real Celery worker in its own process (so a test can kill it with SIGKILL), on the
    configured broker and the test database. Yields the Popen; the process is killed on exit.

    Skips without a broker outside CI (a failure in CI), like `celery_worker`.
    """
    import signal
    import subprocess
    import sys

    if not settings.BROKER_CONFIGURED:
        if IN_CI:
            pytest.fail("CI=true but no CELERY_BROKER_URL/REDIS_URL is set")
        pytest.skip("needs a broker (CELERY_BROKER_URL); runs in CI on Redis")
    env = dict(os.environ)
    env["DATABASE_URL"] = worker_database_url()
    env["CELERY_TASK_ALWAYS_EAGER"] = "false"
    celery = Path(sys.executable).with_name("celery")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                str(celery),
                "-A",
                "carecoord",
                "worker",
                "--pool=solo",
                "--without-mingle",
                "--without-gossip",
                "-l",
                "INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)


class BinaryResponse:
    """For the read-log proof (carecoord/tests/test_read_log_pages.py): a binary response (a
    PDF, a document) with the headers the proof reads and no text to search, so the proof
    checks the page, the section and the pupils at least logged."""

    status_code = 302

    def __init__(self, response):
        self._response = response
        self.resolver_match = response.resolver_match

    def __getitem__(self, header):
        return self._response[header]

    def get(self, header, default=None):
        return self._response.get(header, default)


def screenshot_to(page, path: Path) -> Path:
    """Save a full-page screenshot at `path` (under artifacts/, kept by CI)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


# --- Accessibility (issue 17, docs/accessibility.md) ---------------------------------------

AXE_JS = Path(settings.BASE_DIR) / "tests" / "a11y" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """axe-core (vendored, never served to users) on the page as it is now: one line per
    violation and element, for the WCAG 2.1 A and AA rules. Use it in a browser test after
    each interactive state worth checking (an open picker, a form with errors)."""
    # A settled page: the pointer off every element (a button just swapped in under it is in
    # its hover state) and no transition running — axe reads colours half-way through
    # Bootstrap's 0.15 s button transition otherwise (a contrast "violation" that no one sees).
    page.mouse.move(0, 0)
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")
    page.evaluate(AXE_JS.read_text() + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary'].splitlines()[-1].strip()}"
        for v in result["violations"]
        for node in v["nodes"]
    ]
