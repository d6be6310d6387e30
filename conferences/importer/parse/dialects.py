"""Speaker labels of transcripts, in every house style we have met.

`MR PRICE:`, `MS. PSAKI:`, `FOREIGN MINISTER LEZCANO:`, `Sergey Lavrov:`, `Zhao Lijian:`; a bare
`Q` followed by spaces, `Q:`, `QUESTION:`, `Question (translated from Chinese):`; outlet labels
(`AFP:`, `Yonhap News Agency:`); a timestamp after the label with the words on the next line
(`Ned Price: (00:11)`); a note after the name (`Sergey Lavrov (speaks after Wang Yi):`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .dates import names_event
from .names import (
    ANONYMOUS_LABELS,
    CONNECTORS,
    MEDIA_WORDS,
    NAME_PARTICLES,
    ROLE_LABELS,
    is_outlet,
    is_post,
    is_title_word,
    label_name,
)
from .text import CJK_LETTERS, Line, is_chrome

_Q_LABEL = re.compile(
    r"^(?P<label>(?:Q|QUESTION|Question|QUESTIONS?|Questioner|QUESTIONER)"
    r"(?:[ \t]+(?:from|by|FROM|BY)[ \t]+[^:：()\n]{1,60}?"  # 'Question from the floor:'
    r"(?=[ \t]*(?:\([^()\n]{1,80}\))?[ \t]*[:：]))?"
    r"(?:[ \t]*\((?P<note>[^()\n]{1,80})\)(?=[ \t]*[:：]))?)"
    r"(?:[ \t]*[:：][ \t]*|[ \t]{2,}|\t[ \t]*|[ \t]*$|\.[ \t]+(?=\S)|[ \t]+(?P<dash>[-–—])[ \t]+"
    r"|(?P<single>[ ])(?=[A-Z(“\"\[—–]))"
)
_FROM_FLOOR = re.compile(r"^\w+[ \t]+(?:from|by)[ \t]+[^:：\n]{1,80}[:：]$", re.IGNORECASE)
_BARE_Q = ("Q", "QUESTION", "Question", "Questioner", "QUESTIONER")
# 'A:', 'Answer:', and the French 'R - ' (réponse), German 'Antwort:', Russian 'Ответ:'
_A_LABEL = re.compile(
    r"^(?:(?P<label>A|ANSWER|Answer|Réponse|RÉPONSE|Antwort|ANTWORT|Ответ|ОТВЕТ|Respuesta)"
    r"(?:[ \t]*[:：][ \t]*|[ \t]{2,}|\.[ \t]+(?=[A-Z]))"
    r"|(?P<r_label>R)[ \t]+[-–—][ \t]+)"  # 'R - ' only beside 'Q - '
)
_NAME_LABEL = re.compile(
    # a number before a question's label: '1. VnExpress:', '2) TG&VN:'
    r"^(?:\d{1,2}[.)][ \t]+(?=[^\W\d_]))?"
    # ('Агентство «Рейтер»:': an outlet's name in quotes after the first word)
    r"(?P<label>(?P<name>[^\W\d_][\w'’.&\-]*(?:,?[ \t]+(?:[\w'’.&\-]+|«[\w'’.&\- ]{1,30}»))"
    r"{0,8})"
    # a note after the name: '(speaks after Wang Yi)', or an affiliation: '[NATO Secretary General]'
    r"(?:[ \t]*(?:\((?P<note>[^()\n]{1,80})\)|\[(?P<affiliation>[^\[\]\n]{1,80})\]))?"
    # 'Gabriela Warkentin (GW), conductora:': the initials, then the post after a comma
    r"(?:(?<=\)),[ \t]*[^\W\d_][^:：\n()]{0,60}?)?)"
    # 'SecState Blinken::' (a doubled colon); 'Portavoz.-', 'ADORNI. -' (Spanish transcripts)
    r"(?:[ \t]*[:：]{1,2}(?=[ \t]|$)|\.[ \t]?[-–](?=[ \t]|$)"
    # '吴谦:各位记者朋友': Chinese, Japanese and Korean print no space after the colon
    rf"|(?<=[{CJK_LETTERS}])[:：](?=\S))"
)
# 'CL          Hello and welcome …' (the WHO's transcripts): a speaker's initials, then a run
# of spaces; kept only when the document prints two or more of them
_INITIALS_LABEL = re.compile(
    r"^(?P<label>[A-Z]{2,4})(?:[ \t]{3,}|\t[ \t]*)(?=[^\W\d_]+[ \t]+[^\W\d_]+[ \t,.]+[^\W\d_])"
)  # (speech after it, not a table's figures: 'UK     1.1%    0.9%')
# A note or an affiliation printed after a name in a label, or a post after a bar.
_LABEL_NOTE = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\]|\s\|\s.*$)")
# '[00:01:05] Name:' or '00:01:05 - Name:': a recording time printed before the label
_TIME_PREFIX = re.compile(r"^[\[(]?\d{1,2}(?::\d{2}){1,2}[\])]?(?:[ \t]*[-–—|][ \t]*|[ \t]+)(?=\S)")
_CASELESS = re.compile(rf"[{CJK_LETTERS}·・]+")
_BYLINE_WORDS = re.compile(
    r"(?i)^(?:reporter|by|author|autor|autorin|auteur|presenter|producer|correspondent|writer|"
    r"text|photos?|editor|redakce|redacción)$"
)
_BYLINE_NAME = re.compile(r"^[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+){1,2}$")
# '-Alexandre Penasse :', '• Q:': a dash or a bullet before the label
_BULLET = re.compile(r"^[-–•][ \t]?(?=[^\W\d_])")
_TIMESTAMP = re.compile(r"^[\[(]?\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?[\])]?$")
# fmt: off
_NOT_LABELS = {
    "note", "notes", "update", "updated", "photo", "photos", "source", "sources", "read", "also",
    "related", "tags", "tag", "share", "posted", "published", "by", "image", "images", "video",
    "watch", "listen", "topics", "topic", "category", "categories", "date", "time", "location",
    "place", "venue", "title", "subject", "keywords", "copyright", "email", "e-mail", "tel",
    "phone", "fax", "website", "url", "link", "links", "editor", "reporting", "warning", "example",
    "summary", "background", "context", "agenda", "attachment", "file", "disclaimer", "caption",
    "credit", "credits", "ps", "p.s.", "re", "fwd", "from", "to", "cc", "sent", "dear", "hi",
    "hello", "yes", "no", "first", "second", "third", "finally", "however", "but", "and", "so",
    # a page's list of who takes part, and its fields ('PARTICIPANTS:', 'Themen:')
    "participants", "panelists", "panellists", "attendees", "teilnehmer", "teilnehmende",
    "intervenants", "participantes", "themen", "thema", "sujets", "temas", "temi",
    "well", "now", "today", "yesterday", "tomorrow", "here", "there", "this", "that", "these",
    "those", "what", "why", "how", "when", "where", "who", "which", "key", "main", "breaking",
    "exclusive", "opinion", "analysis", "explainer", "live", "headline", "quote", "translation",
    "transcript", "original", "contents", "table", "page", "chapter", "section", "part", "step",
    "reference", "references", "see", "follow", "subscribe", "join", "download", "print",
    "comment", "comments", "reply", "report", "statement", "minutes", "home", "menu", "search",
    "more", "previous", "next", "total", "result", "results", "remarks", "please", "thanks",
    "thank", "ok", "okay", "as", "in", "on", "at", "for", "with", "after", "meanwhile", "then",
    "our", "my", "your", "his", "her", "their", "its", "we", "i", "you", "he", "she", "they", "it",
    "one", "two", "three", "let", "if", "the", "a", "an", "bottom line", "why it matters",
    "what's next", "the bottom line", "keep reading", "address", "subjects", "correction",
    "corrections", "clarification", "editor's note", "editors note", "editor’s note",
    "时间", "地点", "发布人", "来源", "日期", "時間", "場所", "日時",
    "retranscription", "transcription", "transkript", "data", "fecha", "datum", "дата", "ora",
    "hora", "lieu", "luogo", "ort", "lugar", "место",
    # a login form's fields above the text
    "name", "password", "username", "login", "имя", "пароль", "логин", "benutzername",
    "passwort", "mot de passe", "contraseña", "usuario",
}
# fmt: on


# Asked with names printed in a text, answers those that are a known speaker's name or alias
# (the archive's, when the importer asks; the parser itself knows no names).
Known = Callable[[list[str]], set[str]]


@dataclass
class Label:
    line_index: int
    label: str  # as printed, without the colon
    start: int  # offset of the label
    text_start: int | None  # offset of the words on the same line, None if on the next line
    anonymous: bool
    answer_label: bool = False
    note: str | None = None
    dot_dash: bool = False  # 'Portavoz.-': the Spanish transcripts' mark, never a headline's
    initials: bool = False  # 'CL   Hello …': initials and a run of spaces
    ruled: bool = False  # alone under a rule, or 'M. Tomas EKDAHL': a speaker, never a headline
    numbered: bool = False  # '1. VnExpress: …?': a numbered question of an outlet


def _valid_name(name: str) -> bool:
    longest = 80 if "," in name else 60  # a post beside the name makes it longer
    if "," in name:
        # 'Official Spokesperson, Ilse Marwick' or 'Ilse Marwick, Spokesperson': a post on one
        # side of a single comma; anything else with a comma is prose
        # ('PRESIDENTA DE MÉXICO, CLAUDIA SHEINBAUM PARDO': a post that names its country)
        parts = name.split(",")
        if len(parts) != 2 or not any(
            is_post(part) or (n and is_outlet(part, False)) for n, part in enumerate(parts)
        ):  # 'Harry Horton, Feature Story News (FSN)': a journalist and the outlet
            return False
        head, tail = parts
        # 'Roman Prorok, tiskový mluvčí vlády ČR': a post in lower case after the name
        lower_post = is_post(tail) and tail.strip()[:1].islower()
        name = head if lower_post else name.replace(",", " ")
    tokens = name.split()
    if not tokens or len(name) > longest:
        return False
    if tokens[0].lower() == "the" and len(tokens) > 1 and tokens[0].isupper():
        tokens = tokens[1:]  # 'THE PRESIDENT:'
    if " ".join(tokens).lower() in _NOT_LABELS or tokens[0].lower() in _NOT_LABELS:
        return False
    if _CASELESS.fullmatch("".join(tokens)):
        return len(name) <= 12  # '吴谦', '记者': scripts without capitals
    if tokens[0] in NAME_PARTICLES and len(tokens) > 1 and tokens[1][:1].isupper():
        tokens = tokens[1:]  # 'von Tiesenhausen-Cave:', 'de Villepin:'
    if not tokens[0][:1].isupper() or tokens[-1].lower() in CONNECTORS:
        return False
    for token in tokens:
        token = token.strip("«»")  # 'Агентство «Рейтер»'
        if token.lower() in CONNECTORS or token.isdigit():
            continue
        if not token[:1].isupper() and not (is_title_word(token) and token.isalpha()):
            if MEDIA_WORDS.fullmatch(token):
                continue  # 'Российская газета:': an outlet's name in lower case
            return False  # ('Le Premier ministre :' prints its post in lower case)
    return not re.search(r"https?|www\.", name)


def match_label(line: Line, view: str, index: int) -> Label | None:
    text = line.text
    if is_chrome(text):
        return None
    # positions in `text` map to the view only up to PADs; look the label up in the view
    raw = view[line.start : line.end].replace("\x00", "")
    prefix = _TIME_PREFIX.match(raw) or _BULLET.match(raw)
    skip = prefix.end() if prefix else 0
    raw = raw[skip:]
    for pattern, anonymous, answer in ((_Q_LABEL, True, False), (_A_LABEL, False, True)):
        match = pattern.match(raw)
        if match:
            rest = raw[match.end() :].strip()
            if pattern is _Q_LABEL:
                if match.groupdict().get("single") and match.group("label") != "Q":
                    continue  # 'Question marks remain': only a bare Q takes one space
                if match.groupdict().get("dash") and match.group("label") != "Q":
                    continue  # 'Question - does he …': only 'Q - ' (French briefings)
                bare = raw.strip().rstrip(":：").strip()
                if not rest and bare not in _BARE_Q and not _FROM_FLOOR.match(raw.strip()):
                    continue
            return _make(line, view, index, match, anonymous, answer, skip)
    match = _NAME_LABEL.match(raw)
    if not match and _INITIALS_LABEL.match(raw):
        label = _make(line, view, index, _INITIALS_LABEL.match(raw), False, False, skip)
        label.initials = True
        return label
    if not match or not _valid_name(match.group("name")):
        return None
    anonymous = bool(ANONYMOUS_LABELS.match(match.group("name")))
    if match.group(0)[:1].isdigit() and "?" not in raw[match.end() :]:
        return None  # '1. Taxes: Income tax stays the same.': a numbered list, not a question
    label = _make(line, view, index, match, anonymous, False, skip)
    if match.group(0)[:1].isdigit():
        # '1. VnExpress: … Please comment on this matter?': a numbered question of an outlet
        label.anonymous = True
        label.note = label.note or label.label
        label.numbered = True
    return label


def _make(
    line: Line, view: str, index: int, match: re.Match, anonymous: bool, answer: bool, skip: int
):
    printed = match.group("label") or match.groupdict().get("r_label") or ""
    label = re.sub(r"\s+", " ", printed).strip()
    # map the end of the match (in PAD-free text) back to the view
    consumed = skip + len(match.group(0))
    pos = line.start
    seen = 0
    while seen < consumed and pos < line.end:
        if view[pos] != "\x00":
            seen += 1
        pos += 1
    while pos < line.end and (view[pos] == "\x00" or view[pos].isspace()):
        pos += 1
    rest = view[pos : line.end].replace("\x00", "").strip()
    text_start = pos if rest and not _TIMESTAMP.match(rest) else None
    groups = match.groupdict()
    note = groups.get("note") or groups.get("affiliation")
    dot_dash = bool(re.search(r"\.[ \t]?[-–]$", match.group(0).rstrip()))
    return Label(index, label, line.start, text_start, anonymous, answer, note, dot_dash)


def without_note(label: str) -> str:
    """The label without what is printed in brackets after the name."""
    return _LABEL_NOTE.sub("", label).strip()


def is_headline(label: Label, line: Line) -> bool:
    """'Lavrov: US uses NATO to control its members': a title, not a speaker label."""
    if label.text_start is None:
        return False
    rest = line.text[line.text.find(":") + 1 :].strip() if ":" in line.text else ""
    if not rest:
        return False
    words = rest.split()
    if re.search(r"[a-z]{3,}[.?!]\s+[(\"“]?[A-Z]", rest):  # not 'U.S. Will', 'Gen. Milley'
        return False  # a sentence ends inside: speech cut by a line wrap, not a title
    return rest[-1] not in '.?!…"”’»)—–-:;,' and len(words) <= 16


def find_labels(lines: list[Line], view: str) -> list[Label]:
    found = []
    for index, line in enumerate(lines):
        if line.blank:
            continue
        label = match_label(line, view, index)
        if label:
            found.append((label, line))
    counts = Counter(_key(label.label) for label, _ in found)
    # Once the speakers have begun (a label that recurs, or a question), a label seen once is a
    # speaker who speaks once ('PRESIDENT KESSEL: Thank you, Madam President'), not a headline.
    started = next(
        (
            label.line_index
            for label, _ in found
            if counts[_key(label.label)] >= 2 or label.anonymous or label.answer_label
        ),
        None,
    )
    if sum(1 for label, _ in found if label.initials) < 2:
        found = [(label, line) for label, line in found if not label.initials]
    numbered = [label for label, _ in found if label.numbered]
    # '1. Housing: Will rents go up?' in an explainer: numbered questions are a briefing's
    # only where the text above them names a press event ('17th Regular Press Conference')
    if (
        numbered
        and all(label.numbered for label, _ in found)
        and not names_event(view[: numbered[0].start].replace("\x00", ""))
    ):
        found = []
    named = [label.label for label, _ in found if not label.anonymous and not label.answer_label]
    caps = sum(1 for text in named if text.isupper()) > len(named) / 2
    kept = []
    for label, line in found:
        words = view[label.text_start : line.end].strip("\x00 \t") if label.text_start else ""
        if (
            (started is None or label.line_index <= started)
            and _BYLINE_NAME.match(words)
            and _BYLINE_WORDS.match(label.label)
        ):
            continue  # 'Reporter: Gillian Bradford' above the transcript: a byline
        if not label.text_start and _names_below(lines, label.line_index):
            continue  # 'Moderator:' above 'JOSE LUIS DE HARO': a list of who takes part
        said = view[label.text_start : line.end].replace("\x00", "") if label.text_start else ""
        items = [item.strip() for item in said.split(",")]
        if len(items) >= 4 and all(
            item
            and len(item.split()) <= 4
            and (item[:1].isupper() or item.split()[0] in NAME_PARTICLES)
            for item in items
        ):
            continue  # 'Sprecher: StS Seibert, Breul (AA), Baron (BMWi), …': who takes part
        special = label.anonymous or label.answer_label
        # ... if it has the form of the others ('PRESIDENT KESSEL:' among capitals) and its
        # words start a sentence; 'Senator Manchin: the President spoke …' stays a topic line
        words = view[label.text_start : line.end].lstrip("\x00 \t") if label.text_start else ""
        alike = label.label.isupper() == caps and (not words or words[:1].isupper())
        in_body = started is not None and label.line_index > started and alike
        once = counts[_key(label.label)] < 2 and not special and not in_body
        if once and is_headline(label, line):
            continue
        kept.append(label)
    return kept


def _names_below(lines: list[Line], index: int) -> bool:
    """Whether the next line with words is a name in capitals and nothing else."""
    below = next((line for line in lines[index + 1 : index + 4] if not line.blank), None)
    text = below.text.strip() if below else ""
    return (
        bool(text)
        and text.isupper()
        and len(text.split()) <= 5
        and not re.search(r"[.?!:;,]", text)
    )


def _key(label: str) -> str:
    return re.sub(r"[^\w]+", " ", without_note(label)).strip().lower()


# 'FRAGE HOENIG', 'Zusatzfrage Jung': a question word, then the journalist's name
ASKED_BY = re.compile(
    r"^(?:FRAGE|Frage|ZUSATZFRAGE|Zusatzfrage|NACHFRAGE|Nachfrage)[ \t]+"
    r"(?P<name>[^\W\d_][\w'’\-]+(?:[ \t]+[^\W\d_][\w'’\-]+){0,2})$"
)


@dataclass
class LabelInfo:
    speaker: str | None
    anonymous: bool
    outlet: str | None
    official: bool


def describe(label: Label, caps_document: bool) -> LabelInfo:
    """What a label says about its speaker."""
    bare = without_note(label.label)
    if label.anonymous and label.note == label.label:  # '1. VnExpress:', a numbered question
        return LabelInfo(None, True, bare, False)
    if label.anonymous:
        return LabelInfo(None, True, None, False)
    asks = ASKED_BY.match(bare)
    if asks:  # 'FRAGE HOENIG:' (the Bundespressekonferenz's protocol): a named journalist
        return LabelInfo(label_name(asks.group("name")), False, None, False)
    if label.answer_label:
        return LabelInfo(None, False, None, True)
    name, _, outlet = bare.partition(",")
    if outlet and is_outlet(outlet.strip(), False) and not is_outlet(name, False):
        # 'Harry Horton, Feature Story News (FSN)': a named journalist and the outlet
        outlet = re.sub(r"\s*\([^()]*\)", "", outlet).strip()
        return LabelInfo(label_name(name), False, outlet, False)
    if is_outlet(bare, caps_document):
        return LabelInfo(None, True, bare, False)
    affiliated = label.label.endswith("]") or " | " in label.label
    if label.note and affiliated and is_outlet(label.note, False):
        # 'Dario Kessel [Norland Wire]': a named journalist and their outlet
        return LabelInfo(label_name(bare), False, label.note, False)
    if re.match(r"^(?:speaker|participant|person|voice|man|woman)\s*\d+$", bare, re.I):
        return LabelInfo(bare, False, None, False)
    if ROLE_LABELS.match(bare):
        name = " ".join(w.capitalize() if w.lower() != "of" else w for w in bare.split())
        return LabelInfo(name, False, None, True)
    return LabelInfo(label_name(bare), False, None, True)
