"""`make bench`: Podium under gunicorn against Datasette on the same rows, measured with wrk.

    make bench                                   # or: .venv/bin/python benchmarks/bench.py
    BENCH_SECONDS=30 BENCH_STATEMENTS=100000 BENCH_DATABASE_URL=postgres://… make bench

Steps: migrate the benchmark database and reuse its synthetic archive when it holds
BENCH_STATEMENTS statements (an empty one is filled by `generate_corpus --seed 1`; any other count
is refused, the database is never emptied); copy the published statements to SQLite for Datasette
(benchmarks/datasette_export.py, reused while its row count matches); pick the fixed URLs and draw
the sweep's (benchmarks/sweep.py); start Podium twice (gunicorn, 2 workers, DJANGO_DEBUG=0: once
as in production, once with PODIUM_PAGE_CACHE=0) and Datasette (datasette-gunicorn, 2 workers,
immutable file) on 127.0.0.1; check that every fixed URL answers 200; fetch every sweep URL once
on each side, one at a time; then for each fixed URL a wrk warm-up and a measured run
(`--latency --timeout 30s -s benchmarks/percentiles.lua` for p95, BENCH_CONNECTIONS connections,
BENCH_THREADS threads); then read each worker's resident memory (/proc). Prints Markdown tables
(also written to BENCH_DIR/results.md, var/bench by default) with p50/p95/p99 and the ratios
Podium/Datasette and Podium/floor (the floor being /healthz, Django without a database query),
cached and with the cache off, the sweep's percentiles and slowest URLs, the workers' memory and
issue 18's goals. Every process it starts is stopped at the end, also on an error or Ctrl-C.
"""

import csv
import datetime
import io
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import datasette_export  # noqa: E402 (benchmarks/ is on the path only from here)
import loadtest  # noqa: E402
import search_words  # noqa: E402
import sweep  # noqa: E402
from cases import pick_cases  # noqa: E402
from databases import create_database_if_missing  # noqa: E402
from report import (  # noqa: E402
    SIDES,
    Case,
    goals,
    machine,
    memory_line,
    number,
    rate,
    sweep_report,
    table,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/podium_gen1m"
# Where the SQLite copy, the logs and the results go: BENCH_DIR, so that a trial run beside the
# real one writes elsewhere.
BENCH_DIR = Path(os.environ.get("BENCH_DIR", "").strip() or ROOT / "var" / "bench").resolve()
SQLITE = BENCH_DIR / "datasette.db"
RESULTS = BENCH_DIR / "results.md"
PODIUM_VENV = ROOT / ".venv" / "bin"
DATASETTE_VENV = ROOT / ".venv-datasette" / "bin"
HOST = "127.0.0.1"
WORKERS = 2
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
    nocache_port: int
    sweep_seed: int

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
            nocache_port=int(env("BENCH_PODIUM_NOCACHE_PORT", "8712")),
            sweep_seed=int(env("BENCH_SWEEP_SEED", str(sweep.SEED))),
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
    if datasette_export.row_count(SQLITE) == published and current_columns(SQLITE):
        print(f"Reusing {SQLITE}: {published:,} statements.")
        return published
    print(f"Copying {published:,} published statements to {SQLITE}…")
    started = time.monotonic()
    written = datasette_export.export(SQLITE)
    print(f"  done in {time.monotonic() - started:.0f} s.")
    return written


def current_columns(path: Path) -> bool:
    """Whether the copy has every column of today's export (an older copy lacks some)."""
    import sqlite3

    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(statements)")}
    finally:
        connection.close()
    return set(datasette_export.COLUMNS) <= columns


# The URLs -----------------------------------------------------------------------------------------


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


# Servers ------------------------------------------------------------------------------------------

IDLE = {"podium": "/healthz", "nocache": "/healthz", "datasette": "/-/versions.json"}


def environment(settings: Settings) -> dict:
    return loadtest.production_environment(settings.database_url, HOST, "bench")


def podium_command(port: int) -> list[str]:
    gunicorn = PODIUM_VENV / "gunicorn"
    return [
        str(gunicorn),
        "config.wsgi",
        "--workers",
        str(WORKERS),
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        "120",
        *loadtest.no_control_socket(gunicorn),
    ]


def datasette_command(datasette: Path, port: int) -> list[str]:
    return [
        str(datasette),
        "gunicorn",
        "--immutable",
        str(SQLITE),
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(WORKERS),
        # Long enough for every facet and count to finish on a million rows: a page whose
        # facets time out would be faster and emptier than Podium's.
        "--setting",
        "sql_time_limit_ms",
        "30000",
        "--setting",
        "facet_time_limit_ms",
        "30000",
        "--setting",
        "default_facet_size",
        "12",
    ]


def start_servers(
    servers: loadtest.Servers, settings: Settings, env: dict, datasette: Path
) -> tuple[dict[str, str], dict[str, int]]:
    """Podium with its page cache ("podium"), Podium without ("nocache": PODIUM_PAGE_CACHE=0,
    every request a first visit) and Datasette; their base URLs and process groups."""
    ports = {
        "podium": settings.podium_port,
        "nocache": settings.nocache_port,
        "datasette": settings.datasette_port,
    }
    commands = {
        "podium": (podium_command(ports["podium"]), env),
        "nocache": (podium_command(ports["nocache"]), {**env, "PODIUM_PAGE_CACHE": "0"}),
        "datasette": (datasette_command(datasette, ports["datasette"]), env),
    }
    pgids = {}
    for side, (command, side_env) in commands.items():
        pgids[side] = servers.start(side, command, side_env).pid
    base = {side: f"http://{HOST}:{port}" for side, port in ports.items()}
    for side in commands:
        loadtest.wait_until_up(servers, base[side] + IDLE[side])
    return base, pgids


# Measuring ----------------------------------------------------------------------------------------


def check_cases(cases: list[Case], base: dict[str, str], settings: Settings) -> None:
    """Every fixed URL twice: the first response's time, the run's length from the second, and
    a stop unless it answers 200 (the rows of a CSV counted)."""
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
        print(f"200 {case.side:9} {case.path}" + (f" ({case.rows:,} rows)" if case.rows else ""))


def run_sweep(urls: list[sweep.SweepURL], base: dict[str, str]) -> dict[str, list[sweep.Timing]]:
    """Each sweep URL once on Podium without its page cache and once on Datasette."""
    print(f"Sweep: {len(urls)} URLs, each once on each side…", flush=True)
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        if done % 20 == 0 or done == total:
            print(f"  {done}/{total} ({time.monotonic() - started:.0f} s)", flush=True)

    bases = {"podium": base["nocache"], "datasette": base["datasette"]}
    return sweep.measure(urls, bases, progress=progress)


def measure_cases(
    cases: list[Case],
    base: dict[str, str],
    pgids: dict[str, int],
    settings: Settings,
    wrk: str,
    servers: loadtest.Servers,
) -> dict[str, loadtest.Result]:
    """wrk on every fixed URL: a warm-up, then the measured run, each followed by a wait for
    the requests wrk left in flight."""
    results: dict[str, loadtest.Result] = {}
    for case in cases:
        log = BENCH_DIR / f"wrk-{case.key}.txt"

        def settle(side=case.side):
            loadtest.drain(base[side] + IDLE[side], settings.connections, pgids[side])

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
    return results


# Main ---------------------------------------------------------------------------------------------


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
    BENCH_DIR.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    prepare_archive(settings)
    published = prepare_sqlite()
    words = search_words.archive_words(SQLITE)
    cases = pick_cases(words, SQLITE.stem)
    urls, chosen = sweep.draw(words, SQLITE, SQLITE.stem, settings.sweep_seed)

    servers = loadtest.Servers(ROOT, BENCH_DIR)
    try:
        base, pgids = start_servers(servers, settings, env, datasette)
        check_cases(cases, base, settings)
        timings = run_sweep(urls, base)
        for side, side_timings in timings.items():
            found = sweep.summary(side_timings)
            print(
                f"Sweep, {side}: p50 {found.p50:,.0f} ms, p95 {found.p95:,.0f} ms, "
                f"p99 {found.p99:,.0f} ms, max {found.max:,.0f} ms, "
                f"{len(found.failures)} not 200",
                flush=True,
            )
        results = measure_cases(cases, base, pgids, settings, wrk, servers)
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
            f"{SIDES['podium']}: every request after a page's first is served from the page cache.",
            "",
            table(cases, results, "podium"),
            "",
            f"{SIDES['nocache']} (PODIUM_PAGE_CACHE=0): every request computes its page, as a "
            "first visit does; Datasette's figures are those of the same URLs above.",
            "",
            table(cases, results, "nocache"),
            "",
            "Sweep of first visits:",
            "",
            sweep_report(urls, timings, chosen, words, settings.sweep_seed),
            "",
            memory_line(memory),
            "",
            "Goals (issue 18):",
            "",
            goals(cases, results, memory, sweep.summary(timings["podium"])),
            "",
        ]
    )
    RESULTS.write_text(report)
    print()
    print(report)
    print(f"(also in {RESULTS})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
