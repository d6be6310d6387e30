"""The permalink and the conference page, rendered as on a first visit (page cache off), run an
exact number of queries, whatever the statement or the transcript holds, and never read a
source's pasted text (a whole transcript, tens of kilobytes) they do not show."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferences.models import Correction, StatementReport

from ..factories import (
    ConferenceFactory,
    OrganizationFactory,
    RoleFactory,
    SourceDocumentFactory,
    SpeakerFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

PERMALINK_QUERIES = 3  # the statement with all it shows on one row, the speaker's roles, topics
CONFERENCE_QUERIES = 5  # the conference, its statements, their speakers' roles, topics, sources
SOURCE_TEXT = '"conferences_sourcedocument"."text"'


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.PODIUM_PAGE_CACHE = False


@pytest.fixture
def transcript():
    """A published conference of five statements by two speakers, numbered 1, 2, 4, 7 and 8
    (a split or a deletion leaves gaps), from a source with a long pasted text."""
    ministry = OrganizationFactory(name="Ministry of Norlandia", slug="ministry-of-norlandia")
    conference = ConferenceFactory(
        title="Harbour briefing", slug="harbour", date=datetime.date(2024, 5, 6), host=ministry
    )
    source = SourceDocumentFactory(
        conference=conference, text="MS. VARNHOLT: The harbour stays open. " * 500
    )
    varnholt = SpeakerFactory(name="Ilse Varnholt", slug="ilse-varnholt", country="NO")
    RoleFactory(
        speaker=varnholt,
        title="Minister of Coastal Affairs",
        organization=ministry,
        started_on=datetime.date(2020, 1, 1),
    )
    RoleFactory(speaker=varnholt, title="Deputy Minister", ended_on=datetime.date(2019, 12, 31))
    okafor = SpeakerFactory(name="Tade Okafor", slug="tade-okafor")
    harbours = TopicFactory(name="Harbours", slug="harbours")
    made = {}
    for sequence, speaker in [
        (1, varnholt),
        (2, okafor),
        (4, varnholt),
        (7, okafor),
        (8, varnholt),
    ]:
        statement = StatementFactory(
            conference=conference,
            speaker=speaker,
            source=source,
            sequence=sequence,
            text=f"Statement number {sequence} on the harbour.",
        )
        statement.topics.set([harbours])
        made[sequence] = statement
    return made


def fetch(client, url) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def test_a_permalink_runs_three_queries(client, transcript):
    for statement in transcript.values():
        html, sql = fetch(client, statement.get_absolute_url())
        assert len(sql) == PERMALINK_QUERIES, sql
        assert not [query for query in sql if SOURCE_TEXT in query]
        assert f"Statement number {statement.sequence} on the harbour." in html


def test_a_permalink_shows_the_role_held_that_day_and_its_organisation(client, transcript):
    html, sql = fetch(client, transcript[4].get_absolute_url())
    assert len(sql) == PERMALINK_QUERIES
    assert "Ilse Varnholt</a>, Minister of Coastal Affairs (Norway)" in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])
    assert data["creator"]["jobTitle"] == "Minister of Coastal Affairs"
    assert data["creator"]["affiliation"] == {
        "@type": "Organization",
        "name": "Ministry of Norlandia",
    }
    assert data["isPartOf"]["organizer"]["name"] == "Ministry of Norlandia"
    assert '<a href="/topics/harbours/">Harbours</a>' in html


def neighbours(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'<a href="/s/([^/]+)/" rel="(prev|next)">([^<]*)</a>', html)


def test_a_permalinks_neighbours_are_the_statements_before_and_after_it(client, transcript):
    html, _ = fetch(client, transcript[4].get_absolute_url())
    assert neighbours(html) == [
        (transcript[2].public_id, "prev", "← Previous: Tade Okafor"),
        (transcript[7].public_id, "next", "Next: Tade Okafor →"),
    ]
    first, _ = fetch(client, transcript[1].get_absolute_url())
    assert neighbours(first) == [(transcript[2].public_id, "next", "Next: Tade Okafor →")]
    last, _ = fetch(client, transcript[8].get_absolute_url())
    assert neighbours(last) == [(transcript[7].public_id, "prev", "← Previous: Tade Okafor")]


def test_corrections_and_reports_are_read_only_when_a_statement_has_some(client, transcript):
    statement = transcript[4]
    Correction.objects.create(
        statement=statement,
        kind=Correction.Kind.TEXT,
        note="A word was misheard.",
        previous_text="Statement number four on the harbor.",
    )
    html, sql = fetch(client, statement.get_absolute_url())
    assert len(sql) == PERMALINK_QUERIES + 1
    assert '<a class="badge" href="#corrections">Corrected</a>' in html
    assert '<p class="correction-note">A word was misheard.</p>' in html
    article = SourceDocumentFactory(conference=statement.conference, title="Harbour news")
    StatementReport.objects.create(
        statement=statement,
        source=article,
        quoted_text="Statement number 4 on the harbour.",
        similarity=1.0,
    )
    html, sql = fetch(client, statement.get_absolute_url())
    assert len(sql) == PERMALINK_QUERIES + 2
    assert '<h2 id="reports-heading">Reported by</h2>' in html
    assert '<q class="report-quote">Statement number 4 on the harbour.</q>' in html
    # The other statements have neither: three queries still.
    assert len(fetch(client, transcript[2].get_absolute_url())[1]) == PERMALINK_QUERIES


def test_a_conference_page_runs_five_queries_however_long_its_transcript(client, transcript):
    conference = transcript[1].conference
    html, sql = fetch(client, conference.get_absolute_url())
    assert len(sql) == CONFERENCE_QUERIES
    assert not [query for query in sql if SOURCE_TEXT in query]
    assert html.count('<article class="statement"') == 5
    for number in range(3):
        speaker = SpeakerFactory(name=f"Speaker {number}")
        RoleFactory(speaker=speaker, title=f"Envoy {number}", organization=OrganizationFactory())
        for sequence in range(10 + 10 * number, 20 + 10 * number):
            StatementFactory(conference=conference, speaker=speaker, sequence=sequence)
    html, sql = fetch(client, conference.get_absolute_url())
    assert len(sql) == CONFERENCE_QUERIES
    assert html.count('<article class="statement"') == 35
    assert html.count('<span class="role">Envoy 2</span>') == 10
    assert html.count('<span class="role">Minister of Coastal Affairs</span>') == 3


def test_a_cosmetic_suffix_redirects_after_one_query(client, transcript):
    public_id = transcript[2].public_id
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/s/{public_id}/tade-okafor-on-the-harbour")
    assert response.status_code == 301
    assert response["Location"] == f"/s/{public_id}/"
    assert len(queries) == 1
