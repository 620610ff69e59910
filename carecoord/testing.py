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


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/ (kept by CI, looked at by people)."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def browser_login(page, email: str, password: str | None = None) -> None:
    from accounts.tests.factories import PASSWORD

    page.goto(page.base_url + "/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password or PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


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


@contextlib.contextmanager
def celery_worker_process(log_path: Path):
    """A real Celery worker in its own process (so a test can kill it with SIGKILL), on the
    configured broker and the test database. Yields the Popen; the process is killed on exit.

    Skips without a broker outside CI (a failure in CI), like `celery_worker`.
    """
    import signal
    import subprocess
    import sys

    from django.db import connection

    if not settings.BROKER_CONFIGURED:
        if IN_CI:
            pytest.fail("CI=true but no CELERY_BROKER_URL/REDIS_URL is set")
        pytest.skip("needs a broker (CELERY_BROKER_URL); runs in CI on Redis")
    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
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
