"""Settings come from the environment; production refuses to start half-configured."""

import json
from pathlib import Path

import pytest

from ..settings_probe import run_probe

ROOT = Path(__file__).resolve().parents[2]

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
    "print(sorted(settings.CACHES['default'].get('OPTIONS', {}).items())); "
    "cache.set('podium-settings-probe', 'shared', 30); print(cache.get('podium-settings-probe'))"
)


def cache_probe(**env) -> list[str]:
    run = run_probe(CACHE_PROBE, **env)
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


def test_the_cache_is_local_memory_unless_redis_url_names_a_server():
    assert cache_probe() == ["django.core.cache.backends.locmem.LocMemCache", "[]", "shared"]
    # The machine's Redis (127.0.0.1:6379, as CI has it): a value set in one process is there.
    assert cache_probe(REDIS_URL="redis://127.0.0.1:6379/15") == [
        "django_redis.cache.RedisCache",
        "[('IGNORE_EXCEPTIONS', True), ('SOCKET_CONNECT_TIMEOUT', 0.1), ('SOCKET_TIMEOUT', 0.1)]",
        "shared",
    ]


def test_a_redis_that_is_not_there_makes_misses_not_errors():
    # Nothing listens on port 1 of this machine: the set and the get fail, and are ignored.
    lines = cache_probe(REDIS_URL="redis://127.0.0.1:1/0", REDIS_TIMEOUT="0.2")
    logged = [json.loads(line) for line in lines if line.startswith("{")]
    assert [line for line in lines if not line.startswith("{")] == [
        "django_redis.cache.RedisCache",
        "[('IGNORE_EXCEPTIONS', True), ('SOCKET_CONNECT_TIMEOUT', 0.2), ('SOCKET_TIMEOUT', 0.2)]",
        "None",
    ]
    assert [(entry["logger"], entry["level"], entry["exception_type"]) for entry in logged] == [
        ("django_redis.cache", "ERROR", "django_redis.exceptions.ConnectionInterrupted")
    ] * 2
    assert (
        "Error 111 connecting to 127.0.0.1:1. Connection refused."
        in (logged[0]["exception_message"])
    )


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf", "nan"])
def test_redis_timeout_must_be_seconds_above_zero(value):
    run = run_probe(CACHE_PROBE, REDIS_URL="redis://127.0.0.1:6379/15", REDIS_TIMEOUT=value)
    assert run.returncode == 1
    assert (
        f"ImproperlyConfigured: REDIS_TIMEOUT must be a number of seconds above 0 (got {value!r})."
        in run.stderr
    )
