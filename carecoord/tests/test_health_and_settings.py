import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PROD_ENV = {
    "PATH": os.environ["PATH"],
    "DJANGO_SETTINGS_MODULE": "carecoord.settings",
    "DJANGO_DEBUG": "false",  # explicit: a developer's .env may turn it on
    "DJANGO_SECRET_KEY": "a" * 20 + "Production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a",
    "DJANGO_ALLOWED_HOSTS": "carecoord.example.nl",
    "DATABASE_URL": "postgres://carecoord@127.0.0.1:5432/carecoord",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_healthz_answers_without_login_and_without_personal_data(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    expected_broker = "ok" if settings.BROKER_CONFIGURED else "not-configured"
    assert response.json() == {"status": "ok", "database": "ok", "broker": expected_broker}


def test_healthz_reports_a_broker_that_is_down_with_503(client, settings):
    settings.BROKER_CONFIGURED = True
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def test_healthz_reports_a_database_that_is_down_with_503(client, monkeypatch):
    from carecoord import views

    monkeypatch.setattr(views, "_database_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.mark.django_db(transaction=True)
def test_healthz_with_a_session_cookie_and_the_database_down_answers_503_json(client, coordinator):
    """The session, the user and the school are never read for /healthz: with the database
    gone they would raise and give a 500 page. A real broken connection (no server on the
    port), not a mock: the fault tests (carecoord/tests/test_faults.py) stop a real one."""
    from django.db import connections

    client.force_login(coordinator)  # the request carries a real session cookie
    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server to be away (CI runs it on PostgreSQL)")
    real = connection.settings_dict.copy()
    connection.close()  # the next query connects anew: to a port nobody listens on
    connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1"})
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.update(real)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["database"] == "down"


def test_production_start_without_secret_key_names_the_variable():
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_use_postgres_redis_and_secure_cookies():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=PROD_ENV,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "redis://127.0.0.1:6379/0",
        "False",
        "True",
        "True",
        "True",
        "False",
    ], result.stderr


def test_embedded_defaults_need_no_server():
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "carecoord.settings", "DJANGO_DEBUG": "true"}
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "memory://",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ], result.stderr


def test_migrations_match_the_models():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_response_carries_a_request_id(client):
    response = client.get("/login/")
    assert len(response["X-Request-ID"]) == 32
    response = client.get("/login/", HTTP_X_REQUEST_ID="proxy-id-12345678")
    assert response["X-Request-ID"] == "proxy-id-12345678"


def test_the_demo_totp_code_only_exists_in_debug():
    code = "from django.conf import settings as s; print(getattr(s, 'MFA_TOTP_INSECURE_BYPASS_CODE', None))"
    env = {**PROD_ENV, "DEMO_TOTP_BYPASS_CODE": "000000"}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["None"], result.stderr


def test_security_headers_on_every_page(client):
    response = client.get("/account/login/")
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_flash_messages_stay_on_the_server_not_in_a_cookie(client, beheerder, school):
    client.force_login(beheerder)
    response = client.post(
        "/beheer/school/", {"holiday-name": "Studiedag", "holiday-start": "12-03-2027", "holiday-end": "12-03-2027"}
    )
    assert response.status_code == 302
    assert "messages" not in response.cookies
    assert "De vrije dag is toegevoegd" in client.get("/beheer/school/").text
