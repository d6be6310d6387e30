"""`make load`: many clients at once on a mix of real URLs, then the same with PostgreSQL restarted.

    make load                                   # or: .venv/bin/python benchmarks/load.py
    LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5433/podium_load make load
    LOAD_RESTART=0 make load                    # the steady run only: no restart

Steps: create the load database if missing (LOAD_DATABASE_URL), migrate it, fill an empty one with
`generate_corpus --statements LOAD_STATEMENTS --seed 1` and the demo (`load_demo`), or reuse one
that holds exactly that (any other count is refused: nothing is ever deleted); collect the static
files; pick the URLs from the archive (lists with filters, search, permalinks, conference, speaker
and topic pages, the API, a small export, feeds; see pick_paths); start gunicorn (LOAD_WORKERS
workers, DJANGO_DEBUG=0 as in production, plain http); check that every URL answers 200, once
from every worker, so that each has every page in its cache; warm up.

1. The steady run: wrk, LOAD_CONNECTIONS connections for LOAD_SECONDS, over the mix
   (benchmarks/load.lua). Prints requests, errors (responses 4xx/5xx and socket errors),
   requests/s, p50, p95, p99 and the answers by status.
2. The restart (unless LOAD_RESTART=0): the same run, and halfway through, `pg_ctlcluster
   --skip-systemctl-redirect <version> <cluster> restart` of the local cluster whose port
   LOAD_DATABASE_URL names. This restarts every database of that cluster: do not point it at a
   cluster others depend on. A thread tries a new connection every 20 ms meanwhile, to time the
   database's own outage. Prints the failed requests of the outage, the pages served from the cache
   meanwhile, when the first success came back and when errors stopped for good (goal: within
   RECOVERY_GOAL seconds of the restart), and the errors before and after.

Exits 1 when the steady run had any error, or when the restart run had errors before the restart,
socket errors, or errors RECOVERY_GOAL seconds or more after it. Every process it starts is
stopped at the end, also on an error or Ctrl-C; logs and wrk's outputs are in var/load/.
"""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import loadtest  # noqa: E402 (benchmarks/ is on the path only from here)
from databases import create_database_if_missing  # noqa: E402
from load_results import (  # noqa: E402
    Bucket,  # noqa: F401 (read from here by tests/benchmarks/test_load_script.py)
    Outage,
    Run,
    analyse_outage,
    outage_report,
    parse_run,
    run_report,
)
from report import machine  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/podium_load"
SCRIPT = Path(__file__).resolve().with_name("load.lua")
OUTPUT = ROOT / "var" / "load"
PODIUM_VENV = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
SEED = 1
SEARCH_WORD = "ceasefire"  # a word of the synthetic vocabulary, neither rare nor everywhere
RECOVERY_GOAL = 5.0  # seconds from the restart until the last error
POLL_EVERY = 0.02  # seconds between the poller's connection attempts during the restart
LOCAL_HOSTS = {"", "127.0.0.1", "localhost", "::1"}


@dataclass
class Settings:
    database_url: str
    statements: int
    seconds: int
    warmup: int
    connections: int
    threads: int
    workers: int
    port: int
    restart: bool

    @classmethod
    def from_environment(cls, env=None) -> "Settings":
        get = (os.environ if env is None else env).get
        return cls(
            database_url=get("LOAD_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
            statements=int(get("LOAD_STATEMENTS", "100000")),
            seconds=int(get("LOAD_SECONDS", "60")),
            warmup=int(get("LOAD_WARMUP", "5")),
            connections=int(get("LOAD_CONNECTIONS", "64")),
            threads=int(get("LOAD_THREADS", "2")),
            workers=int(get("LOAD_WORKERS", "2")),
            port=int(get("LOAD_PORT", "8720")),
            restart=get("LOAD_RESTART", "1").strip().lower() not in {"0", "no", "false", "off"},
        )


# Finding the cluster (pure) -----------------------------------------------------------------------


def find_cluster(lsclusters: str, port: int) -> tuple[str, str]:
    """(version, cluster) of the cluster on `port`, from `pg_lsclusters --no-header`'s lines:
    `15  main  5432 online postgres /var/lib/postgresql/15/main /var/log/…`."""
    found = [
        (fields[0], fields[1])
        for fields in (line.split() for line in lsclusters.splitlines())
        if len(fields) >= 3 and fields[2] == str(port)
    ]
    if len(found) != 1:
        raise LookupError(
            f"{'No' if not found else 'More than one'} PostgreSQL cluster on port {port} in "
            "pg_lsclusters: the restart needs the one cluster serving LOAD_DATABASE_URL, on "
            "this machine."
        )
    return found[0]


# Setting up ---------------------------------------------------------------------------------------


def run(command: list[str], **options) -> None:
    loadtest.run(command, ROOT, **options)


def demo_conference():
    """The demo's conference (conferences/corpus/demo/seed.json), or None before `load_demo`."""
    import datetime
    import json

    from conferences.corpus.demo import DEMO_DIR
    from conferences.models import Conference

    spec = json.loads((DEMO_DIR / "seed.json").read_text(encoding="utf-8"))["conference"]
    date = datetime.date.fromisoformat(spec["date"])
    return Conference.objects.filter(title=spec["title"], date=date).first()


def prepare_archive(settings: Settings) -> None:
    """Migrate; generate the synthetic archive into an empty database and load the demo, or reuse
    a database holding exactly LOAD_STATEMENTS synthetic statements."""
    from conferences.models import Conference, Statement

    manage = [str(PODIUM_VENV / "python"), "manage.py"]
    run([*manage, "migrate", "--noinput", "-v0"])
    demo = demo_conference()
    synthetic = Statement.objects.count() - (demo.statements.count() if demo else 0)
    if synthetic == 0:
        append = ["--append"] if Conference.objects.exists() else []
        statements = str(settings.statements)
        run([*manage, "generate_corpus", "--statements", statements, "--seed", str(SEED), *append])
    elif synthetic == settings.statements:
        print(f"Reusing the archive: {synthetic:,} synthetic statements.")
    else:
        sys.exit(
            f"The load database holds {synthetic:,} statements besides the demo, not "
            f"LOAD_STATEMENTS={settings.statements:,}. Point LOAD_DATABASE_URL at an empty "
            "database (it is created when missing) or set LOAD_STATEMENTS to the count."
        )
    if demo is None:
        run([*manage, "load_demo"])
    run([*manage, "collectstatic", "--noinput", "-v0"])


def pick_paths() -> list[tuple[str, str, int]]:
    """(label, path, weight) of the mix: real values from the archive, the heavier pages (lists,
    search, permalinks) asked more often."""
    from django.db.models import Count

    from conferences.models import Conference, Speaker, Statement, Topic

    published = Statement.objects.published()
    countries = [
        row["speaker__country"]
        for row in published.exclude(speaker__country="")
        .values("speaker__country")
        .annotate(n=Count("pk"))
        .order_by("-n", "speaker__country")[:3]
    ]
    topics = list(
        Topic.objects.annotate(n=Count("statements"))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)[:3]
    )
    kind = published.values("kind").annotate(n=Count("pk")).order_by("-n", "kind")[0]["kind"]
    total = published.count()
    ids = published.order_by("pk").values_list("public_id", flat=True)
    permalinks = [ids[total * i // 8] for i in range(8)]
    conferences = list(Conference.objects.published().order_by("date", "pk"))
    spread = [conferences[len(conferences) * i // 4] for i in range(4)]
    speakers = list(
        Speaker.objects.annotate(n=Count("statements"))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)[:3]
    )
    demo = demo_conference()
    demo_statement = demo.statements.order_by("sequence").values_list("public_id", flat=True)[0]
    year = conferences[-1].date.year
    small = spread[1]  # one conference: some 60 rows

    def q(**params) -> str:
        return urllib.parse.urlencode(params)

    c1, c2, c3 = (countries[min(i, len(countries) - 1)] for i in range(3))
    paths = [
        ("home", "/", 2),
        ("list", "/statements/", 3),
        ("list, page 2", f"/statements/?{q(page=2)}", 1),
        *(("list: country", f"/statements/?{q(country=c)}", 2) for c in (c1, c2, c3)),
        *(("list: topic", f"/statements/?{q(topic=t)}", 2) for t in topics),
        ("list: country, kind", f"/statements/?{q(country=c1, kind=kind)}", 2),
        ("list: topic, year", f"/statements/?{q(topic=topics[0], year=year, sort='oldest')}", 1),
        ("search", f"/statements/?{q(q=SEARCH_WORD)}", 3),
        ("search: country", f"/statements/?{q(q=SEARCH_WORD, country=c2)}", 2),
        ("search: relevance", f"/statements/?{q(q=SEARCH_WORD, sort='relevance')}", 1),
        *(("permalink", f"/s/{public_id}/", 3) for public_id in permalinks),
        ("permalink, old suffix (301)", f"/s/{permalinks[3]}/an-old-cosmetic-suffix", 1),
        ("permalink: demo", f"/s/{demo_statement}/", 1),
        *(("conference", conference.get_absolute_url(), 2) for conference in spread),
        ("conference: demo", demo.get_absolute_url(), 1),
        ("conferences", "/conferences/", 1),
        *(("speaker", f"/speakers/{slug}/", 1) for slug in speakers),
        ("speakers", "/speakers/", 1),
        *(("topic", f"/topics/{slug}/", 1) for slug in topics[:2]),
        ("topics", "/topics/", 1),
        ("API: statements, country", f"/api/v1/statements/?{q(country=c1)}", 2),
        ("API: statement", f"/api/v1/statements/{permalinks[5]}/", 2),
        ("API: conferences", "/api/v1/conferences/", 1),
        ("API: speaker", f"/api/v1/speakers/{speakers[0]}/", 1),
        ("export: one conference (CSV)", f"/statements/export.csv?{q(conference=small.pk)}", 1),
        ("feed: latest", "/feeds/statements/", 2),
        ("feed: topic", f"/topics/{topics[0]}/feed/", 1),
        ("feed: speaker", f"/speakers/{speakers[1]}/feed/", 1),
        ("feed: filtered", f"/statements/feed/?{q(country=c3)}", 1),
    ]
    return paths


def paths_file(paths: list[tuple[str, str, int]]) -> str:
    """The file load.lua reads: each path as many times as its weight, the mix interleaved so
    that no stretch of the list is all one kind of page."""
    rounds = max(weight for _, _, weight in paths)
    lines = [path for n in range(rounds) for _, path, weight in paths if n < weight]
    return "\n".join(lines) + "\n"


def environment(settings: Settings) -> dict:
    """Production's settings (DJANGO_DEBUG=0) over plain http on 127.0.0.1."""
    return loadtest.production_environment(
        settings.database_url,
        HOST,
        "load",
        # Plain http: cookies without Secure (the admin's are not asked for, but stay usable).
        DJANGO_SECURE_COOKIES="0",
        # Every client here is one address: the API's throttle stays on (its cost is part of
        # the load) at a rate these clients never reach.
        PODIUM_API_ANON_RATE="1000000/minute",
    )


# The database during the restart -----------------------------------------------------------------


class Poller(threading.Thread):
    """Opens a new connection every POLL_EVERY seconds (SELECT 1), noting on the monotonic clock
    when the first one failed and when one first succeeded again; stops then, or after a minute."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        import dj_database_url

        config = dj_database_url.parse(url)
        self.params = {
            "dbname": config["NAME"],
            "user": config["USER"],
            "password": config["PASSWORD"] or None,
            "host": config["HOST"] or None,
            "port": config["PORT"] or None,
            "connect_timeout": 2,
        }
        self.down_at: float | None = None
        self.back_at: float | None = None

    def answers(self) -> bool:
        import psycopg2

        try:
            connection = psycopg2.connect(**self.params)
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
            finally:
                connection.close()
        except psycopg2.Error:
            return False
        return True

    def run(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            tried = time.monotonic()
            if not self.answers():
                self.down_at = self.down_at or tried
            elif self.down_at is not None:
                self.back_at = tried
                return
            time.sleep(POLL_EVERY)


def tool(name: str) -> str:
    """The full path of one of Debian's PostgreSQL tools (postgresql-common)."""
    path = shutil.which(name)
    if not path:
        raise LookupError(f"{name} is missing: the restart needs Debian's postgresql-common.")
    return path


def restart_command(version: str, cluster: str) -> list[str]:
    command = [tool("pg_ctlcluster"), "--skip-systemctl-redirect", version, cluster, "restart"]
    return command if os.geteuid() == 0 else ["sudo", *command]


def local_cluster(url: str) -> tuple[str, str]:
    """(version, cluster) of the PostgreSQL cluster on this machine serving `url`."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise LookupError("The restart needs PostgreSQL: LOAD_DATABASE_URL names another engine.")
    if (config["HOST"] or "") not in LOCAL_HOSTS and not config["HOST"].startswith("/"):
        raise LookupError(
            f"The restart needs the database on this machine, not on {config['HOST']}."
        )
    listed = subprocess.run(  # noqa: S603 (fixed command)
        [tool("pg_lsclusters"), "--no-header"], capture_output=True, text=True, check=True
    ).stdout
    return find_cluster(listed, int(config["PORT"] or 5432))


# Main ---------------------------------------------------------------------------------------------


def wrk_command(wrk: str, settings: Settings, base: str, paths: Path, length: int) -> list[str]:
    return [
        wrk,
        "-t",
        str(settings.threads),
        "-c",
        str(settings.connections),
        "-d",
        f"{length}s",
        "--timeout",
        "10s",
        "-s",
        str(SCRIPT),
        base,
        "--",
        str(paths),
    ]


def check_paths(base: str, paths: list[tuple[str, str, int]], workers: int) -> None:
    """Every URL answers 200 (a redirect is followed) before any run, so that a typo is not
    taken for an outage; and every worker has rendered every page once, so that the runs measure
    pages as the cache keeps them. A sync worker accepts nothing while busy, so `workers` requests
    at once for one URL go to as many workers. Prints each URL's first answer time (the cost of a
    page nobody asked for since the archive last changed) and the time of one more."""
    print("status, first answer (every worker), one more answer, path:")
    with ThreadPoolExecutor(workers) as pool:
        for label, path, _ in paths:
            started = time.monotonic()
            answers = list(pool.map(loadtest.fetch, [base + path] * workers))
            first_ms = (time.monotonic() - started) * 1000
            for status, body in answers:
                if status != 200:
                    raise RuntimeError(f"{path} ({label}) answered {status}: {body[:300]!r}")
            started = time.monotonic()
            loadtest.fetch(base + path)
            again_ms = (time.monotonic() - started) * 1000
            print(f"200 {first_ms:8,.0f} ms {again_ms:6,.0f} ms  {path}  ({label})", flush=True)


def restart_run(wrk, settings, base, paths, cluster) -> tuple[Run, Outage, str]:
    """wrk for LOAD_SECONDS; halfway through, the cluster restarts."""
    command = wrk_command(wrk, settings, base, paths, settings.seconds)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    try:
        time.sleep(settings.seconds / 2)
        poller = Poller(settings.database_url)
        restart = time.monotonic()
        poller.start()
        restart_cmd = restart_command(*cluster)
        print("$", " ".join(restart_cmd), flush=True)
        restarted = subprocess.run(restart_cmd, capture_output=True, text=True)  # noqa: S603
        command_seconds = time.monotonic() - restart
        if restarted.returncode != 0:
            raise RuntimeError(f"The restart failed: {restarted.stderr or restarted.stdout}")
        output, _ = process.communicate(timeout=settings.seconds + 60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    poller.join(timeout=60)
    (OUTPUT / "wrk-restart.txt").write_text(output)
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}): {output[-500:]}")
    result = parse_run(output)
    outage = analyse_outage(result.buckets, restart, poller.back_at, RECOVERY_GOAL)

    def since(moment):
        return None if moment is None else moment - restart

    report = outage_report(outage, command_seconds, (since(poller.down_at), since(poller.back_at)))
    return result, outage, report


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    settings = Settings.from_environment()
    env = environment(settings)
    os.environ.update(env)  # for this process's Django too (preparing, picking URLs)
    cluster = local_cluster(settings.database_url) if settings.restart else None
    wrk = loadtest.ensure_wrk()
    create_database_if_missing(settings.database_url)
    OUTPUT.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    prepare_archive(settings)
    paths = pick_paths()
    paths_path = OUTPUT / "paths.txt"
    paths_path.write_text(paths_file(paths))
    from django.db import connections

    connections.close_all()  # this process holds no connection through the restart

    gunicorn = PODIUM_VENV / "gunicorn"
    servers = loadtest.Servers(ROOT, OUTPUT)
    base = f"http://{HOST}:{settings.port}"
    reports, failed = [], False
    try:
        servers.start(
            "podium",
            [
                str(gunicorn),
                "config.wsgi",
                "--workers",
                str(settings.workers),
                "--bind",
                f"{HOST}:{settings.port}",
                "--timeout",
                "120",
                *loadtest.no_control_socket(gunicorn),
            ],
            env,
        )
        loadtest.wait_until_up(servers, base + "/healthz")
        check_paths(base, paths, settings.workers)
        if settings.warmup > 0:
            print(f"Warming up for {settings.warmup} s…", flush=True)
            warm = wrk_command(wrk, settings, base, paths_path, settings.warmup)
            subprocess.run(warm, check=True, capture_output=True)  # noqa: S603

        load_average = os.getloadavg()[0]  # the machine's other work shows in the figures
        print(f"Steady run: {settings.connections} clients for {settings.seconds} s…", flush=True)
        command = wrk_command(wrk, settings, base, paths_path, settings.seconds)
        done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
        (OUTPUT / "wrk-steady.txt").write_text(done.stdout)
        steady = parse_run(done.stdout)
        reports.append(run_report("Steady run", steady))
        failed |= steady.errors > 0
        print(reports[-1], flush=True)
        servers.check_running()

        if cluster is not None:
            print(
                f"Restart run: {settings.connections} clients for {settings.seconds} s, "
                f"PostgreSQL {cluster[0]}/{cluster[1]} restarted after {settings.seconds / 2:g} s…",
                flush=True,
            )
            result, outage, report = restart_run(wrk, settings, base, paths_path, cluster)
            reports.append(run_report("Restart run", result) + "\n" + report)
            failed |= (
                not outage.recovered
                or outage.errors_before > 0
                or sum(result.socket_errors.values()) > 0
            )
            print(reports[-1], flush=True)
            servers.check_running()
    finally:
        servers.stop()

    print()
    print(summary(settings, paths, cluster, load_average))
    print()
    print("\n\n".join(reports))
    return 1 if failed else 0


def summary(settings: Settings, paths, cluster, load_average: float) -> str:
    weights = sum(weight for _, _, weight in paths)
    restart = f"; PostgreSQL {cluster[0]}/{cluster[1]} restarted halfway" if cluster else ""
    return (
        f"{settings.connections} clients (wrk, {settings.threads} threads) for "
        f"{settings.seconds} s per run against gunicorn ({settings.workers} workers, "
        f"DJANGO_DEBUG=0) over {settings.statements:,} synthetic statements and the demo; "
        f"{len(paths)} URLs, {weights} per round of the mix (var/load/paths.txt){restart}. "
        f"{machine()}; load average {load_average:.1f} before the runs."
    )


if __name__ == "__main__":
    sys.exit(main())
