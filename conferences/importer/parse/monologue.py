"""A briefing with no label at all: one person speaks, named in the header ('The following is a
near-verbatim transcript of today's noon briefing by Lorenzo Avila, Spokesman for …'). Each
paragraph is one statement by that person: a journalist cites one paragraph, not a half-hour
monologue."""

from __future__ import annotations

import re

from .names import post_holders
from .records import Turn
from .text import Line, artifacts, is_chrome, is_stage_direction, is_time_line, join_text
from .transcript import TranscriptResult

# A header that says one person's words follow: 'The following is a near-verbatim transcript of …
# by Name', 'Remarks by Foreign Minister Name', 'Briefing by Spokesperson Name'.
_PREAMBLE = re.compile(
    r"\bletterlijke tekst\b|\bwortlaut\b|\btexte intégral\b|\btranscription de\b|"
    r"\btranscript of\b|^(?:daily |regular |noon |press |opening |closing )*"
    r"(?:remarks|briefing|statement|speech|address|press conference|news conference)\b.*\bby\b",
    re.IGNORECASE,
)


def monologue_speaker(
    lines: list[Line], body_from: int, titles: list[str] | tuple[str, ...] = ()
) -> tuple[int, str, str] | None:
    """A text with no label at all may be one person's briefing, named in its header: 'The
    following is a near-verbatim transcript of today's noon briefing by Lorenzo Avila,
    Spokesman for …', 'Remarks by Foreign Minister Ilse Marwick'. (line of that sentence,
    speaker, fidelity), or None."""
    for title in titles:  # a front matter's 'Remarks as Prepared for Delivery by …'
        named = list(dict.fromkeys(post_holders(title))) if _PREAMBLE.search(title) else []
        if len(named) == 1:
            return body_from - 1, named[0], "verbatim"
    seen = 0
    for i in range(body_from, len(lines)):
        text = lines[i].text
        if lines[i].blank:
            continue
        seen += 1
        if seen > 8:
            break
        if not _PREAMBLE.search(text):
            continue
        named = list(dict.fromkeys(post_holders(text)))
        if len(named) == 1:
            near = re.search(r"near-verbatim|unofficial", text, re.IGNORECASE)
            return i, named[0], "near_verbatim" if near else "verbatim"
    return None


def parse_monologue(
    view: str, lines: list[Line], wrapped: bool, after: int, speaker: str, fidelity: str
) -> TranscriptResult:
    """One statement per paragraph below the header line `after`, all by `speaker`; headings,
    page chrome and stage directions are left out."""
    result = TranscriptResult([], list(range(after + 1)))
    paragraph: list[Line] = []
    for i in [*range(after + 1, len(lines)), None]:
        line = lines[i] if i is not None else None
        ends = line is None or line.blank or not wrapped
        if line is not None and not line.blank:
            text = line.text
            alone = not wrapped or (
                (i == 0 or lines[i - 1].blank) and (i + 1 == len(lines) or lines[i + 1].blank)
            )  # a short line inside a wrapped paragraph is no heading
            heading = alone and len(text.split()) <= 12 and text[-1] not in '.?!…"”’»:;,)'
            if is_chrome(text) or is_time_line(text) or is_stage_direction(text) or heading:
                line = None  # not speech: ends the paragraph before it
            else:
                paragraph.append(line)
        if (ends or line is None) and paragraph:
            words = join_text(view, paragraph, wrapped)
            turn = Turn(
                None,
                speaker,
                False,
                None,
                words,
                "remark",
                fidelity,
                paragraph[0].start,
                paragraph[-1].end,
                ["unlabelled monologue", *artifacts(words)],
            )
            result.turns.append(turn)
            paragraph = []
    result.speakers = {speaker: [speaker]} if result.turns else {}
    return result
