"""Speaker-labelled transcripts: labels become turns, the text between them their words."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .dates import find_date, is_event_title, opens_with_event
from .dialects import (
    ASKED_BY,
    Known,
    Label,
    LabelInfo,
    describe,
    find_labels,
    without_note,
)
from .layouts import dash_interview_labels, name_dash_labels, standalone_labels
from .names import (
    CONNECTORS,
    ROLE_LABELS,
    all_titles,
    fuller_name,
    is_outlet,
    is_post_only,
    is_title_word,
    name_for_initials,
    post_holders,
)
from .records import Turn
from .text import PAD, Line, artifacts, is_chrome, is_stage_direction, is_time_line, join_text


@dataclass
class TranscriptResult:
    turns: list[Turn]
    header_lines: list[int]  # indexes of the lines before the first turn
    warnings: list[str] = field(default_factory=list)
    speakers: dict[str, list[str]] = field(default_factory=dict)


def block_start_labels(labels: list[Label], lines: list[Line]) -> list[Label]:
    """In hard-wrapped text a label opens a paragraph: drop those in mid-paragraph."""
    kept = []
    counts = Counter(label.label for label in labels)
    for label in labels:
        i = label.line_index
        if i == 0 or lines[i - 1].blank or any(k.line_index == i - 1 for k in kept):
            kept.append(label)
        elif len(lines[i - 1].text) < 40 and not lines[i - 1].text.endswith((",", "-")):
            kept.append(label)  # under a short header line ('Freitag, 14. Juli 2023')
        elif (
            label.dot_dash or label.anonymous or label.answer_label or counts[label.label] > 1
        ) and lines[i - 1].text.endswith((".", "?", "!", "…", ":", '"', "”")):
            # 'Sr. Verhofstadt.-', 'Question:', 'Answer:' after a full stop, in a page
            # without gaps between its paragraphs
            kept.append(label)
    return kept


# 'The following is a near-verbatim transcript of …', '(As delivered)': the editor speaking
EDITORIAL = re.compile(
    r"^(?:the following is|following is|below is|what follows is|this is an? (?:\w+ ){0,2}"
    r"transcript)\b|\b(?:near-verbatim|verbatim|unofficial|official) (?:transcript|translation)\b|"
    r"\bcheck against delivery\b|^\(?as (?:delivered|prepared for delivery)\b|"
    r"\bwas (?:broadcast|streamed|televised) live\b|"
    # 'Transcript E&OE' (errors and omissions excepted), 'Subjects: trade; visas.'
    r"\bE&OE\b|^(?:subjects?|topics?|themen|sujets)\s*:|"
    # 'VORS. FELDHOFF eröffnet die Pressekonferenz und begrüßt …': the protocol narrating
    r"\b(?:eröffnet|eröffnete|opens|opened|ouvre)\b.{0,40}\b(?:pressekonferenz|press "
    r"conference|briefing|conférence de presse)\b|"
    # 'Read the Full Transcript', 'Watch the full interview': a link to the text below
    r"^(?:read|see|watch|listen to) (?:the )?(?:full|complete|entire) (?:transcript|interview)|"
    # 'Retranscription:', 'neuwal transkribiert, um …': the transcriber speaking
    r"^(?:transcript|transcription|retranscription|transkript|стенограмма)\s*:?$|"
    r"\b(?:transkribiert|transcribed|retranscrit\w*|transcrit\w*)\b",
    re.IGNORECASE,
)
# After the last turn, a line such as 'Share this page' or 'Related links' starts the footer.
_FOOTER_START = re.compile(
    r"^(?:share this|share on|related(?: links| articles| posts| stories| content| news)?$|"
    r"see also|read more|more from|more on this|more news|tags?:|follow us|back to top|"
    r"print(?: this page)?$|download (?:the )?(?:pdf|transcript)|ends/|"
    r"\(?please also refer to)",
    re.IGNORECASE,
)
_HOLDER_ROLES = re.compile(
    r"^(?:spokesperson|spokesman|spokeswoman|the president|the vice president|the secretary|"
    r"the minister|the prime minister|the secretary-general)$",
    re.IGNORECASE,
)


# A numbered or short heading line: '2. Q&A (Extract)', 'Questions and answers'
_SECTION_HEADING = re.compile(r"^(?:\d{1,2}[.)]\s+)?[^.?!]{1,60}$")


_FIELD = re.compile(r"^[^\W\d_][\w ]{0,15}:\s", re.MULTILINE)  # 'Date: Monday, June 22'


def _is_prose(text: str, least: int = 8) -> bool:
    return len(text.split()) >= least and text[-1] in '.?!…"”’)' and not _FIELD.search(text)


def opening_lines(lines: list[Line], first: int, skip_before: int) -> list[int]:
    """The unlabelled paragraphs directly above the first label, if they read as speech."""
    blocks: list[list[int]] = []
    current: list[int] = []
    for i in range(skip_before, first):
        if lines[i].blank:
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(i)
    if current:
        blocks.append(current)
    picked: list[int] = []
    for n in range(len(blocks) - 1, -1, -1):
        block = blocks[n]
        text = "\n".join(lines[i].text for i in block)
        if EDITORIAL.search(text):
            break  # 'Retranscription:' above the labels: what stands above it is no speech
        if len(block) == 1 and opens_with_event(text.lstrip("(").split(")", 1)[-1].strip(" -–—")):
            break  # '(Paris, 7 juillet 2011) - Conférence de presse conjointe de …': the title
        if len(block) == 1 and _SECTION_HEADING.match(text) and not is_chrome(text):
            # '2. Q&A (Extract)' between the announcements and the questions; a topic heading
            # between two announcements ('On the talks in Valdora') when prose stands above it
            above = "\n".join(lines[i].text for i in blocks[n - 1]) if n else ""
            if (not picked and n == len(blocks) - 1) or (
                picked and _is_prose(above, 4) and not EDITORIAL.search(above)
            ):
                continue  # (one heading right above the labels, or one between two topics)
        prose = _is_prose(text, 4 if picked else 8)  # a short paragraph inside the opening
        if is_chrome(text) or any(is_chrome(lines[i].text) for i in block) or not prose:
            break
        if EDITORIAL.search(text) or opens_with_event(text):
            break
        if any(is_event_title(lines[i].text) or _date_line(lines[i].text) for i in block):
            break  # a header printed without gaps: 'Trend News written interview with …'

        picked = block + picked
    words = sum(len(lines[j].text.split()) for j in picked)
    return picked if words >= 15 else []


def _initials_of(labels: list[Label], caps: bool) -> dict[str, str]:
    """Initials -> the one named label of the document with those initials."""
    found: dict[str, set[str]] = {}
    for label in labels:
        name = describe(label, caps).speaker
        words = name.split() if name and not label.anonymous else []
        if len(words) >= 2:
            found.setdefault("".join(w[0] for w in words).upper(), set()).add(name)
    return {key: next(iter(names)) for key, names in found.items() if len(names) == 1}


def _date_line(text: str) -> bool:
    found = find_date(text)
    return bool(found) and len(text.split()) <= 6 and found[2] - found[1] >= len(text.strip()) / 2


def _sections(lines: list[Line], picked: list[int]) -> list[list[int]]:
    """The opening's lines cut where a heading line was left out between them."""
    sections: list[list[int]] = []
    for i in picked:
        if sections and any(not lines[j].blank for j in range(sections[-1][-1] + 1, i)):
            sections.append([i])
        elif sections:
            sections[-1].append(i)
        else:
            sections.append([i])
    return sections


def _content(
    lines: list[Line], view: str, label: Label, stop: int, wrapped: bool, last: bool = False
) -> tuple[list[Line], int]:
    """Lines holding a label's words, trimmed of chrome, stage directions and end times."""
    first = label.line_index
    chosen: list[Line] = []
    chrome = 0
    if label.text_start is not None:
        line = lines[first]
        text = view[label.text_start : line.end].replace(PAD, "")
        chosen.append(Line(label.text_start, line.end, re.sub(r"[ \t]+", " ", text.strip())))
    for j in range(first + 1, stop):
        line = lines[j]
        alone = not wrapped or (
            (j == 0 or lines[j - 1].blank) and (j + 1 == len(lines) or lines[j + 1].blank)
        )
        if last and chosen and not line.blank and _FOOTER_START.match(line.text):
            chrome += sum(1 for k in range(j, stop) if not lines[k].blank)
            break
        if not line.blank and alone and is_chrome(line.text):
            chrome += 1
            continue
        chosen.append(line)
    while chosen and (
        chosen[-1].blank or is_time_line(chosen[-1].text) or is_stage_direction(chosen[-1].text)
    ):
        chosen.pop()
    while chosen and chosen[0].blank:
        chosen.pop(0)
    return chosen, chrome


def body_labels(
    lines: list[Line], view: str, wrapped: bool, body_from: int, known: Known | None = None
) -> list[Label]:
    """The speaker labels of the body: one pass of find_labels over every line; with fewer
    than two, labels printed alone on their line, if the document is made of them."""
    labels = [lab for lab in find_labels(lines, view) if lab.line_index >= body_from]
    if len(labels) == 1 and _is_dateline(labels[0], lines[labels[0].line_index], view):
        labels = []
    if len(labels) < 2:
        alone = [
            lab for lab in standalone_labels(lines, view, known) if lab.line_index >= body_from
        ]
        labels = alone or labels
    if not labels:
        labels = dash_interview_labels(lines, view, body_from)
    if not labels:
        labels = name_dash_labels(lines, body_from)
    return block_start_labels(labels, lines) if wrapped else labels


_REPORTED = re.compile(
    r"\b(?:said|says|told|stated|announced|according to|sagte|erklärte|a déclaré|a affirmé|"
    r"dijo|afirmó|declaró|ha detto|ha dichiarato|заявил|заявила|сообщил|сообщила)\b",
    re.IGNORECASE,
)


def _is_dateline(label: Label, line: Line, view: str) -> bool:
    """'ISLAMABAD: Foreign Office spokesperson … said Thursday that …': a news report's
    dateline before a colon, the only 'label' of the text, not a speaker."""
    bare = label.label.strip()
    if not bare.isupper() or len(bare.split()) > 3 or label.anonymous or label.text_start is None:
        return False
    if ROLE_LABELS.match(bare) or is_title_word(bare.split()[0]):
        return False
    words = view[label.text_start : line.end].replace(PAD, "")
    return bool(_REPORTED.search(words))


def parse_transcript(
    view: str,
    lines: list[Line],
    wrapped: bool,
    body_from: int,
    haystack: str,
    default_speaker: str | None,
    labels: list[Label] | None = None,
) -> TranscriptResult:
    """`labels`: body_labels() of the same lines when the caller has them already (parse() has:
    finding them again doubled the time of a long text)."""
    if labels is None:
        labels = body_labels(lines, view, wrapped, body_from)
    result = TranscriptResult([], [])
    first = labels[0].line_index if labels else len(lines)
    dashed = bool(labels) and labels[0].anonymous and labels[0].label in ("-", "–", "—")
    # (an interview with a dash before each turn opens with the question; above it, the lead)
    # (nor does an outlet's interview: 'Российская газета: Вы готовы …?' under the lead)
    asked_first = bool(labels) and is_outlet(without_note(labels[0].label), False)
    opening = [] if dashed or asked_first else opening_lines(lines, first, body_from)
    result.header_lines = [i for i in range(body_from, opening[0] if opening else first)]
    named = [lab for lab in labels if not lab.anonymous]
    caps = sum(1 for lab in named if lab.label.isupper()) > len(named) / 2
    chrome_total = 0
    for section in _sections(lines, opening):  # topic headings divide the opening
        chosen = [lines[i] for i in range(section[0], section[-1] + 1)]
        text = join_text(view, chosen, wrapped)
        turn = Turn(
            None,
            default_speaker,
            False,
            None,
            text,
            "remark",
            "verbatim",
            chosen[0].start,
            chosen[-1].end,
            ["unlabelled opening statement"],
        )
        result.turns.append(turn)
    fuller: dict[str, str | None] = {}
    holder_of: dict[str, str | None] = {}  # a post printed in a label -> who held it there
    holders: dict[str, str | None] = {}
    # the words above the first label (and a front-matter title) name the people on the podium
    header_text = (
        haystack.split("\n", 1)[0]
        + "\n"
        + "\n".join(lines[i].text for i in range(body_from, first))
    )
    officials = set()
    briefer = _briefer(haystack.split("\n", 1)[0], header_text)
    for turn in result.turns:
        if turn.speaker is None and briefer:
            turn.speaker = briefer  # the unlabelled opening: who gives the briefing
    # Only the questions carry a label ('Q.' then the answer, unlabelled): each question ends
    # at its question mark, and the lines after it are the answer of the one official.
    questions_only = len(labels) >= 2 and all(lab.anonymous for lab in labels)
    initials_of = _initials_of(labels, caps)
    answerer = _answerer(header_text, default_speaker) if questions_only else None
    for n, label in enumerate(labels):
        stop = labels[n + 1].line_index if n + 1 < len(labels) else len(lines)
        chosen, chrome = _content(lines, view, label, stop, wrapped, n + 1 == len(labels))
        chrome_total += chrome
        if n + 1 == len(labels):
            chosen = _cut_footer(chosen)
        info = describe(label, caps)
        speaker = info.speaker
        if label.initials:
            if label.label not in fuller:
                fuller[label.label] = name_for_initials(label.label, haystack)
            speaker = fuller[label.label] or speaker
        elif re.fullmatch(r"[A-Z]{2,4}", label.label) and label.label in initials_of:
            # '-AP :' after '-Alexandre Penasse :': the initials of a label printed in full
            speaker = initials_of[label.label]
            info = LabelInfo(speaker, False, None, True)
        post, named = _post_and_name(label)
        if post and named and info.official:
            holder_of.setdefault(post, speaker)
        elif post and not named and post in holder_of:
            speaker = holder_of[post]  # 'Foreign Minister:' after 'Penny Wong, Foreign Minister:'
        if (
            speaker
            and " " not in speaker
            and info.official
            and speaker[:1].isupper()
            and not ROLE_LABELS.match(speaker)  # 'Spokesperson' is a post, not a surname
        ):
            if speaker not in fuller:
                fuller[speaker] = fuller_name(speaker, haystack)
            speaker = fuller[speaker] or speaker
        if info.official and speaker and (_HOLDER_ROLES.match(speaker) or is_post_only(speaker)):
            if speaker not in holders:
                post = re.sub(r"^the ", "", speaker, flags=re.I)
                named = post_holders(header_text, post)
                if not named:  # 'JOURNALIST: Prime Minister Albanese, what …' further down
                    named = list(dict.fromkeys(post_holders(haystack, post)))
                holders[speaker] = named[0] if len(named) == 1 else None
            speaker = holders[speaker] or speaker
        if info.official and speaker:
            officials.add(speaker)
        if label.answer_label:
            speaker = default_speaker
        answer = _split_answer(chosen) if questions_only else []
        if answer:
            chosen = chosen[: next(k for k, line in enumerate(chosen) if line is answer[0])]
            while chosen and chosen[-1].blank:
                chosen.pop()
        text = join_text(view, chosen, wrapped) if chosen else ""
        start = chosen[0].start if chosen else (label.text_start or label.start)
        end = chosen[-1].end if chosen else start
        journalist = bool(info.outlet) and not info.official
        if info.anonymous or (journalist and "?" in text) or ASKED_BY.match(label.label):
            kind = "question"
        elif result.turns and result.turns[-1].kind == "question":
            kind = "answer"
        else:
            kind = "remark"
        turn = Turn(
            label.label,
            speaker,
            info.anonymous,
            info.outlet,
            text,
            kind,
            "verbatim",
            start,
            end,
            artifacts(text),
        )
        result.turns.append(turn)
        if answer:
            answer_text = join_text(view, answer, wrapped)
            result.turns.append(
                Turn(
                    None,
                    answerer,
                    False,
                    None,
                    answer_text,
                    "answer",
                    "verbatim",
                    answer[0].start,
                    answer[-1].end,
                    ["unlabelled answer", *artifacts(answer_text)],
                )
            )
        if speaker and not info.anonymous:
            variants = result.speakers.setdefault(speaker, [speaker])
            printed = without_note(label.label)
            if re.fullmatch(r"[A-Z]{2,4}", printed) and speaker != printed:
                printed = ""  # 'IM' for Ilse Marwick: initials name nobody in another text
            for variant in (printed, None if label.initials else info.speaker):
                if variant and variant not in variants and not is_post_only(variant):
                    variants.append(variant)
    if not officials and any(label.answer_label for label in labels):
        officials = {briefer} if briefer else set()
    if len(officials) == 1:
        only = next(iter(officials))
        labelled = result.turns[len(result.turns) - len(labels) :]
        for turn, label in zip(labelled, labels, strict=True):
            if label.answer_label and not turn.speaker:
                turn.speaker = only
    if chrome_total:
        result.warnings.append(f"page chrome left out: {chrome_total} line(s) inside the turns")
    return result


def _briefer(title: str, header_text: str) -> str | None:
    """The one person the header names with a post ('Interview of Foreign Minister Dario Kessel',
    'Regular Briefing by Spokesperson Yoh Sangkey'): in the event's title line first, since the
    header may name others too ('Acting Minister Suh Ho will attend …')."""
    titles = [text for text in (title, *header_text.splitlines()) if is_event_title(text)]
    for text in [*titles, header_text]:
        named = list(dict.fromkeys(post_holders(text)))
        if len(named) == 1:
            return named[0]
    return None


def _post_and_name(label: Label) -> tuple[str | None, bool]:
    """The post a label prints ('foreign minister') and whether it also prints a name."""
    bare = without_note(label.label)
    if "," in bare:
        head, _, tail = bare.partition(",")
        for post, other in ((tail, head), (head, tail)):
            if all_titles(post):
                return post.strip().lower(), bool(other.strip())
        return None, True
    words = bare.split()
    titles = []
    for word in words:
        if not (is_title_word(word) or word.lower() in CONNECTORS):
            break
        titles.append(word)
    if not titles or titles[-1].lower() in CONNECTORS:
        return None, True
    return " ".join(titles).lower(), len(titles) < len(words)


def _answerer(header_text: str, default_speaker: str | None) -> str | None:
    """Who answers unlabelled: the editor's default speaker, else the briefer, else at a
    ministry's regular briefing that names nobody, its spokesperson (for the editor to name)."""
    found = default_speaker or _briefer("", header_text)
    if found is None and _REGULAR_BRIEFING.search(header_text):
        return "Spokesperson"
    return found


_REGULAR_BRIEFING = re.compile(
    r"\b(?:regular|daily|weekly)\s+(?:press\s+)?(?:conference|briefing)\b", re.IGNORECASE
)


def _split_answer(chosen: list[Line]) -> list[Line]:
    """The lines of a question turn that answer it: those after the first line ending in a
    question mark, else after its first paragraph; none when the question is all there is."""
    filled = [k for k, line in enumerate(chosen) if not line.blank]
    if len(filled) < 2:
        return []
    asked = next(
        (k for k in filled if re.search(r"\?[\s\"”’»)]*$", chosen[k].text)),
        None,
    )
    blanks = [k for k in range(len(chosen)) if chosen[k].blank]
    quoted = asked is not None and asked + 1 < len(chosen) and _QUOTED.match(chosen[asked + 1].text)
    if asked is not None and blanks and not quoted:
        # ('Frage: …?' then '«Keine Ahnung.»' on the next line: the answer, quoted)
        # paragraphs: the question runs to the end of the paragraph that asks it
        asked = next((k - 1 for k in blanks if k > asked), len(chosen) - 1)
    if asked is None:
        blank = next((k for k in range(filled[0], len(chosen)) if chosen[k].blank), None)
        if blank is None:
            return []
        asked = blank - 1
    rest = chosen[asked + 1 :]
    while rest and rest[0].blank:
        rest.pop(0)
    while rest and (rest[-1].blank or is_time_line(rest[-1].text.strip(" •·-*"))):
        rest.pop()  # '• 12:47': a live ticker's time of the next entry
    return rest


_QUOTED = re.compile(r"^\s*[«“„\"»]")


def _cut_footer(chosen: list[Line]) -> list[Line]:
    """After the last turn, a run of short lines with no sentence in them is page footer."""
    while chosen and not chosen[-1].blank and len(chosen) > 1:
        last = chosen[-1].text
        footer = all(w[:1].isupper() or not w[:1].isalpha() for w in last.split())
        if (
            len(last.split()) <= 6
            and last[-1] not in '.?!…"”’)—–-'
            and chosen[-2].blank
            and (footer or is_chrome(last))
        ):
            chosen.pop()
            while chosen and chosen[-1].blank:
                chosen.pop()
            continue
        break
    return chosen
