"""Settings for Kretsportalen, read from environment variables.

With no variables set the portal runs on embedded defaults that need no services:
SQLite, Celery tasks in-process, a local-memory cache and mail to the console.
Setting DATABASE_URL, REDIS_URL and EMAIL_URL switches on the production stack.
See `.env.example` for every variable.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A variable, or the contents of the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def email_settings(url: str) -> dict:
    """Django's EMAIL_* settings from a URL such as smtp://user:pass@host:587?tls=1.

    `smtp+ssl://` uses implicit TLS; `?tls=1` STARTTLS. No URL: mail goes to the console.
    """
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    scheme = parts.scheme.lower()
    if scheme not in {"smtp", "smtp+ssl", "smtp+tls"}:
        raise ValueError(f"EMAIL_URL: unknown scheme {parts.scheme!r}")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if scheme == "smtp+ssl" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": scheme == "smtp+ssl",
        "EMAIL_USE_TLS": scheme == "smtp+tls" or query.get("tls") in {"1", "true"},
        "EMAIL_TIMEOUT": int(query.get("timeout", "30")),
    }


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY") or ("insecure-development-key" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "krets.error_pages.csrf_failure"  # in Swedish, in the portal's layout
# The address members reach the portal on, used in links sent by email.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "csp",
    # The project's own apps, ground floor first (see README, "Architecture").
    "krets",
    "members",
    "dues",
    "goals",
    "meetings",
    "campaigns",
    "newsletters",
    "visitors",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside MessageMiddleware: its message must be stored with the response.
    "krets.middleware.QueueRefusedMiddleware",
    "krets.middleware.RequestSizeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "krets.middleware.SecurityHeadersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "krets.middleware.AccessMiddleware",
    "krets.reads.ReadLogMiddleware",
]

ROOT_URLCONF = "krets.urls"
WSGI_APPLICATION = "krets.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "krets.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Under `make run` the web server, a worker and beat write to one SQLite file: WAL lets
    # readers go on beside a writer, IMMEDIATE takes the write lock when a transaction starts
    # (no "database is locked" halfway through one), and a writer waits up to 20 s for another.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query to machine code once its estimated cost passes
    # jit_above_cost (100 000), which every aggregate over a year's dues at 100 000 members
    # does. The compiled code is not kept: each request pays 50-2 000 ms of compiling (measured
    # on reminder selection: 1.1 s without JIT, 3.2 s with it) for queries that run in tens of
    # ms. A web application's short queries never win it back, so it is off for our
    # connections (docs/dues.md, "Performance"); DATABASE_JIT=on turns it back on.
    jit = "on" if env_bool("DATABASE_JIT", False) else "off"
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c jit={jit}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.User"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "krets.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_PREFIX", "krets"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Overview panels and each request's rights come from the cache until a table they read changes
# (krets/versioned.py). Needs a cache every process shares: Redis.
KRETS_VERSIONED_CACHE = env_bool("VERSIONED_CACHE", bool(REDIS_URL))

# Celery's broker: BROKER_URL, else REDIS_URL. `make run` (manage.py serve) sets BROKER_URL to
# an embedded broker in a SQLite file (sqla+sqlite:///…) and runs a worker and beat on it. With
# neither set every task runs in-process as soon as it is queued, and nothing runs on a schedule.
BROKER_URL = env("BROKER_URL") or REDIS_URL
CELERY_BROKER_URL = BROKER_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Stockholm"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
# Dates as Swedes write them: "13 dec 2026", month names in lower case (krets/formats/sv).
FORMAT_MODULE_PATH = ["krets.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Attachments (minutes, theme-group documents): outside the web root, served only through a
# view that checks who may read them (krets/attachments.py).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Authentication: django-allauth, login by email, no public sign-up.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "overview"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "krets.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kretsportalen] "
# allauth's defaults, written out so that the limits are visible: they need a shared cache.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Kretsportalen"
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Demo mode shows a banner on every page and, unless REQUIRE_MFA says otherwise, does not
# ask for two-factor. Outside it every board account needs two-factor before it sees anything.
KRETS_DEMO_MODE = env_bool("DEMO_MODE", False)
KRETS_REQUIRE_MFA = env_bool("REQUIRE_MFA", not KRETS_DEMO_MODE)
# Meetings: the council group is proposed a meeting this many days before each council meeting;
# reminders go out this many hours before a meeting.
KRETS_COUNCIL_GROUP_DAYS_BEFORE = env_int("COUNCIL_GROUP_DAYS_BEFORE", 7)
KRETS_MEETING_REMINDER_HOURS = env_int("MEETING_REMINDER_HOURS", 48)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Idle sessions end after SESSION_IDLE_SECONDS (two hours by default): activity renews it.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 2 * 60 * 60)
# Renewed at most once a minute by krets.middleware.AccessMiddleware, not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# With Redis: read from the cache (one Redis read instead of a query per request), written to
# both; the database stays the record (krets/sessions.py). Not with the local-memory cache: each
# gunicorn worker would keep its own, stale, copy.
SESSION_ENGINE = "krets.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Centerpartiet i Sandviken <krets@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
globals().update(email_settings(env("EMAIL_URL")))

# An email service through django-anymail (optional extra `anymail`) instead of SMTP:
# ANYMAIL_ESP=postmark (a module of anymail.backends) and its settings as ANYMAIL_<NAME>, e.g.
# ANYMAIL_POSTMARK_SERVER_TOKEN and ANYMAIL_WEBHOOK_SECRET. Its bounce webhook is served at
# /anymail/<esp>/tracking/ and feeds the mail engine's suppression list.
ANYMAIL_ESP = env("ANYMAIL_ESP")
if ANYMAIL_ESP:
    INSTALLED_APPS.append("anymail")
    EMAIL_BACKEND = f"anymail.backends.{ANYMAIL_ESP}.EmailBackend"
    ANYMAIL = {
        name.removeprefix("ANYMAIL_"): env(name)
        for name in {key.removesuffix("_FILE") for key in os.environ if key.startswith("ANYMAIL_")}
        if name != "ANYMAIL_ESP"
    }

# The mail engine (krets/mail): recipients per Celery task (one SMTP connection each), rows a
# worker claims at a time, how long a claim may stand before the reconciler hands the work to
# another worker, and attempts before a temporarily refused mail counts as failed.
MAIL_CHUNK_SIZE = env_int("MAIL_CHUNK_SIZE", 200)
MAIL_CLAIM_BATCH = env_int("MAIL_CLAIM_BATCH", 50)
MAIL_STALL_SECONDS = env_int("MAIL_STALL_SECONDS", 300)
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 6)
# Off: a worker's per-mail state writes do not wait for PostgreSQL's disk (see
# krets/mail/services.py, _relax_commits); only a PostgreSQL crash can then cause duplicates.
MAIL_SYNCHRONOUS_COMMIT = env_bool("MAIL_SYNCHRONOUS_COMMIT", False)
# The day of the month after which the kommunikationsansvarig is reminded that the month has no
# newsletter sent or scheduled.
NEWSLETTER_REMINDER_DAY = env_int("NEWSLETTER_REMINDER_DAY", 20)

# Behind a TLS-terminating proxy in production.
# The proxies in front of the portal: a count ("1") or their addresses and networks
# ("10.0.0.2,172.18.0.0/16"). Only then is X-Forwarded-For read (krets/net.py), for allauth's
# rate limits and the audit log; empty: the peer's address is the client's.
TRUSTED_PROXIES = env("TRUSTED_PROXIES")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts and style sheets only from the portal's own static
# files, no inline script or event handler (static/krets/portal.js wires behaviour by data
# attributes), images only from the portal or data: URIs (so a newsletter in the archive loads
# no tracking pixel), never framed. No inline style either, attributes included: layout lives in
# static/krets/portal.css, bar widths are data-width attributes that portal.js sets through the
# CSSOM. The one exception is the newsletter preview (newsletters.views.preview), a sandboxed
# frame with a policy of its own. Cache-Control, Permissions-Policy and the preview's
# frame-ancestors: krets.middleware.SecurityHeadersMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint (the annual report's PDF) logs every rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Backups (manage.py backup, daily by beat at 02:30): where they go and how many are kept.
# Keep them off this machine too (README, "Backups").
BACKUP_DIR = Path(env("BACKUP_DIR") or BASE_DIR / "backups")
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)

# Members and dues (members app).
# The chapter's Swish number shown in members' QR codes (digits only).
KRETS_SWISH_NUMBER = env("SWISH_NUMBER", "1234567890")
# The chapter's bankgiro number, printed on every invoice and reminder.
BANKGIRO_NUMBER = env("BANKGIRO_NUMBER", "123-4567")
# A member who joins after the year's due date gets this many days from the invoice's issue.
DUES_NEW_MEMBER_DAYS = env_int("DUES_NEW_MEMBER_DAYS", 30)
# Unpaid dues: reminder 1 this many days after the due date, reminder 2 this many days after
# reminder 1, and a personal-contact task for the medlemsansvarig as many days after reminder 2.
KRETS_DUES_REMINDER_1_DAYS = env_int("DUES_REMINDER_1_DAYS", 14)
KRETS_DUES_REMINDER_2_DAYS = env_int("DUES_REMINDER_2_DAYS", 21)
# Members are anonymised this many months after they left; payment facts stay 7 years.
KRETS_MEMBER_RETENTION_MONTHS = env_int("MEMBER_RETENTION_MONTHS", 12)
KRETS_PAYMENT_RETENTION_YEARS = 7
# Uploads: the largest request body (checked before it is read), the largest member import and
# bank file, rows per import, and what an XLSX may unpack to (checked before unpacking).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, written out: form fields, not files
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files are spooled to disk
KRETS_MAX_REQUEST_BYTES = env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
KRETS_MAX_IMPORT_BYTES = 10 * 1024 * 1024
KRETS_MAX_BANK_FILE_BYTES = 10 * 1024 * 1024
KRETS_MAX_IMPORT_ROWS = 20_000
KRETS_MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024
KRETS_MAX_XLSX_RATIO = 100
# How long a member's signed "Mina uppgifter" link works.
KRETS_SELF_SERVICE_DAYS = env_int("SELF_SERVICE_LINK_DAYS", 30)
# Open doors (visitors): who may frame the embeddable list of open meetings (comma-separated
# origins for CSP frame-ancestors); whether a verified "Bli medlem" application becomes a member
# without the medlemsansvarig; how long a contact who is not a member is kept after their last
# activity; the public forms' minimum fill time and rate limits (per hour).
KRETS_EMBED_ALLOWED_ORIGINS = env_list("EMBED_ALLOWED_ORIGINS")
KRETS_MEMBERSHIP_AUTO_APPROVE = env_bool("MEMBERSHIP_AUTO_APPROVE", False)
KRETS_CONTACT_RETENTION_MONTHS = env_int("CONTACT_RETENTION_MONTHS", 12)
KRETS_PUBLIC_FORM_MIN_SECONDS = env_int("PUBLIC_FORM_MIN_SECONDS", 3)
KRETS_PUBLIC_FORM_PER_IP_HOUR = env_int("PUBLIC_FORM_PER_IP_HOUR", 20)
KRETS_PUBLIC_FORM_PER_ADDRESS_HOUR = env_int("PUBLIC_FORM_PER_ADDRESS_HOUR", 3)
