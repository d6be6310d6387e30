"""What a `make load` run saw (benchmarks/load.py): wrk's output read (benchmarks/load.lua's lines),
the outage around a restart timed, and the reports printed. Pure functions, tested in
tests/benchmarks/test_load_script.py; nothing here starts a process or opens a connection.
"""

import re
from dataclasses import dataclass, field

import loadtest  # benchmarks/ is on the path (load.py puts it there)

# Reading wrk's output (pure: tested in tests/benchmarks/test_load_script.py) ---------------


@dataclass(frozen=True)
class Bucket:
    """The responses that arrived in 10 ms (`at`: its start, seconds on the monotonic clock)."""

    at: float
    ok: int
    stale: int
    failed: int


@dataclass
class Run:
    requests: int  # responses wrk completed
    seconds: float
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    statuses: dict[int, int]
    socket_errors: dict[str, int]
    buckets: list[Bucket] = field(default_factory=list)

    @property
    def failed_responses(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 400)

    @property
    def errors(self) -> int:
        return self.failed_responses + sum(self.socket_errors.values())


def parse_run(output: str) -> Run:
    """wrk's summary and the lines of benchmarks/load.lua."""
    done = re.search(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)\b", output, re.M)
    if not done:
        raise ValueError("No 'N requests in T' line in wrk's output.")
    unit = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[done.group(3)]
    statuses = {
        int(code): int(count)
        for code, count in re.findall(r"^PODIUM_STATUS (\d+) (\d+)$", output, re.M)
    }
    buckets = [
        Bucket(int(at) / 1000, int(ok), int(stale), int(failed))
        for at, ok, stale, failed in re.findall(
            r"^PODIUM_BUCKET (\d+) (\d+) (\d+) (\d+)$", output, re.M
        )
    ]
    return Run(
        requests=int(done.group(1)),
        seconds=float(done.group(2)) * unit,
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=loadtest.percentile_ms(output, 50),
        p95_ms=loadtest.percentile_ms(output, 95),
        p99_ms=loadtest.percentile_ms(output, 99),
        statuses=statuses,
        socket_errors=parse_socket_errors(output),
        buckets=buckets,
    )


def parse_socket_errors(output: str) -> dict[str, int]:
    """wrk's `Socket errors: connect 0, read 2, write 0, timeout 1` (a line only when any)."""
    match = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if not match:
        return {}
    kinds = ("connect", "read", "write", "timeout")
    counts = zip(kinds, map(int, match.groups()), strict=True)
    return {kind: count for kind, count in counts if count}


# The outage (pure) --------------------------------------------------------------------------------


@dataclass
class Outage:
    """The restart run seen from the clients, times in seconds after the restart began."""

    failed: int  # failed responses from the restart on
    stale: int  # cached pages served while the database did not answer
    errors_before: int  # failed responses before the restart
    first_error: float | None
    last_error: float | None
    first_success_after: float | None  # the first success once the database answered again
    errors_after_goal: int  # failed responses later than the goal
    quiet_seconds: float  # how long the run went on after the last error (or the restart)
    goal: float

    @property
    def recovered(self) -> bool:
        return self.errors_after_goal == 0 and (self.last_error or 0) <= self.goal


def analyse_outage(
    buckets: list[Bucket], restart: float, database_back: float | None, goal: float
) -> Outage:
    """`restart`: when the restart command was started; `database_back`: when a new connection
    first succeeded again (None when the poller never saw it back), both on the buckets' clock.
    A bucket holds the responses of the 10 ms from its start."""
    before = [b for b in buckets if b.at + 0.01 <= restart]
    after = [b for b in buckets if b.at + 0.01 > restart]
    failing = [b.at - restart for b in after if b.failed]
    back = None
    if database_back is not None:
        back = next((b.at - restart for b in after if b.ok and b.at + 0.01 > database_back), None)
    last = failing[-1] if failing else None
    end = (buckets[-1].at - restart + 0.01) if after else 0.0
    return Outage(
        failed=sum(b.failed for b in after),
        stale=sum(b.stale for b in buckets),
        errors_before=sum(b.failed for b in before),
        first_error=failing[0] if failing else None,
        last_error=last,
        first_success_after=back,
        errors_after_goal=sum(b.failed for b in after if b.at - restart >= goal),
        quiet_seconds=max(0.0, end - max(last or 0.0, 0.0)),
        goal=goal,
    )


# Reports (pure) -----------------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:+.2f} s"


def run_report(title: str, run: Run) -> str:
    statuses = ", ".join(f"{code}: {count:,}" for code, count in sorted(run.statuses.items()))
    sockets = ", ".join(f"{kind} {count:,}" for kind, count in run.socket_errors.items())
    lines = [
        f"{title}: {run.requests:,} requests in {run.seconds:.1f} s, "
        f"{run.requests_per_second:,.0f} requests/s",
        f"  latency: p50 {run.p50_ms:,.1f} ms, p95 {run.p95_ms:,.1f} ms, p99 {run.p99_ms:,.1f} ms",
        f"  errors: {run.errors:,} (responses 4xx/5xx: {run.failed_responses:,}; socket errors: "
        f"{sockets or '0'})",
        f"  answers by status: {statuses or 'none'}",
    ]
    return "\n".join(lines)


def outage_report(outage: Outage, command_seconds: float, database: tuple) -> str:
    """`database`: (seen down at, back at) from the poller, seconds after the restart."""
    down, back = database
    met = "met" if outage.recovered else "NOT met"
    after = "none" if outage.last_error is None else f"{outage.last_error:.2f} s"
    lines = [
        f"  the database: restart command done in {command_seconds:.2f} s; new connections "
        f"failed from {seconds(down)} and succeeded again from {seconds(back)}",
        f"  failed requests from the restart on: {outage.failed:,} "
        f"(first {seconds(outage.first_error)}, last {seconds(outage.last_error)})",
        f"  cached pages served while the database did not answer: {outage.stale:,}",
        f"  first success once the database answered: {seconds(outage.first_success_after)}",
        f"  errors stopped for good after: {after} (goal: within {outage.goal:g} s): {met}",
        f"  errors before the restart: {outage.errors_before:,}; later than {outage.goal:g} s "
        f"after it: {outage.errors_after_goal:,} (the run went on {outage.quiet_seconds:.1f} s "
        "after the last error)",
    ]
    return "\n".join(lines)
