"""No state in a node: with REDIS_URL, what one app node keeps is there for every other node.

A "node" here is what another gunicorn machine would have of its own: its own session store
object, its own record of the archive's version (conferences/ops/caching.py `_versions`) and its own
media folder; what nodes share is the database and the Redis at 127.0.0.1:6379. The tests use
Redis database 15 under a key prefix of their own, and delete only their own keys afterwards
(never FLUSHDB: other test runs may share that database).
"""

import datetime
import uuid
from importlib import import_module
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences.editorial import workflow
from conferences.models import Conference
from conferences.ops import caching
from conferences.public.cards import card_name
from conferences.public.views import cards as card_views

from ..factories import ConferenceFactory, SpeakerFactory, StatementFactory
from ..public import test_cards
from ..settings_probe import redis_cache_settings, run_probe

pytestmark = pytest.mark.django_db

# The card tests' fixtures: a statement with a role, and the cards drawn.
statement = test_cards.statement
renders = test_cards.renders

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/15"
PASSWORD = "not-a-real-password-42"  # a test account
CACHED_DB = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def shared_redis(settings):
    """The cache and sessions as config/settings.py sets them when REDIS_URL is set, under a key
    prefix of this test's own. Yields a raw Redis client and the prefix."""
    prefix = f"podium-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {"default": {**redis_cache_settings(REDIS), "KEY_PREFIX": prefix}}
    settings.SESSION_ENGINE = CACHED_DB
    raw = redis.Redis.from_url(REDIS)
    try:
        yield raw, prefix
    finally:
        empty(raw, prefix)
        raw.close()


def empty(raw, prefix):
    """Redis restarting empty, for this test's keys."""
    keys = list(raw.scan_iter(match=f"{prefix}:*"))
    if keys:
        raw.delete(*keys)


# Sessions --------------------------------------------------------------------------------------

SESSION_PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.SESSION_ENGINE)"
)


def session_engine(**env):
    run = run_probe(SESSION_PROBE, **env)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_sessions_are_read_through_redis_only_when_redis_url_is_set():
    assert session_engine() == "django.contrib.sessions.backends.db"
    assert session_engine(REDIS_URL=REDIS) == CACHED_DB


def sign_in(client):
    user = User.objects.create_user("odile", password=PASSWORD, is_staff=True, is_superuser=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "odile", "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    return user, client.cookies[django_settings.SESSION_COOKIE_NAME].value


def on_another_node(session_key):
    """A client that holds only the session cookie, as a browser sent to another node does."""
    other = Client()
    other.cookies[django_settings.SESSION_COOKIE_NAME] = session_key
    return other


def test_a_login_on_one_node_is_read_from_redis_by_another(client, shared_redis):
    raw, prefix = shared_redis
    user, key = sign_in(client)
    assert raw.exists(f"{prefix}:1:django.contrib.sessions.cached_db{key}") == 1
    # Without the database row, the session can only come from Redis.
    assert Session.objects.filter(session_key=key).delete()[0] == 1

    fresh = import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=key)
    assert fresh[SESSION_KEY] == str(user.pk)
    response = on_another_node(key).get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == user.pk


def test_a_redis_restarting_empty_logs_nobody_out(client, shared_redis):
    raw, prefix = shared_redis
    user, key = sign_in(client)
    empty(raw, prefix)
    assert raw.exists(f"{prefix}:1:django.contrib.sessions.cached_db{key}") == 0

    response = on_another_node(key).get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == user.pk
    # Read from the database, the session is back in Redis for the next node.
    assert raw.exists(f"{prefix}:1:django.contrib.sessions.cached_db{key}") == 1


# Cached pages ----------------------------------------------------------------------------------


class Node:
    """One app node's own caching state: the archive version it read last."""

    def __init__(self, monkeypatch):
        self.monkeypatch, self.versions, self.client = monkeypatch, {}, Client()

    def get(self, url):
        self.monkeypatch.setattr(caching, "_versions", self.versions)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(queries)


def test_a_publish_on_one_node_reaches_the_other_within_the_version_ttl(
    shared_redis, monkeypatch, admin_user
):
    speaker = SpeakerFactory(name="Ilse Varnholt")
    StatementFactory(
        conference=ConferenceFactory(date=datetime.date(2024, 5, 6)), speaker=speaker, sequence=1
    )
    review = ConferenceFactory(date=datetime.date(2024, 6, 1), status="review")
    StatementFactory(conference=review, speaker=speaker, sequence=1)
    now = [1000.0]
    monkeypatch.setattr(caching, "clock", lambda: now[0])
    node_a, node_b = Node(monkeypatch), Node(monkeypatch)

    assert "1 statement<" in node_b.get("/statements/")[0]
    page, queries = node_a.get("/statements/")
    assert "1 statement<" in page
    assert queries == 1  # the version only: node B's page, from Redis

    monkeypatch.setattr(caching, "_versions", node_a.versions)  # the publish happens on node A
    workflow.move(review, Conference.Status.PUBLISHED, admin_user)
    assert "2 statements<" in node_a.get("/statements/")[0]

    now[0] += caching.VERSION_TTL / 2
    assert "1 statement<" in node_b.get("/statements/")[0]  # node B trusts its version a while
    now[0] += caching.VERSION_TTL
    page, queries = node_b.get("/statements/")
    assert "2 statements<" in page
    assert queries == 1  # the new version, then node A's page from Redis


# Share cards -----------------------------------------------------------------------------------


def card_files(folder: Path) -> list[str]:
    cards = folder / "cards"
    return sorted(path.name for path in cards.iterdir()) if cards.exists() else []


def test_a_card_drawn_by_one_node_is_read_by_another(
    shared_redis, settings, tmp_path, statement, renders
):
    url = f"/s/{statement.public_id}/card.png"
    name = card_name(statement, statement.speaker.role_on(statement.conference.date))
    disk_a, disk_b = tmp_path / "node-a", tmp_path / "node-b"

    settings.MEDIA_ROOT = disk_a
    drawn = Client().get(url)
    assert (drawn.status_code, drawn["Content-Type"]) == (200, "image/png")
    assert renders == [statement.public_id]
    assert card_files(disk_a) == [name.removeprefix("cards/")]

    settings.MEDIA_ROOT = disk_b  # another machine: its own empty disk
    read = Client().get(url)
    assert (read.status_code, read["Content-Type"]) == (200, "image/png")
    assert read.content == drawn.content
    assert read["ETag"] == drawn["ETag"] == f'"{name.removesuffix(".png").rsplit("-", 1)[1]}"'
    assert renders == [statement.public_id]  # not drawn again
    assert card_files(disk_b) == []

    # The browser's copy still answers 304 on any node, without the card.
    again = Client().get(url, headers={"if-none-match": drawn["ETag"]})
    assert (again.status_code, again.content) == (304, b"")


def test_a_card_on_disk_goes_back_into_an_emptied_cache(
    shared_redis, settings, tmp_path, statement, renders
):
    raw, prefix = shared_redis
    url = f"/s/{statement.public_id}/card.png"
    settings.MEDIA_ROOT = tmp_path / "node-a"
    first = Client().get(url).content
    empty(raw, prefix)  # Redis restarted empty

    assert Client().get(url).content == first  # node A: from its disk, not drawn
    settings.MEDIA_ROOT = tmp_path / "node-b"
    assert Client().get(url).content == first  # node B: from Redis again
    assert renders == [statement.public_id]
    name = card_name(statement, statement.speaker.role_on(statement.conference.date))
    key = f"{prefix}:1:{card_views.CACHE_PREFIX}:{name}"
    assert card_views.CARD_CACHE_SECONDS - 60 < raw.ttl(key) <= card_views.CARD_CACHE_SECONDS
    # A hit does not extend a card's time (no `touch`: django-redis would let a failed one
    # raise); once the time is up, the next request puts it back for the full period.
    assert raw.expire(key, 100) is True
    assert Client().get(url).content == first
    assert 0 < raw.ttl(key) <= 100
    assert raw.delete(key) == 1  # the time is up
    settings.MEDIA_ROOT = tmp_path / "node-a"
    assert Client().get(url).content == first  # node A: from its disk, back into Redis
    assert card_views.CARD_CACHE_SECONDS - 60 < raw.ttl(key) <= card_views.CARD_CACHE_SECONDS
    assert renders == [statement.public_id]
