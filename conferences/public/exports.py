"""Exports of any /statements/ filter as CSV, JSON and NDJSON, streamed at constant memory.

Three queries, whatever the number of rows: every role once (a small table: one row per post
held), every topic once, then the statements, with their topic ids gathered by the database in a
correlated subquery on the link table's index (names are looked up in Python: a join per row
cost more than half the time of a large export), as plain tuples (`values_list`) over
`QuerySet.iterator(chunk_size=CHUNK_SIZE)`, so no model instance, list or prefetch cache grows
with the export (the roles, topics and their cached lookups grow with speakers, days and topic
sets, not with statements).

On PostgreSQL the iterator reads through a server-side cursor, declared `WITH HOLD` since requests
run in autocommit: the server keeps the result (on disk past work_mem) and no transaction stays
open while a slow client downloads. It works with Django's persistent connections
(CONN_MAX_AGE) as they are; DISABLE_SERVER_SIDE_CURSORS would only be needed behind a
transaction-pooling proxy such as PgBouncer in transaction mode, which Podium does not use.

Every value is a string, the same in the three formats (an empty string when there is none):
`date` is ISO 8601, `country` the speaker's ISO 3166-1 alpha-2 code, `kind` and `fidelity` the
stored codes (`answer`, `verbatim`…), `topics` the topic names ordered by name and joined by
"; ". Texts are written exactly as stored (no formula escaping: the archive is edited, and a
researcher's copy must be identical to the page).
"""

import datetime
import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from django.db.models import TextField
from django.urls import reverse

from ..models import Role, Statement, Topic
from ..models.people import pick_role
from ..models.search import StatementSQL

COLUMNS = (
    "public_id",
    "permalink",
    "date",
    "speaker",
    "role",
    "country",
    "conference",
    "place",
    "kind",
    "fidelity",
    "text",
    "topics",
    "source_url",
    "outlet",
)

# Rows fetched from the database cursor at a time; tests patch it to show it changes nothing.
CHUNK_SIZE = 2000
# Rows written into one piece of the response: fewer, larger writes than one per row.
ROWS_PER_PIECE = 500

TOPIC_SEPARATOR = "; "
# The formats, in the order the statements page offers them; each has a writer in WRITERS below
# (a new format is added here and there, and nowhere else: URLs, links and the command follow).
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "ndjson": "application/x-ndjson",
}

# Fields read from the database, in this order; `export_rows` turns them into COLUMNS.
_FIELDS = (
    "public_id",
    "conference__date",
    "speaker__name",
    "speaker_id",
    "speaker__country",
    "conference__title",
    "conference__place",
    "kind",
    "fidelity",
    "text",
    "export_topics",
    "source__url",
    "source__outlet__name",
)


class _Role(NamedTuple):
    """What `pick_role` reads of a role, without a model instance."""

    pk: int
    title: str
    started_on: datetime.date | None
    ended_on: datetime.date | None


def role_titles() -> Callable[[int, datetime.date], str]:
    """`title(speaker_id, day)`: the title of the role held that day, or "" (`pick_role`'s rule).

    Every role is read once, in one query: one row per post held, so it grows with speakers,
    never with statements; a cached lookup per row is cheaper than a subquery per row."""
    roles: dict[int, list[_Role]] = defaultdict(list)
    for speaker_id, *fields in Role.objects.values_list(
        "speaker_id", "pk", "title", "started_on", "ended_on"
    ):
        roles[speaker_id].append(_Role(*fields))

    @functools.lru_cache(maxsize=4096)  # bounded: memory stays flat on any number of rows
    def title(speaker_id: int, day: datetime.date) -> str:
        role = pick_role(roles.get(speaker_id, ()), day)
        return role.title if role else ""

    return title


def topic_names(vendor: str) -> StatementSQL:
    """The statement's topic names, ordered by name, joined by TOPIC_SEPARATOR, in SQL (the
    Datasette copy of `make bench` reads them so; exports use `topic_ids` and `topic_labels`)."""
    link = Statement.topics.through._meta
    statement_column = link.get_field("statement").column
    topic_column = link.get_field("topic").column
    topic = Topic._meta.db_table
    rows = (
        f"FROM {topic} JOIN {link.db_table} ON {link.db_table}.{topic_column} = {topic}.id "
        f"WHERE {link.db_table}.{statement_column} = {{pk}}"
    )
    if vendor == "postgresql":
        sql = f"(SELECT STRING_AGG({topic}.name, %s ORDER BY {topic}.name) {rows})"
    else:
        # SQLite before 3.44 has no ORDER BY inside group_concat; an ordered subquery is never
        # flattened into an aggregate query, so group_concat sees the names in this order.
        ordered = f"SELECT {topic}.name AS name {rows} ORDER BY name"
        sql = f"(SELECT group_concat(name, %s) FROM ({ordered}))"  # noqa: S608 (names from _meta)
    return StatementSQL(sql, [TOPIC_SEPARATOR], TextField())


def topic_ids(vendor: str) -> StatementSQL:
    """The statement's topic ids as "3,12" (any order), read from the link table's index alone:
    no join per row. `topic_labels` turns them into names."""
    link = Statement.topics.through._meta
    statement_column = link.get_field("statement").column
    topic_column = link.get_field("topic").column
    if vendor == "postgresql":
        joined = f"STRING_AGG({topic_column}::text, ',')"
    else:
        joined = f"group_concat({topic_column}, ',')"
    sql = f"(SELECT {joined} FROM {link.db_table} WHERE {statement_column} = {{pk}})"  # noqa: S608
    return StatementSQL(sql, [], TextField())


def topic_labels() -> Callable[[str | None], str]:
    """`label("3,12")`: those topics' names ordered by name, joined by TOPIC_SEPARATOR.

    Every topic is read once, in one query (a small table); the same set of topics recurs
    across rows, so each label is built once (bounded cache: memory stays flat)."""
    names = dict(Topic.objects.values_list("pk", "name"))

    @functools.lru_cache(maxsize=4096)
    def label(ids: str | None) -> str:
        if not ids:
            return ""
        return TOPIC_SEPARATOR.join(sorted(names[int(pk)] for pk in ids.split(",")))

    return label


def export_queryset(filtered, vendor: str):
    """`filtered` (StatementFilter.qs, ordered as on the page) as tuples of _FIELDS."""
    return filtered.annotate(export_topics=topic_ids(vendor)).values_list(*_FIELDS)


def permalink_prefix(base_url: str) -> tuple[str, str]:
    """What goes before and after a public id in its absolute permalink."""
    marker = "PUBLICID"
    path = reverse("conferences:statement", kwargs={"public_id": marker})
    before, _, after = path.partition(marker)
    return base_url.rstrip("/") + before, after


def export_rows(queryset, base_url: str) -> Iterator[tuple[str, ...]]:
    """One tuple of strings per statement, in COLUMNS order, straight from the database cursor.

    Three queries in all, whatever the number of rows: the roles, the topics, then the
    statements."""
    before, after = permalink_prefix(base_url)
    role = role_titles()
    label = topic_labels()
    for (
        public_id,
        day,
        speaker,
        speaker_id,
        country,
        conference,
        place,
        kind,
        fidelity,
        text,
        topics,
        source_url,
        outlet,
    ) in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield (
            public_id,
            f"{before}{public_id}{after}",
            day.isoformat(),
            speaker,
            role(speaker_id, day),
            country or "",
            conference,
            place,
            kind,
            fidelity,
            text,
            label(topics),
            source_url or "",
            outlet or "",
        )


def _pieces(rows: Iterable[tuple[str, ...]]) -> Iterator[list[tuple[str, ...]]]:
    piece = []
    for row in rows:
        piece.append(row)
        if len(piece) >= ROWS_PER_PIECE:
            yield piece
            piece = []
    if piece:
        yield piece


def csv_field(value: str) -> str:
    """`value` quoted exactly as csv.writer quotes it (excel dialect, QUOTE_MINIMAL): in double
    quotes, inner quotes doubled, when it holds a quote, a comma or a line break."""
    if '"' in value:
        return '"' + value.replace('"', '""') + '"'
    if "," in value or "\n" in value or "\r" in value:
        return '"' + value + '"'
    return value


def csv_line(row: Iterable[str]) -> str:
    return ",".join(map(csv_field, row)) + "\r\n"


def csv_chunks(rows: Iterable[tuple[str, ...]]) -> Iterator[str]:
    """CSV with a header row, byte for byte what csv.writer writes (RFC 4180, CRLF line ends;
    tests/test_exports.py checks the two agree), at three times its speed on long texts."""
    yield csv_line(COLUMNS)
    for piece in _pieces(rows):
        yield "".join(map(csv_line, piece))


def _json(row: tuple[str, ...]) -> str:
    return json.dumps(dict(zip(COLUMNS, row, strict=True)), ensure_ascii=False)


def json_chunks(rows: Iterable[tuple[str, ...]]) -> Iterator[str]:
    """One JSON array, written piece by piece: `[]` when there is no row."""
    yield "["
    separator = "\n"
    for piece in _pieces(rows):
        yield separator + ",\n".join(_json(row) for row in piece)
        separator = ",\n"
    yield "\n]\n"


def ndjson_chunks(rows: Iterable[tuple[str, ...]]) -> Iterator[str]:
    """One JSON object per line."""
    for piece in _pieces(rows):
        yield "".join(_json(row) + "\n" for row in piece)


WRITERS = {"csv": csv_chunks, "json": json_chunks, "ndjson": ndjson_chunks}


def filename(export_format: str, day) -> str:
    return f"podium-statements-{day:%Y%m%d}.{export_format}"
