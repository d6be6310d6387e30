"""The tables `make bench` prints (benchmarks/bench.py): one row per Podium page, beside its
Datasette equivalent when there is one, with the ratios Podium/Datasette and Podium/floor, once
from the page cache and once with it off; the workers' memory; issue 18's goals, met or not."""

import os
import platform
from dataclasses import dataclass
from pathlib import Path

import sweep
from loadtest import Memory, Result
from sweep import Summary

# Issue 18's goals.
SWEEP_GOALS_MS = {"p95": 150, "p99": 400, "max": 1000}  # first visits of the sweep's URLs
# Cache off: Podium's throughput at least this many times Datasette's on the same URL.
VERSUS_DATASETTE = {"off-facets1": 20, "off-facets2": 20, "off-search": 10, "off-permalink": 5}
PERMALINK_GOAL_RPS = 1000  # cache off
WORKER_MEMORY_GOAL_MB = 150
# "Cached figures and worker memory no worse than today": the run of the README's last table
# (2026-12-06, a million statements), as Podium/floor ratios, since the floor itself moves by tens
# of percent between runs on a shared machine; NOISE is the run-to-run variation allowed.
BASELINE = "2026-12-06"
BASELINE_FLOOR_RATIOS = {
    "facets1": 0.97,
    "facets2": 1.03,
    "search": 0.99,
    "permalink": 1.08,
    "conference": 1.00,
}
BASELINE_PEAK_MB = 83
NOISE = 0.10
SIDES = {"podium": "Podium", "nocache": "Podium, cache off", "datasette": "Datasette"}


@dataclass
class Case:
    """One measured URL. `pair` names the Datasette case it is compared with; `rows` is set on
    exports (rows per response, for rows/s)."""

    key: str
    label: str
    path: str
    side: str  # "podium", "nocache" (Podium with PODIUM_PAGE_CACHE=0) or "datasette"
    pair: str = ""
    rows: int = 0
    seconds: int = 0  # the measured run's length
    first_ms: float = 0.0  # the first response, before any cache held anything


def number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"


def table(cases: list[Case], results: dict[str, Result], side: str = "podium") -> str:
    """The Markdown table of one Podium server ("podium" or "nocache"), then the Datasette URLs
    (too long for a column)."""
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
        if case.side != side:
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
    cases: list[Case],
    results: dict[str, Result],
    memory: dict[str, list[Memory]] | None = None,
    sweep: Summary | None = None,
) -> str:
    """Issue 18's goals, each met or not: the sweep's first visits (p95, p99, the slowest, every
    answer a 200); with the cache off, the ratios to Datasette and the permalink's requests/s;
    the cached pages no worse than on BASELINE (their ratio to the floor); and (given the workers'
    memory) at most 150 MB per Podium worker, no more than on BASELINE."""
    by_key = {case.key: case for case in cases}
    lines = []
    if sweep is not None:
        label = f"Sweep, first visits ({sweep.count} URLs)"
        for name, limit in SWEEP_GOALS_MS.items():
            what = "slowest" if name == "max" else name
            value = getattr(sweep, name)
            lines.append(
                verdict(f"{label}: {what} at most {limit:,} ms", value <= limit, f"{ms(value)} ms")
            )
        failed = len(sweep.failures)
        lines.append(
            verdict(
                f"{label}: every URL answered 200",
                not failed,
                f"{failed} did not" if failed else f"{sweep.count} of {sweep.count}",
            )
        )
    for key, times in VERSUS_DATASETTE.items():
        if key not in by_key:
            continue
        case = by_key[key]
        pair = by_key[case.pair]
        theirs = results[case.pair].requests_per_second
        ratio = results[key].requests_per_second / theirs if theirs else float("inf")
        label = f"Cache off, {case.label}: at least {times}x Datasette's {pair.label.lower()}"
        lines.append(verdict(label, ratio >= times, f"{ratio:,.2f}x"))
    if "off-permalink" in results:
        rps = results["off-permalink"].requests_per_second
        lines.append(
            verdict(
                f"Cache off, Permalink: at least {PERMALINK_GOAL_RPS:,} requests/s",
                rps >= PERMALINK_GOAL_RPS,
                f"{number(rps)} requests/s",
            )
        )
    floor = results["floor"].requests_per_second
    for key, before in BASELINE_FLOOR_RATIOS.items():
        if key not in results:
            continue
        ratio = results[key].requests_per_second / floor if floor else 0.0
        least = before * (1 - NOISE)
        label = (
            f"Cached, {by_key[key].label}: at least {least:.2f} of the floor ({before:.2f} on "
            f"{BASELINE}, less {NOISE:.0%} for run-to-run noise)"
        )
        lines.append(verdict(label, ratio >= least, f"{ratio:.2f} of the floor"))
    if memory is not None:
        podium = memory.get("podium", []) + memory.get("nocache", [])
        lines.append(memory_goal(podium, "- Memory: "))
        if podium:
            peak = max(worker.peak_kb for worker in podium)
            most = BASELINE_PEAK_MB * (1 + NOISE)
            lines.append(
                verdict(
                    f"Memory: no more than on {BASELINE} (peak {BASELINE_PEAK_MB} MB, plus "
                    f"{NOISE:.0%})",
                    peak <= most * 1024,
                    f"peak {megabytes(peak)}",
                )
            )
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
            f"{SIDES.get(side, side.capitalize())} "
            + (", ".join(megabytes(getattr(w, attribute)) for w in workers) or "no worker found")
            for side, workers in memory.items()
        )

    podium = memory.get("podium", []) + memory.get("nocache", [])
    return (
        f"Worker memory (peak RSS, VmHWM): {each('peak_kb')}. "
        f"After the runs (VmRSS): {each('rss_kb')}. "
        f"{memory_goal(podium)}."
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


def ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


# The sweep's report ------------------------------------------------------------------------------


def sweep_report(
    urls: list[sweep.SweepURL],
    timings: dict[str, list[sweep.Timing]],
    words: list[str],
    counts: dict[str, int],
    seed: int = sweep.SEED,
) -> str:
    """The sweep's Markdown: percentiles per side and per group, the slowest ten of each side,
    the search words, and any answer other than 200."""
    groups = {group: sum(url.group == group for url in urls) for group in sweep.GROUPS}
    lines = [
        f"{len(urls)} distinct URLs ("
        + ", ".join(f"{group} {n}" for group, n in groups.items() if n)
        + f"), drawn with seed {seed}; each fetched once, one at a time, the sides taking turns; "
        "Podium with its page cache off (every response a first visit).",
        "",
        "| Side | URLs | p50 ms | p95 ms | p99 ms | max ms | not 200 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for side, side_timings in timings.items():
        found = sweep.summary(side_timings)
        lines.append(
            f"| {side.capitalize()} | {found.count} | {ms(found.p50)} | {ms(found.p95)} | "
            f"{ms(found.p99)} | {ms(found.max)} | {len(found.failures)} |"
        )
    sides = list(timings)
    lines += [
        "",
        "| Group | URLs | "
        + " | ".join(f"{side.capitalize()} {p}" for side in sides for p in ("p50", "p95", "max"))
        + " |",
        "| --- | ---: |" + " ---: |" * (3 * len(sides)),
    ]
    for group, n in groups.items():
        if not n:
            continue
        cells = []
        for side in sides:
            found = sweep.summary([timing for timing in timings[side] if timing.group == group])
            cells += [ms(found.p50), ms(found.p95), ms(found.max)]
        lines.append(f"| {group} | {n} | " + " | ".join(cells) + " |")
    for side in sides:
        lines += ["", f"Slowest ten, {side.capitalize()} (ms):", ""]
        slowest = sorted(timings[side], key=lambda timing: -timing.ms)[:10]
        lines += [
            f"{number}. {ms(timing.ms)} `{timing.path}`"
            + ("" if timing.status == 200 else f" (answered {timing.status or 'nothing'})")
            for number, timing in enumerate(slowest, start=1)
        ]
    lines += [
        "",
        "Search words (statements holding each): "
        + ", ".join(f"{word} ({counts[word]:,})" for word in words)
        + ".",
    ]
    for side in sides:
        failures = sweep.summary(timings[side]).failures
        if failures:
            lines += ["", f"{side.capitalize()} answered other than 200:", ""]
            lines += [f"- {timing.status or 'nothing'} `{timing.path}`" for timing in failures]
    return "\n".join(lines)
