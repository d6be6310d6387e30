"""Direct quotes in a paragraph of a news article: where they are, mark by mark.

Marks are read by their surroundings rather than their shape, because pasted articles mix them
(an opening curly mark closed by a straight one). Apostrophes are not quote marks. A nested quote
stays inside its outer quote. A closing mark with no opening mark before it closes a quote that
began where its sentence began.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE = '"“”„‟«»〝〞'
DOUBLE_OPENERS = "“„‟«〝"
DOUBLE_CLOSERS = "”»〞"
SINGLE_OPEN = "‘'‹"
SINGLE_CLOSE = "’'›"
MASK = "\x01"
_LEFT_OPEN = "([{—–-/…:\u2014\u2013"
_RIGHT_CLOSE = ".,;:!?)]}—–…\u2014\u2013"
# fmt: off
_ABBREVIATIONS = {
    "mr", "ms", "mrs", "dr", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col", "no",
    "inc", "co", "corp", "vs", "a.m", "p.m", "e.g", "i.e", "jan", "feb", "mar", "apr", "aug",
    "sep", "sept", "oct", "nov", "dec", "prof", "capt", "maj", "sgt", "adm", "amb", "hon", "rev",
    "gov't", "approx", "dept", "est", "fig", "ltd", "mt", "u.s", "u.k", "u.n", "e.u",
}
# fmt: on


@dataclass
class Span:
    start: int  # first character of the quoted words (marks excluded)
    end: int
    open_mark: int | None  # position of the opening mark, None if it was lost
    close_mark: int | None  # position of the closing mark, None if the paragraph ran out


def _role(s: str, i: int) -> str:
    char = s[i]
    prev = s[i - 1] if i > 0 else " "
    nxt = s[i + 1] if i + 1 < len(s) else " "
    left_open = prev.isspace() or prev in _LEFT_OPEN or prev in DOUBLE or i == 0
    right_close = nxt.isspace() or nxt in _RIGHT_CLOSE or nxt in DOUBLE or i + 1 == len(s)
    if left_open and not right_close:
        return "open"
    if right_close and not left_open:
        return "close"
    if char in DOUBLE_OPENERS:
        return "open"
    if char in DOUBLE_CLOSERS:
        return "close"
    return "either"


def is_boundary(s: str, j: int) -> bool:
    """Whether s[j] ends a sentence."""
    if s[j] not in ".!?…":
        return False
    k = j + 1
    while k < len(s) and s[k] in "\"”’')»" + MASK:
        k += 1
    if k < len(s) and not s[k].isspace():
        return False
    while k < len(s) and s[k].isspace():
        k += 1
    if k < len(s) and s[k].islower():
        return False
    if s[j] == ".":
        word = re.search(r"([\w.'’]+)$", s[max(0, j - 12) : j])
        if word:
            token = word.group(1).lower()
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                return False
            if "." in token and len(token) <= 5:
                return False
    return True


def sentence_start(s: str, pos: int, floor: int = 0) -> int:
    j = pos - 1
    while j >= floor:
        if is_boundary(s, j):
            break
        j -= 1
    start = max(j + 1, floor)
    while start < pos and (s[start].isspace() or s[start] in '"”’)' + MASK):
        start += 1
    return start


def sentence_end(s: str, pos: int) -> int:
    j = pos
    while j < len(s):
        if is_boundary(s, j):
            return j + 1
        j += 1
    return len(s)


def _trim(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and s[a].isspace():
        a += 1
    while b > a and s[b - 1].isspace():
        b -= 1
    return a, b


def double_quotes(s: str) -> list[Span]:
    spans: list[Span] = []
    depth = 0
    start = 0
    open_mark = None
    last_end = 0
    for i, char in enumerate(s):
        if char not in DOUBLE:
            continue
        role = _role(s, i)
        if depth == 0:
            if role == "close":
                a = sentence_start(s, i, last_end)
                a, b = _trim(s, a, i)
                if re.search(r"\w", s[a:b]):
                    spans.append(Span(a, b, None, i))
                last_end = i + 1
            else:
                depth, start, open_mark = 1, i + 1, i
        elif role == "open":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                a, b = _trim(s, start, i)
                if re.search(r"\w", s[a:b]):
                    spans.append(Span(a, b, open_mark, i))
                last_end = i + 1
    if depth > 0:
        a, b = _trim(s, start, len(s))
        if re.search(r"\w", s[a:b]):
            spans.append(Span(a, b, open_mark, None))
    return spans


def single_quotes(s: str, taken: list[Span]) -> list[Span]:
    """'…' and ‘…’ outside double quotes; apostrophes (it's, countries’) are skipped."""

    def inside(i: int) -> bool:
        for span in taken:
            lo = span.open_mark if span.open_mark is not None else span.start
            hi = span.close_mark if span.close_mark is not None else span.end
            if lo <= i <= hi:
                return True
        return False

    openers = []
    for i, char in enumerate(s):
        if char in SINGLE_OPEN and not inside(i):
            prev = s[i - 1] if i else " "
            nxt = s[i + 1] if i + 1 < len(s) else " "
            if (prev.isspace() or prev in _LEFT_OPEN or i == 0) and nxt.isalnum():
                if re.match(r"\d\ds\b", s[i + 1 : i + 5]):  # '90s
                    continue
                openers.append(i)
    spans = []
    for n, i in enumerate(openers):
        limit = openers[n + 1] if n + 1 < len(openers) else len(s)
        candidates = []
        for j in range(i + 2, limit):
            if s[j] not in SINGLE_CLOSE or inside(j):
                continue
            prev, nxt = s[j - 1], s[j + 1] if j + 1 < len(s) else " "
            if prev.isspace() or (prev.isalnum() and nxt.isalnum()):
                continue
            if nxt.isspace() or nxt in _RIGHT_CLOSE or j + 1 == len(s):
                candidates.append(j)
        if not candidates:
            continue
        best = next((j for j in candidates if s[j - 1] in ",.!?;:…"), None)
        if best is None:
            best = next((j for j in candidates if s[j - 1] not in "sS"), candidates[0])
        a, b = _trim(s, i + 1, best)
        if re.search(r"\w", s[a:b]):
            spans.append(Span(a, b, i, best))
    return spans


# Dialogue dashes (Russian, Ukrainian, Polish news): '— Мы готовы, — сказал он.' A dash opens a
# quote at the start of a paragraph or after a full stop; the next dash followed by a lower-case
# word closes it, and the words after that dash are the attribution.
_DASH_OPEN = re.compile(r"(?:^\s*|(?<=[.!?…])\s+)([—–-])[ \t\u00a0]+(?=\S)")
_DASH_CLOSE = re.compile(r"\s([—–-])\s+(?=[a-zа-яёіїєґąćęłńóśźżäöüßéèàçñ])")
# The word after the closing dash must be a reporting verb in the past tense of a language that
# quotes this way ('– … – skomentował', '— …, — заявил он', '— …, — наголосив'): dashes also
# mark lists and asides ('– Funding for housing – up 5 percent', '- … - said to be …').
_SAID = re.compile(r"[^\W\d_]+(?:ł|ła|li|ły|л|ла|ли|в)\b(?!\s+to\b)")


def dash_quotes(s: str, taken: list[Span]) -> list[Span]:
    covered = bytearray(len(s) + 1)  # positions inside the quotes found already
    for span in taken:
        lo = span.open_mark if span.open_mark is not None else span.start
        hi = span.close_mark if span.close_mark is not None else span.end
        covered[lo : hi + 1] = b"\x01" * (hi + 1 - lo)
    spans: list[Span] = []
    pos = 0
    while True:
        opener = _DASH_OPEN.search(s, pos)
        if opener is None:
            return spans
        mark = opener.start(1)
        pos = opener.end()
        if covered[mark] or not s[pos : pos + 1].isupper():
            continue  # speech starts with a capital, not '— and the forecast …'
        closer = _DASH_CLOSE.search(s, pos)
        while closer and not _SAID.match(s, closer.end()):
            closer = _DASH_CLOSE.search(s, closer.end())
        following = _DASH_OPEN.search(s, pos)
        if closer is None or (following is not None and following.start(1) < closer.start(1)):
            continue
        close = closer.start(1)
        a, b = _trim(s, pos, close)
        if re.search(r"\w", s[a:b]) and not covered[a]:
            spans.append(Span(a, b, mark, close))
        pos = close + 1


def find_quotes(s: str) -> list[Span]:
    # ',,Die raketten …’’' (Dutch papers open with two commas): read as '„', offsets unchanged
    s = re.sub(r"(?:(?<=\s)|^),,(?=\w)", " „", s)
    s = re.sub(r"(?<=[\w.,!?…])’’", "” ", s)  # '… allemaal’’, zei Zijlstra': one closing mark
    spans = double_quotes(s)
    spans += single_quotes(s, spans)
    spans += dash_quotes(s, spans)
    spans.sort(key=lambda span: span.start)
    return spans


def mask_quotes(s: str, spans: list[Span]) -> str:
    """The paragraph with every quote (marks included) replaced by MASK characters."""
    chars = list(s)
    for span in spans:
        lo = span.open_mark if span.open_mark is not None else span.start
        hi = span.close_mark + 1 if span.close_mark is not None else span.end
        for k in range(lo, hi):
            chars[k] = MASK
    return "".join(chars)
