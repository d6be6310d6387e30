"""The table `make bench` prints (benchmarks/bench.py): one row per Podium page, beside its
Datasette equivalent when there is one, with the ratios Podium/Datasette and Podium/floor; the
workers' memory; issue 7's goals, met or not."""

import os
import platform
from dataclasses import dataclass
from pathlib import Path

from loadtest import Memory, Result

# Issue 7's goals beside the ratios: p95 of these pages (ms), memory per Podium worker (MB).
P95_GOALS_MS = {"facets1": 50, "facets2": 50, "search": 100}
WORKER_MEMORY_GOAL_MB = 150


@dataclass
class Case:
    """One measured URL. `pair` names the Datasette case it is compared with; `rows` is set on
    exports (rows per response, for rows/s)."""

    key: str
    label: str
    path: str
    side: str  # "podium" or "datasette"
    pair: str = ""
    rows: int = 0
    seconds: int = 0  # the measured run's length
    first_ms: float = 0.0  # the first response, before any cache held anything


def number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"


def table(cases: list[Case], results: dict[str, Result]) -> str:
    """The Markdown table, then the Datasette URLs (too long for a column)."""
    by_key = {case.key: case for case in cases}
    floor = results["floor"].requests_per_second
    lines = [
        "| Page | Podium URL | req/s | p50 ms | p95 ms | p99 ms | first ms | Datasette | req/s "
        "| p50 ms | p95 ms | p99 ms | first ms | Podium/Datasette | Podium/floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: |",
    ]
    notes = []
    for case in cases:
        if case.side != "podium":
            continue
        mine = results[case.key]
        cells = [case.label, f"`{case.path}`", *timings(mine, case)]
        if case.pair:
            other_case, other = by_key[case.pair], results[case.pair]
            notes.append(f"{len(notes) + 1}. {other_case.label}: `{other_case.path}`")
            theirs = other.requests_per_second * (other_case.rows or 1)
            ratio = mine.requests_per_second * (case.rows or 1) / theirs if theirs else None
            cells += [
                f"[{len(notes)}]",
                *timings(other, other_case),
                "–" if ratio is None else f"{ratio:,.1f}x",
            ]
        else:
            cells += ["–", "", "", "", "", "", ""]
        cells.append(f"{mine.requests_per_second / floor:.2f}" if floor else "–")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join([*lines, "", "Datasette URLs:", "", *notes])


def goals(
    cases: list[Case], results: dict[str, Result], memory: dict[str, list[Memory]] | None = None
) -> str:
    """Issue 7's goals, each met or not: 10x Datasette on the facet and search pages, the
    permalink at half the floor, p95 within 50 ms on the facet pages and 100 ms on search, and
    (given the workers' memory) at most 150 MB per Podium worker."""
    by_key = {case.key: case for case in cases}

    def versus(key: str) -> float:
        theirs = results[by_key[key].pair].requests_per_second
        return results[key].requests_per_second / theirs if theirs else float("inf")

    lines = []
    for key in ("facets1", "facets2", "search"):
        ratio = versus(key)
        label = f"{by_key[key].label}: at least 10x Datasette"
        lines.append(verdict(label, ratio >= 10.0, f"{ratio:,.2f}x"))
    floor = results["floor"].requests_per_second
    permalink = results["permalink"].requests_per_second / floor if floor else 0.0
    lines.append(
        verdict(
            "Permalink: at least half the floor", permalink >= 0.5, f"{permalink:,.2f} of the floor"
        )
    )
    for key, limit in P95_GOALS_MS.items():
        result, label = results[key], f"{by_key[key].label}: p95 at most {limit} ms"
        if not result.requests_per_second:  # wrk reads 0 ms when no response finished
            lines.append(verdict(label, False, "none finished within the run"))
        else:
            lines.append(verdict(label, result.p95_ms <= limit, f"{number(result.p95_ms)} ms"))
    if memory is not None:
        lines.append(memory_goal(memory.get("podium", []), "- Memory: "))
    return "\n".join(lines)


def verdict(label: str, met: bool, detail: str) -> str:
    return f"- {label}: {'met' if met else 'NOT met'} ({detail})"


def megabytes(kb: int) -> str:
    return f"{kb / 1024:,.0f} MB"


def memory_goal(workers: list[Memory], prefix: str = "Goal: ") -> str:
    """At most 150 MB (peak RSS) per Podium worker."""
    label = f"{prefix}at most {WORKER_MEMORY_GOAL_MB} MB per Podium worker"
    if not workers:
        return f"{label}: not measured (no worker found)"
    peak = max(worker.peak_kb for worker in workers)
    met = peak <= WORKER_MEMORY_GOAL_MB * 1024
    return f"{label}: {'met' if met else 'NOT met'} (peak {megabytes(peak)})"


def memory_line(memory: dict[str, list[Memory]]) -> str:
    """Each worker's peak and current resident memory, Podium's against the goal."""

    def each(attribute: str) -> str:
        return "; ".join(
            f"{side.capitalize()} "
            + (", ".join(megabytes(getattr(w, attribute)) for w in workers) or "no worker found")
            for side, workers in memory.items()
        )

    return (
        f"Worker memory (peak RSS, VmHWM): {each('peak_kb')}. "
        f"After the runs (VmRSS): {each('rss_kb')}. "
        f"{memory_goal(memory.get('podium', []))}."
    )


def timings(result: Result, case: Case) -> list[str]:
    first = number(case.first_ms) if case.first_ms else "–"
    if not result.requests_per_second:  # no response finished within the run
        return [rate(result, case), "–", "–", "–", first]
    percentiles = (result.p50_ms, result.p95_ms, result.p99_ms)
    return [rate(result, case), *(number(value) for value in percentiles), first]


def rate(result: Result, case: Case) -> str:
    if not result.requests_per_second:
        return "0 (none finished within the run)"
    text = number(result.requests_per_second)
    if case.rows:
        text += f" ({number(result.requests_per_second * case.rows)} rows/s)"
    if result.errors:
        text += f" **{result.errors} errors**"
    return text


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}"
