"""Beacon's settings: one file, every deployment choice read from the environment."""

import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

# A development key is only acceptable while DEBUG is on.
_DEV_SECRET_KEY = "django-insecure-beacon-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "beacon.core",
    "beacon.clients",
    "beacon.treatment",
    "beacon.prescribing",
    "beacon.delivery",
    "beacon.pharmacy",
    "beacon.naloxone",
    "beacon.contacts",
    "beacon.harmreduction",
    "beacon.voice",
    "beacon.volunteers",
    "beacon.justice",
    "beacon.reporting",
    "beacon.imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before anything reads the body (CSRF reads the form), after the user is known (its
    # refusals are pages with the menu).
    "beacon.core.middleware.RequestGuardMiddleware",
    "beacon.core.idempotency.IdempotencyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "beacon.core.middleware.ProviderMiddleware",
    # A kiosk tablet reaches its survey and nothing else (beacon/voice/middleware.py).
    "beacon.voice.middleware.KioskLockMiddleware",
    "beacon.core.middleware.SignInRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
    "beacon.core.middleware.NoStoreMiddleware",
]

if not DEBUG:
    # In production whitenoise serves the collected static files; runserver does it in DEBUG.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "beacon.urls"
WSGI_APPLICATION = "beacon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "beacon.core.jinja_env.environment",
            "context_processors": ["beacon.core.idempotency.form_tokens"],
        },
    },
    {
        # The admin keeps Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'beacon.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
# Each request is one transaction: a request that fails part-way saves nothing.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a write lock rather than fail at once when the web server and a worker overlap.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Idle sessions end after 30 minutes: every request pushes the expiry on.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Repeated bad passwords lock the account (by username) for a while.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60
# An address that fails this many sign-ins, to any accounts, waits this many hours.
BEACON_ADDRESS_FAILURE_LIMIT = env_int("BEACON_ADDRESS_FAILURE_LIMIT", 20)
BEACON_ADDRESS_LOCK_HOURS = env_int("BEACON_ADDRESS_LOCK_HOURS", 24)
# Locked by account and address together: someone elsewhere guessing a keyworker's
# password cannot keep the keyworker locked out at their own computer.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
# Lock the account, not the address: staff behind one NHS network share an IP,
# and locking by IP would lock a whole site out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

OTP_TOTP_ISSUER = "Beacon"
# The demo bypass shows a demo user's current code on the sign-in page; never with DEBUG off.
BEACON_DEMO_TWO_FACTOR_HINT = DEBUG and env_bool("BEACON_DEMO_TWO_FACTOR_HINT", True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic gathers the files WhiteNoise serves when DEBUG is off.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    # Built by `make deps`: the NHS.UK stylesheet without its external web font.
    ("built", BASE_DIR / "var" / "static"),
    # Copied by `make deps` from node_modules: only the files the pages load (nhsuk/, htmx/,
    # leaflet/, chartjs/), so collectstatic has a few dozen files to hash and compress.
    BASE_DIR / "var" / "vendor",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Source maps are fetched only by a browser's developer tools: not worth compressing (they
# are most of the bytes collectstatic would otherwise compress).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "beacon@localhost")
# Alerts (a missed delivery…) always show in the app; they are also emailed, without any
# client detail, when this is on and the user has an email address.
BEACON_ALERT_EMAILS = env_bool("BEACON_ALERT_EMAILS", False)
# The address staff open Beacon at, for links in emails.
BEACON_SITE_URL = os.environ.get(
    "BEACON_SITE_URL", "http://127.0.0.1:8000" if DEBUG else ""
).rstrip("/")
if BEACON_ALERT_EMAILS and not BEACON_SITE_URL:
    raise ImproperlyConfigured("Set BEACON_SITE_URL (Beacon's address) to email alerts")

# Background work (alert emails): django-tasks on its database backend; `make run`
# starts `manage.py db_worker` beside the web server. BEACON_TASKS_BACKEND=immediate runs
# each task in the request instead (no worker).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("BEACON_TASKS_BACKEND") == "immediate"
        else "django_tasks_db.DatabaseBackend",
    }
}

# Texts to clients (appointment reminders, delivery windows) by GOV.UK Notify
# (beacon/core/notify.py). Without an API key no text is sent and the pages say so. Each
# template id names a Notify text template whose whole content is ((body)).
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_TEMPLATE_APPOINTMENT_REMINDER = os.environ.get("NOTIFY_TEMPLATE_APPOINTMENT_REMINDER", "")
NOTIFY_TEMPLATE_DELIVERY_WINDOW = os.environ.get("NOTIFY_TEMPLATE_DELIVERY_WINDOW", "")
NOTIFY_TEMPLATE_SURVEY_LINK = os.environ.get("NOTIFY_TEMPLATE_SURVEY_LINK", "")
# Notify's delivery receipts (POST /notify/callback/) carry this as their bearer token;
# without it the callback is refused and Beacon asks Notify for each text's status instead.
NOTIFY_CALLBACK_TOKEN = os.environ.get("NOTIFY_CALLBACK_TOKEN", "")
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
if NOTIFY_API_KEY and not re.fullmatch(rf".+-{_UUID}-{_UUID}", NOTIFY_API_KEY):
    raise ImproperlyConfigured("NOTIFY_API_KEY must be a whole GOV.UK Notify API key")
for _name in (
    "NOTIFY_TEMPLATE_APPOINTMENT_REMINDER",
    "NOTIFY_TEMPLATE_DELIVERY_WINDOW",
    "NOTIFY_TEMPLATE_SURVEY_LINK",
):
    if globals()[_name] and not re.fullmatch(_UUID, globals()[_name]):
        raise ImproperlyConfigured(f"{_name} must be a Notify template id (a UUID)")
if not DEBUG and NOTIFY_API_KEY and not NOTIFY_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured("NOTIFY_BASE_URL must be an https:// address when DEBUG is off")
if NOTIFY_CALLBACK_TOKEN and len(NOTIFY_CALLBACK_TOKEN) < 32:
    raise ImproperlyConfigured("NOTIFY_CALLBACK_TOKEN must be at least 32 characters")

# Production hardening: on whenever DEBUG is off (served over HTTPS).
# Behind a proxy that terminates TLS, trust its X-Forwarded-Proto to tell HTTPS requests.
# Only set it when the proxy always sets (or strips) that header: a client could forge it.
BEACON_BEHIND_PROXY = env_bool("BEACON_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEACON_BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Secure cookies stay on with DEBUG off: Chromium keeps them for http://127.0.0.1 too (a
# secure context), so a local trial over plain http needs only SECURE_SSL_REDIRECT=false.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

BEACON_PAGE_SIZE = env_int("BEACON_PAGE_SIZE", 25)
# Whose bank holidays are not working days (beacon/core/working_days.py): ENG, WLS, SCT or NIR.
BEACON_BANK_HOLIDAYS = os.environ.get("BEACON_BANK_HOLIDAYS", "ENG").upper()
if BEACON_BANK_HOLIDAYS not in {"ENG", "WLS", "SCT", "NIR"}:
    raise ImproperlyConfigured(
        f"BEACON_BANK_HOLIDAYS must be ENG, WLS, SCT or NIR, not {BEACON_BANK_HOLIDAYS!r}"
    )
# The pharmacies to phone cover today and this many working days before it (issue 14).
BEACON_PHARMACY_CHASE_WORKING_DAYS = env_int("BEACON_PHARMACY_CHASE_WORKING_DAYS", 3)
# A client on OST not seen face to face for this many days is listed (beacon/contacts/rules.py).
BEACON_CONTACTS_NOT_SEEN_DAYS = env_int("BEACON_CONTACTS_NOT_SEEN_DAYS", 28)
# A client released from prison and not seen within this many days of release is listed and
# their keyworker alerted: the 3-day rule for missed OST doses (tolerance may be lost), at the
# moment of highest overdose risk (hazard H-262).
BEACON_JUSTICE_RELEASE_SEEN_DAYS = env_int("BEACON_JUSTICE_RELEASE_SEEN_DAYS", 3)
# Naloxone: kits with clients expiring this soon are listed; a kit the client showed in
# person without its expiry read counts as held this many days, the day seen included (one
# read counts until its expiry). Hazards H-106 and H-113.
BEACON_NALOXONE_EXPIRING_DAYS = env_int("BEACON_NALOXONE_EXPIRING_DAYS", 30)
BEACON_NALOXONE_SEEN_KIT_DAYS = env_int("BEACON_NALOXONE_SEEN_KIT_DAYS", 1)
# Treatment Outcomes Profiles: a start TOP completed more than this many days after the
# episode started is flagged as outside its window. The NDTMS reference gives no window
# (hazard log H-81); 14 days is the narrower, safer choice.
BEACON_TOP_START_WINDOW_DAYS = env_int("BEACON_TOP_START_WINDOW_DAYS", 14)
# The TOPs-due list prompts an exit TOP when an exit plan's intended end is this close, and
# for this many days after a discharge recorded without one (an exit TOP asks about the
# 28 days before it, so later than that it no longer describes the end of treatment).
BEACON_TOP_EXIT_NEAR_DAYS = env_int("BEACON_TOP_EXIT_NEAR_DAYS", 14)
BEACON_TOP_EXIT_AFTER_DISCHARGE_DAYS = env_int("BEACON_TOP_EXIT_AFTER_DISCHARGE_DAYS", 28)
# History imports (beacon/imports/): where an upload waits for its run, and the largest
# upload the page takes, in megabytes.
BEACON_IMPORT_DIR = os.environ.get("BEACON_IMPORT_DIR", str(BASE_DIR / "var" / "imports"))
BEACON_IMPORT_MAX_MB = env_int("BEACON_IMPORT_MAX_MB", 200)
# Map tiles behind the delivery round map, e.g. a self-hosted or licensed OpenStreetMap
# tile server (attribution in delivery/round-map.js). Off by default: a public tile
# server would learn which streets the service delivers to, and OpenStreetMap's own
# servers refuse requests without a Referer (SECURE_REFERRER_POLICY is same-origin).
# Without tiles the map still draws the depot, stops and routes.
BEACON_MAP_TILE_URL = os.environ.get("BEACON_MAP_TILE_URL", "")
# A postcodes.io-compatible server (postcodes.io is open source: a service can run its own)
# that gives a delivery address's postcode its map position (beacon/delivery/geocoder.py).
# Only the postcode is sent. Empty: coordinates are typed by hand. https only (http only to
# this machine); a private address (10.x, 192.168.x, …) only when allowed below. Seconds to
# connect, and to wait for the answer (also the most the whole answer may take).
BEACON_GEOCODER_URL = os.environ.get("BEACON_GEOCODER_URL", "")
BEACON_GEOCODER_CONNECT_TIMEOUT_SECONDS = env_int("BEACON_GEOCODER_CONNECT_TIMEOUT_SECONDS", 3)
BEACON_GEOCODER_TIMEOUT_SECONDS = env_int("BEACON_GEOCODER_TIMEOUT_SECONDS", 5)
BEACON_GEOCODER_ALLOW_PRIVATE_HOSTS = env_bool("BEACON_GEOCODER_ALLOW_PRIVATE_HOSTS", False)

# Content-Security-Policy (django-csp): pages run only Beacon's own scripts and styles,
# load nothing from elsewhere but the map tile server a service configures, and cannot be
# framed. No inline style is allowed, nor any inline script but the NHS.UK frontend's own
# "js-enabled" line, which carries the request's nonce: an injected script does nothing.
_TILE_ORIGIN = "/".join(BEACON_MAP_TILE_URL.split("/")[:3]) if BEACON_MAP_TILE_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Opioid substitution safety thresholds. Their defaults, and the guidance each comes
# from, live in beacon/prescribing/safety.py; a service whose clinical lead sets other
# figures overrides them here through the environment.
for _name in (
    "BEACON_OST_MAX_INCREASE_STEP_MG",
    "BEACON_OST_MAX_INCREASE_WINDOW_MG",
    "BEACON_OST_INCREASE_WINDOW_DAYS",
    "BEACON_OST_TITRATION_PERIOD_DAYS",
    "BEACON_OST_METHADONE_MAX_START_MG",
    "BEACON_OST_MISSED_DAYS_FOR_REVIEW",
    "BEACON_OST_MAX_INSTALMENT_DAYS",
    "BEACON_OST_METHADONE_MAX_START_WITH_SEDATIVES_MG",
    "BEACON_OST_METHADONE_CEILING_MG",
    "BEACON_OST_BUPRENORPHINE_MAX_DAILY_MG",
    "BEACON_OST_BUPRENORPHINE_CEILING_MG",
    "BEACON_OST_METHADONE_MAX_BEFORE_BUPRENORPHINE_MG",
    "BEACON_OST_NEW_START_SUPERVISED_DAYS",
    "BEACON_OST_NEW_TO_BUPRENORPHINE_DAYS",
    "BEACON_OST_ENDING_SOON_DAYS",
):
    if os.environ.get(_name):
        globals()[_name] = env_int(_name, 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
