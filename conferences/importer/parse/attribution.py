"""Who said a quote in a news article: the words that name the speaker, found around the quote
('…,” he said', 'Lavrov said: “…”', 'said the minister', '— сказал он'), in the sentence after
it ('Lo ha dichiarato …') or leading the sentence ('At the press conference, X …'); 'according
to the TASS agency' names a source, not a speaker. Whom those words name (a pronoun, a bare
title, a surname alone) is referents.py's question.
"""

from __future__ import annotations

import re

from .lexicon import (
    AFTER_QUOTE_AUX,
    AFTER_QUOTE_SOURCES,
    ARTICLES,
    BEFORE_QUOTE_SOURCES,
    DASHES,
    FUNCTION_WORDS,
    NOT_VERBS,
    OTHER_PRONOUNS,
    PAST_TENSE,
    REPORT_VERBS,
    ROLE_LOWER,
    SKIP_BETWEEN,
    SPEECH_VERBS,
)
from .names import MEDIA_WORDS, NAME_PARTICLES, PRONOUNS, is_title_word
from .quotes import MASK

_TOKEN = re.compile(r"[^\W_][\w.'’\-]*|[,;:()—–]|" + MASK + "+")


_POST_NOUNS = {
    "spokesperson", "spokesman", "spokeswoman", "official", "officials", "source", "sources",
    "representative", "adviser", "advisor", "aide", "diplomat", "envoy", "member", "head",
}  # fmt: skip


def _is_name_word(word: str) -> bool:
    low = word.lower()
    return (
        word[:1].isupper()
        and not is_title_word(word)
        and low not in PRONOUNS
        and low not in FUNCTION_WORDS
    )


def _name_runs(words: list[str]) -> list[tuple[int, list[str]]]:
    """Every run of three, then of two, words that is a name by itself, with where it starts."""
    return [
        (i, words[i : i + size])
        for size in (3, 2)
        for i in range(len(words) - size + 1)
        if _name_run(words[i : i + size]) == words[i : i + size]
    ]


def _name_run(words: list[str]) -> list[str]:
    """The first run of two or three capitalised words that are not titles: a person's name."""
    run: list[str] = []
    padded = [*words, ""]
    for n, word in enumerate(padded):
        if _is_name_word(word) and not word.endswith(("’s", "'s")):
            run.append(word)
            continue
        if run and word in NAME_PARTICLES and _is_name_word(padded[n + 1]):
            run.append(word)  # 'Alexander Van der Bellen'
            continue
        if 2 <= sum(w not in NAME_PARTICLES for w in run) <= 3:
            return run
        run = []
    return []


def tokens(text: str, offset: int = 0) -> list[tuple[str, int]]:
    found = []
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        if word.endswith(".") and "." not in word[:-1] and len(word) > 2:
            word = word[:-1]  # 'said.' but not 'U.S.'
        found.append((word, match.start() + offset))
    return found


# fmt: off
_WHEN = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "yesterday", "tonight", "earlier", "later", "again", "afterwards", "separately",
}
# fmt: on


def _np_token(word: str) -> bool:
    return word[:1].isupper() or word.lower() in ROLE_LOWER or word.lower() in ("of", "and")


_AUXILIARIES = {"a", "ont", "avait", "avaient", "ha", "hanno", "aveva"}
# English reporting verbs never come before their subject in 'said Norland, the country's …'
_ENGLISH_VERBS = {"said", "says", "told", "tells", "added", "adds", "asked", "asks", "noted"}


def _verb_at(toks: list[tuple[str, int]], k: int) -> bool:
    """A reporting verb at token k, or a past participle after its auxiliary within four
    words: 'a regretté', 'a de son côté regretté', 'ha ribadito'."""
    word = toks[k][0].lower()
    if is_verb(word):
        return True
    if not re.search(r"(?:é|ée|és|ées|ato|ata|uto|ito)$", word) or len(word) < 4:
        return False
    for back in range(k - 1, max(-1, k - 5), -1):
        previous = toks[back][0]
        if previous in ",;:()" or previous.startswith(MASK):
            return False
        if previous.lower() in _AUXILIARIES:
            if previous.lower() != "a":
                return True
            # 'Bourita a de son côté regretté', 'il a noté', not 'At a café', 'a former protégé'
            before = toks[back - 1][0] if back else ""
            return before.lower() in ("il", "elle", "on") or (
                _is_name_word(before) and before.lower() not in _OPENERS
            )
    return False


def is_verb(word: str) -> bool:
    low = word.lower()
    return low in SPEECH_VERBS or (
        re.fullmatch(PAST_TENSE, low) is not None and low not in NOT_VERBS
    )


def _collect_back(toks: list[tuple[str, int]], j: int) -> tuple[list[str], int]:
    """Noun-phrase words ending at token j, and the index just before them."""
    words: list[str] = []
    while (
        j >= 0
        and _np_token(toks[j][0])
        and toks[j][0].lower() not in FUNCTION_WORDS  # not 'Y concluyó:'
        and len(words) < 10
    ):
        words.insert(0, toks[j][0])
        j -= 1
        if (
            j >= 1
            and toks[j][0].lower() == "for"
            and toks[j - 1][0].lower() in _POST_NOUNS
            and words
        ):  # 'a spokesman for the ministry'
            words.insert(0, "for")
            j -= 1
    while words and words[0].lower() in ("and", "of", "for"):
        words.pop(0)
    return words, j


def _backward_np(toks: list[tuple[str, int]], k: int) -> list[str]:
    """The noun phrase ending just before token k (skipping 'also', 'has' and the like)."""
    j = k - 1
    while j >= 0:
        word = toks[j][0].lower()
        if word in SKIP_BETWEEN or word in _AUXILIARIES:  # "Le Drian a ironisé"
            j -= 1
        elif word in _WHEN:
            j -= 2 if j > 0 and toks[j - 1][0].lower() in ("on", "last", "this") else 1
        else:
            break
    if j >= 0 and (toks[j][0].lower() in PRONOUNS or toks[j][0].lower() in OTHER_PRONOUNS):
        return [toks[j][0]]
    if j >= 0 and toks[j][0].lower() in ("and", "but", "or", "then", "who", "which", "that"):
        return []
    if j >= 1 and toks[j][0] == ",":
        # 'Nadia Okoro, the trade minister, said' / 'The trade minister, Nadia Okoro, said'
        second, i = _collect_back(toks, j - 1)
        if second and i >= 1 and toks[i][0] == ",":
            first, _ = _collect_back(toks, i - 1)
            if first and (_name_run(first) or _name_run(second)):
                return first + second
        return []
    words, j = _collect_back(toks, j)
    if words and not any(
        w[:1].isupper() or w.lower() in ROLE_LOWER - {"the", "a", "an"} for w in words
    ):
        return []
    if words and all(w.lower() in ARTICLES for w in words):
        return []
    return words


def _forward_np(toks: list[tuple[str, int]], k: int) -> list[str]:
    words: list[str] = []
    j = k + 1
    if j < len(toks) and (toks[j][0].lower() in PRONOUNS or toks[j][0].lower() in OTHER_PRONOUNS):
        return [toks[j][0]]
    while j < len(toks) and _np_token(toks[j][0]) and len(words) < 10:
        if toks[j][0].lower() == "and" and (j + 1 >= len(toks) or not toks[j + 1][0][:1].isupper()):
            break
        words.append(toks[j][0])
        j += 1
        if (
            j + 1 < len(toks)
            and toks[j][0].lower() == "for"
            and words[-1].lower() in _POST_NOUNS
            and _np_token(toks[j + 1][0])
        ):  # 'said a spokesman for the ministry'
            words.append("for")
            j += 1
    if words and j + 1 < len(toks) and toks[j][0] == "," and not _name_run(words):
        # 'said the trade minister, Nadia Okoro, on Monday': the name in apposition
        after = [w for w, _ in toks[j + 1 : j + 5]]
        run = _name_run(after)
        if run and after[: len(run)] == run:
            words += run
    if not any(w[:1].isupper() or w.lower() in ROLE_LOWER - {"the", "a", "an"} for w in words):
        return []
    return words


def _is_source(words: list[str]) -> bool:
    text = " ".join(words)
    return bool(MEDIA_WORDS.search(text)) or bool(
        re.search(
            r"\b(?:sources?|report|reports|"
            r"data|statement|website)\b",
            text,
            re.I,
        )
    )


def after_attribution(m: str, close: int, end: int, mark: str = "") -> list[str] | None:
    """'…,” Lavrov said' / '…,” said the minister' / '…”, U.S. Secretary … Kerry said'."""
    # only the first fifteen words count: a bounded window keeps a run-on sentence linear
    toks = tokens(m[close : min(end, close + 600)], close)
    words = [t for t in toks if t[0] not in ",;:"]
    for k, (word, _) in enumerate(toks):
        if word.startswith(MASK) or k > 14:
            return None
        first = not [t for t in toks[:k] if t[0] not in DASHES]
        german_or_french = mark in ("“", "«", "»", "‹", "›")  # the closing mark, unmasked
        if first and word.lower() in AFTER_QUOTE_SOURCES and (word != "so" or german_or_french):
            rest = _forward_np(toks, k)
            return None if not rest or _is_source(rest) else rest
        dialogue = mark in "—–" and first and word[:1].islower()  # '— …, — уточнил Веденин'
        # '"…," konštatoval Kuleba': a Slavic past tense right after the quote, then a name
        slavic = (
            first
            and re.fullmatch(r"[^\W\d_]{4,}(?:ł|ła|l|la)", word) is not None
            and word[:1].islower()
            and k + 1 < len(toks)
            and toks[k + 1][0][:1].isupper()
        )
        dialogue = dialogue or slavic
        if not _verb_at(toks, k) and not dialogue:
            continue
        if word.lower() == "according":
            rest = _forward_np(toks, k + 1) if k + 1 < len(toks) else []
            return None if not rest or _is_source(rest) else rest
        if word.lower() == "quoted":  # '…,” Anadolu quoted Lavrov as saying'
            rest = _forward_np(toks, k)
            if rest and not _is_source(rest):
                return rest
        dashed = any(t[0] in DASHES for t in toks[:2])
        if dashed and k > 1 and re.fullmatch(r"[^\W\d_]{3,}(?:л|ла|ли|ł|ła|li)", word):
            # '», — сегодня на пресс-конференции … заявил министр … Коваль': after a dash, the
            # circumstances first, then the verb and its subject
            after: list[str] = []
            for w, _ in toks[k + 1 : k + 11]:
                if w in ",;:()" or w.startswith(MASK):
                    break
                after.append(w)
            run = _name_run(after)
            if run:  # 'министр иностранных дел Армении Арарат Мирзоян'
                return after[: after.index(run[-1]) + 1]
            found = _forward_np(toks, k)
            if found:
                return found
        subject = _backward_np(toks, k)
        head = [t for t in toks[:k] if t[0] not in DASHES]
        if subject and len(subject) == len([w for w in head if w[0].lower() not in SKIP_BETWEEN]):
            return subject
        if not [w for w in head if w[0].lower() not in AFTER_QUOTE_AUX]:
            found = _forward_np(toks, k)
            if not found and k + 1 < len(toks) and toks[k + 1][0] == ",":
                # '», a souligné, de son côté, le président du Niger, Mohamed Bazoum': an aside
                # between the verb and its subject
                aside = next(
                    (n for n in range(k + 2, min(k + 9, len(toks))) if toks[n][0] == ","), None
                )
                if aside is not None:
                    after = [w for w, _ in toks[aside + 1 : aside + 13] if not w.startswith(MASK)]
                    after = [w for w in after if w != ","]
                    run = _name_run(after)
                    found = after[: after.index(run[-1]) + 1] if run else _forward_np(toks, aside)
            if dialogue and not _name_run(found or []):
                # '– …, – powiedział rzecznik ministerstwa Łukasz Jasina'
                found = _name_after(toks, k) or found
            return found or None
        return None
    del words
    return None


def _name_after(toks: list[tuple[str, int]], k: int) -> list[str]:
    """The first capitalised words within five words after token k, the lower-case post
    before them kept ('rzecznik ministerstwa Łukasz Jasina')."""
    words: list[str] = []
    for word, _ in toks[k + 1 : k + 7]:
        if word in ",;:()" or word.startswith(MASK) or (words and not word[:1].isupper()):
            break
        if word[:1].isupper():
            words.append(word)
    if not words:
        return []
    end = next(n for n, (w, _) in enumerate(toks) if n > k and w == words[-1])
    return [w for w, _ in toks[k + 1 : end + 1]]


def before_attribution(m: str, start: int, mark: int) -> tuple[list[str] | None, bool]:
    """'Lavrov said: “…' / 'he replied that he had “…'; also whether a speech verb was seen."""
    if mark - start > 2000:  # no sentence is that long: a run of quotes, look nearby only
        start = mark - 400
    toks = tokens(m[start:mark], start)
    seen = False
    first_verb = len(toks)
    for k in range(len(toks) - 1, -1, -1):
        word = toks[k][0]
        if word.lower() in BEFORE_QUOTE_SOURCES:
            rest = _forward_np(toks, k)
            if rest and not _is_source(rest):
                return rest, True
            continue
        if not _verb_at(toks, k):
            continue
        seen = True
        first_verb = k
        if word.lower() == "according":
            continue
        if k >= 3 and toks[k - 1][0].lower() == "who" and toks[k - 2][0] == ",":
            # '… said to a reporter of Channel Five, who asked whether “…”': the reporter
            subject = _antecedent(toks, k - 3)
            head = [w.lower() for w in subject if w.lower() not in ARTICLES][:1]
            if subject and (not _is_source(subject) or set(head) & _PERSON_NOUNS):
                return subject, True
        english = word.lower() in _ENGLISH_VERBS or word.lower().endswith("ed")
        if not english and k + 1 < len(toks) and toks[k + 1][0].lower() in _SUBJECT_PRONOUNS:
            # '… in Kiew sagte sie zu ihrem Amtskollegen: „…': the subject after its verb
            return [toks[k + 1][0]], True
        subject = _backward_np(toks, k)
        after = _forward_np(toks, k)  # 'betonte Marwick, diese seien „…': the verb comes first
        if len(after) == 1 and after[0].lower() in ARTICLES:
            # 'ha detto il ministro della Difesa Luca Ferri: «…': the article, the post, the name
            phrase = []
            for w, _ in toks[k + 1 : k + 12]:
                if w in ",:;" or w.startswith(MASK):
                    break
                phrase.append(w)
            run = _name_run(phrase)
            if run and phrase[len(phrase) - len(run) :] == run:
                after = phrase
        end = k + 1 + len(after)
        closed = end >= len(toks) or toks[end][0] in ",:"  # not 'said Nigeria is …'
        named = after and (
            _name_run(after) == after
            or (len(after) == 1 and _is_name_word(after[0]))
            or (
                after[0].lower() in ARTICLES and _name_run(after) == after[-len(_name_run(after)) :]
            )
        )
        if named and closed and not english and not (subject and _name_run(subject)):
            return after, True  # (before 'den neuen Innenminister', which is no name)
        if subject and not _is_source(subject):
            return subject, True
    if not seen and len(toks) >= 2 and toks[-1][0] in ",:":
        # 'Dışişleri Bakanı Hakan Fidan, "…" diye konuştu', 'Fidan: "…"': the name just before
        words, _ = _collect_back(toks, len(toks) - 2)
        run = _name_run(words[-3:]) if words else []
        if run and words[-len(run) :] == run:
            return run, True
    if seen:  # 'X accused … and said …': the subject of the sentence
        lead = leading_person(m, start, mark)
        if lead and len(lead) > 1:  # 'El ministro de Exteriores, José Manuel Albares, ha …'
            return lead, True
        # 'Upon his return …, IAEA chief Rafael Grossi today told reporters that “…',
        # 'Rzecznik rządu, Piotr Müller po pytaniu redaktora stwierdził, że "…': the last name
        # printed before the verb
        before = [w for w, _ in toks[:first_verb] if not w.startswith(MASK)]
        verb = toks[first_verb][0].lower() if first_verb < len(toks) else ""
        if "," in before:  # not across a comma ('… counterpart Vladimir Putin, saying …')
            before = before[len(before) - before[::-1].index(",") :]
        runs = [(i, r) for i, r in _name_runs(before) if len(r) == 3 or r[0] != "The"]
        right_before = _backward_np(toks, first_verb) if first_verb < len(toks) else []
        if runs and not verb.endswith("ing") and not right_before:
            # (not when 'the president' stands right before 'told')
            return max(runs, key=lambda run: (run[0] + len(run[1]), len(run[1])))[1], True
        subject = []
        for word, _ in toks:
            if word.lower() == "according":
                break
            if _np_token(word) and not is_verb(word) and word.lower() not in FUNCTION_WORDS:
                subject.append(word)  # not 'Tras ello, enunció:' nor 'Y concluyó:'

            else:
                break
        while subject and (
            subject[-1].lower() in ("and", "of", "the") or subject[-1] in _AUXILIARIES
        ):
            subject.pop()  # 'Nasser Bourita a de son côté regretté': not 'Bourita a'

        if subject and (subject[0][:1].isupper()) and not _is_source(subject):
            return subject, True
    return None, seen


_PERSON_NOUNS = _POST_NOUNS | {"reporter", "journalist", "correspondent", "editor", "host"}
_STOP_BACK = {"to", "by", "with", "from", "at", "for", "on", "in", "asked", "told", "said"}


def _antecedent(toks: list[tuple[str, int]], j: int) -> list[str]:
    """The noun phrase ending at token j that a relative 'who' refers to: back to its article,
    across 'of the …' ('a reporter of the Voice of the Coast channel')."""
    words: list[str] = []
    while j >= 0 and len(words) < 12:
        word = toks[j][0]
        if word in ",;:()" or word.startswith(MASK) or word.lower() in _STOP_BACK:
            break
        words.insert(0, word)
        j -= 1
        if word.lower() in ARTICLES and not (j >= 0 and toks[j][0].lower() == "of"):
            break
    return words if any(w[:1].isupper() or w.lower() in ROLE_LOWER for w in words) else []


# The next sentence names who spoke the quotes of this one: 'Lo ha dichiarato …', 'Об этом
# заявил …', 'Das sagte …', 'Así lo afirmó …', 'C'est ce qu'a déclaré …'
_CATAPHORA = re.compile(
    r"\s*(?:(?:Lo|L['’])\s*(?:ha|hanno)|Об этом|Про це|Das|Dies|Así lo|"
    r"(?:C['’]est|Voilà|Voici|Tel est) ce qu['’](?:a|ont))"
    r"\s+(?P<verb>[^\W\d_]+)\b",
)


def after_sentence_attribution(m: str, end: int) -> list[str] | None:
    match = _CATAPHORA.match(m, end)
    if not match or (
        not is_verb(match.group("verb"))
        and not _verb_at(
            tokens(m[end : match.end()], end), len(tokens(m[end : match.end()], end)) - 1
        )
    ):
        return None
    toks = tokens(m[match.end() : match.end() + 200], match.end())
    runs = _name_runs([w for w, _ in toks[:16]])
    if runs:  # the first name after the post: '… internazionale, Luigi Di Maio'
        return min(runs, key=lambda run: (run[0], -len(run[1])))[1]
    words = _name_after([("", 0), *toks], 0)
    return words or None


def sentence_subjects(m: str, start: int, end: int) -> list[list[str]]:
    """Subjects of report verbs in a sentence outside quotes ('Lavrov stressed that …')."""
    toks = tokens(m[start:end], start)
    found = []
    for k, (word, _) in enumerate(toks):
        if word.lower() in REPORT_VERBS:
            subject = _backward_np(toks, k)
            if not subject and k and toks[k - 1][0] == ",":
                # '… for mutual benefits, said Foreign Minister Yang Jiechi on Tuesday.'
                subject = _forward_np(toks, k)
            if subject and not _is_source(subject):
                found.append(subject)
    return found


def leading_person(m: str, start: int, end: int) -> list[str] | None:
    """The person a sentence opens with ('Altara's foreign minister Amira Haddan was …'), so
    that a 'she said' in the next sentence refers to her."""
    toks = tokens(m[start : min(end, start + 300)], start)
    first_comma = next((n for n, (w, _) in enumerate(toks[:12]) if w == ","), None)
    opened = (
        bool(toks)
        and (
            toks[0][0].lower() in _OPENERS
            # 'Cerca del cierre de su visita a Chile, Alberto Fernández contradijo …': a phrase
            # naming no one, then the subject after its comma
            or (
                first_comma is not None
                and first_comma >= 2
                and not _name_run([w for w, _ in toks[:first_comma]])
                and not any(is_verb(w) for w, _ in toks[:first_comma])
            )
        )
    )
    if opened:
        # 'At the joint press conference, Jaishankar called for …': the subject after the comma
        # ('Nel corso di una conferenza …, svolta a Roma, il ministro …': the comma before it)
        comma = next(
            (
                n
                for n, (w, _) in enumerate(toks[:20])
                if w == ","
                and n + 1 < len(toks)
                and (_np_token(toks[n + 1][0]) or toks[n + 1][0] in ARTICLES)
            ),
            None,
        )
        toks = toks[comma + 1 :] if comma is not None else []
    if toks and (toks[0][0] in ("De", "Het", "Een") or toks[0][0] in ARTICLES):
        toks = toks[1:]  # 'De Amerikaanse minister Rex Tillerson', '…, il ministro …'
    words: list[str] = []
    for n, (word, _) in enumerate(toks):
        if (
            word == ","
            and any(is_title_word(w) for w in words)
            and n + 1 < len(toks)
            and _is_name_word(toks[n + 1][0])
        ):
            continue  # 'El ministro de Exteriores, José Manuel Albares, ha …': the apposition
        if (
            word.lower() in _NAME_LINKS
            and words
            and n + 1 < len(toks)
            and _np_token(toks[n + 1][0])
        ):
            words.append(word)
            continue
        if not _np_token(word) or word.startswith(MASK):
            break
        words.append(word)
    if not words or any(w.lower() in ("and", "or", "y", "et", "und") for w in words):
        return None
    if (
        not _name_run(words)
        and not (len(words) == 1 and _is_name_word(words[0]))
        and words[0].lower()
        in ROLE_LOWER - {"the", "a", "an"}  # the sentence opens with the post ('Міністр …')
    ):
        # 'Міністр закордонних справ України Андрій Сибіга під час …': a post in the genitive,
        # then the name
        first = []
        for w, _ in toks[:12]:  # (the subject stands before the verb and any quote)
            if w.startswith(MASK) or is_verb(w) or (w[:1].islower() and w in PRONOUNS):
                break
            first.append(w)
        for i, run in _name_runs(first):
            if any(is_title_word(w) for w in first[:i]):
                return run
    if len(words) == 1 and _is_name_word(words[0]) and len(toks) > 1 and toks[1][0][:1].islower():
        return words  # 'Jaishankar called for …': a surname, which the resolver may know
    return _name_run(words) or None


# (not 'il', the Italian article: 'ha detto il ministro …')
_SUBJECT_PRONOUNS = {"he", "she", "er", "sie", "elle", "он", "она", "він", "вона", "hij", "zij"}
_NAME_LINKS = {"de", "del", "des", "du", "di", "della", "der"}  # 'ministro de Exteriores'
# Words that open a sentence with a phrase before its subject ('At the press conference, …')
_OPENERS = {
    "upon", "amid", "despite", "while", "when", "ahead", "with",
    "at", "in", "on", "after", "during", "before", "speaking", "addressing", "asked", "earlier",
    "later", "meanwhile", "separately", "responding", "answering", "replying", "following",
    # the same openings in the languages of the articles we meet
    "nel", "nella", "durante", "dopo", "rispondendo", "en", "tras", "respondiendo", "lors",
    "après", "pendant", "répondant", "bei", "nach", "während", "auf", "desde",
}  # fmt: skip
