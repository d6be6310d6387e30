"""The import's review screen: the pasted text beside the statements, and the editor's repairs.

The text pane shows the text exactly as pasted, cut into its lines; each stretch that went into a
statement is shaded by speaker and links to it, each label is emphasised, and every stretch with
words that went into no statement is marked `left-out`, so that a missed turn shows at a glance.

Repairs are hints (importer/parse/hints.py) that travel with the form as `hint` fields, one per
repair, written `label:<words>`, `break:<offset>:<speaker>`, `join:<offset>`, `drop:<start>:<end>`.
A repair asked for by a button (`add_hint`) or from the chosen line (`at`, `line_action`) joins
them; unticking one in the list of repairs drops it at the next preview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..importer.parse import Hints, label_candidates
from ..importer.parse.text import PAD, split_lines

MAX_HINTS = 500
_OFFSET = r"(0|[1-9][0-9]{0,8})"
_FORMS = {
    "label": re.compile(r"label:(?P<words>[^\n\x00]{1,200})"),
    "break": re.compile(rf"break:{_OFFSET}:(?P<speaker>[^\n\x00]{{0,200}})"),
    "join": re.compile(rf"join:{_OFFSET}"),
    "drop": re.compile(rf"drop:{_OFFSET}:{_OFFSET}"),
}
ARTICLE_BREAKS = (
    "In a news article the statements are its quotes, found by their quotation marks: a new "
    "statement cannot start at a line there. Untick that repair, or import the text as a "
    "transcript (Kind above)."
)
# the speaker of a break taken from the text pane's tools: a name typed, or one picked
NEW_NAME, PICKED = "line_new_name", "line_speaker"


@dataclass
class Repairs:
    hints: Hints = field(default_factory=Hints)
    listed: list[dict] = field(default_factory=list)  # value and description of each hint
    errors: list[str] = field(default_factory=list)

    def key(self) -> str:
        return "\x1e".join(item["value"] for item in self.listed)


def read_repairs(post, text: str, view: str) -> Repairs:
    """The repairs posted with the form, the new one asked for included, checked against the
    text (an offset past its end is refused with a message, not guessed). `view` is the text's
    view (parse.text.build_view), which the page builds once."""
    values = list(post.getlist("hint"))[:MAX_HINTS]
    if post.get("add_hint"):
        values.append(post["add_hint"])
    refused = ""
    if post.get("action") == "repair":  # the text pane's tools, for the line chosen there
        asked, refused = _line_repair(post, text, view)
        values += [asked] if asked else []
    hints, listed, errors = _collect(values, text, view)
    if refused:
        errors.append(refused)
    return Repairs(hints, listed, errors)


def _line_repair(post, text: str, view: str) -> tuple[str | None, str]:
    """The repair asked for at the chosen line, or None and why not."""
    at = post.get("at", "")
    if not re.fullmatch(_OFFSET, at) or int(at) >= len(text):
        return None, "Choose a line of the text (the round button before it) for that repair."
    line = next(((a, b) for a, b in pane_lines(text, view) if a <= int(at) < max(b, a + 1)), None)
    if line is None:
        return None, "Choose a line of the text (the round button before it) for that repair."
    action = post.get("line_action", "break")
    if action == "drop":
        return f"drop:{line[0]}:{line[1]}", ""
    if action == "label":
        words = re.sub(r"\s+", " ", view[line[0] : line[1]].replace(PAD, "")).strip()
        words = re.match(r"([^:：]{1,200}?)\s*(?:[:：]|\s[-–—](?:\s|$)|$)", words)
        if not words:
            return None, "That line holds no words that could be a speaker's label."
        return f"label:{words.group(1)}", ""
    speaker = (post.get(NEW_NAME) or post.get(PICKED) or "").strip()
    if not speaker:
        return None, "Say who speaks from that line: pick a speaker or type a new name."
    return f"break:{line[0]}:{speaker}", ""


def _collect(values: list[str], text: str, view: str) -> tuple[Hints, list[dict], list[str]]:
    labels, breaks, joins, drops = [], [], [], []
    listed, errors, seen = [], [], set()
    for value in values:
        value = value.strip("\r\n")
        if value in seen:
            continue
        seen.add(value)
        kind = value.split(":", 1)[0]
        form = _FORMS.get(kind)
        match = form.fullmatch(value) if form else None
        offsets = [int(g) for g in (match.groups() if match else ()) if g and g.isdigit()]
        backwards = kind == "drop" and len(offsets) == 2 and offsets[1] <= offsets[0]
        if not match or any(o > len(text) for o in offsets) or backwards:
            errors.append("A repair could not be read and was left out.")
            continue
        if kind == "label":
            labels.append(match["words"].strip())
            what = f"Treat “{match['words'].strip()}” as a speaker label"
        elif kind == "break":
            breaks.append((offsets[0], match["speaker"].strip()))
            who = match["speaker"].strip() or "the speaker the importer finds"
            what = f"New statement at “{_excerpt(view, offsets[0])}”, by {who}"
        elif kind == "join":
            joins.append(offsets[0])
            what = f"Join “{_excerpt(view, offsets[0])}” with the statement before it"
        else:
            drops.append((offsets[0], offsets[1]))
            what = f"Not a statement: “{_excerpt(view, offsets[0])}”"
        listed.append({"value": value, "description": what})
    hints = Hints(tuple(labels), tuple(breaks), tuple(joins), tuple(drops))
    return hints, listed, errors


def _excerpt(view: str, offset: int, width: int = 60) -> str:
    """The words of the line from `offset` (markup left out), cut to `width`."""
    end = view.find("\n", offset + 1)
    line = re.sub(r"\s+", " ", view[offset : end if end >= 0 else len(view)].replace(PAD, ""))
    line = line.strip()
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


# --- the text pane ------------------------------------------------------------------------------


_LABEL_END = re.compile(r"[ \t]*(?:[:：]{1,2}|\.?[ \t]?[-–—](?=[ \t]|$))")


@dataclass
class Segment:
    text: str
    row: int | None = None  # the statement this stretch is in
    colour: int = 0
    label: bool = False
    left_out: bool = False
    first: bool = False  # the first stretch of its statement: the anchor the statement links to


@dataclass
class SourceLine:
    start: int
    end: int
    segments: list[Segment]
    blank: bool
    number: int


def source_pane(text: str, view: str, rows, colours: dict) -> tuple[list[SourceLine], float]:
    """The text's lines cut into segments, and the share of its words in no statement.

    `rows` are the preview's rows (each with `index` and `turn`); `colours` gives each row's
    speaker's shade by row index."""
    marks: list[tuple[int, int, int | None, bool]] = []  # start, end, row index, is a label
    previous_end = 0
    for row in sorted(rows, key=lambda r: r.turn.start):
        turn = row.turn
        if turn.label:
            at = text.rfind(turn.label, previous_end, turn.start)
            if at >= 0:
                # the label with its colon or dash: 'MODERATOR:', 'PM EKDAHL -'
                mark = _LABEL_END.match(text, at + len(turn.label))
                marks.append((at, mark.end() if mark else at + len(turn.label), None, True))
        marks.append((turn.start, turn.end, row.index, False))
        previous_end = max(previous_end, turn.end)
    owner = [-1] * len(text)  # which mark each character is in
    for n, (start, end, _, _) in enumerate(marks):
        owner[start:end] = [n] * (end - start)
    visible = left_out = 0
    for i, ch in enumerate(view):
        if ch != PAD and not ch.isspace():
            visible += 1
            left_out += owner[i] < 0
    lines: list[SourceLine] = []
    firsts: set[int] = set()
    for number, (start, end) in enumerate(pane_lines(text, view), start=1):
        segments: list[Segment] = []
        a = start
        while a < end:
            b = a + 1
            while b < end and owner[b] == owner[a]:
                b += 1
            piece, n = text[a:b], owner[a]
            if n < 0:
                words = view[a:b].replace(PAD, "").strip()
                segments.append(Segment(piece, left_out=bool(words)))
            elif marks[n][3]:
                segments.append(Segment(piece, label=True))
            else:
                row = marks[n][2]
                segments.append(
                    Segment(piece, row=row, colour=colours[row], first=row not in firsts)
                )
                firsts.add(row)
            a = b
        blank = not view[start:end].replace(PAD, "").strip()
        lines.append(SourceLine(start, end, segments, blank, number))
    share = left_out / visible if visible else 0.0
    return lines, share


def pane_lines(text: str, view: str) -> list[tuple[int, int]]:
    """The pane's lines, as (start, end) in the text: the lines the parser reads, so that a
    repair at a line means the same line to both. In pasted HTML a block tag starts a line
    ('<p>' … on one line of a minified page are many lines), the tag shown at its head."""
    found, start = [], 0
    for at, ch in enumerate(view):
        if ch != "\n":
            continue
        if text[at] == "\n":
            found.append((start, at))
            start = at + 1
        else:  # a block tag, masked as a line break: it opens the next line
            found.append((start, at))
            start = at
    found.append((start, len(text)))
    return found


def left_out_sentence(share: float) -> str:
    if share <= 0:
        return "All of the text is in a statement."
    percent = round(share * 100)
    if percent < 1:
        return "Less than 1% of the text is in no statement."
    return f"{percent}% of the text is in no statement."


def label_offers(view: str, rows) -> list[str]:
    """Words that open a line before a colon, look like a speaker's label, and were not read
    as one: each is offered as a label for the whole text."""
    used = {row.turn.label for row in rows if row.turn.label}
    found = label_candidates(view, split_lines(view))
    return [words for words, _ in found.most_common(12) if words not in used]
