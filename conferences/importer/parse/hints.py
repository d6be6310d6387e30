"""The editor's repairs, applied to what the parser made of a text.

An editor who sees the importer get a text wrong says so on the review screen; each repair is a
hint posted back with the form, and the text is parsed again with the hints, so the preview is
always what the parser makes of the text plus the editor's hints (nothing is kept on a server):

- `labels`: printed labels ('PRESIDENT KESSEL') to read as a speaker's label wherever a line
  opens with them (labels the archive learned from earlier imports are used the same way when
  the text bears them out: `learned_in_text`);
- `breaks`: a new statement starts at this offset, by this speaker;
- `joins`: the statement starting at this offset belongs to the one before it;
- `drops`: this stretch of text is not speech (a heading, a stage direction, page chrome).

Offsets point into the pasted text, which cannot change between two previews (the page refuses
to save a preview made from another text), so a hint means the same thing every time.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter
from dataclasses import dataclass

from .dialects import _NOT_LABELS, Label
from .names import ANONYMOUS_LABELS
from .records import Turn
from .text import PAD, Line, join_text

EDITOR_BREAK = "new statement set by the editor"


@dataclass(frozen=True)
class Hints:
    labels: tuple[str, ...] = ()
    breaks: tuple[tuple[int, str], ...] = ()  # (offset, speaker's name)
    joins: tuple[int, ...] = ()  # start offsets of statements joined to the previous one
    drops: tuple[tuple[int, int], ...] = ()  # (start, end) of text that is no statement

    def __bool__(self) -> bool:
        return any(dataclasses.astuple(self))


# A line opening with words that could name a speaker, then a colon: 'PRESIDENT KESSEL:',
# 'Prime Minister Ekdahl:', 'Moderator:'; every word capitalised but the small ones.
_CANDIDATE = re.compile(
    r"^[ \t]*(?P<label>[^\W\d_][\w'’.\-]*(?:,?[ \t]+[\w'’.\-]+){0,7})"
    r"(?:[ \t]*[:：]{1,2}|[ \t]+[-–—])(?=[ \t]|$)"
)
_SMALL_WORDS = {"of", "the", "for", "and", "de", "du", "des", "la", "le", "von", "van", "der"}


def _looks_like_label(words: str) -> bool:
    parts = words.split()
    if not parts or words.lower() in _NOT_LABELS or parts[0].lower() in _NOT_LABELS:
        return False
    return all(p[:1].isupper() or p.lower().rstrip(",") in _SMALL_WORDS for p in parts)


def _opening_label(visible: str) -> re.Match | None:
    """The words opening a line of visible text as a speaker's label would, with its colon."""
    match = _CANDIDATE.match(visible)
    return match if match and _looks_like_label(match.group("label")) else None


def label_candidates(view: str, lines: list[Line]) -> Counter:
    """Printed words that open a line before a colon and could be a speaker's label, with how
    many lines open with them."""
    found: Counter = Counter()
    for line in lines:
        if not line.blank and (
            match := _opening_label(view[line.start : line.end].replace(PAD, ""))
        ):
            found[match.group("label")] += 1
    return found


def forced_labels(
    view: str, lines: list[Line], labels: list[Label], names: set[str], body_from: int = 0
) -> list[Label]:
    """`labels` with a label on every line that opens with one of `names` and a colon (or that
    holds nothing else), in place of what the parser read on that line."""
    if not names:
        return labels
    pattern = re.compile(
        r"^(?P<label>"
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r")(?:[ \t]*[:：]{1,2}[ \t]*|[ \t]+[-–—][ \t]+|[ \t]*$)"
    )
    forced = {}
    for index, line in enumerate(lines):
        if line.blank or index < body_from:
            continue
        visible, where = _visible(view, line.start, line.end)
        match = pattern.match(visible)
        if not match:
            continue
        rest = where[match.end()]  # (markup inside the label is skipped: '<b>NAME:</b> …')
        name = match.group("label")
        forced[index] = Label(
            index,
            name,
            line.start,
            rest if rest < line.end else None,
            anonymous=bool(ANONYMOUS_LABELS.match(name.lower())),
        )
    if not forced:
        return labels
    kept = [lab for lab in labels if lab.line_index not in forced]
    return sorted([*kept, *forced.values()], key=lambda lab: lab.line_index)


def _visible(view: str, start: int, end: int) -> tuple[str, list[int]]:
    """The visible characters of view[start:end] and, for each, its offset in the view (one
    more at the end: where the stretch ends)."""
    where = [i for i in range(start, end) if view[i] != PAD]
    return "".join(view[i] for i in where), [*where, end]


def printed_label(view: str, line: Line) -> tuple[str, int] | None:
    """The words that open a line as a label would ('H.E. Tomas Ekdahl, Prime Minister of
    Norland:'), and the offset where the words after them begin."""
    visible, where = _visible(view, line.start, line.end)
    match = _opening_label(visible)
    if not match:
        return None
    after = len(visible) - len(visible[match.end() :].lstrip())
    return match.group("label"), where[after]


def learned_in_text(candidates: Counter, learned: set[str], labels: list[Label]) -> set:
    """The archive's learned labels this text bears out: printed at least twice, or beside
    labels the parser found itself; a name once before a colon may be a headline."""
    return {
        name
        for name in learned
        if candidates.get(name, 0) >= 2 or (candidates.get(name) and len(labels) >= 2)
    }


class _Lines:
    """The text's lines with words, found by offset in log time (a repair asks for many)."""

    def __init__(self, lines: list[Line]):
        self.all = lines
        self.filled = [line for line in lines if not line.blank]
        self.ends = [line.end for line in self.filled]

    def at(self, offset: int) -> Line | None:
        """The line holding `offset`, or the next one when it falls between two lines."""
        n = bisect.bisect_right(self.ends, offset)
        return self.filled[n] if n < len(self.filled) else None

    def start_of(self, offset: int) -> int:
        line = self.at(offset)
        return line.start if line is not None else offset


def apply_hints(
    turns: list[Turn], hints: Hints, view: str, lines: list[Line], wrapped: bool, kind: str
) -> list[Turn]:
    """The turns after the editor's drops, breaks and joins, in that order."""
    turns = list(turns)
    index = _Lines(lines)
    lined = kind == "transcript"  # an article's quotes are parts of lines, never whole lines
    for start, end in hints.drops:
        turns = _drop(turns, start, end, view, lines, wrapped, lined)
    for offset, speaker in sorted(hints.breaks) if lined else ():
        # (an article's statements are its quotes, found by their marks: no line starts one)
        turns = _break(turns, offset, speaker, view, index, wrapped)
    joined = set(hints.joins)
    result: list[Turn] = []
    for turn in turns:
        if result and turn.start in joined:
            before = result[-1]
            result[-1] = dataclasses.replace(
                before,
                text=f"{before.text}\n\n{turn.text}",
                end=turn.end,
                warnings=[*before.warnings, "joined by the editor"],
            )
        else:
            result.append(turn)
    return result


def _span_lines(view: str, lines: list[Line], start: int, end: int) -> list[Line]:
    """The lines of view[start:end], the first and last cut to it; no blank line at either end."""
    chosen = []
    for line in lines:
        if line.start >= end:
            break
        if line.blank:
            if chosen:
                chosen.append(line)
            continue
        if line.end <= start:
            continue
        left, right = max(start, line.start), min(end, line.end)
        text = re.sub(r"[ \t\u3000]+", " ", view[left:right].replace(PAD, "")).strip()
        if text:
            chosen.append(Line(left, right, text))
    while chosen and chosen[-1].blank:
        chosen.pop()
    return chosen


def _retext(turn: Turn, kept: list[Line], view: str, wrapped: bool) -> Turn | None:
    if not kept:
        return None
    return dataclasses.replace(
        turn, text=join_text(view, kept, wrapped), start=kept[0].start, end=kept[-1].end
    )


def _drop(turns, start, end, view, lines, wrapped, lined) -> list[Turn]:
    result = []
    for turn in turns:
        if turn.end <= start or turn.start >= end:
            result.append(turn)
        elif lined and not (turn.start >= start and turn.end <= end):
            within = _span_lines(view, lines, turn.start, turn.end)
            kept = [ln for ln in within if ln.blank or ln.end <= start or ln.start >= end]
            while kept and kept[0].blank:
                kept.pop(0)
            while kept and kept[-1].blank:
                kept.pop()
            retexted = _retext(turn, kept, view, wrapped)
            if retexted is not None:
                note = "lines left out by the editor"
                result.append(dataclasses.replace(retexted, warnings=[*turn.warnings, note]))
        # else: the whole statement is no speech, or a quote overlapping what was struck out
    return result


def _break(turns, offset, speaker, view, index: _Lines, wrapped) -> list[Turn]:
    """A new statement from the line holding `offset`; a label printed at the start of that
    line ('H.E. Tomas Ekdahl, Prime Minister of Norland:') is its label, not its words."""
    lines = index.all
    line = index.at(offset)
    if line is None:
        return turns
    offset = line.start
    printed = printed_label(view, line)
    label, words_from = printed if printed else (None, offset)
    for n, turn in enumerate(turns):
        if turn.start <= offset < turn.end:
            head = _retext(turn, _span_lines(view, lines, turn.start, offset), view, wrapped)
            tail = _retext(turn, _span_lines(view, lines, words_from, turn.end), view, wrapped)
            if head is None:  # the statement starts on that line already: a new speaker
                return [*turns[:n], _by(turn, speaker, turn.kind), *turns[n + 1 :]]
            if tail is None:
                return turns
            kind = "answer" if turn.kind == "question" else turn.kind
            return [*turns[:n], head, _by(tail, speaker, kind, label), *turns[n + 1 :]]
    for n, turn in enumerate(turns):
        if index.start_of(turn.start) == offset:
            # the line of a statement's label: that statement, by another speaker
            return [*turns[:n], _by(turn, speaker, turn.kind), *turns[n + 1 :]]
    # in no statement: a new one from that line to the next statement (or the end of the text)
    after = [t for t in turns if t.start > offset]
    following = min(after, key=lambda t: t.start) if after else None
    stop = len(view)
    if following is not None:  # up to the line the next statement (or its label) starts on
        stop = index.start_of(following.start)
    kept = _span_lines(view, lines, words_from, stop)
    next_label = following.label if following is not None else None
    while kept and next_label and kept[-1].text.rstrip(":：.-–— ") == next_label:
        kept.pop()  # a label printed alone above its words
        while kept and kept[-1].blank:
            kept.pop()
    if not kept:
        return turns
    text = join_text(view, kept, wrapped)
    before = [t for t in turns if t.start < offset]
    asked = bool(before) and before[-1].kind == "question"
    new = Turn(
        label,
        speaker or None,
        False,
        None,
        text,
        "answer" if asked else "remark",
        "verbatim",
        kept[0].start,
        kept[-1].end,
        [EDITOR_BREAK],
    )
    return sorted([*turns, new], key=lambda t: t.start)


def _by(turn: Turn, speaker: str, kind: str, label: str | None = None) -> Turn:
    """The turn by `speaker`; a label printed for someone else is no longer its label."""
    return dataclasses.replace(
        turn,
        label=label,
        speaker=speaker or None,
        anonymous=False,
        outlet=None,
        kind=kind,
        warnings=[*[w for w in turn.warnings if w != EDITOR_BREAK], EDITOR_BREAK],
    )
