"""Signing in: the admin answers where PODIUM_ADMIN_URL says and only there; failed logins are
throttled (django-axes): five wrong passwords for one username from one address lock that pair
out, with a page of the site's own, until the cool-off ends or an administrator clears it;
Django's password validators refuse weak passwords wherever one is set.

The test client's force_login skips axes; the lockout tests log in through the admin's login
form, as a person does. Who reaches which page once signed in: tests/security/test_access.py."""

import datetime
import importlib
import importlib.util
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from conferences.ops.client_address import client_address

from ..factories import ConferenceFactory

pytestmark = pytest.mark.django_db

PASSWORD = "not-a-real-password-42"
HOME = "127.0.0.1"  # the test client's address
ELSEWHERE = "192.0.2.7"  # a documentation address: a header value only, nothing is sent there
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def quick_hashes(settings):
    """Every sign-in here hashes a password: the fast test hasher keeps the file quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Where the admin lives: PODIUM_ADMIN_URL ----------------------------------------------------


@pytest.fixture
def admin_at(settings):
    """Serve the admin under another prefix: the URLconf is read again with the setting."""
    urlconf = importlib.import_module(settings.ROOT_URLCONF)
    original = settings.PODIUM_ADMIN_URL

    def move(prefix):
        settings.PODIUM_ADMIN_URL = prefix
        clear_url_caches()
        importlib.reload(urlconf)

    yield move
    move(original)


def test_the_admin_answers_under_its_configured_prefix_only(client, admin_at):
    admin_at("editors-desk/")
    assert reverse("admin:index") == "/editors-desk/"
    response = client.get("/editors-desk/conferences/conference/")
    assert response["Location"] == "/editors-desk/login/?next=/editors-desk/conferences/conference/"
    assert client.get("/editors-desk/login/").status_code == 200
    for old in ("/admin/", "/admin/login/", "/admin/conferences/conference/"):
        assert client.get(old).status_code == 404, old
    client.force_login(User.objects.create_superuser("boss", password=PASSWORD))
    ConferenceFactory(title="Spring briefing")
    page = client.get("/editors-desk/conferences/conference/")
    assert page.status_code == 200
    assert "Spring briefing" in page.content.decode()


def test_robots_txt_names_the_default_admin_but_never_a_custom_one(client, admin_at):
    """Scanners read robots.txt first: a prefix chosen to be unguessable is not listed there.
    (The admin's pages ask robots not to index them either way.)"""
    assert "Disallow: /admin/\n" in client.get("/robots.txt").content.decode()
    admin_at("editors-desk/")
    assert client.get("/robots.txt").content.decode() == (
        "User-agent: *\n"
        "Disallow: /statements/feed/\n"
        "Disallow: /statements/export\n"
        "Allow: /\n"
        "\n"
        "Sitemap: http://testserver/sitemap.xml\n"
    )
    assert (
        '<meta name="robots" content="NONE,NOARCHIVE">'
        in client.get("/editors-desk/login/").content.decode()
    )


def read_settings(monkeypatch, **env):
    """config/settings.py executed afresh with `env` (None unsets a variable), as a module of
    its own: the running settings stay as they are."""
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    path = ROOT / "config" / "settings.py"
    spec = importlib.util.spec_from_file_location("settings_as_read", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("value", "read"),
    [(None, "admin/"), ("editors-desk", "editors-desk/"), ("/desk/podium/", "desk/podium/")],
)
def test_podium_admin_url_is_read_from_the_environment(monkeypatch, value, read):
    admin_url = read_settings(monkeypatch, PODIUM_ADMIN_URL=value).PODIUM_ADMIN_URL
    assert admin_url == read


@pytest.mark.parametrize("value", ["", "/", "desk here/", "../admin", "desk?x=1"])
def test_a_podium_admin_url_that_is_no_plain_path_is_refused_at_start(monkeypatch, value):
    message = "PODIUM_ADMIN_URL must be a path of letters, digits, '-' and '_' separated by '/'"
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        read_settings(monkeypatch, PODIUM_ADMIN_URL=value)


# Failed sign-ins: django-axes ---------------------------------------------------------------


@pytest.fixture
def editor_account():
    user = User.objects.create_user("darrow", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def sign_in(client, password, username="darrow", address=HOME):
    data = {"username": username, "password": password, "next": reverse("admin:index")}
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=address)


def fail(client, times, **who):
    for attempt in range(times):
        response = sign_in(client, f"wrong-guess-{attempt}", **who)
        assert response.status_code == 200  # the login form again, with its error
        assert "Please enter the correct username and password" in response.content.decode()


def lock_out(client, **who):
    """Four wrong passwords, then the fifth, which is answered with the lockout page."""
    fail(client, 4, **who)
    assert sign_in(client, "wrong-guess-4", **who).status_code == 429


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_fifth_failure_locks_the_account_out_even_with_the_right_password(
    client, editor_account
):
    lock_out(client)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    html = response.content.decode()
    assert "<h1>Too many failed sign-ins</h1>" in html
    assert (
        "After 5 wrong passwords for <strong>darrow</strong> from this address, signing in is "
        "paused for 15 minutes. Every further attempt in the meantime starts the wait again."
    ) in html
    assert f'<a href="{reverse("admin:login")}">sign in again</a>' in html
    assert AccessAttempt.objects.get().failures_since_start == 6


def test_the_lockout_page_is_the_sites_own_without_inline_script_or_style(client, editor_account):
    lock_out(client)
    response = sign_in(client, PASSWORD)
    html = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert '<link rel="stylesheet" href="/static/css/podium.css">' in html
    assert '<a class="brand" href="/">Podium</a>' in html
    assert '<meta name="robots" content="noindex">' in html
    assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/js/podium.js" defer>']
    assert "<style" not in html
    assert " style=" not in html
    assert re.search(r"\son[a-z]+=", html) is None  # no inline event handlers


def test_four_failures_then_the_right_password_signs_in_and_starts_the_count_again(
    client, editor_account
):
    fail(client, 4)
    response = sign_in(client, PASSWORD)
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
    assert signed_in(client)
    assert not AccessAttempt.objects.exists()  # AXES_RESET_ON_SUCCESS
    client.logout()
    fail(client, 4)  # four more do not lock: the earlier four were forgotten
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_lock_holds_the_username_from_that_address_only(client, editor_account):
    User.objects.create_user("ilse", password=PASSWORD, is_staff=True)
    lock_out(client)
    assert sign_in(client, PASSWORD).status_code == 429
    # Nobody elsewhere is locked out by a stranger's guesses, nor another account here.
    assert sign_in(client, PASSWORD, address=ELSEWHERE).status_code == 302
    client.logout()
    assert sign_in(client, PASSWORD, username="ilse").status_code == 302
    client.logout()
    assert sign_in(client, PASSWORD).status_code == 429  # those sign-ins lifted nothing here


def test_behind_a_proxy_the_lock_holds_the_forwarded_client_address(
    client, editor_account, settings
):
    """With PODIUM_PROXY_COUNT=1 every request comes from the proxy's address; the lock must hold
    the client's (the last X-Forwarded-For hop), or a stranger could lock an editor out."""
    settings.PODIUM_PROXY_COUNT = 1
    proxy = "10.0.0.2"

    def via_proxy(password, forwarded):
        data = {"username": "darrow", "password": password, "next": reverse("admin:index")}
        return client.post(
            reverse("admin:login"), data, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded
        )

    # The stranger's own claims (the left of the header) change nothing: the proxy's entry counts.
    for attempt in range(5):
        claimed = f"203.0.113.{attempt}, {ELSEWHERE}"
        assert via_proxy(f"wrong-guess-{attempt}", claimed).status_code == (
            429 if attempt == 4 else 200
        )
    assert via_proxy(PASSWORD, ELSEWHERE).status_code == 429
    assert via_proxy(PASSWORD, HOME).status_code == 302  # the editor, through the same proxy
    assert AccessAttempt.objects.get().ip_address == ELSEWHERE


@pytest.mark.parametrize(
    ("hops", "forwarded", "address"),
    [
        (0, "198.51.100.9", "10.0.0.2"),  # no proxy of ours: the header is the client's word
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "203.0.113.1, 198.51.100.9", "198.51.100.9"),
        (2, "203.0.113.1, 198.51.100.9, 10.0.0.3", "198.51.100.9"),
        (2, "198.51.100.9", "10.0.0.2"),  # fewer hops than proxies: not through them all
        (1, "", "10.0.0.2"),
    ],
)
def test_client_address_counts_the_proxies_from_the_right(settings, hops, forwarded, address):
    settings.PODIUM_PROXY_COUNT = hops
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == address


def test_podium_proxy_count_is_read_from_the_environment(monkeypatch):
    assert read_settings(monkeypatch, PODIUM_PROXY_COUNT="2").PODIUM_PROXY_COUNT == 2
    assert read_settings(monkeypatch, PODIUM_PROXY_COUNT=None).PODIUM_PROXY_COUNT == 0


def test_an_unknown_username_is_locked_out_alike(client):
    """The answer never tells whether an account exists."""
    lock_out(client, username="nobody")
    response = sign_in(client, "anything", username="nobody")
    assert response.status_code == 429
    assert "After 5 wrong passwords for <strong>nobody</strong>" in response.content.decode()


def test_the_lock_ends_after_the_cool_off(client, editor_account):
    lock_out(client)
    attempt = AccessAttempt.objects.get()
    now = timezone.now()
    AccessAttempt.objects.update(attempt_time=now - datetime.timedelta(minutes=14))
    assert sign_in(client, PASSWORD).status_code == 429  # and the wait starts again
    attempt.refresh_from_db()
    assert attempt.attempt_time >= now
    AccessAttempt.objects.update(attempt_time=now - datetime.timedelta(minutes=15, seconds=1))
    assert sign_in(client, PASSWORD).status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("axes_reset_ip_username", [HOME, "darrow"]),
        ("axes_reset_username", ["darrow"]),
        ("axes_reset", []),
    ],
)
def test_an_administrator_clears_the_lock_with_a_command(client, editor_account, command, args):
    lock_out(client)
    assert sign_in(client, PASSWORD).status_code == 429
    call_command(command, *args, stdout=None)
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, PASSWORD).status_code == 302


def test_a_superuser_sees_and_clears_locks_in_the_admin(client, editor_account):
    lock_out(client)
    boss = User.objects.create_superuser("boss", password=PASSWORD)
    client.force_login(boss)
    attempt = AccessAttempt.objects.get()
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "darrow" in client.get(changelist).content.decode()
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    client.logout()
    assert sign_in(client, PASSWORD).status_code == 302


@pytest.mark.parametrize(("value", "minutes"), [(None, 15), ("", 15), ("30", 30)])
def test_the_cool_off_is_read_from_the_environment(monkeypatch, value, minutes):
    cool_off = read_settings(monkeypatch, PODIUM_LOGIN_COOLOFF_MINUTES=value).AXES_COOLOFF_TIME
    assert cool_off == datetime.timedelta(minutes=minutes)


@pytest.mark.parametrize("value", ["0", "-5", "2.5", "a quarter hour"])
def test_a_cool_off_that_is_no_whole_number_of_minutes_is_refused_at_start(monkeypatch, value):
    """Not even 0: axes takes no cool-off for a lock that never ends."""
    message = "PODIUM_LOGIN_COOLOFF_MINUTES must be a whole number of minutes, 1 or more "
    with pytest.raises(ImproperlyConfigured, match=re.escape(f"{message}(got {value!r}).")):
        read_settings(monkeypatch, PODIUM_LOGIN_COOLOFF_MINUTES=value)


def test_starting_django_writes_nothing_to_stdout():
    """`export_archive -` writes its data to stdout: axes' start-up banner (AXES_VERBOSE) would
    land in front of it."""
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""


# Passwords: Django's validators, wherever a password is set ------------------------------

# password -> the validators' messages, in AUTH_PASSWORD_VALIDATORS' order
WEAK = {
    "Zq7!x": ["This password is too short. It must contain at least 8 characters."],
    "password1": ["This password is too common."],
    "40917365": ["This password is entirely numeric."],
    "12345678": ["This password is too common.", "This password is entirely numeric."],
    "mirandola": ["The password is too similar to the username."],
}


def test_the_admin_refuses_a_weak_password_for_a_new_user(admin_client):
    for password, messages in WEAK.items():
        data = {"username": "mirandola", "usable_password": "true"}
        data |= {"password1": password, "password2": password}
        response = admin_client.post(reverse("admin:auth_user_add"), data)
        assert response.status_code == 200, password
        assert response.context["adminform"].form.errors == {"password2": messages}, password
    assert not User.objects.filter(username="mirandola").exists()


def test_the_admin_refuses_a_weak_password_when_setting_one(admin_client):
    user = User.objects.create_user("mirandola", password=PASSWORD)
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    for password, messages in WEAK.items():
        data = {"password1": password, "password2": password, "usable_password": "true"}
        response = admin_client.post(url, data)
        assert response.status_code == 200, password
        assert response.context["form"].errors == {"password2": messages}, password
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changepassword_refuses_a_weak_password(monkeypatch):
    user = User.objects.create_user("mirandola", password=PASSWORD)
    typed = iter(password for password in ["12345678", "mirandola", "Zq7!x"] for _ in "12")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    err = io.StringIO()
    with pytest.raises(CommandError, match="after 3 attempts"):
        call_command("changepassword", "mirandola", stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [*WEAK["12345678"], *WEAK["mirandola"], *WEAK["Zq7!x"]]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
