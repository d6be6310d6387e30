"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

from .settings_probe import run_probe

ROOT = Path(__file__).resolve().parent.parent

PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "db = settings.DATABASES['default']; "
    "print(db['ENGINE'], db['NAME'], db.get('CONN_MAX_AGE'), db.get('CONN_HEALTH_CHECKS'), "
    "settings.DEBUG, settings.MIDDLEWARE[1], settings.TIME_ZONE)"
)


def run_settings(**env):
    return run_probe(PROBE, **env)


def test_production_refuses_to_start_without_a_secret_key():
    run = run_settings(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="podium.example")
    assert run.returncode == 1
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in run.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    run = run_settings(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50)
    assert run.returncode == 1
    assert "ImproperlyConfigured: DJANGO_ALLOWED_HOSTS is not set" in run.stderr


def test_production_starts_with_key_and_hosts():
    run = run_settings(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="podium.example"
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[4:] == [
        "False",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "UTC",
    ]


def test_unset_or_empty_database_url_means_sqlite_file_in_project_root():
    for value in (None, ""):
        env = {} if value is None else {"DATABASE_URL": value}
        run = run_settings(**env)
        assert run.returncode == 0, run.stderr
        engine, name = run.stdout.split()[:2]
        assert engine == "django.db.backends.sqlite3"
        assert name == str(ROOT / "db.sqlite3")


def test_sqlite_url_is_honoured(tmp_path):
    run = run_settings(DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3")
    assert run.stdout.split()[:2] == ["django.db.backends.sqlite3", f"{tmp_path}/other.sqlite3"]


def test_postgres_url_gets_persistent_checked_connections():
    run = run_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/podium")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[:4] == ["django.db.backends.postgresql", "podium", "600", "True"]


CACHE_PROBE = (
    "import django; django.setup(); from django.core.cache import cache; "
    "from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND']); "
    "cache.set('podium-settings-probe', 'shared', 30); print(cache.get('podium-settings-probe'))"
)


def test_the_cache_is_local_memory_unless_redis_url_names_a_server():
    def probe(**env):
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
        clean.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
        run = subprocess.run(
            [sys.executable, "-c", CACHE_PROBE], cwd=ROOT, env=clean, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.split()

    assert probe() == ["django.core.cache.backends.locmem.LocMemCache", "shared"]
    # The machine's Redis (127.0.0.1:6379, as CI has it): a value set in one process is there.
    assert probe(REDIS_URL="redis://127.0.0.1:6379/15") == [
        "django.core.cache.backends.redis.RedisCache",
        "shared",
    ]
