"""Podium settings: the one settings module, read from the environment.

Every value has a development default except DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS,
which production (DJANGO_DEBUG off) must set: without them the process refuses to start.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off Podium refuses to start "
            "without a secret key: set DJANGO_SECRET_KEY to a long random string."
        )
    SECRET_KEY = "podium-development-only-insecure-key"  # noqa: S105 (debug only)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. With DJANGO_DEBUG off list the host names Podium "
        "serves, separated by commas."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",  # let runserver serve static files the way production does
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "django_countries",
    "simple_history",
    "conferences",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",  # security headers first
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files before any session or auth work
    "django.contrib.sessions.middleware.SessionMiddleware",  # sessions for the admin login
    "django.middleware.common.CommonMiddleware",  # trailing slashes, disallowed user agents
    "django.middleware.csrf.CsrfViewMiddleware",  # CSRF tokens on every form post
    "django.contrib.auth.middleware.AuthenticationMiddleware",  # request.user
    "simple_history.middleware.HistoryRequestMiddleware",  # who made each change, for history
    "django.contrib.messages.middleware.MessageMiddleware",  # flash messages in the admin
    "django.middleware.clickjacking.XFrameOptionsMiddleware",  # no framing by other sites
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# DATABASE_URL unset or empty: a SQLite file in the project root.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Keep connections open between requests and check them before reuse.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "600"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Podium's queries are short; JIT compiling them costs more than it saves (measured on the
    # export of 100,000 rows: about 380 ms of 1.3 s).
    # work_mem 32MB: a word found in a fifth of a million statements makes a GIN bitmap that 4MB
    # turns lossy, and every row on a lossy page is re-tokenised (count: 9.8 s -> 0.7 s).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c work_mem=32MB"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The statement list's counts are cached (conferences/caching.py): local memory per process by
# default; REDIS_URL (e.g. redis://127.0.0.1:6379/0) shares one cache between processes.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Files Podium makes itself (share cards); a shared storage in a cluster (see issue 9).
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("PODIUM_MEDIA_ROOT", BASE_DIR / "var" / "media"))

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves collected, hashed, compressed files; development (and the tests, which
    # start from the development settings) reads the source folders directly.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# The largest text an editor may import at once (bytes of UTF-8).
PODIUM_IMPORT_MAX_BYTES = int(os.environ.get("PODIUM_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
# A long transcript's preview posts several fields per statement, and its text travels with
# the form: allow both, a little beyond the import limit.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
DATA_UPLOAD_MAX_MEMORY_SIZE = PODIUM_IMPORT_MAX_BYTES + 1024 * 1024

# The JSON API (conferences/api): read-only and anonymous, so no authentication classes (and no
# CSRF); JSON only, since the browsable API needs inline scripts that the CSP forbids.
# PODIUM_API_ANON_RATE: requests per client address, e.g. "120/minute"; empty switches it off.
# The throttle counts in the default cache (local memory per process unless CACHES says more).
PODIUM_API_ANON_RATE = os.environ.get("PODIUM_API_ANON_RATE", "120/minute")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["conferences.api.http.AnonRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Podium API",
    "DESCRIPTION": (
        "Read-only JSON over Podium's published statements, conferences, speakers, topics and "
        "organisations. Every list takes the query parameters of /statements/. Lists are paged "
        "(`page`, `page_size` up to 100) with absolute `next` and `previous` links. A bad "
        'parameter value answers 400 with {"errors": {"<parameter>": ["<message>"]}}, a page '
        "past the end included. Responses carry ETag and Last-Modified: revalidate with "
        "If-None-Match or If-Modified-Since to get a 304. Anonymous clients are throttled (429)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "StatementKindEnum": "conferences.models.Statement.Kind",
        "FidelityEnum": "conferences.models.Statement.Fidelity",
        "ConferenceKindEnum": "conferences.models.Conference.Kind",
        "SpeakerKindEnum": "conferences.models.Speaker.Kind",
        "OrganizationKindEnum": "conferences.models.Organization.Kind",
    },
}
