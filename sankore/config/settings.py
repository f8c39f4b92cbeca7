"""Sankoré settings: one module, every value from the environment.

The defaults give a zero set-up local run (SQLite file, console email, local-memory cache).
Production sets ``SANKORE_ENV=production`` plus at least ``SECRET_KEY``, ``ALLOWED_HOSTS`` and
``DATABASE_URL``; ``manage.py check --deploy`` is then clean.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SANKORE_ENV = env_str("SANKORE_ENV", "development")
PRODUCTION = SANKORE_ENV == "production"
TESTING = env_bool("SANKORE_TESTING", False)

DEBUG = env_bool("DEBUG", not PRODUCTION and not TESTING)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    # Local runs only: a fixed, obviously unsafe key so sessions survive restarts.
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Public base URL, used in emails and in machine-readable links (feeds, API "next" links).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Sankoré")

INSTALLED_APPS = [
    "sankore.accounts.admin_apps.SankoreAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django_countries",
    "django_htmx",
    "allauth",
    "allauth.account",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "sankore.core",
    "sankore.accounts",
    "sankore.institutions",
    "sankore.catalog",
    "sankore.courseware",
    "sankore.assessments",
    "sankore.learning",
    "sankore.credentials",
    "sankore.exams",
    "sankore.relays",
    "sankore.syndication",
    "sankore.federation",
    "sankore.partnerships",
    "sankore.calls",
    "sankore.demo",
]

# Public forms whose body is refused beyond a size before it is read (the PDF check of the
# credential verification: our documents weigh well under a megabyte).
REQUEST_BODY_LIMITS = {
    "/verifier/": 21 * 1024 * 1024,
    # A session pushed by a partner platform is a few hundred bytes.
    "/api/v1/sync/": 64 * 1024,
    # A catalog file to import (CSV or Open edX JSON).
    "/studio/importations/": 10 * 1024 * 1024,
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "sankore.core.middleware.RequestBodyLimitMiddleware",
    "sankore.core.middleware.RejectNulBytesMiddleware",
    "sankore.core.middleware.CompressionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "sankore.core.middleware.ContentSecurityPolicyMiddleware",
    # Axes last: it needs the authenticated user and answers lock-outs itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sankore.config.urls"
WSGI_APPLICATION = "sankore.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sankore" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sankore.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file by default, anything dj-database-url understands otherwise.
VAR_DIR = BASE_DIR / "var"
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sankore.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker share the file; IMMEDIATE transactions
    # take the write lock up front, so select_for_update-style sections do not deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
    # Short OLTP reads: JIT compilation can cost more than the query it speeds up.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing speed is not what the tests check; argon2 stays the production hasher.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "learning:dashboard"
LOGOUT_REDIRECT_URL = "catalog:home"

# django-allauth: the email address is the login and must be verified.
SITE_ID = 1
ACCOUNT_ADAPTER = "sankore.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "sankore.accounts.forms.SignupForm"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
# One address per account; a new one replaces the old only once it is verified.
ACCOUNT_CHANGE_EMAIL = True
# Tell the owner when their password or address changes, so a takeover does not go unnoticed.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Sankoré] "
# Failed logins: django-axes locks an (account, address) pair first (AXES_FAILURE_LIMIT);
# allauth's limits are the backstop against spraying from one address or a botnet on one
# account. The per-IP limit stays generous because a whole campus may share one address.
ACCOUNT_RATE_LIMITS = {
    # Successful logins too are counted per address (allauth's default, 30 a minute): a
    # campus of two hundred learners behind one NAT starting an exam must all get in.
    "login": "300/m/ip",
    "login_failed": "30/m/ip,20/h/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind N reverse proxies (TRUSTED_PROXY_COUNT=N), the client address is the N-th from the
# end of X-Forwarded-For; 0 means REMOTE_ADDR. Axes asks allauth, so both count the same IP.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# django-axes: lock an (account, IP) pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
# allauth authenticates with email=…: this tells axes which account an attempt targets.
AXES_USERNAME_CALLABLE = "sankore.accounts.throttling.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# The lock-out page (accounts/lockout.html) says when to retry; see accounts.throttling.
AXES_LOCKOUT_CALLABLE = "sankore.accounts.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "sankore.accounts.throttling.client_ip"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Internationalisation: French first, English complete.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sankore" / "locale"]
FORMAT_MODULE_PATH = ["sankore.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")
LANGUAGE_COOKIE_NAME = "sankore_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "sankore" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# The credential issuer's Ed25519 keys (PEM files, one per key id): outside the database and
# the media, backed up with the database, the same directory on every node (a mounted secret).
# The first run creates a key; see docs/deployment.md for rotation.
CREDENTIALS_KEYS_DIR = Path(env_str("CREDENTIALS_KEYS_DIR", str(VAR_DIR / "keys")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600 if not PRODUCTION else 31536000

# Cache: local memory by default, Redis when REDIS_URL is set (shared by every node).
REDIS_URL = env_str("REDIS_URL")
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and TESTING and _xdist_worker.startswith("gw"):
    # Parallel test processes each get their own Redis database: every test empties the
    # cache, which must not empty a neighbour's mid-test.
    _redis = urlsplit(REDIS_URL)
    _base = int(_redis.path.strip("/") or 0)
    REDIS_URL = _redis._replace(path=f"/{_base + 1 + int(_xdist_worker[2:])}").geturl()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sankore",
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background work: Django's tasks API, database backend; tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# Email: console by default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Sankoré <no-reply@sankore.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: secure cookies and HSTS in production; the proxy terminates TLS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Synchronisation pushed by partner platforms (ADR 0007): the secrets accepted (several
# during a rotation), those also accepted with Richie's plain signature (no replay
# protection: for a migration only), and the clock skew allowed.
SYNC_WEBHOOK_SECRETS = env_list("SYNC_WEBHOOK_SECRETS")
SYNC_WEBHOOK_LEGACY_SECRETS = env_list("SYNC_WEBHOOK_LEGACY_SECRETS")
SYNC_WEBHOOK_MAX_SKEW_SECONDS = env_int("SYNC_WEBHOOK_MAX_SKEW_SECONDS", 300)

# Search: a query longer than this is refused (API 400, page message).
SEARCH_QUERY_MAX_LENGTH = 200
CATALOG_PAGE_SIZE = 20
API_PAGE_SIZE_DEFAULT = 20
API_PAGE_SIZE_MAX = 100

# Course content uploads: the largest file of each kind, in bytes.
COURSEWARE_UPLOAD_LIMITS = {
    "video": env_int("COURSEWARE_MAX_VIDEO_BYTES", 1024 * 1024 * 1024),
    "image": env_int("COURSEWARE_MAX_IMAGE_BYTES", 10 * 1024 * 1024),
    "caption": 2 * 1024 * 1024,
    "file": env_int("COURSEWARE_MAX_FILE_BYTES", 100 * 1024 * 1024),
}
# A file sent with an open response (peer assessment) weighs at most this much.
ASSESSMENTS_PEER_FILE_MAX_BYTES = env_int("ASSESSMENTS_PEER_FILE_MAX_BYTES", 5 * 1024 * 1024)
# A course package (zip) may hold at most this much once unpacked.
COURSEWARE_PACKAGE_MAX_BYTES = env_int("COURSEWARE_PACKAGE_MAX_BYTES", 4 * 1024 * 1024 * 1024)
# Uploads above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FFMPEG_BINARY = env_str("FFMPEG_BINARY", "ffmpeg")
FFPROBE_BINARY = env_str("FFPROBE_BINARY", "ffprobe")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # WeasyPrint tells every step of every PDF at INFO: seven lines per credential.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
