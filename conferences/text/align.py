"""How alike a quote is to a statement, word by word: plain Python, no Django.

Used by the importer (conferences/importer/matching.py finds the statement a quote reports) and
by the word differences that show a reader or an editor how the two differ (text/diff.py).

How alike a quote and a statement are (`align`):

1. Both are normalised into words: Unicode NFKD without accents, casefolded, apostrophes
   (’ ‘ ʼ ') dropped inside words ("don’t" = "dont"), and every other mark (quotes, dashes,
   punctuation) is a word boundary. An ellipsis (… or ...) in the quote is kept as a marker:
   the journalist says that words were left out there.
2. difflib.SequenceMatcher(None, quote_words, statement_words, autojunk=False) gives the blocks
   of words the two share, in order. Of those blocks, the best run of consecutive blocks is
   kept (so one stray "the" far away cannot stretch the alignment).
3. similarity = m / (n + e), where n is the number of quote words, m how many of them the run
   matches, and e the statement words inside the run that the quote silently leaves out beyond
   the ones it replaces (between two blocks, max(0, statement gap − quote gap); a gap the
   article marks with an ellipsis costs nothing). So one word changed in a 12-word quote gives
   11/12 = 0.92, and "we will act" against "we will not act" gives 3/4 = 0.75: leaving out a
   word is a difference, even when every quoted word is found.

A quote matches when similarity ≥ THRESHOLD (0.90). Quotes of fewer than MIN_WORDS words are too
common to match on their own unless they match entirely (similarity 1.0).
"""

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

THRESHOLD = 0.90
MIN_WORDS = 4
ELLIPSIS = "…"
_APOSTROPHE = re.compile(r"(?<=[^\W_])['’‘ʼ`](?=[^\W_])")  # inside a word: don’t
_TOKEN = re.compile(r"…|\.\.\.|[^\W_]+")


def tokens(text: str) -> list[str]:
    """The normalised words of a text, with ELLIPSIS where it marks left-out words."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = _APOSTROPHE.sub("", text.casefold())
    return [ELLIPSIS if word == "..." else word for word in _TOKEN.findall(plain)]


def words(text: str) -> list[str]:
    """The normalised words of a text, ellipses left out."""
    return [token for token in tokens(text) if token != ELLIPSIS]


@dataclass(frozen=True)
class Alignment:
    similarity: float
    # The stretch of the statement's words the quote stands for (end excluded): the matched
    # words, and as many around them as the quote has unmatched words at either end.
    start: int
    end: int


def align(quote_tokens: list[str], statement_words: list[str]) -> Alignment | None:
    """How alike a quote is to the best-matching stretch of a statement (see the module's
    docstring); None when they share no word."""
    quote, breaks = [], set()
    for token in quote_tokens:
        if token == ELLIPSIS:
            breaks.add(len(quote))  # words are left out before quote[len(quote)]
        else:
            quote.append(token)
    if not quote:
        return None
    matcher = SequenceMatcher(None, quote, statement_words, autojunk=False)
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    best = None
    for first in range(len(blocks)):
        matched = extra = 0
        for last in range(first, len(blocks)):
            block = blocks[last]
            if last > first:
                before = blocks[last - 1]
                quote_gap = block.a - (before.a + before.size)
                statement_gap = block.b - (before.b + before.size)
                marked = any(before.a + before.size <= i <= block.a for i in breaks)
                if not marked:
                    extra += max(0, statement_gap - quote_gap)
            matched += block.size
            similarity = matched / (len(quote) + extra)
            if best is None or similarity > best.similarity:
                # Quote words left over at either end stand for as many statement words.
                lead = blocks[first].a
                trail = len(quote) - (block.a + block.size)
                start = max(0, blocks[first].b - lead)
                end = min(len(statement_words), block.b + block.size + trail)
                best = Alignment(similarity, start, end)
    return best


def passes(similarity: float, quote_length: int) -> bool:
    if quote_length < MIN_WORDS:
        return similarity >= 1.0
    return similarity >= THRESHOLD
