"""Who a name, a post or a pronoun in one news article refers to: 'he' and 'the minister' are
the last person named as a speaker; a surname alone takes the fullest form of the name the
article prints; a word that opens a sentence, an organisation or a document is no person.
attribution.py finds the words that name a speaker; this module says whom they name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .attribution import _PERSON_NOUNS, _POST_NOUNS, _name_run, is_verb
from .lexicon import ARTICLES, OTHER_PRONOUNS, ROLE_LOWER
from .names import (
    MEDIA_WORDS,
    NAME_PARTICLES,
    OF_WORDS,
    PRONOUNS,
    fuller_name,
    is_title_word,
    name_after_title,
)

# 'Diplomatische Kanäle', 'Wirtschaftliche …': a German adjective with its ending, no person
# ('Ehrlich', 'Craig', 'Ludwig' are names)
_ADJECTIVE = re.compile(r"(?:isch|lich)(?:e|en|er|es|em)$")
_PREPOSITIONS = {
    "por", "de", "en", "a", "con", "sobre", "para", "par", "pour", "sur", "dans", "about", "by",
    "in", "on", "with", "for", "from", "für", "von", "mit", "nach", "auf", "по", "на", "в", "о",
    "per", "da", "su",
}  # fmt: skip


@dataclass
class Resolved:
    printed: str  # the attribution words as printed
    speaker: str | None


@dataclass
class Names:
    """Names met so far in one article; who 'he' and 'the minister' refer to."""

    haystack: str
    last_person: str | None = None
    last_body: str | None = None  # the organisation last named as a subject: who 'it' is
    canonical: dict[str, str | None] = field(default_factory=dict)
    variants: dict[str, list[str]] = field(default_factory=dict)
    lower_words: set[str] = field(init=False)
    # what the haystack says of a word, asked once per article ('Hasina' in every sentence)
    _looked_up: dict[tuple[str, str], bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # words the article prints in lower case somewhere: common words, not names, when a
        # sentence opens with them ('En esa línea, señaló …', 'Ha poi sottolineato …')
        words = re.findall(r"(?<![\w'’\-])[^\W\d_][\w'’\-]*", self.haystack)
        self.lower_words = {word for word in words if word[0].islower()}

    def _common(self, token: str) -> bool:
        return token.lower() in self.lower_words and not (
            token in self.canonical or fuller_name(token, self.haystack)
        )

    def _once(self, question: str, key: str, answer) -> bool:
        if (question, key) not in self._looked_up:
            self._looked_up[question, key] = answer()
        return self._looked_up[question, key]

    def _adverbial(self, token: str) -> bool:
        return self._once("adverbial", token, lambda: self._reads_as_adverb(token))

    def _titled(self, token: str) -> bool:
        return self._once("titled", token, lambda: self._after_a_post(token))

    def _opens_only(self, run: list[str]) -> bool:
        return self._once("opens", " ".join(run), lambda: self._only_opening(run))

    def _reads_as_adverb(self, token: str) -> bool:
        """Whether a sentence's first word reads as an adverb or a participle wherever it stands:
        a comma and a verb after it ('Además, opinó …'), or a preposition ('Preguntado por …');
        not a name, which a verb or an apposition follows ('Moreno, ministro de Defensa, …')."""
        pattern = re.escape(token) + r"(?P<comma>[ \t]*,)?[ \t]+(?P<next>[^\W\d_][\w'’\-]*)"
        found = False
        for match in re.finditer(r"(?<![\w'’\-])" + pattern, self.haystack):
            nxt = match.group("next")
            if (match.group("comma") and is_verb(nxt)) or (
                not match.group("comma") and nxt.lower() in _PREPOSITIONS
            ):
                found = True
            else:
                return False
        return found

    def _after_a_post(self, token: str) -> bool:
        """Whether the text prints a post right before the word ('Prime Minister Sheikh Hasina',
        'Minister Bishop'): a person known by one name."""
        if len(token) < 3 or not token[:1].isupper() or token.isupper():
            return False
        pattern = r"([A-Z][\w.'’\-]*)[ \t]+" + re.escape(token) + r"(?![\w'’\-])"
        return any(
            is_title_word(m.group(1).rstrip(".")) for m in re.finditer(pattern, self.haystack)
        )

    def _only_opening(self, run: list[str]) -> bool:
        """Whether the words stand only where a sentence opens ('En esa línea'), never inside
        one ('… said Will Harlan')."""
        pattern = r"(?<![\w'’\-])" + r"\s+".join(re.escape(t) for t in run) + r"(?![\w'’\-])"
        for match in re.finditer(pattern, self.haystack):
            before = self.haystack[: match.start()].rstrip(" \t\u00a0")
            if before and before[-1] not in '\n.!?:;«»"“”„()—–-':
                return False
        return True

    def resolve(self, words: list[str]) -> Resolved | None:
        printed = " ".join(words)
        low = printed.lower()
        if low in ("i", "we", "you", "me", "us"):
            return None  # the speaker's own words, not an attribution
        if low in ("it", "its") and self.last_body:  # 'The European Commission said …'
            return Resolved(printed, self.last_body)
        if low in PRONOUNS or low in OTHER_PRONOUNS:
            return Resolved(printed, self.last_person)
        tokens = list(words)
        while tokens and tokens[0].lower() in ARTICLES:
            tokens.pop(0)
        if not tokens:
            return None
        if any(t.lower() == "and" for t in tokens):  # 'The United States and France'
            name = printed if printed[:1].isupper() else " ".join(tokens)
            self._variant(name, name)
            return Resolved(printed, name)
        name_tokens: list[str] = []
        for token in reversed(tokens):
            if (token[:1].isupper() and not is_title_word(token) and len(name_tokens) < 3) or (
                name_tokens and token.lower() in NAME_PARTICLES
            ):
                name_tokens.insert(0, token)
            else:
                break
        if (
            name_tokens
            and name_tokens[0].lower() not in NAME_PARTICLES  # 'Van der Bellen räumte ein …'
            and self._common(name_tokens[0])
            and self._opens_only(name_tokens)
            # ('Blanc, le porte-parole, a ajouté' with 'le drapeau blanc' elsewhere: a name)
            and (len(name_tokens) > 1 or self._adverbial(name_tokens[0]))
        ):
            while name_tokens and self._common(name_tokens[0]):
                name_tokens.pop(0)  # 'En', 'Ha', 'Ранее Bestnews.kz': a sentence's first word
            if not name_tokens:  # 'Ha poi sottolineato …': the subject left out, as before
                return Resolved(printed, self.last_person)
        if (
            len(name_tokens) == 1
            and self.last_person
            and name_tokens[0] not in self.canonical
            and name_tokens[0] not in self.last_person.split()
            and self._opens_only(name_tokens)
            and self._adverbial(name_tokens[0])
            and not fuller_name(name_tokens[0], self.haystack)
        ):
            # 'Además, opinó que …', 'Preguntado por …, dijo que …': a word that only ever opens
            # a sentence, never a name printed inside one; the subject left out is the last person
            return Resolved(printed, self.last_person)
        if name_tokens and name_tokens[-1].lower() in _DOCUMENTS:
            return None  # 'The official Concluding Statement welcomed …': a paper, no one
        described = (
            len(tokens) > 2
            and tokens[0].lower() in _PERSON_NOUNS
            and tokens[1].lower() in ("of", "for", "from", "at", "with")
        )  # 'a correspondent of the Coastline Radio channel': someone unnamed, of an outlet
        if (
            len(name_tokens) == 3 and len(tokens) > 3 and tokens[-4].lower() in OF_WORDS
        ):  # 'il ministro della Difesa Luca Ferri': the post's object, then the name
            name_tokens = name_tokens[1:]
        if not name_tokens and not described:  # 'Nadia Okoro the trade minister'
            name_tokens = _name_run(tokens)
        if not name_tokens:
            phrase = " ".join(tokens)
            holder = self._holder(tokens) if words[0].lower() == "the" else None
            if holder:  # 'the spokeswoman of the Altaran Foreign Ministry': introduced before
                return Resolved(printed, holder)
            if words[0].lower() in ("a", "an") or (
                _ORGANISATION.search(phrase) and any(t[:1].isupper() for t in tokens)
            ):
                # 'a senior official', 'the Altaran Ministry of Transport': someone new, unnamed
                self._variant(phrase, phrase)
                if _ORGANISATION.search(tokens[-1]):
                    self.last_body = phrase
                return Resolved(printed, phrase)
            return Resolved(printed, self.last_person)  # a bare title: the last person named
        if (
            len(name_tokens) == 3
            and re.match(r"[А-ЯЁІЇЄҐ]", name_tokens[0])
            and not re.search(r"(?:вич|вна|ична|ич)$", name_tokens[1])
        ):  # 'президента Альтарии Игорь Веденин': a country in the genitive, then the name
            name_tokens = name_tokens[1:]
        if (
            len(name_tokens) == 1
            and name_tokens[0].isupper()
            and len(name_tokens[0]) <= 5
            and len(tokens) > 1
            and is_title_word(tokens[-2])
        ):  # 'очільник МЗС', 'the head of UNHCR': a post of an organisation
            return Resolved(printed, self.last_person)
        name = " ".join(name_tokens).rstrip(".,")
        surname = name_tokens[-1].rstrip(".,’'s")
        if surname.endswith(("’s", "'s")):
            return None
        if surname not in self.canonical and len(name_tokens) == 1:
            # 'Ibarrondo' after 'Tomás Ibarrondo Vega': a name of someone already met
            met = [p for p in self.canonical.values() if p and surname in p.split()]
            # ('Yang' after 'Yang Jiechi': a family name printed first)
            if len(set(met)) == 1:
                self.canonical[surname] = met[0]
        if surname not in self.canonical:
            self.canonical[surname] = fuller_name(surname, self.haystack) or (
                name_after_title(surname, self.haystack) if len(name_tokens) == 1 else None
            )
        full = self.canonical[surname]
        if (
            full is None
            and len(name_tokens) == 1
            and len(tokens) > 1
            and tokens[-2][:1].islower()
            and re.fullmatch(r"[А-ЯЁІЇЄҐ]\w*(?:[яыи]|ого|(?<!ов|ев|ин)а)", surname)
        ):  # 'представитель Кремля': a post of an organisation, not a surname
            return Resolved(printed, self.last_person)
        if full is None and len(name_tokens) > 1:
            full = self.canonical[surname] = name
        speaker = full or name
        person = (
            (full is not None or (len(name_tokens) == 1 and self._titled(name_tokens[0])))
            and not MEDIA_WORDS.search(speaker)
            and not _ADJECTIVE.search(name_tokens[0].lower())
            and not (len(name_tokens) == 1 and name_tokens[0].isupper())  # 'CEDEAO'
        )
        self._variant(speaker, name)
        if person:
            self.last_person = speaker
        return Resolved(printed, speaker)

    def _holder(self, tokens: list[str]) -> str | None:
        """The person named next to the organisation of 'the spokeswoman of <organisation>'
        earlier in the article ('Altaran Foreign Ministry spokeswoman Mira Dovan')."""
        low = [t.lower() for t in tokens]
        if "of" not in low or low[0] not in _POST_NOUNS | ROLE_LOWER:
            return None
        org = [t for t in tokens[low.index("of") + 1 :] if t.lower() not in ARTICLES]
        if not org or not all(t[:1].isupper() for t in org):
            return None
        pattern = r"\b" + r"\s+".join(re.escape(t) for t in org) + r"\b"
        for match in re.finditer(pattern, self.haystack):
            near = self.haystack[max(0, match.start() - 80) : match.end() + 80]
            for person in self.variants:
                if person != self.last_person and person not in self.canonical.values():
                    continue
                if re.search(r"\b" + re.escape(person) + r"\b", near):
                    return person
        return None

    def _variant(self, speaker: str, name: str) -> None:
        variants = self.variants.setdefault(speaker, [speaker])
        if name not in variants:
            variants.append(name)


_ORGANISATION = re.compile(
    r"\b(?:ministry|department|government|office|embassy|mission|council|commission|committee|"
    r"presidency|administration|secretariat|cabinet)\b",
    re.IGNORECASE,
)
# what a meeting publishes: a subject that is no person ('the Final Declaration said …')
_DOCUMENTS = {
    "statement", "declaration", "communique", "communiqué", "resolution", "report", "agreement",
    "treaty", "charter", "memorandum", "plan", "strategy", "erklärung", "déclaration",
    "declaración", "dichiarazione", "заявление", "декларация",
}  # fmt: skip
