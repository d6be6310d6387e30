"""Podium settings: the one settings module, read from the environment.

Every value has a development default except DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS,
which production (DJANGO_DEBUG off) must set: without them the process refuses to start.
"""

import os
import re
from datetime import timedelta
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


def env_seconds(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    try:
        seconds = float(value) if value else default
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise ImproperlyConfigured(f"{name} must be a number of seconds above 0 (got {value!r}).")
    return seconds


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
    "axes",  # failed logins and lockouts (AXES_* below)
    "conferences",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",  # security headers first
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files before any session or auth work
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every page (not static files)
    "conferences.ops.replica_middleware.PublicReadMiddleware",  # public GET/HEAD: read a replica
    "django.contrib.sessions.middleware.SessionMiddleware",  # sessions for the admin login
    "django.middleware.common.CommonMiddleware",  # trailing slashes, disallowed user agents
    "conferences.admin.import_forms.ImportSizeMiddleware",  # an oversized paste: 413 saying so
    "django.middleware.csrf.CsrfViewMiddleware",  # CSRF tokens on every form post
    "django.contrib.auth.middleware.AuthenticationMiddleware",  # request.user
    "simple_history.middleware.HistoryRequestMiddleware",  # who made each change, for history
    "django.contrib.messages.middleware.MessageMiddleware",  # flash messages in the admin
    "django.middleware.clickjacking.XFrameOptionsMiddleware",  # no framing by other sites
    "conferences.ops.middleware.DatabaseUnavailableMiddleware",  # database down: 503 page, not 500
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a lockout into its page
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
    # A database host that does not answer at all holds a worker at most this long per try
    # (the system's default is about two minutes), so the 503 page comes quickly.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")
    )
    # A host that goes silent on a connection already open (a kept connection's health check, a
    # query sent): libpq gives up once what it sent has gone unacknowledged this long (ms),
    # instead of the system's retransmissions for about 15 minutes. A slow query is not cut:
    # the server's system acknowledges the query at once, however long it runs.
    DATABASES["default"]["OPTIONS"]["tcp_user_timeout"] = 10_000
    # Podium's queries are short; JIT compiling them costs more than it saves (measured on the
    # export of 100,000 rows: about 380 ms of 1.3 s).
    # work_mem 32MB: a word found in a fifth of a million statements makes a GIN bitmap that 4MB
    # turns lossy, and every row on a lossy page is re-tokenised (count: 9.8 s -> 0.7 s).
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off -c work_mem=32MB"

# DATABASE_REPLICA_URLS: read-only copies of the primary (docs/replication.md), separated by
# commas, become the aliases replica1, replica2…, with the primary's connection options.
# conferences/ops/routers.py sends public reads there and everything else to "default"; unset, there
# is no replica and no router. In tests a replica mirrors the default test database.
PODIUM_READ_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), 1):
    _replica = dj_database_url.parse(_url)
    if _replica["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URLS: replica {_number} is not a copy of DATABASE_URL's database "
            f"(engine {_replica['ENGINE']}, the primary's is {DATABASES['default']['ENGINE']})."
        )
    if _replica["ENGINE"] == "django.db.backends.postgresql":
        for _key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
            _replica[_key] = DATABASES["default"][_key]
        for _key in ("connect_timeout", "tcp_user_timeout", "options"):
            _replica.setdefault("OPTIONS", {})[_key] = DATABASES["default"]["OPTIONS"][_key]
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_number}"] = _replica
    PODIUM_READ_REPLICAS.append(f"replica{_number}")
if PODIUM_READ_REPLICAS:
    DATABASE_ROUTERS = ["conferences.ops.routers.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Pages, counts and share cards are cached (conferences/ops/caching.py): local memory per process by
# default; REDIS_URL (e.g. redis://127.0.0.1:6379/0) shares one cache between processes and nodes.
# The cache is only ever a shortcut, so a Redis that stops answering must not stop the site:
# django-redis's IGNORE_EXCEPTIONS turns a failed read into a miss and a failed write into
# nothing (each logged by "django_redis.cache"), and pages are rendered from the database
# meanwhile. REDIS_TIMEOUT (seconds, default 0.1: a Redis on the same network answers in well
# under a millisecond) bounds each connect and each command, so a Redis host that has gone silent
# costs a request that long per cache call (about 0.4 s for an uncached list page, which makes
# four), not a hung worker. A Redis that refuses connections costs next to nothing.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
REDIS_TIMEOUT = env_seconds("REDIS_TIMEOUT", 0.1)
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT,
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# PODIUM_PAGE_CACHE=0 turns off what the public pages keep in that cache (whole pages, the list's
# counts and its ranked ids; conferences/ops/caching.py): every request then computes its page as a
# first visit does, which is what `make bench` measures with it off. On unless 0 (false, no, off).
PODIUM_PAGE_CACHE = env_bool("PODIUM_PAGE_CACHE", True)
# Sessions (the editors' logins) live in the database, which every node shares. With REDIS_URL
# they are also read through Redis (cached_db): a node finds a session in Redis whichever node
# wrote it, and a Redis that restarts empty or stops answering logs nobody out (reads fall back to
# the database). Not with the per-process cache: a logout would linger in other processes' copies.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Failed logins (django-axes): after 5 wrong passwords for one username from one address, that
# pair is refused (429, templates/lockout.html) until the cool-off ends or `manage.py
# axes_reset` clears it. The pair, not the address alone, so that a newsroom behind one
# address keeps working and nobody elsewhere can lock an editor out by guessing at the name.
# Axes reads the address from REMOTE_ADDR, unless PODIUM_PROXY_COUNT says how many proxies of
# ours (nginx, a load balancer) stand in front: the client's address is then read from
# X-Forwarded-For, that many hops from the right (conferences/ops/client_address.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair before any check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # a right password forgets the earlier wrong ones
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_HTTP_RESPONSE_CODE = 429  # Too Many Requests: a wait, not a lack of rights (403)
# No banner at start-up: the log goes to stdout, where `export_archive -` writes its data.
# Lockouts are still logged (warnings of the "axes" logger).
AXES_VERBOSE = False
PODIUM_PROXY_COUNT = int(os.environ.get("PODIUM_PROXY_COUNT", "0") or "0")
AXES_CLIENT_IP_CALLABLE = "conferences.ops.client_address.client_address"
# Minutes a locked-out pair waits; at least 1 (axes reads no cool-off as "locked for good").
PODIUM_LOGIN_COOLOFF_MINUTES = os.environ.get("PODIUM_LOGIN_COOLOFF_MINUTES", "").strip() or "15"
if not PODIUM_LOGIN_COOLOFF_MINUTES.isdigit() or int(PODIUM_LOGIN_COOLOFF_MINUTES) < 1:
    raise ImproperlyConfigured(
        "PODIUM_LOGIN_COOLOFF_MINUTES must be a whole number of minutes, 1 or more "
        f"(got {PODIUM_LOGIN_COOLOFF_MINUTES!r})."
    )
PODIUM_LOGIN_COOLOFF_MINUTES = int(PODIUM_LOGIN_COOLOFF_MINUTES)
AXES_COOLOFF_TIME = timedelta(minutes=PODIUM_LOGIN_COOLOFF_MINUTES)

# Where the admin lives (config/urls.py), e.g. "editors-desk/"; robots.txt names it only when
# it is the well-known default, since a custom prefix is worth keeping out of public files.
PODIUM_ADMIN_URL = os.environ.get("PODIUM_ADMIN_URL", "admin/").strip().strip("/") + "/"
if not re.fullmatch(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*/", PODIUM_ADMIN_URL):
    raise ImproperlyConfigured(
        "PODIUM_ADMIN_URL must be a path of letters, digits, '-' and '_' separated by '/', "
        f"e.g. 'admin/' or 'editors-desk/' (got {PODIUM_ADMIN_URL!r})."
    )

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Files Podium makes itself (share cards). Each node may keep its own: cards are also kept in the
# cache, which REDIS_URL shares between nodes (conferences/public/views/cards.py).
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("PODIUM_MEDIA_ROOT", BASE_DIR / "var" / "media"))

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("PODIUM_STATIC_ROOT", "").strip() or BASE_DIR / "staticfiles")
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

# HTTPS and security headers. Production (DJANGO_DEBUG off) is HTTPS-only by default; a
# deployment that serves plain http (e.g. on 127.0.0.1, as `make bench` does) switches off what
# it must: DJANGO_SECURE_SSL_REDIRECT=0 and DJANGO_SECURE_COOKIES=0 (HSTS is only ever sent
# over https, but DJANGO_SECURE_HSTS_SECONDS=0 turns it off too).
#
# Podium sits behind a proxy that ends TLS and forwards plain http, naming the scheme the client
# used in X-Forwarded-Proto. The proxy MUST set that header itself, overwriting any value the
# client sent: otherwise a client on plain http could claim "https" and never be redirected.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe /healthz over plain http (Django matches the path without its "/").
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "").strip() or ("0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading asks browser makers to hard-code HTTPS for the whole registered domain and every
# subdomain, is accepted only from the apex domain and takes months to undo: the domain owner's
# decision, not Podium's. Off unless DJANGO_SECURE_HSTS_PRELOAD=1; while it is off, the deploy
# check's reminder about it (security.W021) is silenced on purpose.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Search words are in Podium's URLs: no other site gets them in a Referer header.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles only from Podium's own static files,
# so no inline script, inline style attribute or event handler runs. JSON-LD data blocks
# (<script type="application/ld+json">) are not executed and need no exception.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
        "stdout_json": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Every 5xx (an error, with its traceback) and 4xx (a warning) as one JSON line, once:
        # not passed on to the plain handler or to Django's own "django" logger.
        "django.request": {
            "handlers": ["stdout_json"],
            "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # A cache call that failed and was ignored (Redis down, REDIS_URL above): one JSON line
        # each, with the exception's type and message, so an outage shows in the logs.
        "django_redis.cache": {"handlers": ["stdout_json"], "level": "ERROR", "propagate": False},
        # Axes logs every sign-in at INFO; failures and lockouts are warnings, which are kept.
        "axes": {"level": "WARNING"},
    },
}

# The largest text an editor may import at once (bytes of UTF-8).
PODIUM_IMPORT_MAX_BYTES = int(os.environ.get("PODIUM_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
# A long transcript's preview posts several fields per statement, and its text travels with
# the form: allow both, a little beyond the import limit.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
DATA_UPLOAD_MAX_MEMORY_SIZE = PODIUM_IMPORT_MAX_BYTES + 1024 * 1024

# The import's "paste a link" (conferences/importer/fetch.py): how long one fetch may take in
# all, redirects included (seconds); how many bytes of a page are read at most; and whether
# addresses of private networks, loopback and link-local ones may be fetched. Podium fetches
# from inside its own network, where such an address reaches services that are not public (a
# cloud's metadata on 169.254.169.254): only tests, which serve pages on 127.0.0.1, turn it on.
PODIUM_FETCH_TIMEOUT = env_seconds("PODIUM_FETCH_TIMEOUT", 10.0)
PODIUM_FETCH_MAX_BYTES = int(os.environ.get("PODIUM_FETCH_MAX_BYTES", str(5 * 1024 * 1024)))
PODIUM_FETCH_ALLOW_PRIVATE = env_bool("PODIUM_FETCH_ALLOW_PRIVATE", False)

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
