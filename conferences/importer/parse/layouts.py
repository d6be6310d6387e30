"""Speaker labels printed without a colon, decided for the whole document: alone on their
line ('Frage', 'Deschauer (AA)', '**Name | post**'), a name and a dash ('Alain Juppé - …'), a
dash before each turn of an interview, or glued to the turn before when a page lost its line
breaks. dialects.py holds the labels printed with a colon and what a label says."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from .dates import names_event
from .dialects import _NOT_LABELS, Known, Label, _key, _valid_name, without_note
from .names import ANONYMOUS_LABELS, is_outlet, is_post, is_title_word
from .text import Line, is_chrome

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


_QUESTION_DASH = re.compile(
    r"^[ \t]*(?P<q>Q|Question|QUESTION|Frage|Pregunta|Вопрос|Journaliste)[ \t]+[-–—][ \t]+(?=\S)"
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
        asked = _QUESTION_DASH.match(line.text)
        if asked and found:  # 'Question - Will the ferry workers be compensated?'
            text_start = line.start + asked.end()
            found.append(Label(index, asked.group("q"), line.start, text_start, True, False))
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
        if below is None or len(below.text.split()) < 8:
            continue  # a speech follows, not another name
        above = [lines[j].text for j in range(index) if not lines[j].blank]
        if any(names_event(text) and shown in text for text in above):
            named.append(Label(index, shown, line.start, None, False, False, None))
    return named  # ('… with Prime Minister Tamsin Rook and President Piet Vos': both)


_DASH_TURN = re.compile(r"^[ \t]*[-–—][ \t]+(?=\S)")
# '— Мы готовы, — сказал он.': a quote in a news report, the reporter's words after a dash
_DIALOGUE_ATTRIBUTION = re.compile(r"[,.!?…][ \t]*[-–—][ \t]+[^\W\d_A-ZА-ЯЁІЇЄҐ]")


# 'go?N. KOTZIAS: I didn't …JOURNALIST: On some …': capitals labels glued to the sentence before
_GLUED_LABEL = re.compile(
    r"(?<=[.?!…\"”)\]])[ \t]*(?=(?P<label>(?:[A-Z]\.[ \t]?)?[A-Z][A-Z'’\-]{2,}"
    r"(?:[ \t][A-Z][A-Z'’\-]+){0,3}|Q|A):[ \t])"
)


def unglue_labels(lines: list[Line], view: str) -> list[Line]:
    """A page that lost its line breaks prints every turn on one line, each capitals label
    glued to the end of the turn before ('…go?N. KOTZIAS: I didn't …'): cut such a line before
    each label, when labels recur there (three at least, one printed twice)."""
    out: list[Line] = []
    for line in lines:
        raw = view[line.start : line.end]
        if len(raw) < 150 or "\x00" in raw:
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
        if len(words.split()) < 2:
            return []  # a list's one-word items
        if previous and not previous.blank and previous.text.rstrip()[-1:] not in '.?!…»"”':
            return []  # inside a paragraph
        found.append((index, line, words))
    if len(found) < 2 or "?" not in found[0][2]:
        return []
    if sum(len(words.split()) for _, _, words in found) < 6 * len(found) and not names_event(
        " ".join(line.text for line in lines[: found[0][0]])
    ):
        return []  # short items are a list's, unless an interview is named above them
    asks = [words for n, (_, _, words) in enumerate(found) if n % 2 == 0]
    if sum(words.rstrip().endswith("?") for words in asks) * 2 < len(asks):
        return []  # '- Who is standing? Five parties …': an explainer's items, each answered
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
