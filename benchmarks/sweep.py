"""The sweep of `make bench`: first visits of distinct list URLs, on Podium and on Datasette.

A researcher asks a new combination at almost every click, so each URL is fetched once, one at a
time, from a Podium whose page cache is off (PODIUM_PAGE_CACHE=0): every response is a first
visit. The URLs are drawn with `random.Random(seed)` from real values of the archive (the filter
values of a sample of published statements, read through the ORM; the search words and how many
statements hold each from the Datasette copy's full-text index, benchmarks/search_words.py):

- no filter: /statements/ itself;
- one filter: each filter of /statements/ (conferences/filters.py) on its own;
- two filters, three filters: half of them values of one statement (a combination that finds
  something), half values of different statements (often nothing, also asked);
- search: SEARCH_WORDS words from the rarest to the most common, alone, then each with a filter
  and some with two;
- deep pages: `page=N` in the second half of the pages of the plain list, of one filter, of a
  search.

Each Podium URL has its Datasette equivalent, which selects the same rows
(tests/benchmarks/test_sweep.py checks a sample with Datasette itself): the same filters on the
copy's columns (benchmarks/datasette_export.py), the five facets of Podium's page, 25 rows and no
facet suggestions. A deep page is `_next=<id>`, Datasette's keyset pagination, starting at the
same depth in its order (by id) as Podium's page in its own.
"""

import math
import random
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import search_words  # benchmarks/ is on the path (bench.py puts it there)

SEED = 1
# Distinct URLs: the groups below make at most 235, more pairs and triples fill up to SIZE (on any
# archive of a thousand statements or more; a tiny one may have fewer combinations).
SIZE = 240
ONE_FILTER = 6  # URLs per filter on its own
SEARCH_WORDS = 30
SAMPLE = 1000  # statements whose filter values are drawn from
PAGE_SIZE = 25  # Podium's (conferences/public/views/statements.py)
DEEP_PAGES = 20
DEEP_MIN_PAGES = 10  # a deep page is asked of a list with at least this many pages
TIMEOUT = 300  # seconds for one response; longer counts as a failure

FACETS = "_facet=speaker&_facet_array=topics&_facet=country&_facet=year&_facet=fidelity"
PAGE = "_size=25&_nosuggest=1"  # Podium's page size; no facet suggestions (Datasette's fastest)

# Podium's query parameters and the Datasette copy's filter for each.
DATASETTE = {
    "q": "_search",
    "speaker": "speaker_id",
    "country": "country",
    "organization": "organization",
    "topic": "topic_slugs__arraycontains",
    "conference": "conference_id",
    "kind": "kind",
    "fidelity": "fidelity",
    "date_from": "date__gte",
    "date_to": "date__lte",
    "year": "year",
}
FILTERS = (
    "speaker",
    "country",
    "organization",
    "topic",
    "conference",
    "kind",
    "fidelity",
    "date",
    "year",
)
# Filters whose values cover many pages: the deep pages are asked of these.
DEEP_FILTERS = ("country", "kind", "fidelity", "year", "topic", "organization", "speaker")
GROUPS = (
    "no filter",
    "one filter",
    "two filters",
    "three filters",
    "search",
    "search + filters",
    "deep page",
)


@dataclass(frozen=True)
class Sampled:
    """The filter values of one published statement."""

    speaker: int
    country: str
    organization: str
    conference: int
    day: date
    kind: str
    fidelity: str
    topics: tuple[str, ...]  # the slugs of its topics and of their parents


@dataclass(frozen=True)
class SweepURL:
    group: str
    podium: str
    datasette: str


@dataclass
class Timing:
    side: str
    path: str
    group: str
    ms: float
    status: int


@dataclass
class Summary:
    count: int
    p50: float
    p95: float
    p99: float
    max: float
    failures: list[Timing] = field(default_factory=list)  # answers other than 200


# Real values --------------------------------------------------------------------------------------


def sample(rng: random.Random, size: int = SAMPLE) -> list[Sampled]:
    """Up to `size` published statements drawn at random by id (an index lookup each, cheap at a
    million), in id order."""
    from django.db.models import Max, Min

    from conferences.models import Statement

    bounds = Statement.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    ids = sorted({rng.randint(bounds["low"], bounds["high"]) for _ in range(size)})
    rows = (
        Statement.objects.published()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list(
            "pk",
            "speaker_id",
            "speaker__country",
            "conference__host__slug",
            "conference_id",
            "conference__date",
            "kind",
            "fidelity",
        )
    )
    rows = list(rows)
    topics: dict[int, set[str]] = {}
    links = Statement.topics.through.objects.filter(statement_id__in=[row[0] for row in rows])
    for statement, slug, parent in links.values_list(
        "statement_id", "topic__slug", "topic__parent__slug"
    ):
        topics.setdefault(statement, set()).update({slug, parent} - {None})
    return [
        Sampled(
            speaker=speaker,
            country=country or "",
            organization=organization or "",
            conference=conference,
            day=day,
            kind=kind,
            fidelity=fidelity,
            topics=tuple(sorted(topics.get(pk, ()))),
        )
        for pk, speaker, country, organization, conference, day, kind, fidelity in rows
    ]


def filter_value(name: str, row: Sampled, rng: random.Random) -> dict[str, str] | None:
    """Podium's query parameters for filter `name` on the values of `row`; None when the
    statement has no such value (no country, no host, no topic)."""
    if name == "date":
        before = row.day - timedelta(days=rng.randint(0, 3 * 365))
        after = row.day + timedelta(days=rng.randint(0, 3 * 365))
        shape = rng.choice(("from", "to", "both"))
        return {
            **({"date_from": before.isoformat()} if shape != "to" else {}),
            **({"date_to": after.isoformat()} if shape != "from" else {}),
        }
    value = {
        "speaker": str(row.speaker),
        "country": row.country,
        "organization": row.organization,
        "topic": rng.choice(row.topics) if row.topics else "",
        "conference": str(row.conference),
        "kind": row.kind,
        "fidelity": row.fidelity,
        "year": str(row.day.year),
    }[name]
    return {name: value} if value else None


def combination(
    names: tuple[str, ...], rows: list[Sampled], rng: random.Random, together: bool
) -> dict[str, str] | None:
    """Podium's parameters for the filters `names`: the values of one statement when
    `together`, else each of another statement."""
    row = rng.choice(rows)
    params: dict[str, str] = {}
    for name in names:
        value = filter_value(name, row if together else rng.choice(rows), rng)
        if value is None:
            return None
        params.update(value)
    return params


# The Datasette copy -------------------------------------------------------------------------------


class Copy:
    """Counts and keyset positions in the Datasette copy (SQLite), for deep pages: the SQL that
    Datasette runs for the same filters."""

    def __init__(self, path: Path):
        self.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def close(self) -> None:
        self.connection.close()

    @staticmethod
    def where(params: dict[str, str]) -> tuple[str, list[str]]:
        clauses, values = ["1"], []
        for name, value in params.items():
            column = DATASETTE[name]
            if column == "_search":
                # Datasette's default search: the words quoted, as its escape_fts() does.
                clauses.append(
                    "rowid IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)"
                )
                value = " ".join('"' + word.replace('"', '""') + '"' for word in value.split())
            elif column.endswith("__arraycontains"):
                clauses.append(f'? IN (SELECT value FROM json_each("{column[:-15]}"))')  # noqa: S608
            elif column.endswith(("__gte", "__lte")):
                operator = ">=" if column.endswith("__gte") else "<="
                clauses.append(f'"{column[:-5]}" {operator} ?')
            else:
                clauses.append(f'"{column}" = ?')
            values.append(value)
        return " AND ".join(clauses), values

    def count(self, params: dict[str, str]) -> int:
        where, values = self.where(params)
        sql = f"SELECT count(*) FROM statements WHERE {where}"  # noqa: S608 (names above)
        return self.connection.execute(sql, values).fetchone()[0]

    def keyset(self, params: dict[str, str], depth: int) -> int:
        """The id of the `depth`-th row in Datasette's order (by id): `_next=<it>` starts the
        page after it."""
        where, values = self.where(params)
        sql = f"SELECT id FROM statements WHERE {where} ORDER BY id LIMIT 1 OFFSET ?"  # noqa: S608
        return self.connection.execute(sql, [*values, depth - 1]).fetchone()[0]


def podium_path(params: dict[str, str]) -> str:
    return "/statements/" + (f"?{urllib.parse.urlencode(params)}" if params else "")


def datasette_path(database: str, params: dict[str, str], after: int | None = None) -> str:
    """The Datasette URL selecting the rows Podium's `params` select, with the five facets."""
    pairs = [(DATASETTE[name], value) for name, value in params.items() if name != "page"]
    query = "&".join(part for part in (urllib.parse.urlencode(pairs), FACETS, PAGE) if part)
    return f"/{database}/statements?{query}" + (f"&_next={after}" if after is not None else "")


def ordered(params: dict[str, str]) -> dict[str, str]:
    """The parameters in one order (search first, then the filters as in DATASETTE)."""
    return {name: params[name] for name in DATASETTE if name in params} | (
        {"page": params["page"]} if "page" in params else {}
    )


# Drawing ------------------------------------------------------------------------------------------


def draw(
    words: dict[str, int],
    copy_path: Path,
    database: str = "datasette",
    seed: int = SEED,
    size: int = SIZE,
) -> tuple[list[SweepURL], list[str]]:
    """The sweep's distinct URLs, in the order drawn, and its search words (rarest first).
    `words`: search_words.archive_words(copy_path)."""
    rng = random.Random(seed)
    rows = sample(rng)
    chosen = search_words.spread(words, SEARCH_WORDS, rng)
    if not rows:
        return [], chosen
    copy = Copy(copy_path)
    drawn: dict[str, SweepURL] = {}

    def add(group: str, params: dict[str, str] | None, after: int | None = None) -> bool:
        if params is None:
            return False
        params = ordered(params)
        path = podium_path(params)
        if path in drawn:
            return False
        drawn[path] = SweepURL(group, path, datasette_path(database, params, after))
        return True

    def repeat(group: str, times: int, make: Callable[[], dict[str, str] | None]) -> None:
        for _ in range(times):
            for _attempt in range(20):  # a few draws repeat an earlier URL or lack a value
                if add(group, make()):
                    break

    def alone(name: str) -> Callable[[], dict[str, str] | None]:
        return lambda: filter_value(name, rng.choice(rows), rng)

    def combined(count: int, word: str = "") -> Callable[[], dict[str, str] | None]:
        def make():
            names = tuple(rng.sample(FILTERS, count))
            params = combination(names, rows, rng, together=rng.random() < 0.5)
            return params if params is None or not word else {"q": word} | params

        return make

    try:
        add("no filter", {})
        for name in FILTERS:
            repeat("one filter", ONE_FILTER, alone(name))
        repeat("two filters", 50, combined(2))
        repeat("three filters", 40, combined(3))
        for word in chosen:
            add("search", {"q": word})
        for word in chosen:
            repeat("search + filters", 1, combined(1, word))
        for word in rng.sample(chosen, min(10, len(chosen))):
            repeat("search + filters", 1, combined(2, word))
        deep = 0
        for params, after in deep_pages(rows, chosen, words, copy, rng):
            deep += add("deep page", params, after)
            if deep == DEEP_PAGES:
                break
        for _attempt in range(20 * size):  # a small archive repeats itself: more combinations
            if len(drawn) >= size:
                break
            count = rng.choice((2, 3))
            add(("two filters", "three filters")[count - 2], combined(count)())
    finally:
        copy.close()
    return list(drawn.values()), chosen


def deep_pages(
    rows: list[Sampled],
    chosen: list[str],
    words: dict[str, int],
    copy: Copy,
    rng: random.Random,
    attempts: int = 40 * DEEP_PAGES,
) -> Iterator[tuple[dict[str, str], int]]:
    """Pages in the second half of lists of DEEP_MIN_PAGES pages or more: of the plain list, one
    filter, a search word, a search word with a filter; each with Datasette's keyset position
    of the same depth. Up to `attempts` lists are tried."""
    common = [word for word in chosen if words[word] >= DEEP_MIN_PAGES * PAGE_SIZE]

    def base() -> dict[str, str] | None:
        kind = rng.choice(("plain", "filter", "filter", "search", "search + filter"))
        if kind == "plain":
            return {}
        if kind.startswith("search") and not common:
            return None
        params = {"q": rng.choice(common)} if kind.startswith("search") else {}
        if kind != "search":
            value = filter_value(rng.choice(DEEP_FILTERS), rng.choice(rows), rng)
            if value is None:
                return None
            params |= value
        return params

    for _attempt in range(attempts):
        params = base()
        if params is None:
            continue
        pages = math.ceil(copy.count(ordered(params)) / PAGE_SIZE)
        if pages < DEEP_MIN_PAGES:
            continue
        page = rng.randint(max(2, pages // 2), pages)
        yield params | {"page": str(page)}, copy.keyset(ordered(params), (page - 1) * PAGE_SIZE)


# Timing -------------------------------------------------------------------------------------------


def fetch_once(url: str) -> tuple[int, float]:
    """The status of one GET and the milliseconds until its whole body arrived."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 (local URL)
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except OSError:  # a timeout or a dropped connection
        status = 0
    return status, (time.perf_counter() - started) * 1000


def measure(
    urls: list[SweepURL],
    bases: dict[str, str],
    fetch: Callable[[str], tuple[int, float]] = fetch_once,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, list[Timing]]:
    """Each URL once on each side (`bases`: "podium" and "datasette" to their http://host:port),
    one request at a time, the two sides taking turns so that both meet the same moments of a
    busy machine."""
    timings: dict[str, list[Timing]] = {side: [] for side in bases}
    for number, url in enumerate(urls, start=1):
        for side, base in bases.items():
            path = url.podium if side == "podium" else url.datasette
            status, ms = fetch(base + path)
            timings[side].append(Timing(side, path, url.group, ms, status))
        if progress:
            progress(number, len(urls))
    return timings


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value with p% of the values at or below it."""
    ordered_values = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered_values)))
    return ordered_values[rank - 1]


def summary(timings: list[Timing]) -> Summary:
    values = [timing.ms for timing in timings] or [0.0]
    return Summary(
        count=len(timings),
        p50=percentile(values, 50),
        p95=percentile(values, 95),
        p99=percentile(values, 99),
        max=max(values),
        failures=[timing for timing in timings if timing.status != 200],
    )
