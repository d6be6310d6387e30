"""PODIUM_PAGE_CACHE (config/settings.py, conferences/ops/caching.py): off, every public page,
count and ranking is computed for each request, as on a first visit, and the cache is never
touched; on (the default), a second visit is served from the cache."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from conferences.models import Statement
from conferences.ops import caching

from ..factories import ConferenceFactory, SpeakerFactory, StatementFactory
from ..settings_probe import run_probe

pytestmark = pytest.mark.django_db

URLS = [
    "/s/{id}/",
    "/statements/?country=NO",
    "/statements/?q=harbour",
    "/statements/?q=harbour&country=NO&sort=relevance",
    "/conferences/2024/05/06/harbour/",
    "/speakers/ilse-varnholt/",
    "/",
]


@pytest.fixture
def quote():
    speaker = SpeakerFactory(name="Ilse Varnholt", slug="ilse-varnholt", country="NO")
    conference = ConferenceFactory(
        title="Harbour briefing", slug="harbour", date=datetime.date(2024, 5, 6)
    )
    return StatementFactory(
        conference=conference, speaker=speaker, sequence=1, text="The harbour stays open."
    )


@pytest.fixture
def page_cache_off(settings):
    settings.PODIUM_PAGE_CACHE = False


class Untouchable:
    """Stands in for the cache: any use of it fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"the cache was used (cache.{name}) with the page cache off")


def fetch(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


@pytest.mark.parametrize("url", URLS)
def test_page_cache_off_a_second_visit_runs_the_same_queries(
    client, quote, page_cache_off, monkeypatch, url
):
    monkeypatch.setattr(caching, "cache", Untouchable())
    url = url.format(id=quote.public_id)

    first, first_queries = fetch(client, url)
    second, second_queries = fetch(client, url)

    assert (first.status_code, second.status_code) == (200, 200)
    assert first_queries > 0
    assert second_queries == first_queries
    assert second.content == first.content


@pytest.mark.parametrize("url", URLS)
def test_page_cache_on_a_second_visit_runs_no_query(client, quote, url):
    url = url.format(id=quote.public_id)

    first, first_queries = fetch(client, url)
    second, second_queries = fetch(client, url)

    assert (first.status_code, second.status_code) == (200, 200)
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content


def test_page_cache_off_the_list_reads_no_version(client, quote, page_cache_off):
    """The archive's version keys nothing while the cache is off: no query reads it."""
    response, _ = fetch(client, "/statements/?country=NO")

    assert response.status_code == 200
    assert caching.current_version() == caching.UNCACHED
    assert caching._versions == {}


PAGES = ["/s/{id}/", "/statements/?country=NO", "/conferences/2024/05/06/harbour/"]


def quietly_changed(quote) -> None:
    """A change no signal reports, which moves no history and no `updated_at` either (a
    QuerySet.update(); the version of the archive stays the same)."""
    Statement.objects.filter(pk=quote.pk).update(text="The harbour closes at dawn.")


def test_page_cache_off_a_changed_row_shows_at_once(client, quote, page_cache_off):
    pages = [url.format(id=quote.public_id) for url in PAGES]
    for url in pages:
        assert "The harbour stays open." in client.get(url).content.decode(), url

    quietly_changed(quote)

    for url in pages:
        page = client.get(url).content.decode()
        assert "The harbour closes at dawn." in page, url
        assert "The harbour stays open." not in page, url


def test_page_cache_on_the_same_change_is_not_seen(client, quote):
    """The contrast: with the cache on, such a change is unseen until TIMEOUT (caching.py)."""
    pages = [url.format(id=quote.public_id) for url in PAGES]
    for url in pages:
        client.get(url)

    quietly_changed(quote)

    for url in pages:
        assert "The harbour stays open." in client.get(url).content.decode(), url


@pytest.mark.parametrize(("switch", "computed"), [(True, 1), (False, 3)])
def test_get_or_compute_computes_every_time_only_with_the_cache_off(settings, switch, computed):
    settings.PODIUM_PAGE_CACHE = switch
    calls = []

    def compute():
        calls.append(1)
        return [3, 1, 2]

    params = QueryDict("q=harbour&country=NO")
    values = [caching.get_or_compute("ranked", "v1", params, compute) for _ in range(3)]

    assert values == [[3, 1, 2]] * 3
    assert len(calls) == computed


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", "True"), ("1", "True"), ("on", "True"), ("0", "False"), ("off", "False")],
)
def test_page_cache_setting_reads_podium_page_cache(value, expected):
    run = run_probe(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.PODIUM_PAGE_CACHE)",
        PODIUM_PAGE_CACHE=value,
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == expected
