"""`make bench`: Podium under gunicorn against Datasette on the same rows, measured with wrk.

    make bench                                   # or: .venv/bin/python benchmarks/bench.py
    BENCH_SECONDS=30 BENCH_STATEMENTS=100000 BENCH_DATABASE_URL=postgres://… make bench

Steps: migrate the benchmark database and reuse its synthetic archive when it holds
BENCH_STATEMENTS statements (an empty one is filled by `generate_corpus --seed 1`; any other count
is refused, the database is never emptied); copy the published statements to SQLite for Datasette
(benchmarks/datasette_export.py, reused while its row count matches); start Podium (gunicorn, 2
workers, DJANGO_DEBUG=0) and Datasette (datasette-gunicorn, 2 workers, immutable file) on
127.0.0.1; check that every URL answers 200; then for each URL a wrk warm-up and a measured run
(`--latency --timeout 30s -s benchmarks/percentiles.lua` for p95, BENCH_CONNECTIONS connections,
BENCH_THREADS threads); then read each worker's resident memory (/proc). Prints a Markdown table
(also written to var/bench/results.md) with p50/p95/p99 and the ratios Podium/Datasette and
Podium/floor, the floor being /healthz (Django without a database query), the workers' memory and
issue 7's goals. Every process it starts is stopped at the end, also on an error or Ctrl-C.
"""

import csv
import datetime
import io
import os
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import datasette_export  # noqa: E402 (benchmarks/ is on the path only from here)
import loadtest  # noqa: E402
from databases import create_database_if_missing  # noqa: E402
from report import Case, goals, machine, memory_line, number, rate, table  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/podium_gen1m"
SQLITE = ROOT / "var" / "bench" / "datasette.db"
RESULTS = ROOT / "var" / "bench" / "results.md"
PODIUM_VENV = ROOT / ".venv" / "bin"
DATASETTE_VENV = ROOT / ".venv-datasette" / "bin"
HOST = "127.0.0.1"
WORKERS = 2
SEARCH_WORD = "ceasefire"  # a word of the synthetic vocabulary, neither rare nor everywhere
SEED = 1


@dataclass
class Settings:
    database_url: str
    statements: int
    seconds: int
    warmup: int
    connections: int
    threads: int
    podium_port: int
    datasette_port: int

    @classmethod
    def from_environment(cls) -> "Settings":
        env = os.environ.get
        return cls(
            database_url=env("BENCH_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
            statements=int(env("BENCH_STATEMENTS", "1000000")),
            seconds=int(env("BENCH_SECONDS", "10")),
            warmup=int(env("BENCH_WARMUP", "3")),
            connections=int(env("BENCH_CONNECTIONS", "10")),
            threads=int(env("BENCH_THREADS", "2")),
            podium_port=int(env("BENCH_PODIUM_PORT", "8710")),
            datasette_port=int(env("BENCH_DATASETTE_PORT", "8711")),
        )


# Setting up ---------------------------------------------------------------------------------------


def run(command: list[str], **options) -> None:
    loadtest.run(command, ROOT, **options)


def prepare_archive(settings: Settings) -> None:
    """Migrate, then reuse or generate the synthetic archive."""
    from conferences.models import Statement

    manage = [str(PODIUM_VENV / "python"), "manage.py"]
    run([*manage, "migrate", "--noinput", "-v0"])
    count = Statement.objects.count()
    if count == settings.statements:
        print(f"Reusing the archive: {count:,} statements.")
    elif count == 0:
        run(
            [
                *manage,
                "generate_corpus",
                "--statements",
                str(settings.statements),
                "--seed",
                str(SEED),
            ]
        )
    else:
        sys.exit(
            f"The benchmark database holds {count:,} statements, not BENCH_STATEMENTS="
            f"{settings.statements:,}. Point BENCH_DATABASE_URL at an empty database (it is "
            "created when missing) or set BENCH_STATEMENTS to the count."
        )
    run([*manage, "collectstatic", "--noinput", "-v0"])


def prepare_sqlite() -> int:
    from conferences.models import Statement

    published = Statement.objects.published().count()
    if datasette_export.row_count(SQLITE) == published:
        print(f"Reusing {SQLITE.relative_to(ROOT)}: {published:,} statements.")
        return published
    print(f"Copying {published:,} published statements to {SQLITE.relative_to(ROOT)}…")
    started = time.monotonic()
    written = datasette_export.export(SQLITE)
    print(f"  done in {time.monotonic() - started:.0f} s.")
    return written


# The URLs -----------------------------------------------------------------------------------------

FACETS = "&_facet=speaker&_facet_array=topics&_facet=country&_facet=year&_facet=fidelity"
PAGE = "&_size=25&_nosuggest=1"  # Podium's page size; no facet suggestions (Datasette's fastest)


def pick_cases() -> list[Case]:
    """Real values from the archive: the most frequent countries, leaf topics and kind."""
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
    middle = published.count() // 2
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
    datasette = f"/{SQLITE.stem}/statements"
    return [
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
            f"/statements/?{q(q=SEARCH_WORD)}",
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
            f"{datasette}?{q(_search=SEARCH_WORD)}{PAGE}",
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


def published_filter():
    from django.db.models import Q

    from conferences.models import Conference

    return Q(statements__conference__status=Conference.Status.PUBLISHED)


def longer_runs(cases: list[Case], seconds: int) -> str:
    """Which slow pages had a longer run (see loadtest.run_length)."""
    longer = [
        f"{case.side} {case.label}: {case.seconds} s" for case in cases if case.seconds > seconds
    ]
    return f" (longer for slow pages: {'; '.join(longer)})" if longer else ""


def postgres_version() -> str:
    from django.db import connection

    if connection.vendor != "postgresql":
        return connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return "PostgreSQL " + cursor.fetchone()[0].split()[0]


# Main ---------------------------------------------------------------------------------------------


def environment(settings: Settings) -> dict:
    return loadtest.production_environment(settings.database_url, HOST, "bench")


def main() -> int:
    # SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C: the servers are stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    settings = Settings.from_environment()
    env = environment(settings)
    os.environ.update(env)  # for this process's Django too (picking URLs, counting rows)
    datasette = DATASETTE_VENV / "datasette"
    if not datasette.exists():
        sys.exit(
            "Datasette is missing: `make bench` installs it into .venv-datasette "
            "(benchmarks/requirements-datasette.txt)."
        )
    wrk = loadtest.ensure_wrk()
    create_database_if_missing(settings.database_url)
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    prepare_archive(settings)
    published = prepare_sqlite()
    cases = pick_cases()

    servers = loadtest.Servers(ROOT, ROOT / "var" / "bench")
    try:
        servers.start(
            "podium",
            [
                str(PODIUM_VENV / "gunicorn"),
                "config.wsgi",
                "--workers",
                str(WORKERS),
                "--bind",
                f"{HOST}:{settings.podium_port}",
                "--timeout",
                "120",
                *loadtest.no_control_socket(PODIUM_VENV / "gunicorn"),
            ],
            env,
        )
        servers.start(
            "datasette",
            [
                str(datasette),
                "gunicorn",
                "--immutable",
                str(SQLITE),
                "--host",
                HOST,
                "--port",
                str(settings.datasette_port),
                "--workers",
                str(WORKERS),
                # Long enough for every facet and count to finish on a million rows: a page
                # whose facets time out would be faster and emptier than Podium's.
                "--setting",
                "sql_time_limit_ms",
                "30000",
                "--setting",
                "facet_time_limit_ms",
                "30000",
                "--setting",
                "default_facet_size",
                "12",
            ],
            env,
        )
        base = {
            "podium": f"http://{HOST}:{settings.podium_port}",
            "datasette": f"http://{HOST}:{settings.datasette_port}",
        }
        idle = {"podium": "/healthz", "datasette": "/-/versions.json"}
        pgids = {"podium": servers.processes[0].pid, "datasette": servers.processes[1].pid}
        loadtest.wait_until_up(servers, base["podium"] + "/healthz")
        loadtest.wait_until_up(servers, base["datasette"] + "/-/versions.json")

        for case in cases:
            started = time.monotonic()
            status, body = loadtest.fetch(base[case.side] + case.path)
            case.first_ms = (time.monotonic() - started) * 1000  # cold: nothing cached yet
            started = time.monotonic()  # the second fetch, past the first one's cold caches
            loadtest.fetch(base[case.side] + case.path)
            one_response = time.monotonic() - started
            case.seconds = loadtest.run_length(
                settings.seconds, one_response, settings.connections, WORKERS
            )
            if status != 200:
                raise RuntimeError(f"{case.side} {case.path} answered {status}: {body[:300]!r}")
            if ".csv" in case.path:
                case.rows = sum(1 for _ in csv.reader(io.StringIO(body.decode()))) - 1
            print(
                f"200 {case.side:9} {case.path}" + (f" ({case.rows:,} rows)" if case.rows else "")
            )

        results: dict[str, loadtest.Result] = {}
        for case in cases:
            log = ROOT / "var" / "bench" / f"wrk-{case.key}.txt"

            def settle(side=case.side):
                loadtest.drain(base[side] + idle[side], settings.connections, pgids[side])

            results[case.key] = loadtest.measure(
                wrk,
                base[case.side] + case.path,
                seconds=case.seconds,
                warmup=settings.warmup,
                connections=settings.connections,
                threads=settings.threads,
                log=log,
                settle=settle,
            )
            settle()
            servers.check_running()
            result = results[case.key]
            print(
                f"{case.side:9} {rate(result, case):>28} req/s  p50 {number(result.p50_ms):>7} ms"
                f"  p95 {number(result.p95_ms):>7} ms  p99 {number(result.p99_ms):>7} ms"
                f"  ({case.seconds} s)  {case.path}",
                flush=True,
            )
        # Every run is over, the servers still up: each worker's peak (and present) memory.
        memory = {side: loadtest.worker_memory(pgid) for side, pgid in pgids.items()}
        print(memory_line(memory), flush=True)
    finally:
        servers.stop()

    report = "\n".join(
        [
            f"Measured on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {machine()}; "
            f"{postgres_version()}, SQLite {datasette_export.sqlite3.sqlite_version}.",
            f"{published:,} published statements; wrk {settings.connections} connections, "
            f"{settings.threads} threads, {settings.seconds} s per URL after {settings.warmup} s "
            f"of warm-up{longer_runs(cases, settings.seconds)}; gunicorn {WORKERS} workers on "
            "each side.",
            "",
            table(cases, results),
            "",
            memory_line(memory),
            "",
            "Goals (issue 7):",
            "",
            goals(cases, results, memory),
            "",
        ]
    )
    RESULTS.write_text(report)
    print()
    print(report)
    print(f"(also in {RESULTS.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
