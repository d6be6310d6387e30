"""Copy Podium's published statements into a SQLite file that Datasette serves (`make bench`).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/datasette_export.py var/bench/datasette.db

One table, `statements`, one row per published statement with what the list page filters and
counts on, as plain values: speaker name and id, country code, the host organisation's slug,
conference id and title, date and year, kind, fidelity, topics (a JSON array of names, for
Datasette's `_facet_array` and `topics__arraycontains`) and topic_slugs (a JSON array of the slugs
of the statement's topics and of their parents: Podium's `topic=` takes a topic's sub-topics in,
so `topic_slugs__arraycontains=<slug>` selects the same rows for any topic). Indexes on the facet
and filter columns, and a full-text table over `text` that Datasette finds by itself because it
was created with `content="statements"` in double quotes.

Rows are read through a server-side cursor and written in batches inside one transaction, so
memory stays flat on a million rows; the file is written beside its final name and renamed at the
end, so an interrupted export never leaves a half-filled database behind.
"""

import functools
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCHEMA = """
CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL,
    date TEXT NOT NULL,
    year INTEGER NOT NULL,
    conference_id INTEGER NOT NULL,
    conference TEXT NOT NULL,
    organization TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    speaker_id INTEGER NOT NULL,
    speaker TEXT NOT NULL,
    country TEXT NOT NULL,
    kind TEXT NOT NULL,
    fidelity TEXT NOT NULL,
    topics TEXT NOT NULL,
    topic_slugs TEXT NOT NULL,
    text TEXT NOT NULL
)
"""
COLUMNS = (
    "id",
    "public_id",
    "date",
    "year",
    "conference_id",
    "conference",
    "organization",
    "sequence",
    "speaker_id",
    "speaker",
    "country",
    "kind",
    "fidelity",
    "topics",
    "topic_slugs",
    "text",
)
# Datasette's facets and filters on these read an index instead of the whole table.
FACET_COLUMNS = (
    "speaker",
    "country",
    "year",
    "kind",
    "fidelity",
    "conference_id",
    "speaker_id",
    "organization",
    "date",
)
# Exactly this spelling: Datasette detects the FTS table of `statements` from content="statements".
FTS = (
    'CREATE VIRTUAL TABLE statements_fts USING fts5(text, content="statements", content_rowid="id")'
)
BATCH_SIZE = 10_000


def source_rows(batch_size: int = BATCH_SIZE) -> Iterator[tuple]:
    """The published statements in id order, as tuples of COLUMNS (Django must be set up)."""
    from django.db import connections

    from conferences.models import Statement
    from conferences.public.exports import TOPIC_SEPARATOR, topic_ids, topic_names

    vendor = connections[Statement.objects.db].vendor
    slugs = topic_slugs()
    queryset = (
        Statement.objects.published()
        .annotate(topic_list=topic_names(vendor), topic_id_list=topic_ids(vendor))
        .order_by("pk")
        .values_list(
            "pk",
            "public_id",
            "conference__date",
            "conference_id",
            "conference__title",
            "conference__host__slug",
            "sequence",
            "speaker_id",
            "speaker__name",
            "speaker__country",
            "kind",
            "fidelity",
            "topic_list",
            "topic_id_list",
            "text",
        )
    )
    for (
        pk,
        public_id,
        day,
        conference_id,
        title,
        host,
        sequence,
        speaker_id,
        speaker,
        country,
        *rest,
    ) in queryset.iterator(chunk_size=batch_size):
        kind, fidelity, topics, ids, text = rest
        names = topics.split(TOPIC_SEPARATOR) if topics else []
        yield (
            pk,
            public_id,
            day.isoformat(),
            day.year,
            conference_id,
            title,
            host or "",
            sequence,
            speaker_id,
            speaker,
            country or "",
            kind,
            fidelity,
            json.dumps(names, ensure_ascii=False),
            slugs(ids),
            text,
        )


def topic_slugs() -> Callable[[str | None], str]:
    """`slugs("3,12")`: a JSON array of the slugs of those topics and of their parents, sorted,
    each once: the topics whose `topic=` filter on Podium selects the statement (a topic's
    statements are those tagged with it or with one of its sub-topics: Topic.objects.family).
    Every topic is read once; each set of ids is turned into slugs once (bounded cache)."""
    from conferences.models import Topic

    topics = {
        pk: (slug, parent) for pk, slug, parent in Topic.objects.values_list("pk", "slug", "parent")
    }

    @functools.lru_cache(maxsize=4096)
    def slugs(ids: str | None) -> str:
        found = set()
        for pk in (int(pk) for pk in ids.split(",")) if ids else ():
            slug, parent = topics[pk]
            found.add(slug)
            if parent is not None:
                found.add(topics[parent][0])
        return json.dumps(sorted(found), ensure_ascii=False)

    return slugs


def row_count(path: Path) -> int | None:
    """Rows of `statements` in the file, or None when there is no usable file."""
    if not Path(path).exists():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return connection.execute("SELECT count(*) FROM statements").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None


def export(
    path: Path,
    rows: Iterator[tuple] | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write `rows` (default: every published statement) to a new SQLite file at `path`, with its
    indexes and full-text table; returns the number of rows."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    rows = source_rows(batch_size) if rows is None else rows
    placeholders = ", ".join("?" for _ in COLUMNS)
    insert = f"INSERT INTO statements ({', '.join(COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
    connection = sqlite3.connect(partial, isolation_level=None)
    written = 0
    try:
        # A file built once and then read: no journal, no fsync while it is written.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        connection.execute(SCHEMA)
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                connection.executemany(insert, batch)
                written += len(batch)
                batch = []
                if progress:
                    progress(written)
        if batch:
            connection.executemany(insert, batch)
            written += len(batch)
        for column in FACET_COLUMNS:
            connection.execute(f"CREATE INDEX statements_{column} ON statements ({column})")
        connection.execute(FTS)
        connection.execute("INSERT INTO statements_fts (statements_fts) VALUES ('rebuild')")
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
    finally:
        connection.close()
    os.replace(partial, path)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    started = time.monotonic()

    def progress(done: int) -> None:
        if done % 100_000 == 0:
            print(f"  {done:,} rows, {time.monotonic() - started:.0f} s", flush=True)

    written = export(Path(argv[1]), progress=progress)
    print(f"Wrote {written:,} statements to {argv[1]} in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
