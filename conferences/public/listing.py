"""The statement list's rows and counts, read from its own narrow table (issue 18).

`StatementFilter` (conferences/filters.py) still validates the query string; its cleaned values
become one WHERE clause on conferences_statement_facets (conferences/models/facets.py), which
holds exactly the published statements with the values the filters name. Then:

- `counts()`: the five facets and the total in ONE query. The matching rows are read once into a
  materialized CTE and every facet is a GROUP BY over it, so a search's matches are found once,
  not once per facet (each facet re-ran the whole filter with its joins before).
- `page_ids()`: the page's statement ids in the list's order: newest first by walking the
  (date, conference, sequence) index, or, under a search, by relevance over ALL matches (ranked
  from the stored tsvector on PostgreSQL, bm25 on SQLite), then newest first.

Only constants and table names are formatted into the SQL; every value is a parameter.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import connections

from ..models import facet_counts, facets
from ..models import search as text_search
from .facets import FACET_SIZE

ORDER = {
    "newest": "f.date DESC, f.conference_id DESC, f.sequence ASC",
    "oldest": "f.date ASC, f.conference_id ASC, f.sequence ASC",
}
FACETS = facet_counts.FACETS


@dataclass
class Where:
    """The filter as SQL on the facet table `f` (and the words table `w` when searching)."""

    vendor: str
    clauses: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)
    join: str = ""
    join_params: list = field(default_factory=list)
    rank: str = ""  # an SQL expression, larger is more relevant; empty when not searching
    rank_params: list = field(default_factory=list)
    nothing: bool = False  # a search with no usable word: no rows at all
    filters: list = field(default_factory=list)  # (name, value as kept) of each filter applied
    table: str = facets.TABLE  # read as `f`; a search on PostgreSQL reads facets.WORDS_TABLE
    dates: list = field(default_factory=lambda: [None, None])  # date_from, date_to

    def add(self, sql: str, *params, name: str = "", value="") -> None:
        self.clauses.append(sql)
        self.params.extend(params)
        self.filters.append((name, "" if value is None else str(value)))

    def kept(self) -> tuple[str, str] | None:
        """The list whose counts are kept (facet_counts.KEPT), if this is one."""
        if not self.filters:
            return ("", "")
        if len(self.filters) == 1 and self.filters[0][0] in facet_counts.KEPT:
            return self.filters[0]
        if len(self.filters) == 2:
            (first, first_value), (second, second_value) = sorted(
                self.filters, key=lambda item: item[0] != facet_counts.PAIRED
            )
            pair = f"{first}+{second}"
            if pair in facet_counts.PAIRS:
                return (pair, f"{first_value}|{second_value}")
        return None

    def sql(self) -> tuple[str, list]:
        where = " AND ".join(self.clauses) or "1 = 1"
        return (
            f"FROM {self.table} f {self.join} WHERE {where}",
            [*self.join_params, *self.params],
        )


def where(cleaned: dict, using: str = "default") -> Where:
    """The WHERE clause of the list's valid filters (StatementFilter's cleaned_data)."""
    vendor = connections[using].vendor
    found = Where(vendor)
    speakers = cleaned.get("speaker") or []
    if speakers:
        marks = ", ".join(["%s"] * len(speakers))
        ids = [speaker.pk for speaker in speakers]
        found.add(f"f.speaker_id IN ({marks})", *ids, name="speaker")
    for name in ("country", "kind", "fidelity"):
        if cleaned.get(name):
            found.add(f"f.{name} = %s", cleaned[name], name=name, value=cleaned[name])
    if cleaned.get("organization"):
        pk = cleaned["organization"].pk
        found.add("f.organization_id = %s", pk, name="organization", value=pk)
    if cleaned.get("conference"):
        found.add("f.conference_id = %s", cleaned["conference"].pk, name="conference")
    if cleaned.get("year") is not None:
        year = int(cleaned["year"])
        found.add("f.year = %s", year, name="year", value=year)
    if cleaned.get("date_from"):
        found.add("f.date >= %s", cleaned["date_from"], name="date_from")
        found.dates[0] = cleaned["date_from"]
    if cleaned.get("date_to"):
        found.add("f.date <= %s", cleaned["date_to"], name="date_to")
        found.dates[1] = cleaned["date_to"]
    if cleaned.get("topic"):
        topic = cleaned["topic"].pk
        if vendor == "postgresql":
            found.add("f.topics @> ARRAY[%s]::integer[]", topic, name="topic", value=topic)
        else:
            sql = "EXISTS (SELECT 1 FROM json_each(f.topics) WHERE value = %s)"
            found.add(sql, topic, name="topic", value=topic)
    query = (cleaned.get("q") or "").strip()
    if query:
        match = text_search.facet_match(vendor, query)
        if match is None:
            found.nothing = True
        else:
            found.join, found.join_params = match.join, match.join_params
            found.table = match.table or found.table
            found.add(match.where, *match.where_params, name="q")
            found.rank, found.rank_params = match.rank, match.rank_params
    return found


def _largest_first(result: dict[str, list[tuple]]) -> None:
    for rows in result.values():
        rows.sort(key=lambda row: -row[1])


def counts(
    found: Where, using: str = "default", use_kept: bool = True, page: tuple | None = None
) -> tuple[dict[str, list[tuple]], int]:
    """({facet: [(value, n), …] largest first}, total): from the kept counts for the lists that
    have them (the FACET_SIZE largest values and their ties), else counted in one query (every
    value).

    `page` = (offset, limit) under a search ranked by relevance: the same query also ranks the
    matches it has just found, and the page's ids come back as result["page"] (a search finds
    its matches once per visit, not twice)."""
    if found.nothing:
        return {name: [] for name in FACETS}, 0
    kept = found.kept() if use_kept else None
    if kept is not None:
        return kept_counts(*kept, using=using)
    names = [name for name, _ in found.filters]
    if use_kept and set(names) <= {"date_from", "date_to"}:
        return _date_range(found, using)
    if use_kept and len(names) == 2 and "fidelity" in names:
        other = found.filters[1 - names.index("fidelity")]
        if other[0] in facet_counts.KEPT and other[0] != "fidelity":
            return _kept_less_other_fidelities(found, names.index("fidelity"), other, using)
    source, params = found.sql()
    ranked = page is not None and bool(found.rank)
    order = "m.rank DESC, m.date DESC, m.conference_id DESC, m.sequence ASC"
    columns = "f.speaker_id, f.country, f.year, f.fidelity, f.topics"
    if ranked:
        columns += f", f.statement_id, f.date, f.conference_id, f.sequence, {found.rank} AS rank"
        params = [*found.rank_params, *params]
    if found.vendor == "postgresql":
        materialized = f"WITH m AS MATERIALIZED (SELECT {columns} {source}) "
        # One pass for all five facets: GROUPING SETS, the topics grouped by the whole array
        # (a few thousand distinct ones), split below.
        grouped = (
            "SELECT CASE WHEN GROUPING({p}speaker_id) = 0 THEN 'speaker' "
            "WHEN GROUPING({p}country) = 0 THEN 'country' "
            "WHEN GROUPING({p}year) = 0 THEN 'year' "
            "WHEN GROUPING({p}fidelity) = 0 THEN 'fidelity' ELSE 'topics' END, "
            # In each set the other columns are NULL; the grouped one never is.
            "COALESCE({p}speaker_id::text, {p}country, {p}year::text, {p}fidelity, "
            "array_to_string({p}topics, ',')), COUNT(*) {source} GROUP BY GROUPING SETS "
            "(({p}speaker_id), ({p}country), ({p}year), ({p}fidelity), ({p}topics))"
        )
        if ranked:
            sql = materialized + grouped.format(p="m.", source="FROM m")
        else:
            sql = grouped.format(p="f.", source=source)
        text = "::text"
    else:
        topics = "JOIN json_each(m.topics) t"
        sql = f"WITH m AS (SELECT {columns} {source}) " + " UNION ALL ".join(  # noqa: S608
            f"SELECT '{name}', {column}, COUNT(*) FROM m {join} GROUP BY {column}"  # noqa: S608
            for name, column, join in (
                ("speaker", "m.speaker_id", ""),
                ("topic", "t.value", topics),
                ("country", "m.country", ""),
                ("year", "m.year", ""),
                ("fidelity", "m.fidelity", ""),
            )
        )
        text = ""
    if ranked:
        # The page, each id with its place (the order never rests on UNION ALL's): the best
        # matches first (a top-N sort), numbered afterwards.
        sql += (
            f" UNION ALL SELECT 'page', p.statement_id{text}, "  # noqa: S608
            f"ROW_NUMBER() OVER (ORDER BY {order.replace('m.', 'p.')}) "
            f"FROM (SELECT * FROM m ORDER BY {order} LIMIT %s OFFSET %s) AS p"
        )
        params += [page[1], page[0]]
    result: dict[str, list[tuple]] = {name: [] for name in FACETS}
    topics: Counter = Counter()
    placed = []
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        for name, value, n in cursor.fetchall():
            if name == "page":
                placed.append((n, int(value)))
            elif name == "topics":
                for topic in (value or "").split(","):
                    if topic:
                        topics[topic] += n
            else:
                result[name].append((value, n))
    if topics:
        result["topic"] = list(topics.items())
    _largest_first(result)
    if ranked:
        result["page"] = [pk for _, pk in sorted(placed)]
    total = sum(n for _, n in result["fidelity"])  # every statement has one fidelity
    return result, total


def _date_range(found: Where, using: str) -> tuple[dict, int]:
    """counts() of a date range alone: the kept counts of every whole year inside it, added up,
    and the days of the years it cuts counted from the rows (a range of twenty years reads two
    partial years of rows, not twenty)."""
    start, end = found.dates
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT MIN(year), MAX(year) FROM {facets.TABLE}")  # noqa: S608
        first, last = cursor.fetchone()
    if first is None:
        return {name: [] for name in FACETS}, 0
    start = max(start or datetime.date(first, 1, 1), datetime.date(first, 1, 1))
    end = min(end or datetime.date(last, 12, 31), datetime.date(last, 12, 31))
    whole = [
        year
        for year in range(start.year, end.year + 1)
        if start <= datetime.date(year, 1, 1) and datetime.date(year, 12, 31) <= end
    ]
    totals: dict[str, Counter] = {name: Counter() for name in FACETS}
    if whole:
        marks = ", ".join(["%s"] * len(whole))
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"SELECT facet, value, SUM(n) FROM {facet_counts.COUNTS_TABLE} "  # noqa: S608
                f"WHERE filter = 'year' AND filter_value IN ({marks}) GROUP BY facet, value",
                [str(year) for year in whole],
            )
            for facet, value, n in cursor.fetchall():
                totals[facet][value] += int(n)
    # The days outside the whole years: at most one stretch at each end.
    stretches = []
    if start <= end:
        if not whole:
            stretches.append((start, end))
        else:
            if start < datetime.date(whole[0], 1, 1):
                stretches.append((start, datetime.date(whole[0] - 1, 12, 31)))
            if datetime.date(whole[-1], 12, 31) < end:
                stretches.append((datetime.date(whole[-1] + 1, 1, 1), end))
    for low, high in stretches:
        part = Where(found.vendor)
        part.add("f.date >= %s", low, name="date_from")
        part.add("f.date <= %s", high, name="date_to")
        counted, _ = counts(part, using, use_kept=False)
        for facet, rows in counted.items():
            for value, n in rows:
                totals[facet][str(value)] += n
    result = {name: list(totals[name].items()) for name in FACETS}
    _largest_first(result)
    return result, sum(totals["fidelity"].values())


def _kept_less_other_fidelities(found: Where, index: int, other, using: str) -> tuple[dict, int]:
    """counts() of a kept filter and a fidelity: the kept filter's counts, less those of its
    statements of any other fidelity. Nearly every statement is verbatim, so `fidelity=verbatim`
    with a large filter reads the few others instead of nearly all of that filter's rows."""
    fidelity = found.params[index]  # one parameter per clause, in the same order
    whole = {name: Counter() for name in FACETS}
    for facet, value, n in _kept_rows(*other, using=using):
        whole[facet][value] += n
    rest = Where(found.vendor)
    rest.clauses = [c for i, c in enumerate(found.clauses) if i != index]
    rest.params = [p for i, p in enumerate(found.params) if i != index]
    rest.add("f.fidelity <> %s", fidelity, name="fidelity")
    counted, _ = counts(rest, using, use_kept=False)
    for facet, rows in counted.items():
        for value, n in rows:
            whole[facet][str(value)] -= n
    result = {name: [(v, n) for v, n in whole[name].items() if n > 0] for name in FACETS}
    _largest_first(result)
    return result, sum(n for _, n in result["fidelity"])


def _kept_rows(name: str, value: str, using: str = "default") -> list[tuple]:
    """Every kept count of one list: (facet, value, n)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT facet, value, n FROM {facet_counts.COUNTS_TABLE} "  # noqa: S608
            "WHERE filter = %s AND filter_value = %s",
            [name, value],
        )
        return cursor.fetchall()


def kept_counts(name: str, value: str, using: str = "default") -> tuple[dict, int]:
    """counts() of the unfiltered list or of one kept filter, read from the kept counts: for
    each facet the FACET_SIZE largest and every value tied with the last of them."""
    size = FACET_SIZE
    table = facet_counts.COUNTS_TABLE
    sql = " UNION ALL ".join(
        f"SELECT facet, value, n FROM {table} WHERE filter = %s AND filter_value = %s "  # noqa: S608
        f"AND facet = %s AND n >= COALESCE((SELECT n FROM {table} WHERE filter = %s "
        f"AND filter_value = %s AND facet = %s ORDER BY n DESC LIMIT 1 OFFSET {size - 1}), 0)"
        for _ in FACETS
    )
    params = [p for facet in FACETS for p in (name, value, facet) * 2]
    result: dict[str, list[tuple]] = {facet: [] for facet in FACETS}
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        for facet, found, n in cursor.fetchall():
            result[facet].append((found, n))
    _largest_first(result)
    if len(result["fidelity"]) < size:
        total = sum(n for _, n in result["fidelity"])
    else:  # more fidelities than a facet shows (never so far): count them all
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"SELECT COALESCE(SUM(n), 0) FROM {table} WHERE filter = %s "  # noqa: S608
                "AND filter_value = %s AND facet = 'fidelity'",
                [name, value],
            )
            total = cursor.fetchone()[0]
    return result, total


def _reversed(order: str) -> str:
    """The same order backwards (every key's direction swapped; the order is total). Keys are
    split at their direction words, so an expression holding commas stays whole."""
    keys = [key for key in re.split(r"(?<= ASC)|(?<= DESC)", order) if key.strip(", ")]
    flipped = []
    for key in keys:
        expression, direction = key.strip(", ").rsplit(" ", 1)
        flipped.append(f"{expression} {'DESC' if direction == 'ASC' else 'ASC'}")
    return ", ".join(flipped)


def page_ids(
    found: Where,
    sort: str,
    offset: int,
    limit: int,
    using: str = "default",
    total: int | None = None,
) -> list:
    """The ids of one page of the list, in its order. A page past the middle of `total` rows is
    read from the other end (OFFSET skips rows one by one: page 20,000 of 40,000 would walk
    half a million of them)."""
    if found.nothing:
        return []
    source, params = found.sql()
    if sort == "relevance" and found.rank:
        # Every match is ranked (the stored vector makes that cheap), not a window of them.
        order = f"{found.rank} DESC, {ORDER['newest']}"
        params = [*params, *found.rank_params]
    else:
        order = ORDER.get(sort, ORDER["newest"])
    backwards = total is not None and offset > total // 2
    if backwards:
        limit = max(0, min(limit, total - offset))
        offset = max(0, total - offset - limit)
        order = _reversed(order)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT f.statement_id {source} ORDER BY {order} LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ids[::-1] if backwards else ids


def statements(ids: list, query: str = ""):
    """The page's statements in the order of `ids`, as the list shows them (speaker, roles,
    conference, host; the highlighted snippet under a search)."""
    from ..models.lists import published_statements
    from ..models.search import headlines

    rows = published_statements().filter(pk__in=ids)
    if query:
        rows = headlines(rows, query)  # they match: only the snippets are wanted
    found = {row.pk: row for row in rows}
    return [found[pk] for pk in ids if pk in found]
