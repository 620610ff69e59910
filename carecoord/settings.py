"""Carecoord settings: every per-deploy value comes from the environment.

With nothing set you get the embedded defaults: SQLite in the project folder, Celery
tasks run in-process (no broker server), mail printed to the console. Production sets
DATABASE_URL, CELERY_BROKER_URL/REDIS_URL, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS;
`.env.example` documents every variable.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF

from carecoord.config.documents import documents_storage

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

# --- Core -------------------------------------------------------------------------
# Off unless asked for: `make run` turns it on, production and tests leave it off.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
else:
    # No default on purpose: a missing key must stop the start-up, naming the variable.
    SECRET_KEY = env("DJANGO_SECRET_KEY")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Absolute links in e-mails (sent by Celery, where there is no request to build them from).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "csp",
    "axes",
    # Versions of everything that forms the care record (records/README: why this library).
    "simple_history",
    # Sign-in: e-mail and password, two-factor (TOTP, recovery codes, passkeys) and the
    # school's own account (OpenID Connect). Parents' login-by-code can be switched on later.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # Ours, in dependency order.
    "accounts",
    "audit",
    "jobs",
    "notifications",
    "imports",
    "students",
    "concerns",
    "referrals",
    "meetings",
    "absence",
    # Journal notes, documents, version history pages, the file as a PDF, families.
    "records",
    # A pupil's care record handed over to another school of the installation (issue 23).
    "handovers",
    # The daily point card of Check-In/Check-Out (scores per lesson hour, the 80 % goal).
    "cico",
    # Parents and pupils of 16+ as participants: the portal (README: why its own app).
    "portal",
    "todo",
    # The groeidocument / OPP and the requests to the samenwerkingsverband.
    "plans",
    "privacy",
    # Did it help? Figures for school leaders and the samenwerkingsverband, outcomes per
    # pupil and per cohort, small numbers suppressed (issue 21).
    "outcomes",
]

MIDDLEWARE = [
    "carecoord.middleware.RequestIdMiddleware",
    # Before sessions and the security redirect: /healthz touches neither (see the class).
    "carecoord.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (its response runs first): slides the idle timeout, one write a minute.
    "carecoord.middleware.SessionIdleMiddleware",
    "carecoord.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages and exports for a signed-in user are never stored by a browser or proxy
    # (shared school PCs): Cache-Control no-store. Static files are served before this.
    "carecoord.middleware.NoStoreMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Who made a change: every version of the record (django-simple-history) names its author.
    "simple_history.middleware.HistoryRequestMiddleware",
    "carecoord.middleware.HtmxLoginRedirectMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "carecoord.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "carecoord.middleware.CurrentSchoolMiddleware",
    # After the school: whether a second factor is required depends on the roles.
    "carecoord.middleware.TwoFactorRequiredMiddleware",
    # Parents and pupils (the portal app) reach the portal only, with a short idle time.
    "portal.middleware.ParticipantGateMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "carecoord.urls"
WSGI_APPLICATION = "carecoord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carecoord.context_processors.shell",
                "csp.context_processors.nonce",
            ],
            # {% error_summary form %} and |html_datetime everywhere (docs/accessibility.md).
            "builtins": ["carecoord.a11y_tags"],
        },
    },
    {
        # The plain-text mails (notifications.services): text, not HTML, so nothing is escaped
        # ("IB'er", not "IB&#x27;er"); their HTML part escapes the text itself (notifications/mail.py).
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False, "builtins": ["carecoord.a11y_tags"]},
    },
]

# --- Database ---------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # `make run`: the web server and the worker with beat share the file; wait for a lock
    # instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Tests on the embedded default: a file, not Django's shared in-memory database. The
    # browser tests' live server answers a page's parallel requests (the blocks of the home
    # page and of "Vandaag") in threads, which a shared-cache memory database refuses
    # ("database table is locked"); a file makes them wait for the lock instead.
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}
# A streaming replica for the figures pages (carecoord/dbrouter.py); every write goes to default.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# PostgreSQL's planner assumes spinning disks (random_page_cost 4): at region scale it then
# hashes the whole user table (5,000 staff) for every concern inbox instead of 100 primary-key
# lookups (22 ms instead of 2 ms, docs/performance.md). On SSD storage 1.1 is right. Set per
# connection here; empty leaves the server's value (set it there, e.g. behind PgBouncer).
RANDOM_PAGE_COST = env("DATABASE_RANDOM_PAGE_COST", default="1.1")
for _database in DATABASES.values():
    if RANDOM_PAGE_COST and _database["ENGINE"].endswith("postgresql"):
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c random_page_cost={float(RANDOM_PAGE_COST)}".strip()
DATABASE_ROUTERS = ["carecoord.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Values every page needs and that may be a minute old (the menu bar, the class and handler
# drop-downs: carecoord.kept) are kept in the memory of each worker process, not in Redis: a
# Redis round trip per value cost more than reading them (bench/profile_page.py); each worker
# computes a value at most once a minute. Bounded: the third least recently used goes when full.
CACHES["kept"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "kept",
    "OPTIONS": {"MAX_ENTRIES": env.int("KEPT_MAX_ENTRIES", default=5000)},
}

# --- Auth ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day
# Django's rules, with help texts in our "je" (accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.NumericPasswordValidator"},
]

# django-allauth: sign in with e-mail address and password. Accounts are made by the
# functioneel beheerder (accounts.services.invitation_create), never by signing up.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # the beheerder entered the address; the password link went there
ACCOUNT_SESSION_REMEMBER = False  # the session ends with the browser (and after SESSION_IDLE_MINUTES)
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
# Lockout after wrong passwords is django-axes' job (per address and IP, below). allauth's own
# per-address limit would let an outsider lock a known colleague out, so the password part of
# it is off; its per-user limit on wrong second-factor codes (5 per 5 minutes) stays.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}

# Two-factor authentication (allauth.mfa). Who must use it: carecoord/access/twofactor.py.
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_FORMS = {"activate_totp": "accounts.forms.ActivateTOTPForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False  # passkeys are a second factor here, not a password replacement
# Staff addresses are entered by the functioneel beheerder and the password was set through a
# link sent there, so they count as verified for two-factor enrolment.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_TOTP_ISSUER = "Carecoord"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either way for a phone's clock; a code still works once
MFA_RECOVERY_CODE_COUNT = 10
# "Trust this browser": at most 30 days, per browser (a signed cookie tied to the user's
# current password and devices, so a reset or a new device ends every trust).
MFA_TRUST_ENABLED = True
MFA_TRUST_COOKIE_AGE = timedelta(days=min(env.int("MFA_TRUST_DAYS", default=30), 30))
MFA_TRUST_COOKIE_NAME = "carecoord_trusted_browser"
# Passkeys need https, except on localhost during development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Demo only (`make run`): every TOTP code "000000" works. allauth refuses to start with this
# set when DEBUG is off, so it can never reach production.
if DEBUG and env("DEMO_TOTP_BYPASS_CODE", default=""):
    MFA_TOTP_INSECURE_BYPASS_CODE = env("DEMO_TOTP_BYPASS_CODE")

# Sign in with the school's account (OpenID Connect: Microsoft Entra ID, Google Workspace),
# one entry per identity provider in OIDC_PROVIDERS (JSON; README "Sign in with the school's
# account"). It only ever matches an existing user by verified e-mail address.
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # we match ourselves (adapters.SocialAccountAdapter)
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # a link cannot start a sign-in; the button posts
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
OIDC_PROVIDERS = env.json("OIDC_PROVIDERS", default=[])
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        # allauth's provider with a nonce added (accounts/oidc.py).
        "provider_class": "accounts.oidc.SchoolOIDCProvider",
        "OAUTH_PKCE_ENABLED": True,
        # Checked at start-up by accounts.checks (required keys, known values).
        "APPS": [
            {
                "provider_id": provider.get("id"),
                "name": provider.get("name", provider.get("id")),
                "client_id": provider.get("client_id"),
                "secret": provider.get("secret", ""),
                "settings": {
                    "server_url": provider.get("server_url"),
                    "schools": provider.get("schools", []),
                    "email_domains": provider.get("email_domains", []),
                    "second_factor": provider.get("second_factor", "carecoord"),
                },
            }
            for provider in OIDC_PROVIDERS
        ],
    }
}

# Lockout after repeated failures (django-axes): five wrong passwords for one e-mail address
# from one IP address lock that combination for a quarter of an hour. The combination, so
# that an outsider guessing a colleague's password from elsewhere cannot lock them out, and
# a school network (hundreds of staff behind one IP address) is not locked as a whole.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Sessions end after a period of inactivity: every request pushes the expiry forward.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
# The idle end slides with every request, but the session is written at most once a minute
# (carecoord.middleware.SessionIdleMiddleware), not on every page of every user.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
# The menu of one user at one school is kept this long (carecoord.navigation; 0: never kept).
NAV_MENU_SECONDS = env.int("NAV_MENU_SECONDS", default=60)
# How long a class drop-down's options are kept per school and user (students.selectors.class_options).
CLASS_OPTIONS_SECONDS = env.int("CLASS_OPTIONS_SECONDS", default=60)
# Parents and pupils in the portal: their session ends sooner (portal.middleware).
PORTAL_IDLE_MINUTES = env.int("PORTAL_IDLE_MINUTES", default=15)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# With Redis, a page reads its session from Redis and every write also goes to the database
# (carecoord.sessions: why, and why not with each worker's own memory as the cache).
if REDIS_URL:
    SESSION_ENGINE = "carecoord.sessions"

# --- Security (production defaults; `make run` and the tests relax what needs https) ---
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page, not from the cookie
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Our pages open no popups that need a handle on us, and use no camera, microphone or location.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=(), "
    # Passkeys (WebAuthn) on our own pages only.
    "publickey-credentials-get=(self), publickey-credentials-create=(self)"
)

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from our own
# static files only. No 'unsafe-inline' for scripts *or* styles and no 'unsafe-eval': every
# behaviour is in static/**/*.js (data attributes, no on*= handlers), htmx's indicator style
# is switched off (static/js/app.js) and its CSS is in app.css. `data:` images are Bootstrap's
# own icons inside its CSS (select arrows, close buttons). The nonce is used only by allauth's
# passkey pages for their JSON data blocks (templates/mfa/). A form may post to us and to the
# school's identity providers (the OpenID Connect sign-in redirects there after its POST).
OIDC_ORIGINS = sorted(
    {
        "{0.scheme}://{0.netloc}".format(urlsplit(provider["server_url"]))
        for provider in OIDC_PROVIDERS
        if isinstance(provider, dict) and str(provider.get("server_url", "")).startswith(("https://", "http://"))
    }
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *OIDC_ORIGINS],
    },
}

# --- Internationalisation: Dutch first, English available ----------------------------
LANGUAGE_CODE = "nl"
# Each language named in itself, as language pickers do.
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True
# dd-mm-jjjj in both languages (carecoord/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["carecoord.formats"]

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env("DJANGO_STATICFILES_STORAGE", default="whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}

# --- Forms and messages -----------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_TAGS = {40: "danger"}  # messages.ERROR shows as Bootstrap's alert-danger
# Flash messages name pupils ("Daan Jansen is aangemeld"): keep them in the session on the
# server, never in a cookie in the browser of a shared school PC.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Uploads (LVS exports) larger than this are refused with a message by the form.
MAX_UPLOAD_MB = env.int("MAX_UPLOAD_MB", default=10)
# --- Documents in the pupil file (records app) ---------------------------------------------
# A private folder or an S3-compatible object store: carecoord/config/documents.py.
DOCUMENTS_ROOT = Path(env("DOCUMENTS_ROOT", default=str(BASE_DIR / "var" / "documents")))
DOCUMENTS_STORAGE = env("DOCUMENTS_STORAGE", default="filesystem")  # "filesystem" or "s3"
STORAGES["documents"] = documents_storage(env, kind=DOCUMENTS_STORAGE, root=DOCUMENTS_ROOT)
DOCUMENT_MAX_MB = env.int("DOCUMENT_MAX_MB", default=20)
# ClamAV (clamd): scan every upload when a socket or host is configured; refuse the upload
# when clamd finds something or cannot be reached.
CLAMAV_SOCKET = env("CLAMAV_SOCKET", default="")
CLAMAV_HOST = env("CLAMAV_HOST", default="")
CLAMAV_PORT = env.int("CLAMAV_PORT", default=3310)
CLAMAV_TIMEOUT = env.float("CLAMAV_TIMEOUT", default=30.0)
# Version history (django-simple-history): reasons (why a note was removed) can be long.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True
# An LVS import with more lines than this runs on a Celery worker (the page shows progress).
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2000)

# --- Mail -------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Carecoord <noreply@carecoord.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every message's Message-ID is <random@this domain>, fixed per outbox row; default: SITE_URL's host.
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN", default="")
# A mail server that does not answer must not hold a worker (or the sweep) for minutes.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# --- Celery -----------------------------------------------------------------------------
# Without a broker the tasks run in-process (eager), so `make run` needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
BROKER_CONFIGURED = not CELERY_BROKER_URL.startswith("memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not BROKER_CONFIGURED)
CELERY_TASK_EAGER_PROPAGATES = True
# A task may run twice (acks_late + redelivery): every task is idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,
    # A broker that is down must not keep a web request waiting: the work is stored and swept.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# `make run` without Redis: a broker in a local folder (kombu's filesystem transport, part of
# Celery, no server), so the worker with beat runs every periodic task on the same schedule as
# production. scripts/run-dev sets CELERY_BROKER_URL=filesystem:// when no broker is given.
if CELERY_BROKER_URL.startswith("filesystem://"):
    BROKER_FOLDER = Path(env("CELERY_BROKER_FOLDER", default=str(BASE_DIR / "var" / "broker")))
    for _sub in ("queue", "processed", "control"):
        (BROKER_FOLDER / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_FOLDER / "queue"),
        "data_folder_out": str(BROKER_FOLDER / "queue"),
        "processed_folder": str(BROKER_FOLDER / "processed"),
        # Broadcast (pidbox) exchanges too, or kombu writes them to ./control.
        "control_folder": str(BROKER_FOLDER / "control"),
        "store_processed": False,
    }
# How often the meeting reminders are looked for (a test of the embedded scheduler shortens it).
MEETINGS_REMINDER_SECONDS = env.float("MEETINGS_REMINDER_SECONDS", default=300.0)

# --- Logging: one line per event, with the request id, never pupil data -------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "carecoord.requestid.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every step of every PDF at INFO, and fontTools its subsetting.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
