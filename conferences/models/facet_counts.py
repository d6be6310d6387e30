"""The facet counts of the pages with many rows, kept as numbers (issue 18).

Counting a facet means reading every row in the filter: at a million statements the unfiltered
list reads a million, `kind=answer` half a million, `fidelity=verbatim` nearly all. Those pages are
the unfiltered list and the lists filtered by one value of a column with few values, so
`FacetCount` keeps, for the unfiltered list ("", "") and for each single filter of KEPT (country,
organisation, year, kind, fidelity, topic) and value, the count of each value of each facet
(speaker, topic, country, year, fidelity), and the same for the kind paired with each of the
others (PAIRS). conferences/public/listing.py reads them instead of counting; every other filter
(a speaker, a conference, a search, other pairs, three filters or more) is counted.

Kept in step by conferences/models/facets.py: `refresh()` hands `apply()` the rows it removes
and the rows it writes, and the difference is added in one upsert per changed count, in a fixed
order (two publishes at once wait for each other, they never deadlock). `rebuild()` counts
everything again from the facet table.
"""

from collections import Counter

from django.db import connections, models

COUNTS_TABLE = "conferences_facet_counts"
KEPT = ("country", "organization", "year", "kind", "fidelity", "topic")
# Pairs kept too: the kind (three values, each a third to a half of the archive) with each other
# kept filter, as the list "kind+<other>" with the value "<kind>|<other's value>".
PAIRED = "kind"
PAIRS = tuple(f"{PAIRED}+{name}" for name in KEPT if name != PAIRED)
FACETS = ("speaker", "topic", "country", "year", "fidelity")
# The facet table's column behind each filter and facet (topics: one entry per topic id).
COLUMNS = {
    "speaker": "speaker_id",
    "country": "country",
    "organization": "organization_id",
    "year": "year",
    "kind": "kind",
    "fidelity": "fidelity",
    "topic": "topics",
}
ROW_COLUMNS = ("speaker_id", "country", "organization_id", "year", "kind", "fidelity", "topics")


class FacetCount(models.Model):
    filter = models.CharField(max_length=20)  # "" for the unfiltered list
    filter_value = models.CharField(max_length=40)
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=40)
    n = models.IntegerField()  # a delta may pass through below zero inside an upsert

    class Meta:
        db_table = COUNTS_TABLE
        constraints = [
            models.UniqueConstraint(
                fields=["filter", "filter_value", "facet", "value"], name="facet_count_key"
            )
        ]
        indexes = [
            models.Index(
                "filter", "filter_value", "facet", models.F("n").desc(), name="facet_count_top"
            )
        ]

    def __str__(self) -> str:
        return f"{self.filter}={self.filter_value}: {self.facet}={self.value} ({self.n})"


def _text(value) -> str:
    return "" if value is None else str(value)


def contributions(row: dict) -> Counter:
    """What one facet row adds: for each kept list it is in, one to each of its facet values."""
    topics = row["topics"] or []
    if isinstance(topics, str):  # SQLite's JSON text
        import json

        topics = json.loads(topics)
    lists = [("", "")]
    kind = _text(row[COLUMNS[PAIRED]])
    for name in KEPT:
        values = [str(t) for t in topics] if name == "topic" else [_text(row[COLUMNS[name]])]
        lists += [(name, value) for value in values]
        if name != PAIRED:
            lists += [(f"{PAIRED}+{name}", f"{kind}|{value}") for value in values]
    values = [("topic", str(t)) for t in topics]
    values += [(name, _text(row[COLUMNS[name]])) for name in FACETS if name != "topic"]
    return Counter({(*kept, *value): 1 for kept in lists for value in values})


def rows_in(cursor, table: str, scope: str, params) -> list[dict]:
    cursor.execute(f"SELECT {', '.join(ROW_COLUMNS)} FROM {table} WHERE {scope}", params)  # noqa: S608
    return [dict(zip(ROW_COLUMNS, found, strict=True)) for found in cursor.fetchall()]


def apply(cursor, removed: list[dict], added: list[dict]) -> None:
    """Add what `added` counts and take away what `removed` counted."""
    delta: Counter = Counter()
    for row in added:
        delta.update(contributions(row))
    for row in removed:
        delta.subtract(contributions(row))
    changes = sorted((key, n) for key, n in delta.items() if n)
    if not changes:
        return
    cursor.executemany(
        f"INSERT INTO {COUNTS_TABLE} (filter, filter_value, facet, value, n) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (filter, filter_value, facet, value) "
        f"DO UPDATE SET n = {COUNTS_TABLE}.n + excluded.n",
        [(*key, n) for key, n in changes],
    )
    cursor.execute(f"DELETE FROM {COUNTS_TABLE} WHERE n = 0")  # noqa: S608


def rebuild(using: str, facet_table: str) -> None:
    """Every count again, from the facet table (a GROUP BY per kept list and facet)."""
    vendor = connections[using].vendor
    postgresql = vendor == "postgresql"

    def expression(name: str, alias: str) -> tuple[str, str]:
        """(SQL of the value as text, the join that unnests topics) for a filter or facet."""
        if name == "topic":
            if postgresql:
                return f"{alias}.id::text", f"CROSS JOIN LATERAL unnest(f.topics) AS {alias}(id)"
            return f"CAST({alias}.value AS TEXT)", f"JOIN json_each(f.topics) {alias}"
        column = f"f.{COLUMNS[name]}"
        return f"COALESCE(CAST({column} AS TEXT), '')", ""

    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {COUNTS_TABLE}")  # noqa: S608
        for kept in ("", *KEPT, *PAIRS):
            for facet in FACETS:
                if kept in PAIRS:
                    kept_sql, kept_join = expression(kept.split("+")[1], "kt")
                    kept_sql = f"f.{COLUMNS[PAIRED]} || '|' || {kept_sql}"
                elif kept:
                    kept_sql, kept_join = expression(kept, "kt")
                else:
                    kept_sql, kept_join = "''", ""
                value_sql, value_join = expression(facet, "vt")
                cursor.execute(
                    f"INSERT INTO {COUNTS_TABLE} (filter, filter_value, facet, value, n) "  # noqa: S608
                    f"SELECT %s, {kept_sql}, %s, {value_sql}, COUNT(*) FROM {facet_table} f "
                    f"{kept_join} {value_join} GROUP BY 2, 4",
                    [kept, facet],
                )
