"""Settings as a fresh process reads them from the environment (config/settings.py reads it once,
at import): the tests of settings run a small probe in a subprocess."""

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Variables the probe never inherits from the test run: each test sets the ones it means.
INHERITED_NOT = ("DJANGO_", "DATABASE_", "REDIS_")


def run_probe(code: str, **env) -> subprocess.CompletedProcess:
    """Run `code` (Python) with config.settings and `env` on top of a clean environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_NOT)}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


@functools.cache
def redis_cache_settings(url: str, timeout: str = "") -> dict:
    """The default cache exactly as config/settings.py builds it for REDIS_URL=url (and
    REDIS_TIMEOUT=timeout when given), for a test to put in settings.CACHES."""
    env = {"REDIS_URL": url, **({"REDIS_TIMEOUT": timeout} if timeout else {})}
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CACHES['default']))"
    )
    run = run_probe(code, **env)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)
