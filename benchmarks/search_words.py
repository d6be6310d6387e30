"""Search words for `make bench`, taken from the archive by how many statements hold them, and only
words that both sides match in the same statements.

Podium stems (PostgreSQL's `english` configuration, or the Porter tokenizer of its SQLite FTS5
table); the Datasette copy's FTS5 table does not (benchmarks/datasette_export.py). A word selects
the same statements on both sides when no other word of the archive has its stem: Podium's match
for it is then exactly the statements holding the word itself, as on the Datasette side (the
words of the synthetic archive are letters only, which both tokenizers split alike). Podium drops
stop words from a query, so they are never chosen.

The archive's words and the number of statements holding each come from the copy's full-text
index (`fts5vocab`): every word, exact, in one pass over the index (well under a second at 50,000
statements, a few at a million), with no query to Podium's database but one that stems the words.
"""

import math
import random
import re
import sqlite3
from pathlib import Path

# A word both sides would read alike: ASCII letters only (FTS5's unicode61 folds accents, which
# PostgreSQL's english configuration keeps), three or more.
PLAIN_WORD = re.compile(r"[a-z]{3,}")
# The fixed cases' search word: the one whose statements are nearest this share of the archive.
MID_FREQUENCY = 0.01


def vocabulary(path: Path) -> dict[str, int]:
    """Every word of the copy's full-text index and the number of statements holding it."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.execute(
            "CREATE VIRTUAL TABLE temp.podium_vocabulary USING fts5vocab(main, statements_fts, row)"
        )
        return dict(connection.execute("SELECT term, doc FROM temp.podium_vocabulary"))
    finally:
        connection.close()


def podium_stems(words: list[str], using: str = "default") -> dict[str, str]:
    """Each word as Podium's full-text search indexes it: its stem, or "" for a word it does not
    index (a PostgreSQL stop word). One query on PostgreSQL; on SQLite an in-memory FTS5 table
    with the tokenizer of Podium's own."""
    from django.db import connections

    from conferences.models.search import FTS_TABLE, PG_CONFIG

    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w, array_to_string(tsvector_to_array(to_tsvector(%s::regconfig, w)), ' ') "
                "FROM unnest(%s::text[]) AS w",
                [PG_CONFIG, list(words)],
            )
            return dict(cursor.fetchall())
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        row = cursor.fetchone()
    tokenizer = re.search(r"tokenize\s*=\s*[\"']([^\"']+)[\"']", row[0] if row else "")
    return sqlite_stems(words, tokenizer[1] if tokenizer else "unicode61")


def sqlite_stems(words: list[str], tokenizer: str) -> dict[str, str]:
    """Each word as an FTS5 table with `tokenizer` indexes it (its tokens joined by a space)."""
    if not re.fullmatch(r"[\w ]+", tokenizer):
        raise ValueError(f"Unexpected FTS5 tokenizer {tokenizer!r}.")
    words = list(words)
    memory = sqlite3.connect(":memory:")
    try:
        memory.execute(f"CREATE VIRTUAL TABLE words USING fts5(word, tokenize='{tokenizer}')")
        memory.executemany(
            "INSERT INTO words (rowid, word) VALUES (?, ?)", enumerate(words, start=1)
        )
        memory.execute("CREATE VIRTUAL TABLE tokens USING fts5vocab(words, instance)")
        tokens: dict[int, list[str]] = {}
        for doc, term in memory.execute("SELECT doc, term FROM tokens ORDER BY doc, offset"):
            tokens.setdefault(doc, []).append(term)
    finally:
        memory.close()
    return {word: " ".join(tokens.get(number, [])) for number, word in enumerate(words, start=1)}


def agreeing(counts: dict[str, int], stems: dict[str, str]) -> dict[str, int]:
    """The words of `counts` that select the same statements on both sides: plain words, not stop
    words, and the only word of the archive with their stem."""
    from conferences.models.search import STOP_WORDS

    words_by_stem: dict[str, int] = {}
    for word in counts:
        if stems.get(word):
            words_by_stem[stems[word]] = words_by_stem.get(stems[word], 0) + 1
    return {
        word: count
        for word, count in counts.items()
        if PLAIN_WORD.fullmatch(word)
        and word not in STOP_WORDS
        and " " not in stems.get(word, " ")
        and words_by_stem.get(stems.get(word, "")) == 1
    }


def archive_words(path: Path, using: str = "default") -> dict[str, int]:
    """The words both sides agree on, with the number of published statements holding each."""
    counts = vocabulary(path)
    return agreeing(counts, podium_stems(sorted(counts), using))


def spread(words: dict[str, int], count: int, rng: random.Random) -> list[str]:
    """`count` words from the rarest to the most common: for each of `count` targets spaced
    evenly on a log scale between the smallest and the largest count, the word nearest to it
    (ties drawn by `rng`). Sorted by count, then word."""
    if len(words) <= count:
        return sorted(words, key=lambda word: (words[word], word))
    shuffled = sorted(words)
    rng.shuffle(shuffled)
    logs = [(math.log(words[word]), word) for word in shuffled]
    low, high = min(logs)[0], max(logs)[0]
    chosen: list[str] = []
    for step in range(count):
        target = low + (high - low) * step / (count - 1)
        best = min(
            (entry for entry in logs if entry[1] not in chosen),
            key=lambda entry: abs(entry[0] - target),
        )
        chosen.append(best[1])
    return sorted(chosen, key=lambda word: (words[word], word))


def mid_frequency(words: dict[str, int], statements: int) -> str:
    """The word of five letters or more held by the number of statements nearest MID_FREQUENCY
    of them (then the first in alphabetical order): a search neither rare nor everywhere."""
    target = MID_FREQUENCY * statements
    longer = [word for word in words if len(word) >= 5] or list(words)
    return min(longer, key=lambda word: (abs(words[word] - target), word))
