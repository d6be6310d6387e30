"""`make cluster` (benchmarks/cluster.py): the nginx configuration rendered from
deploy/nginx.conf.template, wrk's and nginx's output read back, the forms the editor posts, and the
report. No server is started here: these are the script's pure parts."""

from pathlib import Path

import pytest

from benchmarks import cluster
from benchmarks.cluster import Exchange, Goal, WrkCounts
from benchmarks.webclient import form_with

PREFIX = Path("/srv/podium/var/cluster")


def rendered() -> str:
    return cluster.render_nginx_config(
        cluster.TEMPLATE.read_text(),
        prefix=PREFIX,
        listen="127.0.0.1:8080",
        nodes=["127.0.0.1:8001", "127.0.0.1:8002"],
    )


def test_the_upstream_names_both_nodes_and_nothing_else():
    text = rendered()
    block = text[text.index("upstream podium {") : text.index("}", text.index("upstream podium {"))]
    servers = [line for line in block.splitlines() if line.strip().startswith("server ")]
    assert servers == [
        "        server 127.0.0.1:8001 max_fails=1 fail_timeout=10s;",
        "        server 127.0.0.1:8002 max_fails=1 fail_timeout=10s;",
    ]
    assert "{{" not in text and "}}" not in text


def test_nginx_listens_on_the_loopback_and_keeps_its_files_under_the_prefix():
    lines = [line.strip() for line in rendered().splitlines()]
    assert "listen 127.0.0.1:8080;" in lines
    assert "pid /srv/podium/var/cluster/nginx.pid;" in lines
    assert "error_log /srv/podium/var/cluster/nginx-error.log warn;" in lines
    assert "access_log /srv/podium/var/cluster/nginx-access.log cluster;" in lines
    temp = sorted(line for line in lines if line.split(" ")[0].endswith("_temp_path"))
    assert temp == [
        f"{kind}_temp_path /srv/podium/var/cluster/tmp/{folder};"
        for kind, folder in [
            ("client_body", "client_body"),
            ("fastcgi", "fastcgi"),
            ("proxy", "proxy"),
            ("scgi", "scgi"),
            ("uwsgi", "uwsgi"),
        ]
    ]
    # Nothing outside the prefix: no include of /etc/nginx, no user's log folder.
    outside = [line for line in lines if ("/etc/" in line or "/var/log" in line)]
    assert [line for line in outside if not line.startswith("#")] == []


def test_the_proxy_sets_the_forwarded_headers_and_retries_only_what_is_safe():
    lines = [line.strip() for line in rendered().splitlines()]
    assert "proxy_pass http://podium;" in lines
    assert "proxy_set_header Host $http_host;" in lines
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in lines
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in lines
    assert "proxy_next_upstream error timeout http_502 http_503;" in lines
    assert "add_header X-Upstream $upstream_addr always;" in lines
    # A POST is never sent to a second node once the first received it.
    assert [line for line in lines if "non_idempotent" in line and not line.startswith("#")] == []


def test_a_placeholder_the_script_does_not_know_is_refused():
    with pytest.raises(ValueError) as error:
        cluster.render_nginx_config(
            "listen {{listen}}; root {{root}}; {{}}", prefix=PREFIX, listen="x", nodes=[]
        )
    assert str(error.value) == "The nginx template names unknown values: , root."


WRK_CLEAN = """Running 10s test @ http://127.0.0.1:8080/statements/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     9.61ms    4.02ms  61.03ms   80.12%
    Req/Sec   412.50     51.23   520.00     71.00%
  8214 requests in 10.01s, 171.22MB read
Requests/sec:    820.61
Transfer/sec:     17.11MB
"""

WRK_ERRORS = """Running 10s test @ http://127.0.0.1:8080/statements/
  2 threads and 8 connections
  8003 requests in 10.00s, 160.01MB read
  Socket errors: connect 0, read 3, write 1, timeout 2
  Non-2xx or 3xx responses: 17
Requests/sec:    800.30
"""


def test_wrk_counts_are_read_with_and_without_error_lines():
    assert cluster.parse_wrk_counts(WRK_CLEAN) == WrkCounts(
        8214, 0, {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    )
    counts = cluster.parse_wrk_counts(WRK_ERRORS)
    assert counts == WrkCounts(8003, 17, {"connect": 0, "read": 3, "write": 1, "timeout": 2})
    assert counts.socket_error_total == 6


def test_retried_requests_are_counted_from_the_access_log():
    log = "\n".join(
        [
            '127.0.0.1 [2026-12-06T12:40:01+00:00] "GET /statements/ HTTP/1.1" 200 '
            "upstream=127.0.0.1:8001 upstream_status=200 time=0.010",
            '127.0.0.1 [2026-12-06T12:40:03+00:00] "GET /statements/ HTTP/1.1" 200 '
            "upstream=127.0.0.1:8001, 127.0.0.1:8002 upstream_status=502, 200 time=0.020",
            '127.0.0.1 [2026-12-06T12:40:03+00:00] "GET /statements/ HTTP/1.1" 200 '
            "upstream=127.0.0.1:8002 upstream_status=200 time=0.009",
            '127.0.0.1 [2026-12-06T12:40:03+00:00] "GET / HTTP/1.1" 200 '
            "upstream=127.0.0.1:8001, 127.0.0.1:8002 upstream_status=-, 200 time=2.001",
        ]
    )
    assert cluster.retried_requests(log) == 2


PREVIEW_PAGE = """<form id="logout-form" method="post" action="/admin/logout/">
<input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;1">
<button type="submit">Log out</button>
</form>
<form method="post" enctype="multipart/form-data" novalidate>
<input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;1">
<textarea name="text" rows="18">
First line
second &lt;line&gt;</textarea>
<input type="file" name="file">
<select name="kind"><option value="auto">Auto</option>
<option value="transcript" selected>T</option></select>
<select name="sp-0-kind"><option value="official">Official</option>
<option value="journalist">J</option></select>
<input type="hidden" name="preview_key" value="abc123">
<input type="checkbox" name="row-0-keep" checked>
<input type="checkbox" name="row-1-keep">
<input type="checkbox" name="row-0-topics" value="7" checked>
<input type="text" name="title" value="Briefing &quot;one&quot;">
<button type="submit" name="action" value="save">Save as a draft</button>
</form>"""


def test_the_import_form_is_posted_as_a_browser_would():
    assert form_with(PREVIEW_PAGE, "preview_key") == [
        ("csrfmiddlewaretoken", "tok&1"),
        ("text", "First line\nsecond <line>"),  # the newline after <textarea> is not the text's
        ("kind", "transcript"),
        ("sp-0-kind", "official"),  # nothing selected: the first option
        ("preview_key", "abc123"),
        ("row-0-keep", "on"),
        ("row-0-topics", "7"),
        ("title", 'Briefing "one"'),
    ]
    with pytest.raises(RuntimeError) as error:
        form_with(PREVIEW_PAGE, "row_count")
    assert str(error.value) == "No form with a field 'row_count' on the page."


def test_the_editors_requests_are_reported_with_the_node_of_each():
    exchanges = [
        Exchange("GET", "/admin/login/?next=/admin/", 200, "127.0.0.1:8001", 200),
        Exchange("POST", "/admin/login/", 302, "127.0.0.1:8002", 302),
        Exchange("GET", "/admin/", 200, "127.0.0.1:8002", 200),
        Exchange("POST", "/admin/conferences/conference/import/", 403, "127.0.0.1:8001", 200),
    ]
    assert cluster.node_switches(exchanges) == 2
    assert cluster.editor_report(exchanges) == "\n".join(
        [
            "   1. GET  /admin/login/?next=/admin/" + " " * 22 + " 200 from 127.0.0.1:8001  ok",
            "   2. POST /admin/login/" + " " * 35 + " 302 from 127.0.0.1:8002  ok",
            "   3. GET  /admin/" + " " * 41 + " 200 from 127.0.0.1:8002  ok",
            "   4. POST /admin/conferences/conference/import/"
            + " " * 11
            + " 403 from 127.0.0.1:8001  FAILED (expected 200)",
            "  3 of 4 requests as expected; the node changed 2 times between consecutive requests.",
        ]
    )
    one = cluster.editor_report(exchanges[1:3])
    assert one.splitlines()[-1] == (
        "  2 of 2 requests as expected; the node changed 0 times between consecutive requests."
    )
    assert cluster.node_switches(exchanges[:2]) == 1
    assert cluster.editor_report(exchanges[:2]).endswith(
        "the node changed 1 time between consecutive requests."
    )


def test_the_failover_and_the_goals_are_reported():
    counts = WrkCounts(8003, 17, {"connect": 0, "read": 3, "write": 1, "timeout": 2})
    event = "SIGKILL to process group 4242 (node 8001) at 3.0 s"
    assert cluster.failover_report(counts, 5, 10, event) == (
        "  8003 requests in 10 s through nginx; SIGKILL to process group 4242 (node 8001) "
        "at 3.0 s.\n"
        "  non-2xx/3xx answers: 17; socket errors: connect 0, read 3, write 1, timeout 2.\n"
        "  requests nginx passed on to the other node after a failure: 5."
    )
    assert cluster.load_goal("a node killed under load", counts) == Goal(
        "a node killed under load", False, "8003 requests, 17 non-2xx/3xx, 6 socket errors"
    )
    clean = WrkCounts(9000, 0, {"connect": 0, "read": 0, "write": 0, "timeout": 0})
    assert cluster.load_goal("a node stopped under load", clean) == Goal(
        "a node stopped under load", True, "9000 requests, 0 non-2xx/3xx, 0 socket errors"
    )
    one_read_error = WrkCounts(9000, 0, {"connect": 0, "read": 1, "write": 0, "timeout": 0})
    assert not cluster.load_goal("a node killed under load", one_read_error).met
    assert not cluster.load_goal("no load at all", WrkCounts(0, 0, clean.socket_errors)).met
    goals = [
        Goal("editor through nginx", True, "7 requests succeeded, the node changed 4 times"),
        Goal("published on one node, public on the other", False, "1250 ms (goal ≤ 1000 ms)"),
    ]
    assert cluster.goals_report(goals) == (
        "  [met] editor through nginx: 7 requests succeeded, the node changed 4 times\n"
        "  [MISSED] published on one node, public on the other: 1250 ms (goal ≤ 1000 ms)\n"
        "  1 of 2 goals met."
    )


def test_the_transcript_is_new_on_every_run_and_fictional():
    first, second = cluster.transcript("aaaa1111"), cluster.transcript("bbbb2222")
    assert first != second
    assert first.splitlines()[:2] == [
        "Briefing on the Veldrian lighthouse network (aaaa1111)",
        "Port Calloway, April 2, 2025",
    ]
    speakers = sorted(
        {
            line.split(":")[0]
            for line in first.splitlines()
            if line.isupper() or (":" in line and line.split(":")[0].isupper())
        }
    )
    assert speakers == ["MS. ORVENDALE", "QUESTION"]
