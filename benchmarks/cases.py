"""The fixed URLs of `make bench` (benchmarks/bench.py): Podium's pages, each with its Datasette
equivalent where there is one, measured with wrk from the page cache and again without it."""

import urllib.parse

import search_words
import sweep
from report import Case

FACETS = "&" + sweep.FACETS
PAGE = "&" + sweep.PAGE  # Podium's page size; no facet suggestions (Datasette's fastest)
# The pages measured again on the Podium whose page cache is off, and their Datasette pairs.
UNCACHED = {
    "facets1": "ds-facets1",
    "facets2": "ds-facets2",
    "search": "ds-search-facets",
    "permalink": "ds-row",
    "conference": "",
}


def pick_cases(words: dict[str, int], database: str = "datasette") -> list[Case]:
    """Real values from the archive: the most frequent countries, leaf topics and kind, and a
    search word held by about one statement in a hundred (`words`:
    search_words.archive_words, the words both sides match alike); `database`: the name
    Datasette serves the copy under (its file name without .db)."""
    from django.db.models import Count

    from conferences.models import Conference, Statement, Topic

    published = Statement.objects.published()
    countries = [
        row["speaker__country"]
        for row in published.exclude(speaker__country="")
        .values("speaker__country")
        .annotate(n=Count("pk"))
        .order_by("-n", "speaker__country")[:3]
    ]
    # Leaf topics only: Podium's topic filter takes sub-topics in, Datasette's array filter
    # cannot, so a topic without children means the same rows on both sides.
    leaves = Topic.objects.filter(children__isnull=True)
    topics = list(
        leaves.annotate(n=Count("statements", filter=published_filter()))
        .order_by("-n", "slug")
        .values_list("slug", "name")[:3]
    )
    kind = published.values("kind").annotate(n=Count("pk")).order_by("-n", "kind")[0]["kind"]
    ids = published.order_by("pk").values_list("pk", "public_id")
    total = published.count()
    middle = total // 2
    word = search_words.mid_frequency(words, total)
    pk, public_id = ids[middle]
    # The newest conference of a typical size (the median is 60 statements), else the largest.
    sized = Conference.objects.published().annotate(n=Count("statements"))
    conference = sized.filter(n__gte=60).order_by("date", "pk").last()
    conference = conference or sized.order_by("n", "pk").last()

    def q(**params) -> str:
        return urllib.parse.urlencode(params)

    # The export: one whole year, some 40,000 rows on a million, so that the rate measured is
    # the stream's rather than the cost of starting one (a slow page gets a longer run).
    newest = Conference.objects.published().order_by("-date").values_list("date", flat=True)[0]
    year = newest.year - 5
    # A small archive may have fewer than two: repeat the last one.
    country1, country2 = (countries[min(i, len(countries) - 1)] for i in range(2))
    topic1 = topics[0]
    datasette = f"/{database}/statements"
    cases = [
        Case("floor", "Django floor: /healthz", "/healthz", "podium"),
        Case(
            "facets1",
            "Filters + facets: country, topic",
            f"/statements/?{q(country=country1, topic=topic1[0])}",
            "podium",
            pair="ds-facets1",
        ),
        Case(
            "facets2",
            "Filters + facets: country, kind",
            f"/statements/?{q(country=country2, kind=kind)}",
            "podium",
            pair="ds-facets2",
        ),
        Case(
            "search",
            "Search, one word (ranked)",
            f"/statements/?{q(q=word)}",
            "podium",
            pair="ds-search",
        ),
        Case(
            "permalink",
            "Permalink",
            f"/s/{public_id}/",
            "podium",
            pair="ds-row",
        ),
        Case("conference", "Conference page", conference.get_absolute_url(), "podium"),
        Case(
            "export",
            "CSV export (rows/s)",
            f"/statements/export.csv?{q(year=year)}",
            "podium",
            pair="ds-export",
        ),
        Case(
            "ds-facets1",
            "Filters + facets: country, topic",
            f"{datasette}?{q(country=country1, topics__arraycontains=topic1[1])}{FACETS}{PAGE}",
            "datasette",
        ),
        Case(
            "ds-facets2",
            "Filters + facets: country, kind",
            f"{datasette}?{q(country=country2, kind=kind)}{FACETS}{PAGE}",
            "datasette",
        ),
        Case(
            "ds-search",
            "Search, one word (not ranked)",
            f"{datasette}?{q(_search=word)}{PAGE}",
            "datasette",
        ),
        Case(
            "ds-search-facets",
            "Search, one word, five facets (not ranked)",
            f"{datasette}?{q(_search=word)}{FACETS}{PAGE}",
            "datasette",
        ),
        Case("ds-row", "Row page", f"{datasette}/{pk}", "datasette"),
        Case(
            "ds-export",
            "CSV, streamed (rows/s)",
            f"{datasette}.csv?{q(year=year)}&_stream=on&_nosuggest=1",
            "datasette",
        ),
    ]
    by_key = {case.key: case for case in cases}
    uncached = [
        Case(f"off-{key}", by_key[key].label, by_key[key].path, "nocache", pair=pair)
        for key, pair in UNCACHED.items()
    ]
    return cases[:7] + uncached + cases[7:]


def published_filter():
    from django.db.models import Q

    from conferences.models import Conference

    return Q(statements__conference__status=Conference.Status.PUBLISHED)
