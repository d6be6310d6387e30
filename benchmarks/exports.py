"""Benchmark: stream the CSV export of 10,000 and 100,000 statements (goal: 50,000 rows/s, memory
flat whatever the number of rows).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/podium_bench
    .venv/bin/python benchmarks/exports.py [--rows 100000] [--small 10000]

Uses DATABASE_URL when set (the PostgreSQL database is created when missing; never point it at a
database you care about: its statements are replaced), else a throwaway SQLite file. Every
speaker and every word is synthetic. Each size is exported twice through the Django test client
(the whole view: filter, query, server-side cursor, CSV writer, streaming response): once for
speed, once under tracemalloc for the peak of Python allocations.
"""

import argparse
import datetime
import gc
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from databases import create_database_if_missing  # noqa: E402 (benchmarks/ is on the path)

WORDS = (
    "accord alliance ambassador bilateral border ceasefire cooperation counterpart delegation "
    "dialogue embassy envoy fisheries framework guarantees humanitarian initiative investment "
    "mediation memorandum negotiations partnership principles proposal ratification region"
).split()
SPEAKERS = 50
PER_CONFERENCE = 50
RECENT_YEAR = 2025  # the newest rows (--small of them) fall in this year; the others before it


def text(rng: random.Random, i: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60)))
    return f'Synthetic remark {i}: "{words}", said with a comma, a “curly quote” and é 中文.'


def populate(total: int, small: int, batch: int) -> None:
    """`total` published statements; the newest `small` of them dated in RECENT_YEAR."""
    from conferences.models import (
        Conference,
        Organization,
        Role,
        SourceDocument,
        Speaker,
        Statement,
        Topic,
    )
    from conferences.text.ids import content_hash, new_public_id

    Statement.objects.all().delete()
    SourceDocument.objects.all().delete()
    Conference.objects.all().delete()
    Role.objects.all().delete()
    Speaker.objects.filter(slug__startswith="synthetic-speaker-").delete()
    rng = random.Random(7)
    host, _ = Organization.objects.get_or_create(
        slug="synthetic-ministry", defaults={"name": "Synthetic Ministry"}
    )
    outlet, _ = Organization.objects.get_or_create(
        slug="synthetic-wire", defaults={"name": "Synthetic Wire", "kind": "media"}
    )
    topics = [
        Topic.objects.get_or_create(slug=f"synthetic-{word}", defaults={"name": f"Synth {word}"})[0]
        for word in WORDS[:8]
    ]
    speakers = Speaker.objects.bulk_create(
        Speaker(name=f"Synthetic Speaker {n}", slug=f"synthetic-speaker-{n}", country="NO")
        for n in range(1, SPEAKERS + 1)
    )
    Role.objects.bulk_create(
        Role(speaker=speaker, title=title, started_on=started, ended_on=ended)
        for speaker in speakers
        for title, started, ended in (
            ("Deputy minister", datetime.date(2000, 1, 1), datetime.date(2019, 12, 31)),
            ("Minister", datetime.date(2020, 1, 1), None),
        )
    )
    conference_count = -(-total // PER_CONFERENCE)
    recent = -(-small // PER_CONFERENCE)
    conferences = []
    for n in range(conference_count):
        if n < recent:  # the newest conferences, in RECENT_YEAR
            day = datetime.date(RECENT_YEAR, 12, 31) - datetime.timedelta(days=n % 360)
        else:
            day = datetime.date(RECENT_YEAR - 1, 12, 31) - datetime.timedelta(days=n % 3600)
        conferences.append(
            Conference(
                title=f"Synthetic briefing {n}",
                slug=f"synthetic-briefing-{n}",
                date=day,
                place="Port Aster",
                host=host,
                status="published",
            )
        )
    conferences = Conference.objects.bulk_create(conferences, batch_size=batch)
    sources = SourceDocument.objects.bulk_create(
        (
            SourceDocument(
                conference=conference,
                kind="official_transcript",
                url=f"https://synthetic.example/{conference.slug}",
                outlet=outlet,
                text=f"Synthetic transcript {conference.slug}",
                content_hash=content_hash(f"Synthetic transcript {conference.slug}"),
            )
            for conference in conferences
        ),
        batch_size=batch,
    )
    seen: set[str] = set()
    links = Statement.topics.through
    made = 0
    for start in range(0, total, batch):
        statements = []
        for i in range(start, min(start + batch, total)):
            public_id = new_public_id()
            while public_id in seen:
                public_id = new_public_id()
            seen.add(public_id)
            body = text(rng, i)
            statements.append(
                Statement(
                    public_id=public_id,
                    conference=conferences[i // PER_CONFERENCE],
                    source=sources[i // PER_CONFERENCE],
                    speaker=speakers[i % SPEAKERS],
                    sequence=i % PER_CONFERENCE + 1,
                    text=body,
                    kind=rng.choice(["remark", "question", "answer"]),
                    content_hash=content_hash(body),
                )
            )
        statements = Statement.objects.bulk_create(statements)
        links.objects.bulk_create(
            links(statement_id=statement.pk, topic_id=topic.pk)
            for statement in statements
            for topic in rng.sample(topics, rng.randint(0, 2))
        )
        made += len(statements)
        if made % 50_000 == 0 or made == total:
            print(f"  created {made:,} / {total:,} statements", flush=True)


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def export(client, query: str) -> tuple[int, float]:
    """Stream the CSV export; return the bytes read and the seconds it took."""
    started = time.perf_counter()
    response = client.get(f"/statements/export.csv?{query}")
    if response.status_code != 200:
        raise SystemExit(f"The export answered {response.status_code}.")
    size = sum(len(piece) for piece in response.streaming_content)
    response.close()
    return size, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="statements to create")
    parser.add_argument("--small", type=int, default=10_000, help="rows in the smaller export")
    parser.add_argument("--batch", type=int, default=5_000, help="bulk_create batch size")
    parser.add_argument("--reuse", action="store_true", help="keep the statements of a last run")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    create_database_if_missing(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from conferences.models import Statement

    setup_test_environment()  # the test client's host, "testserver", is allowed
    call_command("migrate", verbosity=0)
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    if not (args.reuse and Statement.objects.count() == args.rows):
        started = time.perf_counter()
        populate(args.rows, args.small, args.batch)
        with connection.cursor() as cursor:  # fresh statistics, as autovacuum would make them
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(f"  in {time.perf_counter() - started:.1f} s (run again with --reuse to keep them)")

    client = Client()
    cases = [(f"year={RECENT_YEAR}", args.small), ("", args.rows)]
    export(client, f"year={RECENT_YEAR}")  # warm up: imports, URL resolver, connection
    print(
        f"{'rows':>9} {'MB out':>7} {'seconds':>8} {'rows/s':>9} "
        f"{'tracemalloc peak':>17} {'maxrss before':>14} {'maxrss after':>13}"
    )
    for query, rows in cases:
        gc.collect()
        rss_before = maxrss_mb()
        size, seconds = export(client, query)
        tracemalloc.start()
        export(client, query)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = maxrss_mb()
        print(
            f"{rows:>9,} {size / 1e6:>7.1f} {seconds:>8.2f} {rows / seconds:>9,.0f} "
            f"{peak / 1e6:>14.2f} MB {rss_before:>11.1f} MB {rss_after:>10.1f} MB"
        )


if __name__ == "__main__":
    main()
