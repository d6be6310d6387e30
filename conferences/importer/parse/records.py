"""The plain records the parser hands out (re-exported by parse.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class Turn:
    label: str | None  # the label as printed (no colon), or a quote's attribution words
    speaker: str | None  # best name for the speaker within the document
    anonymous: bool  # an anonymous questioner (Q, QUESTION, an outlet)
    outlet: str | None  # the media outlet when the label names one
    text: str  # the words, verbatim but for white space
    kind: str  # "remark" | "question" | "answer"
    fidelity: str  # "verbatim" | "reported_quote" | "paraphrase"
    start: int  # offsets into the original text
    end: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedDocument:
    kind: str  # "transcript" | "article"
    title: str | None
    date: datetime.date | None
    place: str | None
    turns: list[Turn] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    speakers: dict[str, list[str]] = field(default_factory=dict)
    language: str = ""  # ISO 639-1 ("en", "de"…), "" when the text is too short to tell
