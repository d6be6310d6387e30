"""Guards of the statement list's speed at a million rows (issue 7): query counts, the cache of its
counts, the relevance window, and, on PostgreSQL, that the main queries can use their indexes.
No test here measures a time; benchmarks/plans.md keeps the plans at a million statements."""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.http import QueryDict, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from conferences import filters
from conferences.editorial import workflow
from conferences.filters import StatementFilter
from conferences.models import Conference, Statement, Topic
from conferences.models.lists import published_statements
from conferences.ops import caching
from conferences.public.facets import facets_and_total, topic_counts

from ..factories import ConferenceFactory, SpeakerFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's"
)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def archive(statements_per_conference=3, conferences=2, words="Fisheries quotas remain open."):
    speaker = SpeakerFactory(country="NO")
    parent = TopicFactory(name="Maritime", slug="maritime")
    child = TopicFactory(name="Fisheries", slug="fisheries", parent=parent)
    rows = []
    for number in range(conferences):
        conference = ConferenceFactory(date=datetime.date(2021, 3, 1 + number))
        for sequence in range(1, statements_per_conference + 1):
            statement = StatementFactory(
                conference=conference, speaker=speaker, sequence=sequence, text=words
            )
            statement.topics.set([parent, child] if sequence == 1 else [child])
            rows.append(statement)
    return rows


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_list_total_comes_from_the_fidelity_facet_without_a_count_query(client):
    archive()
    with CaptureQueriesContext(connection) as captured:
        client.get("/statements/?year=2021&kind=remark")
    assert not any('AS "__count"' in query["sql"] for query in captured)
    qs = StatementFilter(QueryDict("year=2021"), queryset=published_statements()).qs
    found, total = facets_and_total(qs, QueryDict("year=2021"))
    assert total == qs.count() == 6
    assert [facet.name for facet in found] == ["speaker", "topic", "country", "year", "fidelity"]


def test_topic_facet_counts_each_statement_once_with_its_sub_topics(db):
    archive()
    qs = StatementFilter(QueryDict(""), queryset=published_statements()).qs
    # Every statement is on Fisheries; two are also tagged Maritime itself: still six, not eight.
    assert topic_counts(qs) == [("fisheries", "Fisheries", 6), ("maritime", "Maritime", 6)]
    assert topic_counts(qs.none()) == []


def test_second_visit_reads_the_counts_from_the_cache(client):
    archive()
    first = queries(client, "/statements/?year=2021")
    second = queries(client, "/statements/?year=2021&page=1")
    # Another address (page=1), so the page itself is rendered again, but the counts and the
    # archive's version (read a moment ago) are kept: only the page's ids (from the list's
    # table), its rows and their speakers' roles remain.
    assert second == 3 < first
    # A search ranked by relevance: the same (every match is ranked by the page's own query).
    first = queries(client, "/statements/?q=fisheries")
    assert queries(client, "/statements/?q=fisheries&page=1") == 3 < first


def test_publishing_changes_the_cache_key(client, admin_user):
    archive()
    draft = ConferenceFactory(date=datetime.date(2021, 4, 1), status=Conference.Status.REVIEW)
    StatementFactory(conference=draft, sequence=1, text="Fisheries talks resume.")
    before = caching.archive_version()
    assert "7 statements" not in client.get("/statements/").content.decode()
    workflow.move(draft, Conference.Status.PUBLISHED, admin_user)
    assert caching.archive_version() != before
    assert "7 statements" in client.get("/statements/").content.decode()


def test_relevance_ranks_the_newest_matches_and_keeps_every_match(client, monkeypatch):
    rows = archive(statements_per_conference=3, conferences=2)
    monkeypatch.setattr(filters, "RANK_WINDOW", 2)
    qs = StatementFilter(
        QueryDict("q=fisheries&sort=relevance"), queryset=published_statements()
    ).qs
    found = list(qs)
    assert sorted(s.pk for s in found) == sorted(s.pk for s in rows)
    newest_two = sorted(s.pk for s in rows)[-2:]
    assert sorted(s.pk for s in found[:2]) == newest_two
    # The list page reads a page inside the window from the window alone: the same rows.
    window = StatementFilter(
        QueryDict("q=fisheries&sort=relevance"), queryset=published_statements()
    )
    window.qs  # noqa: B018 (evaluating the filter sets ranked_window)
    assert [s.pk for s in window.ranked_window] == [s.pk for s in found[:2]]
    monkeypatch.setattr(filters, "RANK_WINDOW", 50)
    page = client.get("/statements/?q=fisheries&sort=relevance").content.decode()
    assert "6 statements" in page


def test_exports_stream(client):
    archive()
    response = client.get("/statements/export.csv?q=fisheries")
    assert isinstance(response, StreamingHttpResponse)


# PostgreSQL: the main queries use their indexes (a few thousand synthetic statements).


def plan(sql: str, params=(), seqscan=True) -> str:
    """The plan; with `seqscan=False` sequential scans are priced out: on a few thousand rows
    reading the whole table may cost less, and what matters is that the query's shape lets its
    index serve."""
    with transaction.atomic(), connection.cursor() as cursor:
        if not seqscan:
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def queryset_plan(queryset, seqscan=True) -> str:
    sql, params = queryset.query.sql_with_params()
    return plan(sql, params, seqscan)


@pytest.fixture
def corpus(db):
    call_command("generate_corpus", statements=3000, seed=11, verbosity=0)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Fresh rows wait in the GIN index's pending list, which the planner prices as a full
            # scan; VACUUM would merge them, but cannot run inside the test's transaction.
            cursor.execute(
                "SELECT gin_clean_pending_list('conferences_statement_search'::regclass)"
            )
        cursor.execute("ANALYZE")


@postgresql_only
def test_search_uses_the_gin_index(corpus):
    # A word the synthetic vocabulary lacks: as rare as most words people search for.
    StatementFactory(sequence=1, text="The zanzibarite accord holds.")
    qs = StatementFilter(QueryDict("q=zanzibarite"), queryset=published_statements()).qs
    assert "conferences_statement_search" in queryset_plan(qs.order_by().values("pk"))
    ranked = StatementFilter(QueryDict("q=zanzibarite accord"), queryset=published_statements())
    assert "conferences_statement_search" in queryset_plan(ranked.qs[:25])


@postgresql_only
def test_cache_version_reads_indexes_only(corpus):
    text = plan(
        "SELECT (SELECT MAX(updated_at) FROM conferences_statement), "
        "(SELECT MAX(updated_at) FROM conferences_conference)",
        seqscan=False,
    )
    assert "statement_updated_at" in text
    assert "conference_updated_at" in text


@postgresql_only
def test_speaker_filter_and_facets_use_the_covering_index(corpus):
    speaker = Statement.objects.values_list("speaker", flat=True).first()
    params = QueryDict(f"speaker={speaker}")
    qs = StatementFilter(params, queryset=published_statements()).qs
    # This index or the foreign key's own one on speaker_id: either serves the filter.
    assert f"Index Cond: (speaker_id = {speaker})" in queryset_plan(qs.order_by().values("pk"))
    # A facet's grouped query reads the same index (index-only once the table is vacuumed, as
    # benchmarks/plans.md shows at a million rows).
    found = qs.order_by().values_list("fidelity").annotate(n=Count("*"))
    assert f"Index Cond: (speaker_id = {speaker})" in queryset_plan(found)


@postgresql_only
def test_topic_filter_uses_the_topic_index_of_the_links(corpus):
    topic = Topic.objects.filter(parent__isnull=True).first()
    qs = StatementFilter(QueryDict(f"topic={topic.slug}"), queryset=published_statements()).qs
    text = queryset_plan(qs.order_by().values("pk"), seqscan=False)
    assert "conferences_statement_topics_topic_id" in text
