"""`make cluster`: two Podium nodes behind nginx on this machine, and what a cluster must do.

    make cluster                                # or: .venv/bin/python benchmarks/cluster.py
    CLUSTER_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other CLUSTER_REDIS_URL=... make cluster

Starts, on 127.0.0.1 only: two gunicorn nodes of Podium (ports 8001 and 8002) with production
settings over plain http, sharing one PostgreSQL database (CLUSTER_DATABASE_URL, created if
missing, migrated, with the demo) and one Redis database (CLUSTER_REDIS_URL: caches and
sessions); and nginx on port 8080 (deploy/nginx.conf.template, rendered into var/cluster/).
Then:

1. An editor (a superuser this script creates with a random password) logs in through nginx and
   imports a short fictional transcript through the admin's import (form, preview, save), while
   another thread reads public pages through nginx. Each of the editor's requests is printed with
   the node that answered it: every one must succeed, whichever node it lands on.
2. The imported conference is published through node 8001 (the workflow's two moves), and its
   public page is asked of node 8002 every 50 ms: the delay until it shows (goal: 1 s at most).
3. wrk reads through nginx for 10 s; after 3 s node 8001 is killed (SIGKILL to its process
   group: a crash). Requests, non-2xx/3xx answers and socket errors (goal: none failed).
4. Node 8001 is started again, and nginx is asked until it passes a request to it again (goal:
   within 30 s; nginx leaves a failed node out for fail_timeout, 10 s).
5. wrk reads through nginx for 10 s again; after 3 s node 8002 is stopped with SIGTERM, as a
   deploy or a scale-in stops a node (gunicorn finishes the requests under way). Goal: none
   failed, and the node exits with status 0. Steps 4 and 5 together are a rolling restart.
6. Everything started is stopped at the end, also on an error or Ctrl-C.

Exits 1 when a goal is missed. Logs, nginx's configuration and wrk's output are in var/cluster/.
"""

import itertools
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import loadtest  # noqa: E402 (benchmarks/ is on the path only from here)
from databases import create_database_if_missing  # noqa: E402
from webclient import Client, csrf_token, form_with  # noqa: E402

HOST = "127.0.0.1"
NODE_PORTS = (8001, 8002)
PROXY_PORT = 8080
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/podium_cluster"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
OUTPUT = ROOT / "var" / "cluster"
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
GUNICORN_CONFIG = ROOT / "config" / "gunicorn.py"
VENV = ROOT / ".venv" / "bin"
WORKERS = 2  # per node: two nodes on a small machine
EDITOR = "cluster-editor"
PUBLISH_GOAL = 1.0  # seconds until a conference published on one node shows on the other
POLL_EVERY = 0.05
LOAD_SECONDS = 10
KILL_AFTER = 3.0  # seconds into the read load
REJOIN_WITHIN = 30  # seconds for a restarted node to get requests from nginx again
LOAD_PATH = "/statements/"

# Pure parts: nginx's configuration, wrk's output, the report --------------------------------------


def upstream_lines(nodes: list[str]) -> str:
    return "\n".join(f"        server {node} max_fails=1 fail_timeout=10s;" for node in nodes)


def render_nginx_config(template: str, *, prefix: Path, listen: str, nodes: list[str]) -> str:
    """The template with its {{placeholders}} filled in; any left over is an error."""
    values = {"prefix": str(prefix), "listen": listen, "servers": upstream_lines(nodes)}
    unknown = sorted(set(re.findall(r"\{\{(\w*)\}\}", template)) - set(values))
    if unknown:
        raise ValueError(f"The nginx template names unknown values: {', '.join(unknown)}.")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], template)


@dataclass(frozen=True)
class WrkCounts:
    requests: int
    failed_responses: int  # answers other than 2xx and 3xx
    socket_errors: dict[str, int]

    @property
    def socket_error_total(self) -> int:
        return sum(self.socket_errors.values())


def parse_wrk_counts(output: str) -> WrkCounts:
    """Requests, non-2xx/3xx answers and socket errors (connect, read, write, timeout) from wrk's
    output; the lines wrk leaves out when there were none count 0."""
    requests = int(re.search(r"^\s*(\d+) requests in ", output, re.M).group(1))
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    names = ("connect", "read", "write", "timeout")
    socket_errors = {
        name: int(errors.group(i + 1)) if errors else 0 for i, name in enumerate(names)
    }
    return WrkCounts(requests, int(failed.group(1)) if failed else 0, socket_errors)


def retried_requests(access_log: str) -> int:
    """Requests nginx passed to a second node (several addresses in `upstream=`), from the lines
    of the `cluster` log format of deploy/nginx.conf.template."""
    return sum(
        1
        for match in re.finditer(r"upstream=(\S+(?:, \S+)*) upstream_status=", access_log)
        if "," in match.group(1)
    )


@dataclass(frozen=True)
class Exchange:
    """One request of the editor, and who answered it."""

    method: str
    path: str
    status: int
    node: str  # the node's address, from nginx's X-Upstream header or the URL asked directly
    expected: int

    @property
    def ok(self) -> bool:
        return self.status == self.expected


@dataclass(frozen=True)
class Goal:
    name: str
    met: bool
    detail: str


def node_switches(exchanges: list[Exchange]) -> int:
    """How many times two consecutive requests were answered by different nodes."""
    return sum(1 for a, b in itertools.pairwise(exchanges) if a.node != b.node)


def editor_report(exchanges: list[Exchange]) -> str:
    lines = []
    for number, exchange in enumerate(exchanges, 1):
        mark = "ok" if exchange.ok else f"FAILED (expected {exchange.expected})"
        lines.append(
            f"  {number:>2}. {exchange.method:<4} {exchange.path:<48} {exchange.status} "
            f"from {exchange.node:<15} {mark}"
        )
    switches = node_switches(exchanges)
    lines.append(
        f"  {sum(e.ok for e in exchanges)} of {len(exchanges)} requests as expected; the node "
        f"changed {switches} time{'s' if switches != 1 else ''} between consecutive requests."
    )
    return "\n".join(lines)


def failover_report(counts: WrkCounts, retried: int, seconds: int, event: str) -> str:
    errors = ", ".join(f"{name} {count}" for name, count in counts.socket_errors.items())
    return (
        f"  {counts.requests} requests in {seconds} s through nginx; {event}.\n"
        f"  non-2xx/3xx answers: {counts.failed_responses}; socket errors: {errors}.\n"
        f"  requests nginx passed on to the other node after a failure: {retried}."
    )


def load_goal(name: str, counts: WrkCounts) -> Goal:
    failed = counts.failed_responses + counts.socket_error_total
    return Goal(
        name,
        failed == 0 and counts.requests > 0,
        f"{counts.requests} requests, {counts.failed_responses} non-2xx/3xx, "
        f"{counts.socket_error_total} socket errors",
    )


def goals_report(goals: list[Goal]) -> str:
    lines = [f"  [{'met' if goal.met else 'MISSED'}] {goal.name}: {goal.detail}" for goal in goals]
    missed = sum(not goal.met for goal in goals)
    lines.append(f"  {len(goals) - missed} of {len(goals)} goals met.")
    return "\n".join(lines)


# The fictional transcript the editor imports ----------------------------------------------------


def transcript(token: str) -> str:
    """A short, clearly fictional briefing; `token` makes each run's text new to the archive."""
    return f"""Briefing on the Veldrian lighthouse network ({token})
Port Calloway, April 2, 2025

MS. ORVENDALE: Good afternoon. The lighthouse network of the Veldrian coast is complete, and
every lamp along the northern channel was lit last night.

QUESTION: Will the ferries to the outer islands run on the winter timetable?

MS. ORVENDALE: They will. The harbour board confirmed the timetable this morning, and the first
crossing leaves at dawn on Monday.
"""


# Setting up ---------------------------------------------------------------------------------------


def ensure_nginx() -> str:
    return loadtest.ensure_debian_program("nginx")


def prepare(env: dict) -> str:
    """Migrate, load the demo if empty, collect static files; create (or reset) the editor with
    a new random password, returned."""
    manage = [str(VENV / "python"), "manage.py"]
    loadtest.run([*manage, "migrate", "--noinput", "-v0"], ROOT, env=env)
    loadtest.run([*manage, "load_demo", "--if-empty"], ROOT, env=env)
    loadtest.run([*manage, "collectstatic", "--noinput", "-v0"], ROOT, env=env)
    from django.contrib.auth import get_user_model

    password = secrets.token_urlsafe(18)
    user, _ = get_user_model().objects.get_or_create(username=EDITOR)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.save()
    return password


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, port)) == 0


def gunicorn_command(port: int) -> tuple[list[str], dict]:
    """The command of one node and the variables config/gunicorn.py reads; without that file
    (before it existed), the same as options."""
    gunicorn = VENV / "gunicorn"
    settings = {"GUNICORN_BIND": f"{HOST}:{port}", "GUNICORN_WORKERS": str(WORKERS)}
    settings["GUNICORN_TIMEOUT"] = "120"  # nginx waits 130 s (deploy/nginx.conf.template)
    if GUNICORN_CONFIG.exists():
        options = ["-c", str(GUNICORN_CONFIG)]
    else:
        options = ["--bind", f"{HOST}:{port}", "--workers", str(WORKERS), "--timeout", "120"]
    command = [str(gunicorn), *options, "config.wsgi", *loadtest.no_control_socket(gunicorn)]
    return command, settings


# The scenario -------------------------------------------------------------------------------------


@dataclass
class Editor:
    client: Client
    exchanges: list[Exchange] = field(default_factory=list)

    def ask(self, base: str, path: str, expected: int, data=None) -> tuple[str, dict]:
        status, headers, page = self.client.request(base + path, data)
        node = headers.get("X-Upstream") or urllib.parse.urlsplit(base).netloc
        exchange = Exchange("POST" if data is not None else "GET", path, status, node, expected)
        self.exchanges.append(exchange)
        if not exchange.ok:
            raise RuntimeError(f"{exchange.method} {path} answered {status}, not {expected}.")
        return page, headers


class PublicReader(threading.Thread):
    """Reads public pages through nginx until stopped; counts the answers by node and status."""

    PATHS = ("/", "/statements/", "/conferences/", "/speakers/")

    def __init__(self, base: str):
        super().__init__(daemon=True)
        self.base, self.stopping = base, threading.Event()
        self.answers: dict[tuple[str, int], int] = {}

    def run(self):
        client, i = Client(), 0
        while not self.stopping.is_set():
            try:
                status, headers, _ = client.request(self.base + self.PATHS[i % len(self.PATHS)])
                key = (headers.get("X-Upstream", "?"), status)
            except OSError as error:
                key = ("-", type(error).__name__)
            self.answers[key] = self.answers.get(key, 0) + 1
            i += 1
            time.sleep(0.01)


def import_and_publish(proxy: str, node_a: str, node_b: str, password: str) -> list[Goal]:
    from django.urls import reverse

    from conferences.models import Conference

    admin = reverse("admin:index")
    login = reverse("admin:login")
    import_path = reverse("admin:conferences_conference_import")
    token = secrets.token_hex(4)
    text = transcript(token)
    editor = Editor(Client())
    reader = PublicReader(proxy)
    print("\n1. The editor logs in and imports a transcript through nginx", flush=True)
    reader.start()
    goals = []
    try:
        page, _ = editor.ask(proxy, f"{login}?next={admin}", 200)
        editor.ask(
            proxy,
            login,
            302,
            {
                "csrfmiddlewaretoken": csrf_token(page),
                "username": EDITOR,
                "password": password,
                "next": admin,
            },
        )
        page, _ = editor.ask(proxy, admin, 200)
        if "Log out" not in page:
            raise RuntimeError("The admin's index does not show the editor as logged in.")
        page, _ = editor.ask(proxy, import_path, 200)
        preview_data = {
            "csrfmiddlewaretoken": csrf_token(page),
            "text": text,
            "kind": "auto",
            "title": f"Briefing on the Veldrian lighthouse network ({token})",
            "date": "2025-04-02",
            "place": "Port Calloway",
            "action": "preview",
        }
        page, _ = editor.ask(proxy, import_path, 200, preview_data)
        fields = [(n, v) for n, v in form_with(page, "preview_key") if n != "text"]
        fields += [("text", text), ("action", "save")]
        _, headers = editor.ask(proxy, import_path, 302, fields)
        change_path = urllib.parse.urlsplit(headers["Location"]).path
        page, _ = editor.ask(proxy, change_path, 200)
        imported = re.search(r"Imported \d+ statements[^<]*", page)
        print(f"  {imported.group(0) if imported else 'No import message on the page.'}")
    finally:
        reader.stopping.set()
        reader.join()
        print(editor_report(editor.exchanges))
    answers = ", ".join(f"{n} {s}: {c}" for (n, s), c in sorted(reader.answers.items(), key=str))
    print(f"  public reads meanwhile (node status: count): {answers}")
    failed_reads = sum(c for (_, s), c in reader.answers.items() if s != 200)
    goals.append(
        Goal(
            "editor through nginx",
            all(e.ok for e in editor.exchanges) and node_switches(editor.exchanges) > 0,
            f"{len(editor.exchanges)} requests succeeded, the node changed "
            f"{node_switches(editor.exchanges)} times",
        )
    )
    goals.append(
        Goal("public reads meanwhile", failed_reads == 0, f"{failed_reads} not answered 200")
    )

    conference = Conference.objects.get(pk=int(re.search(r"/(\d+)/change/$", change_path).group(1)))
    public_path = conference.get_absolute_url()
    print(f"\n2. Publishing {change_path} through {node_a}; polling {public_path} on {node_b}")
    status, _, _ = Client().request(node_b + public_path)
    print(f"  before publishing, {node_b} answers {status} (a draft is not public)")
    first = len(editor.exchanges)
    for target in (Conference.Status.REVIEW, Conference.Status.PUBLISHED):
        page, _ = editor.ask(node_a, change_path, 200)  # the page with the move's button
        move = reverse("admin:conferences_conference_move", args=[conference.pk, target])
        editor.ask(node_a, move, 302, {"csrfmiddlewaretoken": csrf_token(page)})
    published_at = time.monotonic()
    moves = editor.exchanges[first:]
    polls, delay = 0, None
    reader = Client()
    while time.monotonic() - published_at < 10:
        polls += 1
        status, _, body = reader.request(node_b + public_path)
        if status == 200 and token in body:
            delay = time.monotonic() - published_at
            break
        time.sleep(POLL_EVERY)
    print(editor_report(moves))
    if delay is None:
        print(f"  not shown on {node_b} after 10 s ({polls} polls)")
    else:
        print(
            f"  shown on {node_b} {delay * 1000:.0f} ms after the publish answered (poll {polls})"
        )
    goals.append(
        Goal(
            "published on one node, public on the other",
            delay is not None and delay <= PUBLISH_GOAL,
            "not within 10 s" if delay is None else f"{delay * 1000:.0f} ms (goal ≤ 1000 ms)",
        )
    )
    return goals


def under_load(wrk: str, proxy: str, name: str, title: str, event) -> tuple[WrkCounts, str]:
    """wrk reads LOAD_PATH through nginx for LOAD_SECONDS; KILL_AFTER seconds in, `event()` runs
    and says what it did. Prints and returns wrk's counts and the event with its time."""
    print(
        f"\n{title}: reading {LOAD_PATH} through nginx for {LOAD_SECONDS} s, the event after "
        f"{KILL_AFTER:.0f} s",
        flush=True,
    )
    log_path = OUTPUT / "nginx-access.log"
    log_start = log_path.stat().st_size if log_path.exists() else 0
    command = [wrk, "-t", "2", "-c", "8", "-d", f"{LOAD_SECONDS}s", "--timeout", "10s"]
    command.append(proxy + LOAD_PATH)
    print("$", " ".join(command), flush=True)
    started = time.monotonic()
    load = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    try:
        time.sleep(KILL_AFTER)
        done = event()
        happened = f"{done} at {time.monotonic() - started:.1f} s"
        print(f"  {happened}", flush=True)
        output, _ = load.communicate(timeout=LOAD_SECONDS + 60)
    finally:
        if load.poll() is None:
            load.kill()
            load.wait()
    (OUTPUT / f"wrk-{name}.txt").write_text(output)
    counts = parse_wrk_counts(output)
    with open(log_path) as log:
        log.seek(log_start)
        retried = retried_requests(log.read())
    print(failover_report(counts, retried, LOAD_SECONDS, happened))
    return counts, happened


def node_crash(wrk: str, servers: loadtest.Servers, victim, proxy: str) -> Goal:
    """A node dies at once, as a machine that loses power or a process the kernel kills:
    SIGKILL to its master and workers together, with requests under way."""

    def kill():
        loadtest.signal_group(victim, signal.SIGKILL)
        servers.reap(victim)
        return f"SIGKILL to process group {victim.pid} (node 8001)"

    counts, _ = under_load(wrk, proxy, "crash", "3. Node 8001 killed (SIGKILL)", kill)
    return load_goal("a node killed under load", counts)


def node_returns(servers: loadtest.Servers, env: dict, proxy: str) -> tuple[object, Goal]:
    """The killed node is started again; nginx, which left it out after its failure, sends it
    requests again once fail_timeout has passed (deploy/nginx.conf.template)."""
    print("\n4. Node 8001 is started again; nginx is read until it answers from 8001", flush=True)
    command, settings = gunicorn_command(NODE_PORTS[0])
    node = servers.start(f"node-{NODE_PORTS[0]}-again", command, {**env, **settings})
    started = time.monotonic()
    loadtest.wait_until_up(servers, f"http://{HOST}:{NODE_PORTS[0]}/healthz")
    up = time.monotonic() - started
    target, client, asked = f"{HOST}:{NODE_PORTS[0]}", Client(), 0
    while time.monotonic() - started < REJOIN_WITHIN:
        asked += 1
        status, headers, _ = client.request(proxy + "/healthz")
        if status == 200 and headers.get("X-Upstream") == target:
            back = time.monotonic() - started
            print(
                f"  node 8001 answered /healthz {up:.1f} s after its start; nginx passed it a "
                f"request {back:.1f} s after its start (request {asked} through nginx)"
            )
            return node, Goal("the killed node back in service", True, f"after {back:.1f} s")
        time.sleep(0.2)
    print(f"  nginx did not pass node 8001 a request within {REJOIN_WITHIN} s ({asked} asked)")
    return node, Goal("the killed node back in service", False, f"not within {REJOIN_WITHIN} s")


def node_stop(wrk: str, servers: loadtest.Servers, victim, proxy: str) -> Goal:
    """A node taken out of service as a deploy or a scale-in does: SIGTERM, after which
    gunicorn stops taking connections and lets the requests under way finish."""

    def stop():
        loadtest.signal_group(victim, signal.SIGTERM)
        return f"SIGTERM to process group {victim.pid} (node 8002)"

    title = "5. Node 8002 stopped (SIGTERM, gunicorn's graceful stop)"
    counts, _ = under_load(wrk, proxy, "stop", title, stop)
    try:
        code = victim.wait(timeout=35)  # graceful_timeout is 30 s (config/gunicorn.py)
        print(f"  node 8002 exited with status {code}")
    except subprocess.TimeoutExpired:
        print("  node 8002 had not exited 35 s after its SIGTERM: SIGKILL")
        loadtest.signal_group(victim, signal.SIGKILL)
        code = None
    servers.reap(victim)
    goal = load_goal("a node stopped under load", counts)
    if code != 0:
        return Goal(goal.name, False, f"{goal.detail}; the node's exit status was {code}")
    return goal


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    database_url = os.environ.get("CLUSTER_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("CLUSTER_REDIS_URL", DEFAULT_REDIS_URL)
    # One environment for both nodes: the same secret key signs the sessions and CSRF of both.
    env = loadtest.production_environment(
        database_url,
        HOST,
        "cluster",
        REDIS_URL=redis_url,
        DJANGO_SECURE_COOKIES="0",
        PODIUM_PROXY_COUNT="1",
    )
    os.environ.update(env)  # for this process's Django too (the editor, the conference's URL)
    busy = [port for port in (*NODE_PORTS, PROXY_PORT) if port_in_use(port)]
    if busy:
        # Otherwise the checks below would talk to whatever answers there.
        sys.exit(f"Port(s) {', '.join(map(str, busy))} of {HOST} are in use: stop what listens.")
    nginx = ensure_nginx()
    wrk = loadtest.ensure_wrk()
    create_database_if_missing(database_url)
    (OUTPUT / "tmp").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    password = prepare(env)
    from django.db import connections

    connections.close_all()
    conf = OUTPUT / "nginx.conf"
    conf.write_text(
        render_nginx_config(
            TEMPLATE.read_text(),
            prefix=OUTPUT,
            listen=f"{HOST}:{PROXY_PORT}",
            nodes=[f"{HOST}:{port}" for port in NODE_PORTS],
        )
    )
    if not GUNICORN_CONFIG.exists():
        print(f"{GUNICORN_CONFIG.relative_to(ROOT)} is missing: options on the command line only.")
    servers = loadtest.Servers(ROOT, OUTPUT)
    node_urls = [f"http://{HOST}:{port}" for port in NODE_PORTS]
    proxy = f"http://{HOST}:{PROXY_PORT}"
    goals: list[Goal] = []
    try:
        nodes = [
            servers.start(f"node-{port}", command, {**env, **settings})
            for port in NODE_PORTS
            for command, settings in [gunicorn_command(port)]
        ]
        servers.start(
            "nginx",
            [
                nginx,
                "-p",
                str(OUTPUT),
                "-e",
                str(OUTPUT / "nginx-error.log"),
                "-c",
                str(conf),
                "-g",
                "daemon off;",
            ],
            env,
        )
        for url in [*node_urls, proxy]:
            loadtest.wait_until_up(servers, url + "/healthz")
        goals += import_and_publish(proxy, node_urls[0], node_urls[1], password)
        connections.close_all()
        goals.append(node_crash(wrk, servers, nodes[0], proxy))
        _, back = node_returns(servers, env, proxy)
        goals.append(back)
        goals.append(node_stop(wrk, servers, nodes[1], proxy))
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        goals.append(Goal("the scenario ran to its end", False, str(error)))
    finally:
        print("\nStopping everything started here…", flush=True)
        servers.stop()
    print("\nGoals")
    print(goals_report(goals))
    return 0 if all(goal.met for goal in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
