"""A Redis that stops answering costs Podium its cache, never a page or a login.

The cache is configured exactly as config/settings.py builds it from REDIS_URL and REDIS_TIMEOUT
(read by a settings probe), pointed at a Redis that is not there: an address where nothing
listens (every connect refused, as when Redis has stopped) or a socket that takes connections and
never answers (a Redis host that has hung). Pages are then rendered from the database each time,
editors sign in with their sessions in the database, and every ignored cache call is logged.
"""

import contextlib
import logging
import signal
import socket

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences.public.cards import card_name

from ..ports import unused_port
from ..public import test_cards
from ..settings_probe import redis_cache_settings
from . import test_page_cache

pytestmark = pytest.mark.django_db

media = test_cards.media
statement = test_cards.statement
renders = test_cards.renders
quote = test_page_cache.quote  # Ilse Varnholt: "The harbour stays open."
CACHED_DB = "django.contrib.sessions.backends.cached_db"
PASSWORD = "not-a-real-password-42"  # a test account


@pytest.fixture
def ignored(caplog):
    """The cache calls django-redis failed and ignored, as logged by "django_redis.cache" (which
    config/settings.py keeps out of the root logger, where caplog listens)."""
    logger = logging.getLogger("django_redis.cache")
    logger.addHandler(caplog.handler)
    yield lambda: [r for r in caplog.records if r.name == "django_redis.cache"]
    logger.removeHandler(caplog.handler)


@pytest.fixture
def redis_refusing(settings):
    """REDIS_URL names an address where nothing listens: Redis has stopped."""
    settings.CACHES = {"default": redis_cache_settings(f"redis://127.0.0.1:{unused_port()}/0")}
    settings.SESSION_ENGINE = CACHED_DB


@pytest.fixture
def redis_silent(settings):
    """REDIS_URL names a socket that takes connections and never says a word: a hung Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)  # connections wait in the backlog; nothing ever reads or writes them
    port = server.getsockname()[1]
    settings.CACHES = {
        "default": redis_cache_settings(f"redis://127.0.0.1:{port}/0", timeout="0.05")
    }
    settings.SESSION_ENGINE = CACHED_DB
    yield
    server.close()


class StillWaiting(BaseException):
    """Raised by the alarm of `at_most`: a BaseException, so that neither redis-py, django-redis
    nor Django's handler turns it into a cache miss or an error page."""


@contextlib.contextmanager
def at_most(seconds: int):
    """Fail the block with StillWaiting after `seconds`, instead of hanging the test run."""

    def expire(signum, frame):
        raise StillWaiting(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def visit(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


PAGES = [
    ("/", "text/html; charset=utf-8", "Ilse Varnholt"),
    ("/statements/", "text/html; charset=utf-8", "The harbour stays open."),
    ("/statements/?country=NO", "text/html; charset=utf-8", "The harbour stays open."),
    ("/s/{id}/", "text/html; charset=utf-8", "The harbour stays open."),
    ("/conferences/2024/05/06/harbour/", "text/html; charset=utf-8", "Harbour briefing"),
    ("/speakers/ilse-varnholt/", "text/html; charset=utf-8", "The harbour stays open."),
    ("/api/v1/statements/", "application/json", "The harbour stays open."),
]


@pytest.mark.parametrize(("url", "content_type", "shown"), PAGES)
def test_with_redis_stopped_every_page_comes_from_the_database(
    client, quote, redis_refusing, ignored, url, content_type, shown
):
    url = url.format(id=quote.public_id)
    visits = [visit(client, url) for _ in range(3)]
    for response, _ in visits:
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert shown in response.content.decode()
    # Nothing was kept: the later visits read the database as much as each other (the first
    # also read the archive's version, which a process remembers for a moment without Redis);
    # with a working cache they would make no query at all.
    assert visits[1][1] == visits[2][1] > 0
    failures = ignored()
    assert failures, "the failed cache calls are logged"
    assert {r.exc_info[0].__name__ for r in failures} == {"ConnectionInterrupted"}
    assert all("Connection refused" in str(r.exc_info[1]) for r in failures)


def test_with_redis_stopped_a_share_card_is_drawn_and_kept_on_disk(
    client, redis_refusing, media, statement, renders
):
    url = f"/s/{statement.public_id}/card.png"
    first = client.get(url)
    second = client.get(url)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first["Content-Type"] == second["Content-Type"] == "image/png"
    assert first.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert second.content == first.content
    # Drawn once; the second visit read the file every node shares (the media storage).
    assert renders == [statement.public_id]
    role = statement.speaker.roles.get()
    assert [f"cards/{path.name}" for path in (media / "cards").iterdir()] == [
        card_name(statement, role)
    ]


def test_with_redis_stopped_an_editor_signs_in_and_out(client, redis_refusing):
    User.objects.create_user("halvor", password=PASSWORD, is_staff=True, is_superuser=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "halvor", "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert django_settings.SESSION_ENGINE == CACHED_DB
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert index.wsgi_request.user.username == "halvor"
    # The session lives in the database, so a logout ends it although Redis is gone.
    assert client.post(reverse("admin:logout")).status_code == 200
    after = client.get(reverse("admin:index"))
    assert after.status_code == 302
    assert after["Location"] == f"{reverse('admin:login')}?next={reverse('admin:index')}"


def test_a_hung_redis_costs_each_request_its_timeout_not_the_worker(
    client, quote, redis_silent, ignored
):
    # Without REDIS_TIMEOUT the first cache call would wait for ever; the alarm makes that a
    # failure. With it, each call gives up after 0.05 s and the page is rendered.
    with at_most(20):
        response = client.get(quote.get_absolute_url())
    assert response.status_code == 200
    assert "The harbour stays open." in response.content.decode()
    failures = ignored()
    assert failures
    assert all("Timeout" in str(r.exc_info[1]) for r in failures)
