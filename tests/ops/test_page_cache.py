"""Whole public pages from the cache (conferences/ops/caching.py): served again without a query,
never after a change to the archive, never for another host, never a page that failed."""

import datetime

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from conferences.editorial import workflow
from conferences.models import Conference, Speaker
from conferences.ops import caching

from ..factories import ConferenceFactory, SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quote():
    speaker = SpeakerFactory(name="Ilse Varnholt", slug="ilse-varnholt", country="NO")
    conference = ConferenceFactory(
        title="Harbour briefing", slug="harbour", date=datetime.date(2024, 5, 6)
    )
    return StatementFactory(
        conference=conference, speaker=speaker, sequence=1, text="The harbour stays open."
    )


def fetch(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/s/{id}/",
        "/statements/?country=NO",
        "/statements/?q=harbour",
        "/conferences/2024/05/06/harbour/",
        "/speakers/ilse-varnholt/",
        "/",
    ],
)
def test_a_second_visit_is_the_same_page_without_a_query(client, quote, url):
    url = url.format(id=quote.public_id)
    first, first_queries = fetch(client, url)
    second, second_queries = fetch(client, url)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] == "text/html; charset=utf-8"
    # The middleware's headers are added to a kept page as to a fresh one.
    assert second["X-Frame-Options"] == first["X-Frame-Options"] == "DENY"


def test_an_edit_in_this_process_shows_at_once(client, quote):
    url = quote.get_absolute_url()
    assert "Ilse Varnholt" in client.get(url).content.decode()
    speaker = Speaker.objects.get(pk=quote.speaker_id)
    speaker.name = "Ilse Varnholt-Brenn"
    speaker.save()
    assert "Ilse Varnholt-Brenn" in client.get(url).content.decode()


def test_publishing_shows_at_once_and_withdrawing_hides_at_once(client, quote, admin_user):
    conference = ConferenceFactory(
        title="Quay briefing", slug="quay", date=datetime.date(2024, 6, 1), status="review"
    )
    StatementFactory(conference=conference, speaker=quote.speaker, sequence=1, text="Quay.")
    assert "2 statements" not in client.get("/statements/").content.decode()
    workflow.move(conference, Conference.Status.PUBLISHED, admin_user)
    assert "2 statements" in client.get("/statements/").content.decode()
    assert client.get(quote.get_absolute_url()).status_code == 200
    workflow.move(quote.conference, Conference.Status.WITHDRAWN, admin_user)
    assert client.get(quote.get_absolute_url()).status_code == 410


def test_another_process_change_shows_within_the_version_ttl(client, quote, monkeypatch):
    """A change made elsewhere (another worker or node: no signal reaches this process) shows
    once this process has read the archive's version again, VERSION_TTL seconds later."""
    url = quote.get_absolute_url()
    now = [1000.0]
    monkeypatch.setattr(caching, "clock", lambda: now[0])
    assert "Ilse Varnholt" in client.get(url).content.decode()
    assert post_save.disconnect(dispatch_uid="podium-forget-version-save")
    try:
        speaker = Speaker.objects.get(pk=quote.speaker_id)
        speaker.name = "Ilse Brenn"
        speaker.save()  # writes a history record: the version in the database changes
    finally:
        post_save.connect(caching.forget_version, dispatch_uid="podium-forget-version-save")
    now[0] += caching.VERSION_TTL / 2
    assert "Ilse Brenn" not in client.get(url).content.decode()  # still the version read before
    now[0] += caching.VERSION_TTL
    assert "Ilse Brenn" in client.get(url).content.decode()


def test_the_host_is_part_of_the_key(client, quote, settings):
    settings.ALLOWED_HOSTS = ["podium.example", "mirror.example"]
    url = quote.get_absolute_url()
    first = client.get(url, HTTP_HOST="podium.example").content.decode()
    second = client.get(url, HTTP_HOST="mirror.example").content.decode()
    assert f'<link rel="canonical" href="http://podium.example{url}">' in first
    assert f'<link rel="canonical" href="http://mirror.example{url}">' in second


def test_answers_other_than_200_are_never_kept(client, quote):
    missing = "/s/zzzzzzzz/"
    assert client.get(missing).status_code == 404
    StatementFactory(
        conference=quote.conference, speaker=quote.speaker, sequence=2, public_id="zzzzzzzz"
    )
    assert client.get(missing).status_code == 200
    # A bad filter answers 400 with its message each time, rendered afresh.
    bad = client.get("/statements/?date_from=not-a-date")
    again, again_queries = fetch(client, "/statements/?date_from=not-a-date")
    assert (bad.status_code, again.status_code) == (400, 400)
    assert again_queries > 0


def test_query_strings_are_kept_apart(client, quote):
    StatementFactory(
        conference=quote.conference,
        speaker=SpeakerFactory(name="Oda Lindqvist", country="SE"),
        sequence=2,
        text="Another word.",
    )
    norway = client.get("/statements/?country=NO").content.decode()
    sweden = client.get("/statements/?country=SE").content.decode()
    assert "The harbour stays open." in norway and "Another word." not in norway
    assert "Another word." in sweden and "The harbour stays open." not in sweden
