"""Facet counts beside the filters, as Datasette shows them: one grouped query per facet."""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from django_countries import countries

from ..models import Statement, Topic

FACET_SIZE = 12


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str  # the list with this option added (or removed, when selected)


@dataclass
class Facet:
    name: str
    title: str
    options: list[FacetOption]


def toggled(params: QueryDict, name: str, value: str, multiple: bool) -> str:
    """The query string with `name=value` switched on or off; the page starts again at 1."""
    params = params.copy()
    params.pop("page", None)
    current = params.getlist(name)
    if value in current:
        current.remove(value)
    elif multiple:
        current.append(value)
    else:
        current = [value]
    params.setlist(name, current)
    return "?" + params.urlencode()


def topic_counts(filtered) -> list[tuple[str, str, int]]:
    """(slug, name, n) of the FACET_SIZE largest topics among `filtered`, in one grouped query.

    A topic counts each statement tagged with it or with one of its sub-topics once (the rule of
    for_topic): each link is joined to its own topic and to that topic's parent, then grouped with
    COUNT(DISTINCT statement). A correlated subquery per topic (the former shape) re-ran the whole
    filter for every topic: 16 s of the 19 s of /statements/ at a million statements."""
    try:
        subquery, params = filtered.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # e.g. a search with no usable words: queryset.none()
        return []
    topic = Topic._meta.db_table
    links = Statement.topics.through._meta.db_table
    # Only table names and the ORM's own compiled subquery are formatted in; values are params.
    # Grouped on the topic id alone (narrow rows to sort), named afterwards.
    sql = (
        f"SELECT t.slug, t.name, counted.n FROM ("  # noqa: S608
        f"SELECT c.tid, COUNT(DISTINCT l.statement_id) AS n FROM {links} l INNER JOIN ("
        f"SELECT id AS cid, id AS tid FROM {topic} UNION ALL "
        f"SELECT id, parent_id FROM {topic} WHERE parent_id IS NOT NULL"
        f") c ON l.topic_id = c.cid WHERE l.statement_id IN ({subquery}) GROUP BY c.tid"
        f") counted INNER JOIN {topic} t ON t.id = counted.tid "
        f"ORDER BY counted.n DESC, t.name ASC LIMIT {FACET_SIZE}"
    )
    with connections[filtered.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def from_counts(counts: dict[str, list[tuple]], params: QueryDict) -> list[Facet]:
    """The facets of the list page from listing.counts(): for each, the FACET_SIZE largest
    values (ties by name, code or value, newest year first), labelled and linked."""
    from ..models import Speaker

    fidelity_labels = dict(Statement.Fidelity.choices)
    result = []
    for name, title, multiple in (
        ("speaker", "Speaker", True),
        ("topic", "Topic", False),
        ("country", "Country", False),
        ("year", "Year", False),
        ("fidelity", "Fidelity", False),
    ):
        rows = [(str(value), n) for value, n in counts.get(name, []) if value not in (None, "")]
        if name in ("speaker", "topic") and rows:
            # Names only for the values that can make the list: those counted at least as
            # often as the FACET_SIZE-th largest (ties are broken by name).
            floor = sorted((n for _, n in rows), reverse=True)[:FACET_SIZE][-1]
            wanted = [int(value) for value, n in rows if n >= floor]
            model = Speaker if name == "speaker" else Topic
            named = dict(
                (str(pk), (value, label))
                for pk, value, label in model.objects.filter(pk__in=wanted).values_list(
                    "pk", "slug" if name == "topic" else "pk", "name"
                )
            )
            labelled = [(*named[value], n) for value, n in rows if value in named]
            labelled.sort(key=lambda row: (-row[2], row[1]))
        elif name == "year":
            labelled = sorted(((v, v, n) for v, n in rows), key=lambda r: (-r[2], -int(r[0])))
        elif name == "country":
            labelled = sorted(
                ((v, countries.name(v) or v, n) for v, n in rows), key=lambda r: (-r[2], r[0])
            )
        else:
            labelled = sorted(
                ((v, fidelity_labels.get(v, v), n) for v, n in rows), key=lambda r: (-r[2], r[0])
            )
        selected = set(params.getlist(name))
        options = [
            FacetOption(
                str(value), label, n, str(value) in selected,
                toggled(params, name, str(value), multiple),
            )
            for value, label, n in labelled[:FACET_SIZE]
        ]  # fmt: skip
        result.append(Facet(name, title, options))
    return result


def facets(filtered, params: QueryDict) -> list[Facet]:
    """Counts for speaker, topic, country, year and fidelity within the current filter."""
    return facets_and_total(filtered, params)[0]


def facets_and_total(filtered, params: QueryDict) -> tuple[list[Facet], int | None]:
    """The facets, and the number of statements in the filter when the fidelity facet gives it
    (every statement has one fidelity, and there are fewer of them than FACET_SIZE): the list
    page then needs no COUNT(*) of its own. None when it cannot tell."""
    # Grouped straight over the filter's own joins: wrapping it as `pk IN (subquery)` made every
    # facet a semi-join of a million ids against a million rows (about twice the work).
    base = filtered.order_by().prefetch_related(None)
    fidelity_labels = dict(Statement.Fidelity.choices)
    specs = [
        ("speaker", "Speaker", True, base.values_list("speaker", "speaker__name"), "speaker__name"),
        # A topic's count includes its sub-topics, as the topic filter does.
        ("topic", "Topic", False, None, "name"),
        ("country", "Country", False, base.values_list("speaker__country"), "speaker__country"),
        (
            "year",
            "Year",
            False,
            base.annotate(y=ExtractYear("conference__date")).values_list("y"),
            "-y",
        ),
        ("fidelity", "Fidelity", False, base.values_list("fidelity"), "fidelity"),
    ]

    def grouped(name, values, tiebreak) -> list:
        if name == "topic":
            return topic_counts(filtered)
        return list(values.annotate(n=Count("*")).order_by("-n", tiebreak)[:FACET_SIZE])

    # Fidelity first: it gives the total, and when nothing matches the other facets are empty
    # without asking (a phrase search re-checks every candidate row in each query: seconds).
    fidelity_rows = grouped("fidelity", specs[-1][3], specs[-1][4])
    total = sum(row[-1] for row in fidelity_rows) if len(fidelity_rows) < FACET_SIZE else None
    result = []
    for name, title, multiple, values, tiebreak in specs:
        if name == "fidelity":
            rows = fidelity_rows
        elif total == 0:
            rows = []
        else:
            rows = grouped(name, values, tiebreak)
        selected = set(params.getlist(name))
        options = []
        for row in rows:
            value, count = row[0], row[-1]
            if value in (None, ""):
                continue
            value = str(value)
            if name == "country":
                label = countries.name(value) or value
            elif name == "fidelity":
                label = fidelity_labels.get(value, value)
            elif name == "year":
                label = value
            else:
                label = row[1]
            options.append(
                FacetOption(
                    value, label, count, value in selected, toggled(params, name, value, multiple)
                )
            )
        result.append(Facet(name, title, options))
    return result, total
