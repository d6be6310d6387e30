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
from itertools import pairwise

from .dates import names_event
from .names import (
    ANONYMOUS_LABELS,
    CONNECTORS,
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
    r"(?P<label>(?P<name>[^\W\d_][\w'’.&\-]*(?:,?[ \t]+[\w'’.&\-]+){0,8})"
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
    if not tokens[0][:1].isupper() or tokens[-1].lower() in CONNECTORS:
        return False
    for token in tokens:
        if token.lower() in CONNECTORS or token.isdigit():
            continue
        if not token[:1].isupper() and not (is_title_word(token) and token.isalpha()):
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


# Question labels in the languages of the briefings we meet, printed alone on their line (the
# German government's press conferences: 'Frage', 'Zusatzfrage') or before a colon.
QUESTION_WORDS = re.compile(
    r"^(?:Q|QUESTION|Questions?|Frage|Zusatzfrage|Nachfrage|FRAGE|ZUSATZFRAGE|Вопрос|ВОПРОС|"
    r"Pregunta|PREGUNTA|Pergunta|Domanda|Journalist|Journalistin|Journaliste|Журналист)$"
)
_STANDALONE_NAME = re.compile(
    r"^(?P<name>[^\W\d_][\w'’.\-]*(?:[ \t]+[\w'’.\-]+){0,6}(?:,(?:[ \t]+[\w'’.\-]+){1,6})?)"
    r"(?:[ \t]*(?:\((?P<note>[^()\n]{1,60})\)|\[(?P<affiliation>[^\[\]\n]{1,60})\]))?$"
)
# 'M. Mahamadou ISSOUFOU', 'Mme Ilse MARWICK': an honorific, then the surname in capitals
_HONORIFIC_CAPS = re.compile(
    r"^(?:M\.|Mme|Mlle|MM\.|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sr\.|Sra\.|Hr\.|Fr\.)[ \t]+"
    r"(?:[A-Z][\w'’\-]+[ \t]+){0,3}[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’\-]+$"
)
# '**Ilse Marwick | Minister of Foreign Affairs**': a bold label with the post after a bar
_BOLD = re.compile(r"^(?:\*\*|__)(?P<inner>[^*_\n]{1,100})(?:\*\*|__)$")


def standalone_labels(lines: list[Line], view: str, known: Known | None = None) -> list[Label]:
    """Labels printed alone on their line, no colon, the words on the lines below ('Frage',
    'Deschauer (AA)', '**Name | post**'). Decided for the whole document: a line is a label
    when it is a question word, or a name-shaped line that recurs, and each is followed by
    prose; the document must hold at least three such lines, of at least two labels."""
    candidates = []
    ruled: list[int] = []
    for index, line in enumerate(lines[:-1]):
        if line.blank:
            continue
        text = line.text.strip()
        bold = _BOLD.match(text)
        text = bold.group("inner").strip() if bold else text
        name, bar, post = text.partition(" | ")  # 'Ilse Marwick | Minister of Foreign Affairs'
        if not bar and is_chrome(text):
            continue
        following = next(
            (lines[j] for j in range(index + 1, len(lines)) if not lines[j].blank), None
        )
        if following is None or is_chrome(following.text):
            continue
        shown = name.strip()
        if QUESTION_WORDS.match(shown):
            candidates.append((index, line, shown, True, None))
            continue
        match = _STANDALONE_NAME.match(shown)
        if not match or not _valid_name(match.group("name")):
            continue
        if match.group("name").lower().rstrip(".") in _NOT_LABELS:
            continue
        note = match.group("note") or match.group("affiliation") or post.strip() or None
        anonymous = bool(ANONYMOUS_LABELS.match(match.group("name")))
        candidates.append((index, line, text if bar else shown, anonymous, note))
        previous = next((lines[j] for j in range(index - 1, -1, -1) if not lines[j].blank), None)
        if previous and not re.search(r"[^\W_]", previous.text) and shown.isupper():
            # '---' then 'PRESIDENTE ANDRÉS …', 'MODERADORA', 'NAME, SECRETARIO DE …': a speaker
            # under a rule; a headline in capitals ('TURNOUT FELL AGAIN') names no post
            ruled.append(index)
        elif _HONORIFIC_CAPS.match(shown):
            ruled.append(index)  # 'M. Mahamadou ISSOUFOU' (the Élysée's transcripts)
    capitals = [c for c in candidates if c[2].isupper() and c[0] >= (ruled or [0])[0]]
    # a speaker's post or a moderator among them: not a headline in capitals under a rule
    # ('TURNOUT FELL AGAIN')
    posted = any(
        "," in c[2]
        or _HONORIFIC_CAPS.match(c[2])
        or any(
            is_title_word(w) or ANONYMOUS_LABELS.match(w)
            for w in re.findall(r"[^\W\d_][\w'’\-]*", c[2])
        )
        for c in candidates
        if c[0] in ruled
    )
    if ruled and posted and all(c[0] in ruled or c[3] for c in capitals):
        # a document whose speakers each stand in capitals under a rule: every one of them,
        # once is enough (a ceremony with one speech)
        return [
            Label(index, shown, line.start, None, anonymous, False, note, ruled=index in ruled)
            for index, line, shown, anonymous, note in candidates
            if index in ruled or anonymous
        ]
    counts = Counter(_key(shown) for _, _, shown, _, _ in candidates)
    recurring = [c for c in candidates if counts[_key(c[2])] >= 2]
    # a name printed once is a label too when the archive knows it as a speaker's name
    once = [c for c in candidates if counts[_key(c[2])] < 2 and not c[3]]
    familiar = known([without_note(c[2]) for c in once]) if known and once else set()
    recurring += [c for c in once if without_note(c[2]) in familiar]
    # A name printed once takes the form of the recurring ones ('Name | post', 'Name (AA)')
    shapes = {_shape(c[2]) for c in recurring} - {"plain"}
    kept = [c for c in candidates if c[3] or c in recurring or _shape(c[2]) in shapes]
    # names in capitals taking turns ('LOU MARRANZANO', 'SEBASTIAN KESSEL', …): an interview
    rhythm = len(kept) >= 4 and all(shown.isupper() for _, _, shown, _, _ in kept)
    if len(kept) < 3 or len({_key(shown) for _, _, shown, _, _ in kept}) < 2:
        return _round_of_questions(lines, view) or _announced_speaker(candidates, lines)
    if not any(not anonymous for _, _, _, anonymous, _ in kept):
        return []
    # Names alone prove nothing (a live blog's bylines recur too): a question word or a label
    # with a post ('Deschauer (AA)', 'Name | post', 'NAME, POST') must be among them.
    if not rhythm and not any(
        anonymous or _shape(shown) != "plain" for _, _, shown, anonymous, _ in kept
    ):
        return []
    return [
        Label(index, shown, line.start, None, anonymous, False, note)
        for index, line, shown, anonymous, note in kept
    ]


# '…, Chef de la MINUSMA, M. Mahamat Saleh Annadif': posts, then an honorific and the name
_HONORIFIC_NAME_END = re.compile(
    r"(?:^|,[ \t]*)(?:M\.|Mme|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|S\.E\.|H\.E\.)[ \t]+"
    r"(?P<name>[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+){1,3})$"
)
# 'Amadou Coulibaly, Journal du Mali', 'Serge Daniel RFI/AFP': a journalist and the outlet
_NAME_OUTLET = re.compile(
    r"^(?P<name>[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+){1,2})(?:,[ \t]*|[ \t]+)"
    r"(?P<outlet>[^,\n]{2,40}?),?$"
)


def _round_of_questions(lines: list[Line], view: str) -> list[Label]:
    """A press conference whose speakers are each printed once, alone on their line: the
    official with posts and an honorific ('…, M. Mahamat Saleh Annadif') and journalists with
    their outlets ('Amadou Coulibaly, Journal du Mali'), each followed by their words, the
    journalists' ending in a question. Two journalists at least, and the official."""
    found: list[Label] = []
    journalists = 0
    for index, line in enumerate(lines[:-1]):
        text = line.text.strip()
        if line.blank or len(text) > 160 or text[-1:] in ".?!:;…":
            continue
        below = [lines[j].text for j in range(index + 1, min(index + 4, len(lines)))]
        if not below or not below[0] or len(below[0].split()) < 6:
            continue
        official = _HONORIFIC_NAME_END.search(text)
        journalist = _NAME_OUTLET.match(text)
        if official and (text.count(",") or is_post(text.split(",")[0])):
            # the label is the name; the posts before it, its note
            named = text[official.start() :].lstrip(", \t")
            posts = text[: official.start()].strip(", \t") or None
            found.append(Label(index, named, line.start, None, False, False, posts))
        elif journalist and is_outlet(journalist.group("outlet"), False):
            if "?" not in " ".join(below):
                continue
            journalists += 1
            name = journalist.group("name")
            found.append(Label(index, text, line.start, None, False, False, None))
            found[-1].note = journalist.group("outlet").strip()
            found[-1].label = f"{name}, {found[-1].note}"
    officials = len(found) - journalists
    return found if journalists >= 2 and officials >= 1 else []


_NAME_DASH = re.compile(
    r"^[ \t]*(?P<name>(?:M\.|Mme|Mr\.?|Ms\.?|Dr\.?)?[ \t]*[A-Z][\w'’\-]+(?:[ \t]+(?:de|da|von|van)?"
    r"[ \t]*[A-Z][\w'’\-]+){1,3})[ \t]+[-–—][ \t]+(?=[A-Z«\"“])"
)


def name_dash_labels(lines: list[Line], body_from: int) -> list[Label]:
    """'Alain Juppé - Mesdames et Messieurs, …' under 'Conférence de presse conjointe … Alain
    Juppé, …': a name and a dash open a speech, the name printed in the event's title above."""
    found = []
    above: list[str] = []
    for index in range(body_from, len(lines)):
        line = lines[index]
        if line.blank:
            continue
        match = _NAME_DASH.match(line.text)
        name = match.group("name").strip() if match else ""
        if match and any(names_event(text) and name in text for text in above):
            words = line.text[match.end() :]
            text_start = line.start + len(line.text) - len(words)
            found.append(Label(index, name, line.start, text_start, False, False, None))
        elif not found:
            above.append(line.text)
    return found


def _announced_speaker(candidates: list, lines: list[Line]) -> list[Label]:
    """'Transcript: Press conference with Prime Minister Najib Razak' above 'Najib Razak' alone
    on its line and a speech under it: the one speaker of an excerpt, printed once."""
    named = []
    for index, line, shown, anonymous, note in candidates:
        words = shown.split()
        if anonymous or note or not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
            continue
        if any(is_title_word(w) for w in words):
            continue  # 'The Rt Hon David Cameron': a page's minister, with his titles
        below = next((lines[j] for j in range(index + 1, len(lines)) if not lines[j].blank), None)
        if below is None or len(below.text.split()) < 20:
            continue  # a speech follows, not another name
        above = [lines[j].text for j in range(index) if not lines[j].blank]
        if any(names_event(text) and shown in text for text in above):
            named.append(Label(index, shown, line.start, None, False, False, None))
    return named if len(named) == 1 else []


_DASH_TURN = re.compile(r"^[ \t]*[-–—][ \t]+(?=\S)")
# '— Мы готовы, — сказал он.': a quote in a news report, the reporter's words after a dash
_DIALOGUE_ATTRIBUTION = re.compile(r"[,.!?…][ \t]*[-–—][ \t]+[^\W\d_A-ZА-ЯЁІЇЄҐ]")


# 'go?N. KOTZIAS: I didn't …JOURNALIST: On some …': capitals labels glued to the sentence before
_GLUED_LABEL = re.compile(
    r"(?<=[.?!…\"”)\]])[ \t]*(?=(?P<label>(?:[A-Z]\.[ \t]?)?[A-Z][A-Z'’\-]{2,}"
    r"(?:[ \t][A-Z][A-Z'’\-]+){0,3}):[ \t])"
)


def unglue_labels(lines: list[Line], view: str) -> list[Line]:
    """A page that lost its line breaks prints every turn on one line, each capitals label
    glued to the end of the turn before ('…go?N. KOTZIAS: I didn't …'): cut such a line before
    each label, when labels recur there (three at least, one printed twice)."""
    out: list[Line] = []
    for line in lines:
        raw = view[line.start : line.end]
        if len(raw) < 300 or "\x00" in raw:
            out.append(line)
            continue
        cuts: list[tuple[int, str]] = []
        for m in _GLUED_LABEL.finditer(raw):
            if cuts and m.start() < cuts[-1][0] + len(cuts[-1][1]):
                continue  # 'KOTZIAS:' inside 'N. KOTZIAS:', found already
            cuts.append((m.start(), m.group("label")))
        counts = Counter(label for _, label in cuts)
        if len(cuts) < 3 or counts.most_common(1)[0][1] < 2:
            out.append(line)
            continue
        bounds = [0] + [cut for cut, _ in cuts if cut > 0] + [len(raw)]
        for a, b in pairwise(bounds):
            piece = raw[a:b]
            lead = len(piece) - len(piece.lstrip())
            text = piece.strip()
            if text:
                out.append(Line(line.start + a + lead, line.start + a + lead + len(text), text))
    return out


def dash_interview_labels(lines: list[Line], view: str, body_from: int) -> list[Label]:
    """An interview printed with a dash before each turn and no names ('- Сергей Алексеевич,
    …?' then '- Встреча 13 апреля возможна …'): the turns alternate, question first. Not a
    list (its items ask nothing) and not a report's quotes ('— …, — сказал он')."""
    found = []
    for index in range(body_from, len(lines)):
        line = lines[index]
        match = _DASH_TURN.match(line.text)
        if line.blank or not match:
            continue
        previous = lines[index - 1] if index > body_from else None
        words = line.text[match.end() :]
        if len(words.split()) < 6:
            return []  # a list's short items
        if previous and not previous.blank and previous.text.rstrip()[-1:] not in '.?!…»"”':
            return []  # inside a paragraph
        found.append((index, line, words))
    if len(found) < 2 or "?" not in found[0][2]:
        return []
    if sum(bool(_DIALOGUE_ATTRIBUTION.search(words)) for _, _, words in found) * 2 >= len(found):
        return []
    labels = []
    for n, (index, line, words) in enumerate(found):
        dash = line.text[: _DASH_TURN.match(line.text).end()].strip()
        start = line.start + line.text.index(dash)
        text_start = line.start + len(line.text) - len(words)
        question = n % 2 == 0
        labels.append(Label(index, dash, start, text_start, question, not question))
    return labels


def _shape(label: str) -> str:
    if " | " in label:
        return "bar"
    if "," in label:
        return "comma"  # 'Name, Post' or 'Post, Name'
    return "note" if label.endswith((")", "]")) else "plain"


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
