"""Word differences, the one way Podium shows how two wordings differ: a correction against the
words it replaced, an article's quote against the statement it reports.

A difference is a list of (op, words) pairs, op being "equal", "delete" or "insert" (a
replacement is a deletion followed by an insertion). It holds plain text: the templates escape
and mark it up (templates/conferences/_word_diff.html), so nothing here builds HTML.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from difflib import SequenceMatcher

from .align import align, tokens, words

Pairs = list[tuple[str, str]]
ELLIPSIS_PAIR = ("equal", "…")


def word_diff(old: str, new: str, key: Callable[[str], Hashable] | None = None) -> Pairs:
    """The change from `old` to `new`, word by word. Words are split on white space (a line break
    counts as a space); `key` says what of a word is compared (the word itself by default)."""
    a, b = old.split(), new.split()
    keys_a = [key(w) for w in a] if key else a
    keys_b = [key(w) for w in b] if key else b
    pairs = []
    matcher = SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("equal", "delete", "replace"):
            pairs.append(("equal" if op == "equal" else "delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pairs.append(("insert", " ".join(b[j1:j2])))
    return pairs


def as_compared(word: str) -> Hashable:
    """A word as quotes are compared (case, punctuation and quote marks aside, text/align.py);
    a word of punctuation alone compares as itself."""
    return tuple(words(word)) or word


@dataclass
class Stretch:
    """The part of a statement's text a quote was aligned with, as printed."""

    text: str
    cut_before: bool  # the statement goes on before / after this stretch
    cut_after: bool


def aligned_stretch(statement_text: str, quoted_text: str) -> Stretch:
    """The words of the statement the quote stands for (the whole statement if none)."""
    chunks = statement_text.split()
    per_chunk = [words(chunk) for chunk in chunks]
    owner = [n for n, found in enumerate(per_chunk) for _ in found]  # word -> its chunk
    alignment = align(tokens(quoted_text), [word for found in per_chunk for word in found])
    if alignment is None or not owner:
        return Stretch(" ".join(chunks), False, False)
    first, last = owner[alignment.start], owner[alignment.end - 1]
    return Stretch(" ".join(chunks[first : last + 1]), first > 0, last < len(chunks) - 1)


def quote_diff(statement_text: str, quoted_text: str) -> Pairs:
    """How a quote differs from the stretch of the statement it reports, words compared as
    quotes are, with an ellipsis where the statement goes on."""
    stretch = aligned_stretch(statement_text, quoted_text)
    pairs = word_diff(stretch.text, quoted_text, key=as_compared)
    before = [ELLIPSIS_PAIR] if stretch.cut_before else []
    after = [ELLIPSIS_PAIR] if stretch.cut_after else []
    return before + pairs + after
