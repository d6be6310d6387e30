"""Text in, a parsed document out: turns of a transcript or quotes of a news article.

Pure Python, no Django. Offsets always point into the text passed to `parse()`; the words of a
turn are the words of that stretch of text (white space aside), never rewritten.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import re

from .article import is_heading, paragraphs, parse_article
from .dates import (
    clean_title,
    dateline,
    day_and_month,
    find_date,
    is_event_title,
    opens_with_event,
    parse_date,
    place_from_line,
)
from .dialects import Known
from .hints import Hints, apply_hints, forced_labels, label_candidates, learned_in_text
from .language import detect_language
from .layouts import unglue_labels
from .monologue import monologue_speaker, parse_monologue
from .names import is_outlet, is_title_word
from .records import ParsedDocument, Turn
from .text import (
    CJK_LETTERS,
    PAD,
    Line,
    build_view,
    is_chrome,
    is_time_line,
    is_wrapped,
    split_lines,
)
from .transcript import body_labels, parse_transcript

__all__ = ["Hints", "ParsedDocument", "Turn", "label_candidates", "parse", "to_dict"]

KINDS = ("auto", "transcript", "article")
_DOUBLE_MARKS = re.compile('["“”«»„]')
_REPORTING = re.compile(r"\b(?:said|says|told|according to)\b", re.IGNORECASE)


def parse(
    text: str,
    kind: str = "auto",
    paraphrases: bool = False,
    default_speaker: str | None = None,
    known: Known | None = None,
    hints: Hints | None = None,
    learned: Known | None = None,
) -> ParsedDocument:
    """`known`, when given, tells which names printed alone on a line are speakers already
    known (the importer asks the archive): such a name is a label even if printed once.
    `hints` are the editor's repairs (hints.py); `learned`, asked with the words that open lines
    before a colon, answers those the archive holds as labels an editor confirmed."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    view = build_view(text)
    lines = split_lines(view.text)
    body_from = next((i for i, line in enumerate(lines) if line.start >= view.front_end), 0)
    warnings: list[str] = []
    if view.front_matter:
        warnings.append("front matter left out")
    if view.html:
        warnings.append("HTML markup left out")
    glued = _glued_breadcrumbs(lines, body_from)
    for i in glued:
        lines[i] = Line(lines[i].start, lines[i].start, "")
    lines = unglue_labels(lines, view.text)
    wrapped = is_wrapped(lines[body_from:])
    labels = body_labels(lines, view.text, wrapped, body_from, known)
    forced = set(hints.labels) if hints else set()
    if learned is not None and kind != "article":
        candidates = label_candidates(view.text, lines[body_from:])
        asked = [name for name, _ in candidates.most_common(500)]
        found = learned_in_text(candidates, learned(asked), labels) if asked else set()
        # only in a text read as a transcript: an article's subheadings ('Kessel: a leader
        # under pressure') are no labels, whoever the archive knows
        if found and (
            kind == "transcript"
            or (labels and _guess_kind(labels, view.text, lines, body_from) == "transcript")
            or (not labels and len(found) >= 2 and not _reported(view.text))
        ):
            forced |= found
            warnings.append(
                "read as labels, as an editor confirmed before: " + ", ".join(sorted(found))
            )
    if forced:
        labels = forced_labels(view.text, lines, labels, forced, body_from)
    monologue = (
        monologue_speaker(lines, body_from, _front_titles(view.front_matter))
        if not labels and kind != "article"
        else None
    )
    titled = bool(monologue) and monologue[0] < body_from  # 'Remarks … by …' in front matter
    if monologue and kind == "auto" and (titled or not _reported(view.text)):
        kind = "transcript"
        warnings.append("kind detected: transcript (one speaker, no labels)")
    elif kind == "auto":
        kind = _guess_kind(labels, view.text, lines, body_from)
        warnings.append(f"kind detected: {kind}")
    haystack = " ".join(_front_titles(view.front_matter)) + "\n" + view.text.replace(PAD, "")
    if default_speaker:
        haystack += "\n" + default_speaker
    label_lines = {label.line_index for label in labels}
    chrome_lines = [
        i
        for i in range(body_from, len(lines))
        if not lines[i].blank and i not in label_lines and is_chrome(lines[i].text)
    ]
    if glued or chrome_lines:
        warnings.append(f"page chrome left out: {len(glued) + len(chrome_lines)} line(s)")
    if kind == "transcript" and monologue:
        after, speaker, fidelity = monologue
        result = parse_monologue(view.text, lines, wrapped, after, speaker, fidelity)
        first = result.turns[0].start if result.turns else len(view.text)
        # the header runs to the first paragraph ('Garden Room, Ministry …' under the title)
        header = [i for i in range(body_from, len(lines)) if lines[i].end <= first]
        turns, speakers = result.turns, result.speakers
        line_place = line_date = None
    elif kind == "transcript":
        result = parse_transcript(
            view.text, lines, wrapped, body_from, haystack, default_speaker, labels
        )
        header = result.header_lines
        turns, speakers = result.turns, result.speakers
        warnings += result.warnings
        line_place = None
        line_date = None
    else:
        header, body = _article_header(lines, body_from)
        groups = paragraphs(view.text, lines, body, wrapped)
        skip, at, line_place, line_date = 0, 0, None, None
        # the dateline opens the first paragraph, or the one after a photo's caption
        for at, group in enumerate(groups[:4]):
            found = dateline(group[0].text)
            if found and at and not re.search(r"[:–—\-]", group[0].text[: found[2]]):
                found = None  # under a caption only with its mark ('ISLAMABAD:'), never 'NATO …'
            if found:
                line_place, line_date, _ = found
                skip = _view_skip(view.text, group[0], found[2])
                break
        result = parse_article(
            view.text, groups, haystack, default_speaker, paraphrases, skip, at if skip else 0
        )
        turns, speakers = result.turns, result.speakers
        warnings += result.warnings
    language = detect_language(view.text.replace(PAD, ""))
    title, date, place = _header_facts(view, lines, header, kind, language not in ("en", ""))
    if kind == "article":
        date = date or line_date or _early_date(lines, body_from)
        place = place or line_place
    elif date is None:
        date = _footer_date(lines)
    if hints:
        turns = apply_hints(turns, hints, view.text, lines, wrapped, kind)
    if not turns:
        warnings.append("no statements found")
    return ParsedDocument(kind, title, date, place, turns, warnings, speakers, language)


def to_dict(doc: ParsedDocument) -> dict:
    data = dataclasses.asdict(doc)
    data["date"] = doc.date.isoformat() if doc.date else None
    return data


def _reported(view: str) -> bool:
    """Whether a text reads as an article: quote marks (double or single) or reporting verbs."""
    marks = len(_DOUBLE_MARKS.findall(view)) + len(re.findall(r"(?<!\w)[‘']|[’'](?!\w)", view))
    return marks >= 4 or len(_REPORTING.findall(view)) >= 2


def _guess_kind(labels, view: str, lines: list[Line], body_from: int) -> str:
    # (with quotes in the text, only a transcript's capitals label: 'THE VICE PRESIDENT:')
    if len(labels) == 1 and (len(_DOUBLE_MARKS.findall(view)) < 2 or labels[0].label.isupper()):
        # one label opening the text, then a long speech: 'BK Scholz: Schönen Dank …'
        filled = [i for i in range(body_from, len(lines)) if not lines[i].blank]
        if (
            labels[0].line_index in filled[:8]
            and len(filled) - filled.index(labels[0].line_index) >= 4
        ):
            return "transcript"
    distinct = {re.sub(r"\W+", " ", lab.label).lower() for lab in labels}
    if any(lab.ruled for lab in labels) or sum(1 for lab in labels if lab.dot_dash) >= 2:
        return "transcript"  # 'Moderadora.-', 'Ministro.-': no headline is printed that way
    if len(labels) >= 3 and len(distinct) >= 2:
        return "transcript"
    if len(distinct) >= 2 and any(is_outlet(lab.label, False) for lab in labels):
        return "transcript"  # 'Российская газета:' asks, 'Андрей Нестеренко:' answers
    if len(distinct) >= 2 and all(lab.label.isupper() for lab in labels):
        return "transcript"  # 'RICHARD MILLS:', then 'MR. BELKA:': capitals take turns
    if labels and len(_DOUBLE_MARKS.findall(view)) < 2:
        return "transcript"
    if len(labels) >= 2 and len(distinct) >= 2 and sum(1 for lab in labels if lab.anonymous):
        return "transcript"
    if any(lab.anonymous for lab in labels) and any(lab.answer_label for lab in labels):
        return "transcript"  # questions and answers ('Q:' and 'A:', or a dash before each)
    if len(labels) >= 3 and all(lab.anonymous for lab in labels):
        return "transcript"  # only the questions are labelled ('Q.'), the answers are not
    return "article"


def _glued_breadcrumbs(lines: list[Line], body_from: int) -> list[int]:
    """'HomeWorldLavrov: US uses NATO…' above 'Lavrov: US uses NATO…': navigation glued on."""
    found = []
    texts = [(i, line.text) for i, line in enumerate(lines) if not line.blank and i >= body_from]
    for n, (i, text) in enumerate(texts[:-1]):
        for _, other in texts[n + 1 : n + 4]:
            if len(other) >= 15 and text != other and text.endswith(other):
                found.append(i)
                break
    return found


def _view_skip(view: str, line: Line, visible: int) -> int:
    """Offset, relative to the line start, after `visible` non-PAD characters."""
    pos, seen = line.start, 0
    while pos < line.end and seen < visible:
        if view[pos] != PAD:
            seen += 1
        pos += 1
    return pos - line.start


def _article_header(lines: list[Line], body_from: int) -> tuple[list[int], list[int]]:
    """Lines above the first paragraph of prose are header; the rest is the body."""
    header: list[int] = []
    headline_seen = False
    for i in range(body_from, len(lines)):
        line = lines[i]
        if line.blank:
            continue
        text = line.text
        if not headline_seen:
            # the first line of the page is the headline, even with a quote at its end:
            # 'Minister says plan is "non-negotiable"'
            text = text.rstrip("\"“”’»'")
        headline_seen = headline_seen or not is_chrome(line.text)
        if text and (is_chrome(line.text) or is_time_line(text) or is_heading(text)):
            header.append(i)
            continue
        return header, list(range(i, len(lines)))
    return header, []


def _front_titles(front: dict) -> list[str]:
    return [front[key] for key in ("title", "post_title", "original_title") if front.get(key)]


def _header_facts(view, lines: list[Line], header: list[int], kind: str, day_first: bool = False):
    texts = [lines[i].text for i in header if not lines[i].blank]
    texts = [t for t in texts if not is_chrome(t) and not is_time_line(t)]
    title = None
    front_titles = _front_titles(view.front_matter)
    if front_titles:
        title = front_titles[0]
    for start, end in view.headings:
        if title is None:
            heading = re.sub(r"\s+", " ", view.text[start:end].replace(PAD, "")).strip()
            title = clean_title(heading) if heading else None
    date = None
    if kind == "transcript" and view.front_matter.get("date"):
        date = parse_date(view.front_matter["date"])
    place = None
    # A line that also states the date ("Port Aster, 9 March 2023") names the place best.
    for text in texts:
        if find_date(text, day_first):
            place = place_from_line(text)
            if place:
                break
    if title is None:  # 'Regular Press Briefing by …' below menus and banners
        title = next(
            (
                clean_title(t)
                for t in texts
                if (is_event_title(t) or opens_with_event(t)) and 3 <= _words(t) <= 60
            ),
            None,
        )
    for text in list(texts):
        found_line = dateline(text)
        if found_line and found_line[2] >= len(text) - 1:  # 'PORT ASTER, Tuesday 3rd May 2022'
            place = place or found_line[0]
            date = date or found_line[1]
            texts.remove(text)
    dated = [n for n, text in enumerate(texts) if find_date(text, day_first)]
    for n, text in enumerate(texts):
        found = find_date(text, day_first)
        if date is None and found:
            date = found[0]
        # with a dated line in the header, a place stands next to it, not among the menus
        if place is None and (not dated or min(abs(n - d) for d in dated) <= 2):
            place = place_from_line(text)
            if place and place == text.strip() and title is None and len(texts) == 1:
                place = None
        if (
            title is None
            and 3 <= _words(text) <= 40
            and not text.endswith(".")
            and not _field_line(text)
            and not re.search(r"\s[>»]\s", text)  # 'Home > Embassy’s News Letter'
            and (not _only_date(text))
            and (not place or place not in text)
        ):
            title = clean_title(text)
    near_title = [n for n, text in enumerate(texts) if title and clean_title(text) == title]
    for n in reversed(near_title):  # (a title printed twice: its second copy heads the text)
        # the date printed with the event's title, or on the lines under it, beats a blog's
        # or a page's date printed higher up ('Thursday, May 6, 2010' above the title)
        dated = [f for f in (find_date(t, day_first) for t in texts[n : n + 3]) if f]
        found = dated[0] if dated else None
        if found and found[0].day <= 12 and found[0].day != found[0].month:
            # '… - 12/03/2024' over '12 March 2024': the day and month the lines agree on
            with contextlib.suppress(ValueError):
                swapped = found[0].replace(day=found[0].month, month=found[0].day)
                if any(other[0] == swapped for other in dated[1:]):
                    found = (swapped, 0, 0)
        # (not a date inside a quote: '«… заявление от 9 ноября?» Арарат Мирзоян')
        partial = day_and_month(re.sub(r"[«“„\"][^«»“”„\"]*[»”\"“]", " ", title))
        if found and partial and not find_date(title):
            # '(Roma, 7 ottobre)' in the title, 'Data: 09/10/2015' under it: that year
            with contextlib.suppress(ValueError):  # '31 February'
                found = (datetime.date(found[0].year, partial[1], partial[0]), 0, 0)
        if found:
            date = found[0]
            break
    if title and (date is None or kind == "transcript"):
        # a date in the event's title beats a page's date ('Sunday, May 19, 2024' in the
        # menus above 'The 17th Regular Press Conference (15th October, 2020)')
        date = parse_date(title) or date
    if title and place is None:
        tail = re.search(
            r",\s*([A-Z][a-z\u00e0-\u024f'’\-]+(?: [A-Z][a-z\u00e0-\u024f'’\-]+)?)$", title
        )
        if tail and not is_title_word(tail.group(1).split()[0]) and not parse_date(tail.group(1)):
            place = tail.group(1)
    return title, date, place


# a press event and its day in one sentence: '… holds a press conference … on 3 May 2024'
_PRESS_EVENT_ON = re.compile(
    r"\b(?:press (?:briefing|conference)|news conference|media briefing|point de presse|"
    r"conférence de presse|pressekonferenz|rueda de prensa|conferenza stampa|"
    r"пресс-конференци\w*|брифинг\w*)\b[^.!?]{0,80}\b(?:on|le|am|el|il)?\s*$",
    re.IGNORECASE,
)


# an event announced, not held: 'will hold a press conference on 14 June'
_FUTURE = re.compile(
    r"\b(?:will|shall|to hold|plans? to|is due|are due|scheduled|wird|werden|va|vont|"
    r"tiendra|prévu|prevista|previsto|celebrará|terrà|проведет|состоится)\b",
    re.IGNORECASE,
)


def _early_date(lines: list[Line], body_from: int) -> datetime.date | None:
    """An article's date printed near its top, on a line of its own ('Friday, 1 April 2022,
    14:30', '11.01.2014 - Update : 11.01.2014') or opening a line (a store's 'date 2022-02-20'
    prefix): the day of the report, when no header or dateline gave one."""
    seen = 0
    for line in lines[body_from:]:
        if line.blank:
            continue
        seen += 1
        if seen > 10:
            break
        found = find_date(line.text)
        if not found:
            continue
        share = (found[2] - found[1]) / max(1, len(line.text.strip()))
        if found[1] <= 8 or (len(line.text.split()) <= 8 and share >= 0.4):
            return found[0]  # not 'The night of 31 January 1953 changed the coast forever.'
        if _PRESS_EVENT_ON.search(line.text[: found[1]]) and not _FUTURE.search(line.text):
            # '… addresses a weekly press briefing at the Ministry … on November 17, 2022.'
            return found[0]
    return None


def _words(text: str) -> int:
    """Words in a line; in Chinese or Japanese, which print no spaces, two characters each."""
    return max(len(text.split()), len(_CJK.findall(text)) // 2)


_CJK = re.compile(f"[{CJK_LETTERS}]")


def _field_line(text: str) -> bool:
    """'Transkriptstatus: Samstag, 25. Mai 2019, 15:00', 'Quelle: tvthek.orf.at': a page's
    field and its value (a date or an address), not a title ('Quintero: Norlandia will …')."""
    field = re.match(r"[^\W\d_][\w\-]{0,24}:\s+(.*)$", text)
    if not field:
        return False
    value = re.sub(r",?\s*\d{1,2}[:.]\d{2}\s*(?:uhr|h)?\s*$", "", field.group(1), flags=re.I)
    address = bool(re.search(r"\w\.[a-z]{2,3}\b", value)) and " " not in value.strip()
    return _only_date(value) or address


def _footer_date(lines: list[Line]) -> datetime.date | None:
    """A transcript's date printed only below it, on a short line ('Ends/Friday, August 29,
    2014', 'Issued on 3 May 2022'), when its header states none."""
    tail = [line.text for line in lines if not line.blank][-6:]
    for text in reversed(tail):
        found = find_date(text)
        if found and len(text.split()) <= 8:
            return found[0]
    return None


def _only_date(text: str) -> bool:
    found = find_date(text)
    return bool(found) and len(text) - (found[2] - found[1]) < 12
