"""Benchmark: parse and resolve a 20,000-word synthetic transcript (goal: under 0.5 s), and
build the review screen's text pane for it (every line cut into its statements' spans), with
and without the editor's repairs (hints re-parsed on every "Preview again").

Run with `make bench-importer` (or `.venv/bin/python benchmarks/importer.py [--words N]`).
Uses DATABASE_URL when set, else a throwaway SQLite file. Every speaker is fictional.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "accord alliance ambassador bilateral border ceasefire cooperation counterpart delegation "
    "dialogue embassy envoy fisheries framework guarantees humanitarian initiative investment "
    "mediation memorandum negotiations partnership principles proposal ratification region "
    "sanctions security settlement stability summit talks territory trade treaty visit"
).split()
FILLER = "the of and to in we our that this with for on is are will be have not".split()
OFFICIALS = ["MS. DARROW", "FOREIGN MINISTER QUINTERO", "MR. EBERLE"]
REPORTERS = ["QUESTION", "Q", "Norland Wire", "Eastmark Daily"]


def sentence(rng: random.Random) -> str:
    n = rng.randint(8, 28)
    words = [rng.choice(WORDS if rng.random() < 0.35 else FILLER) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + rng.choice(".?.")


def transcript(words: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = [
        "Press briefing of the Norlandian Ministry of Foreign Affairs (synthetic)",
        "Port Aster, March 9, 2023",
        "",
    ]
    count = 0
    while count < words:
        asking = rng.random() < 0.4
        label = rng.choice(REPORTERS if asking else OFFICIALS)
        body = " ".join(sentence(rng) for _ in range(rng.randint(1, 6 if not asking else 2)))
        lines += [f"{label}: {body}", ""]
        count += len(body.split()) + 1
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from conferences.admin.import_review import source_pane
    from conferences.importer.parse import Hints, parse
    from conferences.importer.parse.text import build_view
    from conferences.importer.service import build_preview
    from conferences.models import Topic

    call_command("migrate", verbosity=0)
    for word in WORDS[:12]:
        Topic.objects.get_or_create(
            name=f"Synthetic {word}", slug=f"synthetic-{word}", defaults={"keywords": word}
        )

    text = transcript(args.words)
    # twenty repairs spread over the text: ten joins, and ten statements given another speaker
    turns = parse(text).turns
    hints = Hints(
        joins=tuple(t.start for t in turns[5::40][:10]),
        breaks=tuple((t.start + 1, "Ilse Marwick") for t in turns[25::40][:10]),
    )
    parse_times, preview_times, hinted_times, pane_times = [], [], [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        hinted = build_preview(text, hints=hints)
        hinted_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        colours = {row.index: 0 for row in hinted.rows}
        lines, _ = source_pane(text, build_view(text).text, hinted.rows, colours)
        pane_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        doc = parse(text)
        parse_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        preview = build_preview(text)
        preview_times.append(time.perf_counter() - started)
    print(
        f"text: {len(text.split()):,} words, {len(text):,} characters, "
        f"{len(doc.turns):,} turns, {len(preview.speakers)} speakers"
    )
    print(
        f"parse only:             best {min(parse_times):.3f} s, "
        f"median {statistics.median(parse_times):.3f} s"
    )
    print(
        f"parse + resolve + topics: best {min(preview_times):.3f} s, "
        f"median {statistics.median(preview_times):.3f} s  (goal: under 0.5 s)"
    )
    print(
        f"the same with 20 repairs: best {min(hinted_times):.3f} s, "
        f"median {statistics.median(hinted_times):.3f} s  ({len(hinted.rows):,} statements)"
    )
    print(
        f"review text pane:       best {min(pane_times):.3f} s, "
        f"median {statistics.median(pane_times):.3f} s  ({len(lines):,} lines)"
    )


if __name__ == "__main__":
    main()
