"""/api/v1/conferences/: each page counts the statements of its own conferences only, in one
query, so that a page costs the same at a hundred statements as at a million (counting every
conference's statements before paging took seconds there)."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferences.models import Conference

from ..factories import ConferenceFactory, SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db

STATEMENT_TABLE = '"conferences_statement"'
PAGE_IDS = re.compile(r'"conference_id" IN \(([\d, ]+)\)')


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The throttle counts requests in the cache: each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def conferences():
    """Four published conferences, "d" the newest, with 4, 3, 2 and 1 statements ("a" has
    one): the first of each is a question, the others answers. A draft has six answers."""
    speaker = SpeakerFactory(country="NO")
    made = {}
    for number, slug in enumerate("abcd", 1):
        conference = ConferenceFactory(slug=slug, date=datetime.date(2024, 1, number))
        for sequence in range(1, number + 1):
            kind = "question" if sequence == 1 else "answer"
            StatementFactory(conference=conference, speaker=speaker, sequence=sequence, kind=kind)
        made[slug] = conference
    draft = ConferenceFactory(
        slug="draft", date=datetime.date(2024, 1, 9), status=Conference.Status.DRAFT
    )
    for sequence in range(1, 7):
        StatementFactory(conference=draft, speaker=speaker, sequence=sequence, kind="answer")
    made["draft"] = draft
    return made


def listed(client, query: str) -> tuple[list[tuple[str, int]], int, list[str]]:
    """(slug, statements_count) of each row, the list's count, and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/conferences/?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    rows = [(row["slug"], row["statements_count"]) for row in body["results"]]
    return rows, body["count"], [query["sql"] for query in queries.captured_queries]


def test_each_page_counts_its_own_conferences_statements(client, conferences):
    first, count, _ = listed(client, "page_size=2")
    second, _, _ = listed(client, "page_size=2&page=2")
    assert count == 4
    assert first == [("d", 4), ("c", 3)]
    assert second == [("b", 2), ("a", 1)]


def test_a_filter_counts_matching_statements_and_drops_conferences_without_any(client, conferences):
    rows, count, _ = listed(client, "kind=answer")
    assert count == 3  # "a" has only its question
    assert rows == [("d", 3), ("c", 2), ("b", 1)]
    rows, count, _ = listed(client, "kind=question&page_size=3&page=2")
    assert count == 4
    assert rows == [("a", 1)]


def test_the_detail_counts_the_conferences_statements(client, conferences):
    response = client.get(f"/api/v1/conferences/{conferences['c'].pk}/")
    assert response.json()["statements_count"] == 3
    assert client.get(f"/api/v1/conferences/{conferences['draft'].pk}/").status_code == 404


def test_only_the_pages_conferences_are_counted(client, conferences):
    rows, _, sql = listed(client, "page_size=2&page=2")
    assert rows == [("b", 2), ("a", 1)]
    # The list's count, the page, and the page's statement counts: nothing else.
    assert len(sql) == 3
    total, page, counts = sql
    assert STATEMENT_TABLE not in total
    assert STATEMENT_TABLE not in page
    assert STATEMENT_TABLE in counts
    ids = PAGE_IDS.findall(counts)
    assert len(ids) == 1
    page_ids = {int(pk) for pk in ids[0].split(", ")}
    assert page_ids == {conferences["b"].pk, conferences["a"].pk}


def test_a_filtered_list_counts_only_the_pages_conferences_too(client, conferences):
    rows, _, sql = listed(client, "kind=answer&page_size=2")
    assert rows == [("d", 3), ("c", 2)]
    assert len(sql) == 3
    total, page, counts = sql
    assert "EXISTS" in total.upper()  # which conferences have a matching statement
    assert "COUNT(" not in page.upper()
    page_ids = {int(pk) for pk in PAGE_IDS.findall(counts)[0].split(", ")}
    assert page_ids == {conferences["d"].pk, conferences["c"].pk}
