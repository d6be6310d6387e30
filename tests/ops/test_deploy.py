"""Production settings: the deploy check, the https redirect, and the security headers.

Settings are read from the environment when Django starts, so production is started in a
subprocess with the variables a deployment sets. Its requests go through Django's test client
against a SQLite file migrated for the purpose and static files collected as a deployment does
(the security middleware does not depend on the database, so the same holds on PostgreSQL).
"""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import simple_history
from django.urls import reverse

from benchmarks import bench
from conferences.admin.history import HISTORY_LIST_CSP, HISTORY_LIST_STYLE

from ..factories import ConferenceFactory

ROOT = Path(__file__).resolve().parents[2]
HOST = "podium.example"
# django-csp writes the directives in no fixed order: they are compared as a mapping.
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header):
    """{"default-src": "'self'", ...} from a Content-Security-Policy header."""
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k7Qp2vX9-" + "Zr4tYw8mNb3Lc6Hd1Jf5Gs0" * 3,
        DJANGO_ALLOWED_HOSTS=HOST,
    )
    env.update(extra)
    return env


def python(code, *args, env):
    run = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return run


def deploy_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


# The deploy check ------------------------------------------------------------------------------


def test_deploy_check_finds_no_issue_with_production_variables():
    run = deploy_check(production_env())
    assert run.returncode == 0, run.stdout + run.stderr
    # The one silenced check is the HSTS preload reminder (security.W021), on purpose.
    assert run.stdout.splitlines()[-1] == "System check identified no issues (1 silenced)."


def test_deploy_check_fails_when_the_https_redirect_is_switched_off():
    run = deploy_check(production_env(DJANGO_SECURE_SSL_REDIRECT="0"))
    assert run.returncode == 1
    assert "?: (security.W008) Your SECURE_SSL_REDIRECT setting is not set to True." in run.stderr
    assert "System check identified 1 issue (1 silenced)." in run.stderr


def test_deploy_check_with_hsts_preload_silences_nothing():
    run = deploy_check(production_env(DJANGO_SECURE_HSTS_PRELOAD="1"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1] == "System check identified no issues (0 silenced)."


# The settings each environment gives -----------------------------------------------------------

SETTINGS_PROBE = (
    "import django; django.setup(); from django.conf import settings as s; import json; "
    "print(json.dumps([s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
    "s.SECURE_PROXY_SSL_HEADER, s.SECURE_REDIRECT_EXEMPT, s.SECURE_REFERRER_POLICY, "
    "s.SILENCED_SYSTEM_CHECKS]))"
)


def security_settings(env):
    return json.loads(python(SETTINGS_PROBE, env=env).stdout.splitlines()[-1])


def test_production_is_https_only_by_default():
    assert security_settings(production_env()) == [
        True,
        True,
        True,
        31_536_000,
        True,
        False,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        ["^healthz$"],
        "same-origin",
        ["security.W021"],
    ]


def test_a_plain_http_deployment_switches_each_knob_off():
    env = production_env(
        DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0", DJANGO_SECURE_HSTS_SECONDS="0"
    )
    assert security_settings(env)[:4] == [False, False, False, 0]


def test_development_sends_no_hsts_and_keeps_plain_http():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    assert security_settings(env)[:4] == [False, False, False, 0]


def test_hsts_seconds_and_preload_come_from_the_environment():
    env = production_env(DJANGO_SECURE_HSTS_SECONDS="600", DJANGO_SECURE_HSTS_PRELOAD="1")
    found = security_settings(env)
    assert (found[3:6], found[-1]) == ([600, True, True], [])


# Requests to production ------------------------------------------------------------------------

# STATIC_ROOT is pointed at a temporary folder before Django starts, so collected files of a
# test run never land in the project's staticfiles/.
PREPARE = (
    "import sys; from django.conf import settings; settings.STATIC_ROOT = sys.argv[1]; "
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('migrate', verbosity=0); "
    "call_command('collectstatic', '--noinput', verbosity=0)"
)
REQUESTS = """
import json, sys
from django.conf import settings
settings.STATIC_ROOT = sys.argv[1]
import django
django.setup()
from django.test import Client

client = Client(HTTP_HOST=sys.argv[2])
answers = {}
for name, (path, scheme) in json.loads(sys.argv[3]).items():
    extra = {"HTTP_X_FORWARDED_PROTO": scheme} if scheme else {}
    response = client.get(path, **extra)
    answers[name] = {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {key: bool(morsel["secure"]) for key, morsel in response.cookies.items()},
        "body": b"".join(response).decode(),
    }
with open(sys.argv[4], "w") as out:
    json.dump(answers, out)
"""


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """A migrated SQLite file and collected static files, and a function that sends requests
    ({name: (path, X-Forwarded-Proto or None)}) to Django started with a given environment."""
    folder = tmp_path_factory.mktemp("production")
    static = folder / "static"
    database = f"sqlite:///{folder / 'db.sqlite3'}"
    python(PREPARE, static, env=production_env(DATABASE_URL=database))

    def ask(requests, env, host=HOST):
        out = folder / "answers.json"
        env = {**env, "DATABASE_URL": database}
        python(REQUESTS, static, host, json.dumps(requests), out, env=env)
        return json.loads(out.read_text())

    return ask


@pytest.fixture(scope="module")
def production(deployed):
    return deployed(
        {
            "http": ("/statements/?q=quotas", None),
            "claims-http": ("/statements/", "http"),
            "https": ("/statements/", "https"),
            "healthz": ("/healthz", None),
            "healthz-https": ("/healthz", "https"),
            "login": ("/admin/login/", "https"),
            "missing": ("/no-such-page/", "https"),
        },
        production_env(),
    )


def test_http_is_redirected_to_https_for_good(production):
    for name, location in [
        ("http", "https://podium.example/statements/?q=quotas"),
        ("claims-http", "https://podium.example/statements/"),
    ]:
        answer = production[name]
        assert (answer["status"], answer["headers"]["Location"]) == (301, location)


def test_https_through_the_proxy_is_served_with_every_security_header(production):
    answer = production["https"]
    headers = answer["headers"]
    assert answer["status"] == 200
    assert "<h1>Statements</h1>" in answer["body"]
    assert directives(headers["Content-Security-Policy"]) == POLICY
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_healthz_answers_over_plain_http_for_load_balancers(production):
    answer = production["healthz"]
    assert (answer["status"], answer["body"]) == (200, "ok")
    assert "Strict-Transport-Security" not in answer["headers"]  # never sent over http
    assert production["healthz-https"]["headers"]["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )


def test_the_csrf_cookie_is_https_only(production):
    answer = production["login"]
    assert answer["status"] == 200
    assert answer["cookies"] == {"csrftoken": True}


def test_the_404_page_links_the_collected_stylesheet(production):
    answer = production["missing"]
    assert answer["status"] == 404
    assert "<h1>Page not found</h1>" in answer["body"]
    assert re.search(
        r'<link rel="stylesheet" href="/static/css/podium\.[0-9a-f]{12}\.css">', answer["body"]
    )
    assert directives(answer["headers"]["Content-Security-Policy"]) == POLICY


def test_make_bench_environment_serves_plain_http_on_127_0_0_1(deployed):
    """`make bench` runs gunicorn with DJANGO_DEBUG=0 over http: its pages are not redirected."""
    env = bench.environment(bench.Settings.from_environment())
    answers = deployed(
        {"statements": ("/statements/", None), "healthz": ("/healthz", None)},
        env,
        host=bench.HOST,
    )
    assert answers["statements"]["status"] == 200
    assert "<h1>Statements</h1>" in answers["statements"]["body"]
    assert (answers["healthz"]["status"], answers["healthz"]["body"]) == (200, "ok")


# The one exception to the policy: simple-history's history list -------------------------------


def test_the_history_list_template_has_exactly_the_inline_style_the_policy_allows():
    template = (
        Path(simple_history.__file__).parent
        / "templates"
        / "simple_history"
        / "object_history_list.html"
    )
    assert re.findall(r'style="([^"]*)"', template.read_text()) == [HISTORY_LIST_STYLE]
    digest = base64.b64encode(hashlib.sha256(b"border-top: 0").digest()).decode()
    assert dict(HISTORY_LIST_CSP) == {"style-src-attr": ["'unsafe-hashes'", f"'sha256-{digest}'"]}


def test_only_the_history_list_gets_the_style_hash(admin_client):
    conference = ConferenceFactory()
    history = admin_client.get(
        reverse("admin:conferences_conference_history", args=[conference.pk])
    )
    change = admin_client.get(reverse("admin:conferences_conference_change", args=[conference.pk]))
    assert history.status_code == change.status_code == 200
    assert directives(history["Content-Security-Policy"]) == {
        **POLICY,
        "style-src-attr": "'unsafe-hashes' 'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
    }
    assert directives(change["Content-Security-Policy"]) == POLICY


# Templates -------------------------------------------------------------------------------------

INLINE_CODE = re.compile(
    r"""\sstyle\s*=|\son[a-z]+\s*=|<script(?![^>]*\ssrc=)(?![^>]*type="application/ld\+json")"""
    r"""|javascript:""",
    re.IGNORECASE,
)


def test_no_template_has_inline_script_style_or_event_handler():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)!r}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for match in INLINE_CODE.finditer(path.read_text())
    ]
    assert found == []
