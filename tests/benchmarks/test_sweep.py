"""The sweep of `make bench` (benchmarks/sweep.py): its URLs are distinct, drawn the same way from
the same seed, and each Datasette URL selects the rows its Podium URL selects.

Podium's rows come from the CSV export of the same query string (the one FilterSet every output
shares, every page at once); Datasette's from Datasette itself, in this process (its ASGI client:
no network), over the copy benchmarks/datasette_export.py writes."""

import asyncio
import csv
import io
import random
import urllib.parse

import pytest
from datasette.app import Datasette

from benchmarks import bench  # puts benchmarks/ on the path, as `make bench` runs
from conferences.corpus.synthetic import generate

sweep = bench.sweep
search_words = bench.search_words

STATEMENTS = 1200


@pytest.fixture
def drawn(db, tmp_path):
    """A synthetic archive, its Datasette copy, and the sweep drawn from both."""
    generate(statements=STATEMENTS, seed=3)
    path = tmp_path / "datasette.db"
    bench.datasette_export.export(path)
    counts = search_words.archive_words(path)
    urls, words = sweep.draw(counts, path)
    return {"path": path, "urls": urls, "words": words, "counts": counts}


def podium_ids(client, url: str) -> list[str]:
    """The public ids of every statement Podium's list selects for `url` (all of its pages)."""
    query = urllib.parse.urlsplit(url).query
    response = client.get(f"/statements/export.csv?{query}")
    assert response.status_code == 200, url
    text = b"".join(response.streaming_content).decode()
    return [row["public_id"] for row in csv.DictReader(io.StringIO(text))]


def as_json(url: str, **changes: str) -> str:
    """A Datasette table URL as its JSON (rows as objects), with some parameters changed (""
    drops one)."""
    parts = urllib.parse.urlsplit(url)
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    changes = {"_shape": "objects", **changes}
    pairs = [(name, value) for name, value in pairs if name not in changes]
    pairs += [(name, value) for name, value in changes.items() if value]
    return f"{parts.path}.json?{urllib.parse.urlencode(pairs)}"


async def _rows(datasette: Datasette, url: str, every_page: bool) -> list[dict]:
    rows = []
    while url:
        response = await datasette.client.get(url)
        assert response.status_code == 200, (url, response.text[:500])
        data = response.json()
        rows += data["rows"]
        if not every_page or not data.get("next_url"):
            break
        next_url = urllib.parse.urlsplit(data["next_url"])
        url = f"{next_url.path}?{next_url.query}"
    return rows


def datasette_rows(path, urls: list[str], every_page: bool = True) -> list[list[dict]]:
    """Datasette's rows (as objects) for each URL: every page, or just the one asked."""

    async def run():
        datasette = Datasette([str(path)], settings={"default_facet_size": 12})
        await datasette.invoke_startup()
        return [await _rows(datasette, url, every_page) for url in urls]

    return asyncio.run(run())


def datasette_ids(path, urls: list[str], drop: str = "") -> list[list[str]]:
    """The public ids of every row each Datasette URL selects (its filter, every page), with
    the parameter `drop` left out when given."""
    changes = {"_size": "max", "_next": ""} | ({drop: ""} if drop else {})
    found = datasette_rows(path, [as_json(url, **changes) for url in urls])
    return [[row["public_id"] for row in rows] for rows in found]


def compared(drawn) -> list:
    """Every search URL (stemming is where the two could differ) and five of each other group."""
    rng = random.Random(7)  # noqa: S311 (a sample, not a secret)
    urls = drawn["urls"]
    chosen = [url for url in urls if url.group == "search"]
    for group in sweep.GROUPS:
        if group != "search":
            members = [url for url in urls if url.group == group]
            chosen += rng.sample(members, min(5, len(members)))
    return chosen


def test_sweep_draws_distinct_urls_in_every_group(drawn):
    urls = drawn["urls"]

    assert len(urls) == sweep.SIZE
    assert len({url.podium for url in urls}) == len({url.datasette for url in urls}) == len(urls)
    groups = {group: sum(url.group == group for url in urls) for group in sweep.GROUPS}
    assert groups["no filter"] == 1
    assert groups["search"] == sweep.SEARCH_WORDS
    assert groups["search + filters"] == sweep.SEARCH_WORDS + 10
    assert groups["deep page"] == sweep.DEEP_PAGES
    assert min(groups.values()) >= 1
    facets = "_facet=speaker&_facet_array=topics&_facet=country&_facet=year&_facet=fidelity"
    assert all(f"{facets}&_size=25&_nosuggest=1" in url.datasette for url in urls)
    # Every filter of the list page is asked on its own.
    one = [url.podium for url in urls if url.group == "one filter"]
    for name in ("speaker", "country", "organization", "topic", "conference", "kind"):
        assert any(f"?{name}=" in path for path in one), name
    for name in ("fidelity", "year", "date_from", "date_to"):
        assert any(f"{name}=" in path for path in one), name


def test_sweep_search_words_run_from_rare_to_common(drawn):
    words, counts = drawn["words"], drawn["counts"]

    assert len(words) == sweep.SEARCH_WORDS == len(set(words))
    assert [counts[word] for word in words] == sorted(counts[word] for word in words)
    assert counts[words[0]] == min(counts.values()) == 1
    assert counts[words[-1]] == max(counts.values())
    searched = [url.podium for url in drawn["urls"] if url.group == "search"]
    assert searched == [f"/statements/?q={word}" for word in words]


def test_sweep_is_the_same_for_the_same_seed(drawn):
    again, words = sweep.draw(drawn["counts"], drawn["path"])

    assert again == drawn["urls"]
    assert words == drawn["words"]
    other, _ = sweep.draw(drawn["counts"], drawn["path"], seed=2)
    assert other != drawn["urls"]


def test_sweep_datasette_urls_select_the_rows_podium_selects(drawn, client):
    urls = compared(drawn)
    theirs = datasette_ids(drawn["path"], [url.datasette for url in urls])

    for url, selected in zip(urls, theirs, strict=True):
        assert client.get(url.podium).status_code == 200, url.podium
        mine = podium_ids(client, url.podium)
        assert len(mine) == len(set(mine))
        assert sorted(selected) == sorted(mine), url.podium
    # Not a comparison of empty lists: every search word and every single filter finds rows.
    found = dict(zip((url.podium for url in urls), theirs, strict=True))
    for url in urls:
        if url.group in ("no filter", "one filter", "search", "deep page"):
            assert found[url.podium], url.podium


def test_sweep_deep_pages_start_at_the_same_depth(drawn, client):
    deep = [url for url in drawn["urls"] if url.group == "deep page"][:6]
    pages = datasette_rows(drawn["path"], [as_json(url.datasette) for url in deep], False)
    every = datasette_rows(
        drawn["path"], [as_json(url.datasette, _size="max", _next="") for url in deep]
    )

    for url, page, rows in zip(deep, pages, every, strict=True):
        number = int(urllib.parse.parse_qs(urllib.parse.urlsplit(url.podium).query)["page"][0])
        ids = sorted(row["id"] for row in rows)
        start = (number - 1) * sweep.PAGE_SIZE
        assert [row["id"] for row in page] == ids[start : start + sweep.PAGE_SIZE], url.podium
        assert start >= len(ids) // 2 - sweep.PAGE_SIZE  # the second half of the list
        assert client.get(url.podium).status_code == 200, url.podium


def test_sweep_comparison_notices_a_dropped_filter(drawn, client):
    """The comparison above can fail: the same URLs with one filter left out on Datasette's
    side select other rows."""
    urls = [url for url in drawn["urls"] if url.group == "two filters"]
    url = next(url for url in urls if podium_ids(client, url.podium))
    name = next(
        name
        for name, _ in urllib.parse.parse_qsl(urllib.parse.urlsplit(url.datasette).query)
        if not name.startswith("_")
    )

    (theirs,) = datasette_ids(drawn["path"], [url.datasette], drop=name)

    assert sorted(theirs) != sorted(podium_ids(client, url.podium))


def test_sweep_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 201)]
    random.Random(1).shuffle(values)  # noqa: S311

    assert sweep.percentile(values, 50) == 100.0
    assert sweep.percentile(values, 95) == 190.0
    assert sweep.percentile(values, 99) == 198.0
    assert sweep.percentile(values, 100) == 200.0
    assert sweep.percentile([7.0], 99) == 7.0


def test_sweep_measures_each_url_once_per_side_taking_turns():
    urls = [
        sweep.SweepURL("search", "/statements/?q=a", "/datasette/statements?_search=a"),
        sweep.SweepURL("one filter", "/statements/?kind=answer", "/datasette/statements?kind=x"),
    ]
    asked = []

    def fetch(url):
        asked.append(url)
        return (200 if "kind" not in url else 500), float(len(asked))

    timings = sweep.measure(urls, {"podium": "http://p", "datasette": "http://d"}, fetch)

    assert asked == [
        "http://p/statements/?q=a",
        "http://d/datasette/statements?_search=a",
        "http://p/statements/?kind=answer",
        "http://d/datasette/statements?kind=x",
    ]
    assert [(t.path, t.ms, t.status) for t in timings["podium"]] == [
        ("/statements/?q=a", 1.0, 200),
        ("/statements/?kind=answer", 3.0, 500),
    ]
    found = sweep.summary(timings["podium"])
    assert (found.count, found.p50, found.p95, found.max) == (2, 1.0, 3.0, 3.0)
    assert [t.path for t in found.failures] == ["/statements/?kind=answer"]
