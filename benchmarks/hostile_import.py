"""Benchmark: the parser on hostile texts at growing sizes, up to the import limit.

Run with `.venv/bin/python benchmarks/hostile_import.py [--sizes 262144,524288,1048576,2097152]`.
Pure parser (no database): each text is cut to each size and parsed once per kind. A parser
that is linear takes about twice as long when the text doubles; the last column shows that
factor, so a quadratic rule (about 4) or a backtracking one (far more) stands out before it
hangs a request. Every text is invented; no timing here is asserted by any test.
"""

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conferences.importer.parse import parse  # noqa: E402 (after the path is set)


def random_text(size: int) -> str:
    """Random bytes read as Windows-1252 would let them through: no NUL, any other byte."""
    rng = random.Random(20261206)
    return bytes(rng.randrange(1, 256) for _ in range(size)).decode("latin-1")


PIECES = {
    "one line of words": "word ",
    "one line, no space": "x",
    "one line of labels": "MR. DARROW: yes. ",
    "one line of capitals and colons": "ABC DEF: ",
    "one line, an unclosed quote each": 'He said "yes and ',
    "one line of dates": "May 3, 2022 ",
    "one line of HTML quotes": "<p>Minister Dario Kessel said: \u201cWe stay.\u201d</p>",
    "a transcript, one turn a line": "MS. DARROW: We welcome the accord.\nQUESTION: When?\n",
}


def text_of(name: str, size: int) -> str:
    if name == "random bytes (Windows-1252)":
        return random_text(size)
    piece = PIECES[name]
    return (piece * (size // len(piece) + 1))[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="262144,524288,1048576,2097152")
    parser.add_argument("--kinds", default="auto,transcript,article")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    names = [*PIECES, "random bytes (Windows-1252)"]
    print(f"{'text':36} {'kind':10} " + " ".join(f"{size / 1048576:>7.2f} MB" for size in sizes))
    for name in names:
        for kind in args.kinds.split(","):
            seconds = []
            for size in sizes:
                text = text_of(name, size)
                started = time.perf_counter()
                parse(text, kind=kind)
                seconds.append(time.perf_counter() - started)
            growth = seconds[-1] / seconds[-2] if len(seconds) > 1 and seconds[-2] else 0
            times = " ".join(f"{s:>8.2f} s" for s in seconds)
            print(f"{name:36} {kind:10} {times}   x{growth:.1f} on the last doubling", flush=True)


if __name__ == "__main__":
    main()
