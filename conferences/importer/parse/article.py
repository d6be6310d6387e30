"""News articles: direct quotes become reported_quote turns; reported speech, on request,
paraphrase turns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .attribution import (
    after_attribution,
    after_sentence_attribution,
    before_attribution,
    is_verb,
    leading_person,
    sentence_subjects,
)
from .names import post_holders
from .quotes import MASK, find_quotes, is_boundary, mask_quotes, sentence_end
from .records import Turn
from .referents import Names
from .text import PAD, Line, artifacts, is_chrome, is_time_line


@dataclass
class Paragraph:
    text: str  # visible characters, line breaks as spaces
    offsets: list[int]  # offset in the original of each character (-1: an inserted space)

    def span(self, a: int, b: int) -> tuple[int, int]:
        while a < b and self.offsets[a] < 0:
            a += 1
        while b > a and self.offsets[b - 1] < 0:
            b -= 1
        return self.offsets[a], self.offsets[b - 1] + 1

    def words(self, a: int, b: int) -> str:
        return re.sub(r"\s+", " ", self.text[a:b]).strip()


def make_paragraph(view: str, lines: list[Line], skip: int = 0) -> Paragraph:
    chars: list[str] = []
    offsets: list[int] = []
    for n, line in enumerate(lines):
        if n:
            chars.append(" ")
            offsets.append(-1)
        start = line.start + (skip if n == 0 else 0)
        for pos in range(start, line.end):
            char = view[pos]
            if char == PAD:
                continue
            chars.append(" " if char.isspace() else char)
            offsets.append(pos)
    return Paragraph("".join(chars), offsets)


@dataclass
class ArticleResult:
    turns: list[Turn] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    speakers: dict[str, list[str]] = field(default_factory=dict)


def is_heading(text: str) -> bool:
    return len(text.split()) <= 16 and text[-1] not in ".?!…\"“”’»),;:'"


def paragraphs(view: str, lines: list[Line], indexes: list[int], wrapped: bool) -> list[list[Line]]:
    groups: list[list[Line]] = []
    current: list[Line] = []
    for i in indexes:
        line = lines[i]
        if line.blank or not wrapped:
            if current:
                groups.append(current)
            current = []
        if not line.blank:
            current.append(line)
    if current:
        groups.append(current)
    return groups


# Words after which a quoted phrase is a name or a label, not speech ('according to "RT"').
_SCARE = re.compile(
    r"(?:so-called|so called|dubbed|titled|entitled|named|known as|according to|"
    r"sogenannte[nrs]?|dit|dite|llamad[oa]s?|denominad[oa]s?|так называем\w+)\s*$",
    re.I,
)


def parse_article(
    view: str,
    groups: list[list[Line]],
    haystack: str,
    default_speaker: str | None,
    want_paraphrases: bool,
    dateline_skip: int = 0,
    dateline_at: int = 0,
) -> ArticleResult:
    result = ArticleResult()
    names = Names(haystack)
    holders = set(post_holders(haystack))
    # a live blog's quotes with no attribution: the one person the text names with a post
    sole = next(iter(holders)) if len(holders) == 1 else None
    unattributed = 0
    said_by: dict[str, str] = {}  # a quote's words -> who they are attributed to in the text
    guessed: list[tuple[str, Turn]] = []
    captions = _captions(groups)
    for number, group in enumerate(groups):
        text = " ".join(line.text for line in group)
        if is_chrome(text) or is_time_line(text) or is_heading(text) or _quote_heading(text):
            continue
        para = make_paragraph(view, group, dateline_skip if number == dateline_at else 0)
        s = para.text
        spans = find_quotes(s)
        m = mask_quotes(s, spans)
        quote_turns: list[tuple[Turn, bool]] = []
        spans.sort(key=_mark)
        pos = first = 0
        while pos < len(m):
            while pos < len(m) and m[pos].isspace():
                pos += 1
            if pos >= len(m):
                break
            start, end = pos, max(sentence_end(m, pos), pos + 1)
            while first < len(spans) and _mark(spans[first]) < start:
                first += 1
            inside = []
            for sp in spans[first:]:
                if _mark(sp) >= end:
                    break
                inside.append(sp)
            if inside:  # 'El ministro de Exteriores, Tomás Ibarrondo, ha restado … “…”'
                lead = leading_person(m, start, end)
                if lead and len(lead) > 1:
                    names.resolve(lead)
            found_here = len(quote_turns)
            for span in inside:
                if number == 0 and _is_kicker(s, span):
                    continue
                turn, attributed = _quote_turn(para, m, span, start, end, names)
                if turn is not None:
                    quote_turns.append((turn, attributed))
            if inside and not any(ok for _, ok in quote_turns[found_here:]):
                # '“…”. Lo ha dichiarato il ministro Luigi Di Maio …': named in the next sentence
                later = after_sentence_attribution(m, end)
                resolved = names.resolve(later) if later else None
                if resolved and resolved.speaker:
                    for n in range(found_here, len(quote_turns)):
                        turn = quote_turns[n][0]
                        turn.label, turn.speaker = resolved.printed, resolved.speaker
                        quote_turns[n] = (turn, True)
            if not inside:  # 'Altara's minister Amira Haddan was more cautious.': 'she' next
                lead = leading_person(m, start, end)
                if lead:
                    names.resolve(lead)
                asked = _ASKED.search(m, start, end)
                if asked:  # 'Te Kāea asked Minister Bishop about …': 'she said' is Bishop
                    names.resolve(asked.group("who").split())
            for subject in sentence_subjects(m, start, end):
                resolved = names.resolve(subject)
                if want_paraphrases and resolved and resolved.speaker and not inside:
                    a, b = para.span(start, end)
                    result.turns.append(
                        Turn(
                            resolved.printed,
                            resolved.speaker,
                            False,
                            None,
                            para.words(start, end),
                            "remark",
                            "paraphrase",
                            a,
                            b,
                            [],
                        )
                    )
                    break
            pos = end
        _fill_unattributed(quote_turns, names, default_speaker, s, sole)
        if number in captions:
            continue  # a photo's caption: read for who 'er' is, no statements of its own
        for turn, attributed in quote_turns:
            key = _same_words(turn.text)
            if attributed and turn.speaker:
                said_by.setdefault(key, turn.speaker)
            else:
                guessed.append((key, turn))
        for turn, _ in quote_turns:
            if turn.speaker is None:
                unattributed += 1
                turn.warnings.append("unattributed quote")
            result.turns.append(turn)
    for key, turn in guessed:  # words quoted twice, named once: the same speaker both times
        if key in said_by and turn.speaker != said_by[key]:
            turn.speaker = said_by[key]
            if "unattributed quote" in turn.warnings:
                turn.warnings.remove("unattributed quote")
                unattributed -= 1
    result.turns.sort(key=lambda t: t.start)
    if unattributed:
        result.warnings.append(f"{unattributed} quote(s) without a speaker")
    result.speakers = {
        k: v for k, v in names.variants.items() if any(t.speaker == k for t in result.turns)
    }
    return result


_CREDIT = re.compile(
    r"^\((?:quelle|foto|fotos|photo|photos|bild|image|credit|crédit|fuente|fonte|источник|"
    r"фото)\s*:[^()]*\)$",
    re.IGNORECASE,
)  # '(Quelle: Kay Nietfeld/dpa)': a photo's credit in brackets, under its caption


# 'X asked Minister Bishop about …': the one asked answers next
_ASKED = re.compile(
    r"\b(?:asked|questioned|fragte|befragte|a demandé à|a interrogé|preguntó a|le preguntó a|"
    r"спросил[аи]?|запитав|запитала)[ \t]+(?P<who>(?:[A-ZА-ЯЁІЇЄҐ][\w'’.\-]+[ \t]+){0,3}"
    r"[A-ZА-ЯЁІЇЄҐ][\w'’\-]+)"
    # asked about something, not asked to do it ('asked Piet Vos to lead the talks')
    r"(?=[ \t]+(?:about|whether|if|on|over|regarding|über|ob|nach|sur|si|sobre|о|об|про)\b)"
)


def _captions(groups: list[list[Line]]) -> set[int]:
    """Paragraphs that are a photo's caption: the one above a credit line ('(Quelle: Kay
    Nietfeld/dpa)', '— Bernama pic'), and the same words printed again elsewhere."""
    texts = [" ".join(line.text for line in group) for group in groups]
    found = {
        n
        for n in range(len(texts) - 1)
        if _CREDIT.search(texts[n + 1].strip())
        and len(texts[n + 1].split()) <= 12
        and len(texts[n].split()) <= 40  # a caption is short; 'Quelle: BILD' under a whole text
    }
    found |= {n for n, text in enumerate(texts) if re.search(r"[—–-] \w+ pic\.?$", text)}
    repeated = {texts[n] for n in found}
    return found | {n for n, text in enumerate(texts) if text in repeated}


def _quote_heading(text: str) -> bool:
    """'«L'Italia presenterà una strategia»' or 'Groenlandia: «Non credo a un intervento»' on
    its own line: a live blog's subheading made of a quote, not a statement (the words recur in
    the entry below it, or stand for it)."""
    if len(text.split()) > 16:
        return False
    spans = find_quotes(text)
    if len(spans) != 1 or spans[0].open_mark is None or spans[0].close_mark is None:
        return False
    span = spans[0]
    before, after = text[: span.open_mark].strip(), text[span.close_mark + 1 :].strip()
    if after or (before and not re.fullmatch(r"[^\W\d_][\w'’\-]*(?: [\w'’\-]+)?:", before)):
        return False  # only a topic may stand before it ('Groenlandia:'), not 'Kessel said:'
    if before and any(is_verb(word) for word in before.rstrip(":").split()):
        return False
    return text[span.end - 1] not in ".!?…"


def _same_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _is_kicker(s: str, span) -> bool:
    """'»We are ready for every scenario«: the minister is worried …' opening the article: a
    teaser set above the text, as a headline is, not a statement."""
    opens = span.open_mark if span.open_mark is not None else span.start
    if span.close_mark is None or s[:opens].strip():
        return False
    return s[span.close_mark + 1 :].lstrip().startswith(":")


def _mark(span) -> int:
    return span.open_mark if span.open_mark is not None else span.start


def _quote_turn(para: Paragraph, m: str, span, start: int, end: int, names: Names):
    s = para.text
    words = s[span.start : span.end]
    opening = span.open_mark if span.open_mark is not None else span.start
    if len(words.split()) <= 6 and _SCARE.search(s[max(0, opening - 20) : opening]):
        return None, False  # a name or a label in quotes, whoever is named nearby
    close = span.close_mark
    if (
        close is not None
        and len(words.split()) <= 12
        and re.match(r"['’]?[^\W\d_]", s[close + 1 :])
    ):
        return None, False  # '“Türk Devletleri … Toplantısı”nın': a name with a case ending
    ahead = re.findall(r"[^\W\d_]+", s[max(0, opening - 30) : opening].rstrip())
    if (
        close is not None
        and re.fullmatch(r"[^\W\d_][\w'’\-]*", words.strip())
        and words.strip()[:1].isupper()
        and ahead
        and s[max(0, opening - 30) : opening].rstrip().endswith(ahead[-1])
        and len(ahead[-1]) >= 3
        and not is_verb(ahead[-1])
        and re.match(r"\s*(?:[.;)]|$)", s[close + 1 :])
    ):
        return None, False  # 'напомнила о фильме "Борат".': a title named in quotes
    subject = None
    seen_verb = False
    if span.close_mark is not None:
        subject = after_attribution(m, span.close_mark + 1, end, s[span.close_mark])
    if subject is None and span.open_mark is not None:
        subject, seen_verb = before_attribution(m, start, span.open_mark)
    elif subject is not None:
        seen_verb = True
    if subject is None and span.open_mark is None:
        subject, seen_verb = before_attribution(m, start, span.start)
    if subject is None:
        seen_verb = seen_verb or bool(re.search(r"\b(?:said|says|told|added)\b", m[start:end]))
        before = s[max(0, (span.open_mark or span.start) - 20) : (span.open_mark or span.start)]
        count = len(words.split())
        if _SCARE.search(before):
            return None, False
        embedded = bool(re.search(r"\w", m[start:end].replace(MASK, "")))
        if (
            embedded
            and not seen_verb
            and (
                count <= 2
                or (
                    count <= 5
                    and all(w[:1].isupper() for w in re.findall(r"[^\W\d_][\w'’\-]*", words))
                )
            )
        ):
            return None, False
    resolved = names.resolve(subject) if subject else None
    a, b = para.span(span.start, span.end)
    text = para.words(span.start, span.end)
    turn = Turn(
        resolved.printed if resolved else None,
        resolved.speaker if resolved else None,
        False,
        None,
        text,
        "remark",
        "reported_quote",
        a,
        b,
        artifacts(text),
    )
    return turn, resolved is not None


def _fill_unattributed(
    quote_turns, names: Names, default_speaker: str | None, s: str, sole: str | None = None
) -> None:
    """A quote with no attribution in its sentence takes its neighbour's speaker in the
    paragraph, else the editor's default speaker, else the person last named, else `sole`,
    the one person the text names with a post (a live blog's unattributed quotes)."""
    # the nearest attributed quote before each quote, else the nearest after it
    before: list[str | None] = []
    last = None
    for turn, ok in quote_turns:
        before.append(last)
        if ok and turn.speaker:
            last = turn.speaker
    after: list[str | None] = [None] * len(quote_turns)
    last = None
    for n in range(len(quote_turns) - 1, -1, -1):
        after[n] = last
        turn, ok = quote_turns[n]
        if ok and turn.speaker:
            last = turn.speaker
    for n, (turn, attributed) in enumerate(quote_turns):
        if attributed and turn.speaker:
            continue
        neighbour = before[n] or after[n]
        if neighbour:
            turn.speaker = neighbour
        elif turn.label is None:
            turn.speaker = default_speaker or names.last_person or sole
        elif turn.speaker is None:
            turn.speaker = default_speaker  # ('the president' named no one: not `sole` either)


__all__ = ["MASK", "is_boundary", "is_heading", "paragraphs", "parse_article"]
