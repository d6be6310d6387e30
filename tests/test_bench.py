"""`make bench` (benchmarks/): the floor view, the SQLite copy for Datasette and the URL list.

No timing here: these check that the benchmark measures what it says on pages that work."""

import csv
import io
import json
import sqlite3
import urllib.parse

import pytest
from django.core.management import call_command
from django.urls import reverse

from benchmarks import bench, datasette_export
from conferences.models import Statement, Topic

from .factories import ConferenceFactory, StatementFactory, TopicFactory


@pytest.fixture
def corpus(db):
    call_command("generate_corpus", statements=300, seed=1, verbosity=0)


def test_healthz_answers_ok_without_a_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert reverse("healthz") == "/healthz"


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405


def sqlite_schema(path) -> dict[str, str]:
    with sqlite3.connect(path) as connection:
        return dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))


def test_datasette_export_creates_the_fts_table_datasette_detects(corpus, tmp_path):
    path = tmp_path / "datasette.db"

    written = datasette_export.export(path, batch_size=7)

    assert written == Statement.objects.published().count()
    assert datasette_export.row_count(path) == written
    schema = sqlite_schema(path)
    assert schema["statements_fts"] == (
        'CREATE VIRTUAL TABLE statements_fts USING fts5(text, content="statements", '
        'content_rowid="id")'
    )
    for column in datasette_export.FACET_COLUMNS:
        assert f"statements_{column}" in schema
    assert not (tmp_path / "datasette.db.partial").exists()


def test_datasette_export_rows_are_searchable_with_match(db, tmp_path):
    topic = TopicFactory(name="Fisheries", slug="fisheries")
    kept = StatementFactory(text="The quotas of the Nordic herring fleet stay as they are.")
    kept.topics.add(topic)
    StatementFactory(text="Talks on the border resume next week.", conference=kept.conference)
    StatementFactory(text="A draft about herring.", conference=ConferenceFactory(status="draft"))
    path = tmp_path / "datasette.db"

    assert datasette_export.export(path) == 2

    with sqlite3.connect(path) as connection:
        found = connection.execute(
            "SELECT statements.id, public_id, topics, country, year FROM statements_fts "
            "JOIN statements ON statements.id = statements_fts.rowid "
            "WHERE statements_fts MATCH 'herring'"
        ).fetchall()
    conference = kept.conference
    assert found == [
        (kept.pk, kept.public_id, '["Fisheries"]', kept.speaker.country, conference.date.year)
    ]


def test_datasette_export_replaces_an_older_file(corpus, tmp_path):
    path = tmp_path / "datasette.db"
    path.write_bytes(b"not a database")
    assert datasette_export.row_count(path) is None

    datasette_export.export(path)

    assert datasette_export.row_count(path) == Statement.objects.published().count()


def test_bench_urls_answer_200_on_a_generated_archive(corpus, client):
    cases = bench.pick_cases()

    podium = [case for case in cases if case.side == "podium"]
    assert [case.key for case in podium] == [
        "floor",
        "facets1",
        "facets2",
        "search",
        "permalink",
        "conference",
        "export",
    ]
    for case in podium:
        response = client.get(case.path)
        assert response.status_code == 200, case.path
        if case.key not in ("floor", "export"):
            assert b"<html" in response.content, case.path
    keys = {case.key for case in cases}
    assert {case.pair for case in podium if case.pair} <= keys


def podium_rows(client, query: dict[str, str]) -> list[dict[str, str]]:
    response = client.get("/statements/export.csv", query)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def datasette_rows(path, query: dict[str, str]) -> list[tuple[str, str]]:
    """What Datasette's `country=…&topics__arraycontains=…[&date__gte=…]` selects."""
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT public_id, topics FROM statements WHERE country = ? AND date >= ? AND EXISTS "
            "(SELECT 1 FROM json_each(statements.topics) WHERE value = ?)",
            [query["country"], query.get("date__gte", ""), query["topics__arraycontains"]],
        ).fetchall()


@pytest.mark.parametrize("key", ["facets1", "export"])
def test_bench_datasette_filters_select_the_rows_podium_lists(corpus, client, tmp_path, key):
    """Each pair of URLs asks both sides for the same statements."""
    path = tmp_path / "datasette.db"
    datasette_export.export(path)
    cases = {case.key: case for case in bench.pick_cases()}
    podium, datasette = cases[key], cases[cases[key].pair]

    def query(case) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(case.path).query))

    rows = podium_rows(client, query(podium))
    selected = datasette_rows(path, query(datasette))

    if key == "facets1":  # the most frequent country and topic: never empty
        assert rows
    assert sorted(public_id for public_id, _ in selected) == sorted(
        row["public_id"] for row in rows
    )
    topic = Topic.objects.get(slug=query(podium)["topic"])
    assert all(topic.name in json.loads(topics) for _, topics in selected)


WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8710/healthz
  2 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.52ms  310.00us  12.04ms   90.11%
    Req/Sec     3.31k   150.21     3.60k    70.00%
  Latency Distribution
     50%  480.00us
     75%    1.60ms
     90%    1.80ms
     99%    1.20s
  65920 requests in 10.01s, 11.88MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 2
Requests/sec:   6585.41
Transfer/sec:      1.19MB
"""


def test_bench_reads_wrk_output():
    result = bench.loadtest.parse_wrk(WRK_OUTPUT)

    assert result == bench.loadtest.Result(
        requests_per_second=6585.41, p50_ms=0.48, p99_ms=1200.0, errors=5
    )


def test_bench_table_gives_the_ratios_to_datasette_and_to_the_floor():
    Case, Result = bench.Case, bench.loadtest.Result
    cases = [
        Case("floor", "Floor", "/healthz", "podium"),
        Case("search", "Search", "/statements/?q=x", "podium", pair="ds-search", first_ms=2500),
        Case("ds-search", "Search", "/datasette/statements?_search=x", "datasette", first_ms=90),
        Case("export", "CSV", "/statements/export.csv", "podium", pair="ds-export", rows=100),
        Case("ds-export", "CSV", "/datasette/statements.csv", "datasette", rows=100),
    ]
    results = {
        "floor": Result(5000.0, 1.0, 2.0, 0),
        "search": Result(250.0, 30.0, 80.0, 0),
        "ds-search": Result(12.5, 700.0, 1500.0, 0),
        "export": Result(10.0, 900.0, 1000.0, 0),
        "ds-export": Result(0.0, 0.0, 0.0, 0),
    }

    lines = bench.table(cases, results).splitlines()

    assert lines[2] == "| Floor | `/healthz` | 5,000 | 1.00 | 2.00 | – | – |  |  |  |  |  | 1.00 |"
    assert lines[3] == (
        "| Search | `/statements/?q=x` | 250 | 30.0 | 80.0 | 2,500 | [1] | 12.5 | 700 | 1,500 "
        "| 90.0 | 20.0x | 0.05 |"
    )
    assert lines[4] == (
        "| CSV | `/statements/export.csv` | 10.0 (1,000 rows/s) | 900 | 1,000 | – | [2] "
        "| 0 (none finished within the run) | – | – | – | – | 0.00 |"
    )
    assert lines[-2:] == [
        "1. Search: `/datasette/statements?_search=x`",
        "2. CSV: `/datasette/statements.csv`",
    ]


def test_bench_goals_say_which_are_met():
    Case, Result = bench.Case, bench.loadtest.Result
    cases = [
        Case("floor", "Floor", "/healthz", "podium"),
        Case("facets1", "Facets 1", "/1", "podium", pair="ds-facets1"),
        Case("facets2", "Facets 2", "/2", "podium", pair="ds-facets2"),
        Case("search", "Search", "/3", "podium", pair="ds-search"),
        Case("permalink", "Permalink", "/4", "podium", pair="ds-row"),
        Case("ds-facets1", "Facets 1", "/d1", "datasette"),
        Case("ds-facets2", "Facets 2", "/d2", "datasette"),
        Case("ds-search", "Search", "/d3", "datasette"),
        Case("ds-row", "Row", "/d4", "datasette"),
    ]
    rps = {"floor": 6000, "facets1": 100, "facets2": 99, "search": 125, "permalink": 3000}
    rps |= {"ds-facets1": 10, "ds-facets2": 10, "ds-search": 12.5, "ds-row": 1500}
    results = {key: Result(value, 1.0, 2.0, 0) for key, value in rps.items()}

    assert bench.goals(cases, results).splitlines() == [
        "- Facets 1: at least 10x Datasette: met (10.00x)",
        "- Facets 2: at least 10x Datasette: NOT met (9.90x)",
        "- Search: at least 10x Datasette: met (10.00x)",
        "- Permalink: at least half the floor: met (0.50 of the floor)",
    ]
