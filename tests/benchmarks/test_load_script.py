"""`make load` (benchmarks/load.py): reading wrk's output, timing an outage, finding the cluster to
restart, the mix of URLs. No server is started here: these are the script's pure parts."""

import pytest
from django.core.management import call_command

from benchmarks import load
from benchmarks.load import Bucket

# What wrk printed for a restart run of benchmarks/load.lua (shortened: a few buckets).
OUTPUT = """Running 1m test @ http://127.0.0.1:8720
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.27s   831.99ms   3.45s    67.29%
    Req/Sec    43.16     55.71   323.00     84.95%
  3014 requests in 1.00m, 95.14MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 9
Requests/sec:     50.20
Transfer/sec:      1.58MB
PODIUM_P50_US 1101126
PODIUM_P95_US 2948514
PODIUM_P99_US 3123667
PODIUM_STATUS 200 2967
PODIUM_STATUS 301 38
PODIUM_STATUS 503 9
PODIUM_BUCKET 1000000 30 0 0
PODIUM_BUCKET 1000010 12 3 4
PODIUM_BUCKET 1000500 0 2 5
PODIUM_BUCKET 1002000 25 0 0
"""


def test_a_run_is_read_from_wrk_and_the_lua_lines():
    run = load.parse_run(OUTPUT)
    assert (run.requests, run.seconds, run.requests_per_second) == (3014, 60.0, 50.2)
    assert (run.p50_ms, run.p95_ms, run.p99_ms) == (1101.126, 2948.514, 3123.667)
    assert run.statuses == {200: 2967, 301: 38, 503: 9}
    assert run.socket_errors == {"read": 2, "timeout": 1}
    assert (run.failed_responses, run.errors) == (9, 12)
    assert run.buckets == [
        Bucket(1000.0, 30, 0, 0),
        Bucket(1000.01, 12, 3, 4),
        Bucket(1000.5, 0, 2, 5),
        Bucket(1002.0, 25, 0, 0),
    ]


def test_a_run_without_errors_has_no_socket_error_line():
    clean = OUTPUT.replace("  Socket errors: connect 0, read 2, write 0, timeout 1\n", "")
    clean = clean.replace("PODIUM_STATUS 503 9\n", "")
    run = load.parse_run(clean)
    assert (run.socket_errors, run.errors) == ({}, 0)


@pytest.mark.parametrize(
    ("line", "seconds"),
    [("812 requests in 10.02s, 1MB read", 10.02), ("5 requests in 900.5ms", 0.9005)],
)
def test_the_run_length_is_read_in_its_unit(line, seconds):
    run = load.parse_run(OUTPUT.replace("3014 requests in 1.00m, 95.14MB read", line))
    assert run.seconds == pytest.approx(seconds)


def test_output_without_the_scripts_lines_is_refused():
    with pytest.raises(ValueError, match="No PODIUM_P50_US line"):
        load.parse_run(OUTPUT.replace("PODIUM_P50_US 1101126\n", ""))
    with pytest.raises(ValueError, match="No 'N requests in T' line"):
        load.parse_run("wrk: connection refused\n")


def buckets(*rows):
    return [Bucket(at, ok, stale, failed) for at, ok, stale, failed in rows]


def test_an_outage_is_timed_from_the_restart():
    timeline = buckets(
        (99.0, 40, 0, 0),
        (100.2, 35, 0, 0),  # the restart at 100.0: cached versions still trusted
        (100.4, 0, 6, 10),  # the database gone: cached pages stale, the rest 503
        (100.9, 0, 5, 12),
        (101.2, 3, 0, 1),  # a new connection succeeds at 101.15; one request still failed
        (101.3, 38, 0, 0),
        (130.0, 40, 0, 0),
    )
    outage = load.analyse_outage(timeline, restart=100.0, database_back=101.15, goal=5.0)
    assert outage.failed == 23
    assert outage.stale == 11
    assert outage.errors_before == 0
    assert outage.first_error == pytest.approx(0.4)
    assert outage.last_error == pytest.approx(1.2)
    assert outage.first_success_after == pytest.approx(1.2)
    assert outage.errors_after_goal == 0
    assert outage.quiet_seconds == pytest.approx(28.81)
    assert outage.recovered is True


def test_errors_later_than_the_goal_or_before_the_restart_are_counted_apart():
    timeline = buckets(
        (50.0, 10, 0, 2),  # before the restart
        (100.5, 0, 0, 9),
        (104.99, 1, 0, 1),  # within 5 s
        (105.0, 4, 0, 3),  # 5 s after: too late
        (120.0, 20, 0, 0),
    )
    outage = load.analyse_outage(timeline, restart=100.0, database_back=100.8, goal=5.0)
    assert (outage.errors_before, outage.failed, outage.errors_after_goal) == (2, 13, 3)
    assert outage.last_error == pytest.approx(5.0)
    assert outage.first_success_after == pytest.approx(4.99)
    assert outage.recovered is False


def test_an_outage_the_poller_never_saw_end_has_no_first_success():
    timeline = buckets((100.5, 0, 0, 9), (101.0, 0, 0, 9))
    outage = load.analyse_outage(timeline, restart=100.0, database_back=None, goal=5.0)
    assert outage.first_success_after is None
    assert outage.recovered is True  # errors stopped within the goal, as far as the run saw
    report = load.outage_report(outage, 2.5, (0.3, None))
    assert "failed from +0.30 s and succeeded again from never" in report
    assert "first success once the database answered: never" in report


def test_the_outage_report_says_what_happened_and_whether_the_goal_was_met():
    timeline = buckets((100.4, 0, 6, 10), (101.2, 3, 0, 1), (130.0, 40, 0, 0))
    outage = load.analyse_outage(timeline, restart=100.0, database_back=101.15, goal=5.0)
    assert load.outage_report(outage, 1.73, (0.38, 1.15)).splitlines() == [
        "  the database: restart command done in 1.73 s; new connections failed from +0.38 s "
        "and succeeded again from +1.15 s",
        "  failed requests from the restart on: 11 (first +0.40 s, last +1.20 s)",
        "  cached pages served while the database did not answer: 6",
        "  first success once the database answered: +1.20 s",
        "  errors stopped for good after: 1.20 s (goal: within 5 s): met",
        "  errors before the restart: 0; later than 5 s after it: 0 (the run went on 28.8 s "
        "after the last error)",
    ]


def test_the_run_report():
    report = load.run_report("Restart run", load.parse_run(OUTPUT))
    assert report.splitlines() == [
        "Restart run: 3,014 requests in 60.0 s, 50 requests/s",
        "  latency: p50 1,101.1 ms, p95 2,948.5 ms, p99 3,123.7 ms",
        "  errors: 12 (responses 4xx/5xx: 9; socket errors: read 2, timeout 1)",
        "  answers by status: 200: 2,967, 301: 38, 503: 9",
    ]


LSCLUSTERS = """15  main   5432 online postgres /var/lib/postgresql/15/main   /var/log/postgresql/postgresql-15-main.log
15  h4load 5433 online postgres /var/lib/postgresql/15/h4load /var/log/postgresql/postgresql-15-h4load.log
"""  # noqa: E501


def test_the_cluster_to_restart_is_found_by_its_port():
    assert load.find_cluster(LSCLUSTERS, 5432) == ("15", "main")
    assert load.find_cluster(LSCLUSTERS, 5433) == ("15", "h4load")
    with pytest.raises(LookupError, match="No PostgreSQL cluster on port 5434"):
        load.find_cluster(LSCLUSTERS, 5434)
    twice = LSCLUSTERS + "16  main 5433 down postgres /var/lib/postgresql/16/main /var/log/x\n"
    with pytest.raises(LookupError, match="More than one PostgreSQL cluster on port 5433"):
        load.find_cluster(twice, 5433)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "sqlite:///tmp/podium.sqlite3",
            "The restart needs PostgreSQL: LOAD_DATABASE_URL names another engine.",
        ),
        (
            "postgres://postgres@db.example:5432/podium_load",
            "The restart needs the database on this machine, not on db.example.",
        ),
    ],
)
def test_the_restart_is_refused_for_a_database_it_cannot_restart(url, message):
    with pytest.raises(LookupError) as refused:
        load.local_cluster(url)
    assert str(refused.value) == message


def test_settings_come_from_the_environment_with_defaults():
    assert load.Settings.from_environment({}) == load.Settings(
        database_url="postgres://postgres@127.0.0.1:5432/podium_load",
        statements=100_000,
        seconds=60,
        warmup=5,
        connections=64,
        threads=2,
        workers=2,
        port=8720,
        restart=True,
    )
    chosen = load.Settings.from_environment(
        {
            "LOAD_DATABASE_URL": "postgres://postgres@127.0.0.1:5433/podium_load",
            "LOAD_STATEMENTS": "2000",
            "LOAD_RESTART": "0",
        }
    )
    assert (chosen.database_url, chosen.statements, chosen.restart) == (
        "postgres://postgres@127.0.0.1:5433/podium_load",
        2000,
        False,
    )


def test_the_paths_file_repeats_each_path_by_its_weight_interleaved():
    paths = [("list", "/statements/", 3), ("home", "/", 1), ("permalink", "/s/abc/", 2)]
    assert load.paths_file(paths) == (
        "/statements/\n/\n/s/abc/\n/statements/\n/s/abc/\n/statements/\n"
    )


@pytest.mark.django_db
def test_the_mix_names_real_pages_of_every_kind(client):
    call_command("generate_corpus", statements=300, seed=1, verbosity=0)
    call_command("load_demo", verbosity=0)
    paths = load.pick_paths()
    labels = {label.split(":")[0].split(",")[0] for label, _, _ in paths}
    assert labels == {
        "home",
        "list",
        "search",
        "permalink",
        "conference",
        "conferences",
        "speaker",
        "speakers",
        "topic",
        "topics",
        "API",
        "export",
        "feed",
    }
    for label, path, weight in paths:
        response = client.get(path, follow=True)
        assert response.status_code == 200, (label, path)
        assert weight >= 1
    redirects = [path for label, path, _ in paths if "301" in label]
    assert len(redirects) == 1
    assert client.get(redirects[0]).status_code == 301
