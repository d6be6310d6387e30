"""The table `make bench` prints (benchmarks/bench.py): one row per Podium page, beside its
Datasette equivalent when there is one, with the ratios Podium/Datasette and Podium/floor."""

import os
import platform
from dataclasses import dataclass
from pathlib import Path

from loadtest import Result


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
        "| Page | Podium URL | req/s | p50 ms | p99 ms | first ms | Datasette | req/s | p50 ms "
        "| p99 ms | first ms | Podium/Datasette | Podium/floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
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
            cells += ["–", "", "", "", "", ""]
        cells.append(f"{mine.requests_per_second / floor:.2f}" if floor else "–")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join([*lines, "", "Datasette URLs:", "", *notes])


def goals(cases: list[Case], results: dict[str, Result]) -> str:
    """Issue 7's goals, each met or not: 10x Datasette on the facet and search pages, the
    permalink at half the floor."""
    by_key = {case.key: case for case in cases}

    def versus(key: str) -> float:
        theirs = results[by_key[key].pair].requests_per_second
        return results[key].requests_per_second / theirs if theirs else float("inf")

    floor = results["floor"].requests_per_second
    checks = [
        (f"{by_key[key].label}: at least 10x Datasette", versus(key), 10.0, "x")
        for key in ("facets1", "facets2", "search")
    ]
    permalink = results["permalink"].requests_per_second / floor if floor else 0.0
    checks.append(("Permalink: at least half the floor", permalink, 0.5, " of the floor"))
    return "\n".join(
        f"- {label}: {'met' if value >= goal else 'NOT met'} ({value:,.2f}{unit})"
        for label, value, goal, unit in checks
    )


def timings(result: Result, case: Case) -> list[str]:
    first = number(case.first_ms) if case.first_ms else "–"
    if not result.requests_per_second:  # no response finished within the run
        return [rate(result, case), "–", "–", first]
    return [rate(result, case), number(result.p50_ms), number(result.p99_ms), first]


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
