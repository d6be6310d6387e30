"""Every public page runs the same number of queries for 1 row as for 25, and at most 10."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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

MAX_QUERIES = 10


def make_archive(n):
    """n conferences, speakers, topics and statements, all linked, all published."""
    outlet = OrganizationFactory(kind="media")
    topics = [TopicFactory() for _ in range(n)]
    conference = first_speaker = None
    for i in range(n):
        conference = ConferenceFactory(
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=40 * i)
        )
        speaker = SpeakerFactory(country="NO")
        first_speaker = first_speaker or speaker
        RoleFactory(speaker=speaker, organization=OrganizationFactory())
        source = SourceDocumentFactory(conference=conference, outlet=outlet)
        for sequence in (1, 2):
            statement = StatementFactory(
                conference=conference,
                speaker=speaker,
                source=source,
                sequence=sequence,
                text=f"Synthetic fisheries remark {i}-{sequence}.",
            )
            statement.topics.set(topics[: i + 1])
    return {
        "topic": topics[0],
        "speaker": first_speaker,
        "conference": conference,
        "statement": statement,
    }


def urls(archive):
    conference = archive["conference"]
    return [
        "/",
        "/statements/",
        "/statements/?q=fisheries",
        f"/statements/?topic={archive['topic'].slug}&speaker={archive['speaker'].pk}&country=NO&year=2020",
        f"/s/{archive['statement'].public_id}/",
        "/conferences/?year=2020",
        conference.get_absolute_url(),
        "/speakers/",
        archive["speaker"].get_absolute_url(),
        "/topics/",
        archive["topic"].get_absolute_url(),
    ]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_counts_do_not_grow_with_rows(client):
    small = [count_queries(client, url) for url in urls(make_archive(1))]
    StatementFactory._meta.model.objects.all().delete()
    big_archive = make_archive(25)
    # The same kinds of page, now listing 25 of everything.
    big = [count_queries(client, url) for url in urls(big_archive)]
    assert big == small
    assert max(big) <= MAX_QUERIES, dict(zip(urls(big_archive), big, strict=True))
