"""The load side of `make bench` (benchmarks/bench.py): the servers it starts and stops, and wrk.

Every server runs in its own process group and is stopped by its id (SIGTERM, then SIGKILL after
15 s); wrk runs once to warm up and once measured, with benchmarks/percentiles.lua, whose lines
(p50, p95, p99) are read here; so is the resident memory of the servers' workers (/proc).
"""

import contextlib
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

PERCENTILES_SCRIPT = Path(__file__).resolve().with_name("percentiles.lua")


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


@dataclass(frozen=True)
class Memory:
    """A process's resident memory in kB (/proc's kB: 1,024 bytes): now and at its peak."""

    rss_kb: int  # VmRSS
    peak_kb: int  # VmHWM: the highest VmRSS since the process started (a worker: since its fork)


# Running Podium as production does --------------------------------------------------------------


def run(command: list[str], cwd: Path, **options) -> None:
    """Run a set-up command in the project folder, echoing it first."""
    print("$", " ".join(str(part) for part in command), flush=True)
    subprocess.run(command, check=True, cwd=cwd, **options)  # noqa: S603 (fixed commands)


def production_environment(database_url: str, host: str, name: str, **extra: str) -> dict:
    """This process's environment with production's Django settings (DJANGO_DEBUG=0, a random
    secret key unless one is set) served over plain http on `host`: no redirect to https."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or f"{name}-{os.urandom(24).hex()}",
        DJANGO_ALLOWED_HOSTS=f"{host},localhost",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_SECURE_SSL_REDIRECT="0",
        **extra,
    )
    return env


# Installing Debian's tools -----------------------------------------------------------------------


def find_program(name: str) -> str | None:
    """`name` on the PATH, or in /usr/sbin (nginx lives there, off a plain user's PATH)."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin")


def ensure_debian_program(name: str) -> str:
    """The path of the program `name`, from Debian's package of that name when it is missing."""
    path = find_program(name)
    if path:
        return path
    print(f"{name} is missing: installing Debian's package.", flush=True)
    apt = ["apt-get", "install", "-y", name]
    command = apt if os.geteuid() == 0 else ["sudo", *apt]
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=True)  # noqa: S603 (a fixed command)
    path = find_program(name)
    if not path:
        sys.exit(
            f"{name} could not be installed; install it (apt-get install {name}) and run again."
        )
    return path


def ensure_wrk() -> str:
    return ensure_debian_program("wrk")
    print("wrk is missing: installing Debian's package.", flush=True)
    apt = ["apt-get", "install", "-y", "wrk"]
    command = apt if os.geteuid() == 0 else ["sudo", *apt]
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=True)  # noqa: S603 (a fixed command)
    path = shutil.which("wrk")
    if not path:
        sys.exit("wrk could not be installed; install it (apt-get install wrk) and run again.")
    return path


# Servers ------------------------------------------------------------------------------------------


class Servers:
    """The processes started here, each in its own process group, stopped by their ids."""

    def __init__(self, cwd: Path, logs: Path):
        self.cwd, self.logs = cwd, logs
        self.processes: list[subprocess.Popen] = []

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        path = self.logs / f"{name}.log"
        log = open(path, "w")  # noqa: SIM115 (closed in stop())
        print("$", " ".join(command), f"> {path}", flush=True)
        process = subprocess.Popen(  # noqa: S603 (fixed commands)
            command,
            cwd=self.cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        self.processes.append(process)
        return process

    def stop(self) -> None:
        """SIGTERM to each group (gunicorn and its workers); SIGKILL after 15 s."""
        for process in self.processes:
            signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                # Before the master is reaped its id still names this group and no other.
                signal_group(process, signal.SIGKILL)
                process.wait()
            process.log.close()
        self.processes = []

    def reap(self, process: subprocess.Popen) -> int:
        """Wait for a process stopped here on purpose and forget it: check_running() and stop()
        no longer look at it. Its exit status."""
        code = process.wait(timeout=60)
        process.log.close()
        self.processes.remove(process)
        return code

    def check_running(self) -> None:
        for process in self.processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[0]} stopped (see {self.logs}/*.log).")


def signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the whole group has exited already
        os.killpg(process.pid, signum)


def no_control_socket(gunicorn: Path) -> list[str]:
    """Newer gunicorns open a control socket at a fixed path in the home folder; another
    gunicorn on the machine would share it."""
    done = subprocess.run(  # noqa: S603 (fixed command)
        [str(gunicorn), "--help"], capture_output=True, text=True, check=True
    )
    return ["--no-control-socket"] if "--no-control-socket" in done.stdout else []


def wait_until_up(servers: Servers, url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        servers.check_running()
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local URL)
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {seconds:.0f} s.")
        time.sleep(0.3)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (local URL)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def group_cpu_seconds(pgid: int) -> float:
    """CPU time used so far by the processes of one group (a server and its workers)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, …
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def drain(url: str, connections: int, pgid: int, timeout: float = 120) -> None:
    """Wait for the requests wrk left in flight, so that the next URL is not measured behind
    them: gunicorn's sync workers (Podium) finish every request they accepted even after wrk hung
    up, so `connections` cheap requests queue behind them; Datasette's async workers answer a
    cheap request at once while the queries go on in threads, so wait until its processes stop
    using the CPU."""
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(fetch, [url] * connections))
    deadline = time.monotonic() + timeout
    used = group_cpu_seconds(pgid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = group_cpu_seconds(pgid)
        if now - used < 0.05:
            return
        used = now


# Memory -------------------------------------------------------------------------------------------


def memory_from_status(text: str) -> Memory | None:
    """VmRSS and VmHWM from the text of /proc/<pid>/status; None without them (a zombie)."""
    fields = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB$", text, re.M))
    if len(fields) != 2:
        return None
    return Memory(rss_kb=int(fields["VmRSS"]), peak_kb=int(fields["VmHWM"]))


def process_memory(pid: int) -> Memory | None:
    """The resident memory of one process; None when it has exited."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # exited meanwhile
        return None
    return memory_from_status(text)


def children(pid: int) -> list[int]:
    """The ids of the processes whose parent is `pid` (a gunicorn master's workers), in order."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        if int(fields[1]) == pid:  # fields after the name: state, ppid, …
            found.append(int(stat.parent.name))
    return sorted(found)


def worker_memory(master: int) -> list[Memory]:
    """The resident memory of each worker of a server (the children of its master process)."""
    return [memory for pid in children(master) if (memory := process_memory(pid))]


# wrk ----------------------------------------------------------------------------------------------


def percentile_ms(output: str, percentile: int) -> float:
    """A `PODIUM_P<n>_US <microseconds>` line of benchmarks/percentiles.lua, in ms."""
    match = re.search(rf"^PODIUM_P{percentile}_US (\d+)$", output, re.M)
    if not match:
        raise ValueError(
            f"No PODIUM_P{percentile}_US line in wrk's output: was it run with "
            f"-s {PERCENTILES_SCRIPT.name}?"
        )
    return int(match.group(1)) / 1000


def parse_wrk(output: str) -> Result:
    """Requests/s, p50, p95 and p99 (ms, from benchmarks/percentiles.lua's lines: exact
    microseconds, where --latency rounds and has no p95) and errors (non-2xx answers, timeouts)."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50, p95, p99 = (percentile_ms(output, percentile) for percentile in (50, 95, 99))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors:.*timeout (\d+)", output):
        errors += int(match.group(1))
    return Result(rps, p50, p95, p99, errors)


def run_length(seconds: int, one_response: float, connections: int, workers: int) -> int:
    """`seconds`, or longer for a slow page: wrk counts only the responses that finish within
    the run, and Datasette's async workers finish a burst of slow ones nearly together, so a
    run shorter than a few rounds of every connection reads as 0 or a multiple of 10 per run."""
    rounds = 3 * one_response * connections / workers
    return max(seconds, min(120, math.ceil(rounds)))


def measure(
    wrk: str,
    url: str,
    *,
    seconds: int,
    warmup: int,
    connections: int,
    threads: int,
    log: Path,
    settle: Callable[[], None],
) -> Result:
    """A warm-up run, `settle()` (waits for what it left in flight), then the measured run with
    benchmarks/percentiles.lua (its output kept in `log`)."""
    common = ["-t", str(threads), "-c", str(connections), "--timeout", "30s"]
    if warmup > 0:
        subprocess.run(  # noqa: S603 (fixed command)
            [wrk, *common, "-d", f"{warmup}s", url], check=True, capture_output=True
        )
        settle()
    done = subprocess.run(  # noqa: S603 (fixed command)
        [wrk, *common, "--latency", "-s", str(PERCENTILES_SCRIPT), "-d", f"{seconds}s", url],
        check=True,
        capture_output=True,
        text=True,
    )
    log.write_text(f"{url}\n{done.stdout}")
    return parse_wrk(done.stdout)
