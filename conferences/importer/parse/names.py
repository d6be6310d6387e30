"""Names of people, titles and media outlets, as far as plain text can tell them apart."""

from __future__ import annotations

import re
from collections import Counter

# fmt: off
HONORIFICS = {
    "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "miss", "dr", "dr.", "sir", "dame", "madam", "madame",
    "mme", "mme.", "m.", "h.e.", "he.", "hon.", "hon", "prof", "prof.", "professor", "lord",
    "lady",
    # the same in the languages of the briefings we meet ('Herr Seibert, wie …')
    "herr", "herrn", "frau", "monsieur", "señor", "señora", "signor", "signora",
    "господин", "госпожа",
}
# fmt: on
# Words of posts and offices: stripped from labels, never taken for a first name.
# fmt: off
TITLE_WORDS = {
    "president", "vice", "secretary", "secretary-general", "general", "under", "assistant",
    "deputy", "minister", "foreign", "prime", "ambassador", "senator", "governor", "admiral",
    "spokesperson", "spokesman", "spokeswoman", "chancellor", "king", "queen", "prince",
    "princess", "chairman", "chairwoman", "chair", "director", "advisor", "adviser", "counselor",
    "counsellor", "commissioner", "high", "representative", "mayor", "premier", "envoy", "special",
    "senior", "chief", "head", "leader", "press", "national", "security", "state", "defense",
    "defence", "affairs", "first", "lady", "crown", "sheikh", "emir", "sultan", "colonel",
    "captain", "major", "lieutenant", "sergeant", "judge", "justice", "speaker", "congressman",
    "congresswoman", "delegate", "official", "officer", "executive", "permanent", "acting",
    "interim", "former", "top", "diplomat", "of", "the", "for", "and", "to", "on", "department",
    "ministry", "office", "council", "house", "white", "cabinet", "federal", "coordinator",
    "attorney", "treasury", "commerce", "trade", "finance", "economy", "interior", "homeland",
    "energy", "health", "education", "agriculture", "labor", "labour", "transport", "environment",
    "culture", "information", "communications", "public", "director-general", "dg", "un", "eu",
    "nato", "us", "u.s.", "uk", "u.k.", "mfa", "spokesperson’s", "spokesperson's",
    # abbreviated posts: 'SecState Blinken', 'Amb. Marwick'
    "secstate", "secdef", "secgen", "amb", "amb.", "dep.", "asst.", "presidential",
    "bk", "bm", "bpr",  # Bundeskanzler, Bundesminister, Bundespräsident
    "moderator", "interpreter", "moderador", "moderadora", "moderatrice", "moderatorin",
    # the nouns of long posts: 'High Representative for Foreign Affairs and Security Policy'
    "policy", "relations", "cooperation", "development", "commission", "committee", "union",
    "nations", "agency", "european", "parliament", "assembly",
    # the same in the other languages: 'ministro de Asuntos Exteriores', 'ministre des Affaires
    # étrangères', 'ministro degli Esteri'
    "asuntos", "exteriores", "relaciones", "affaires", "étrangères", "esteri", "auswärtigen",
    "gobierno", "gouvernement", "governo", "repubblica", "república", "république", "republic",
    "republik", "kanzler", "kanzlerin", "präsident", "präsidentin", "innenminister",
    "innenministerin", "vizekanzler", "vizekanzlerin", "regierungschef", "regierungschefin",
    "staatschef", "ministerpräsident", "ministerpräsidentin", "bundespräsident",
    # the press, as the attributions name them ('Dziennikarz TVN zapytał …')
    "dziennikarz", "dziennikarka", "redaktor", "journaliste", "periodista", "giornalista",
    "korrespondent", "korrespondentin", "journalistin",
    # Ukrainian and Russian descriptions of officials ('заявив очільник МЗС')
    "очільник", "урядовець", "посадовець", "керівник", "руководитель", "глава", "дипломат",
    "чиновник", "міністр", "речник", "речниця", "голова", "прем'єр", "прем’єр",
    "minister-president",
    # Czech, Slovak and Polish posts
    "mluvčí", "předseda", "předsedkyně", "ministr", "ministryně", "premiér", "prezident",
    "místopředseda", "hovorca", "hovorkyňa", "predseda", "rzecznik", "rzeczniczka",
    "wicepremier", "prezydent", "marszałek",
    # other languages' posts and honorifics, as printed in labels and attributions
    "außenministerin", "außenminister", "bundeskanzler", "bundeskanzlerin", "ministerin",
    "sprecherin", "sprecher", "regierungssprecher", "staatssekretär", "staatssekretärin",
    "ministre", "porte-parole", "président", "présidente", "secrétaire", "ambassadeur",
    "chargé", "chargée", "délégué", "déléguée",
    "ministro", "ministra", "presidente", "presidenta", "portavoz", "canciller", "embajador",
    "embajadora", "secretario", "secretaria", "subsecretario", "subsecretaria", "vocero",
    "vocera", "titular", "directora", "gobernador", "gobernadora", "jefe", "jefa",
    "министр", "президент", "посол", "заместитель", "официальный", "представитель",
    "bakan", "bakanı", "dışişleri", "cumhurbaşkanı", "başbakan", "sözcüsü", "sözcü",
    # Swiss and Austrian posts ('Bundesrat Ignazio Cassis', 'Aussenminister')
    "sts", "vors", "vors.", "vorsitzender", "vorsitzende", "bundesrat", "bundesrätin",
    "bundesratin", "aussenminister", "aussenministerin", "bundespräsidentin", "bundesminister",
    "bundesministerin",
}
# fmt: on
ANONYMOUS_LABELS = re.compile(
    r"^(?:q|question|questions|questioner|journalist|reporter|correspondent|audience(?: member)?|"
    # the same in the languages of the briefings we meet
    r"interlocutor|interlocutora|pregunta|periodista|reportero|reportera|journaliste|"
    r"journalistin|frage|zusatzfrage|nachfrage|вопрос|журналист|корреспондент|domanda|"
    r"记者|記者|问|問|기자|질문|"
    r"giornalista|pergunta|jornalista|pytanie|dziennikarz|dziennikarka|vraag|journalist|"
    r"interviewer|"
    r"participant|unidentified(?: \w+)?|unknown(?: \w+)?|voice|voices|press|media|member of the "
    r"press|multiple speakers|several reporters)$",
    re.IGNORECASE,
)
ROLE_LABELS = re.compile(
    r"^(?:moderator|interpreter|translator|host|presenter|anchor|chair|chairman|chairperson|"
    r"operator|narrator|staff|official|senior administration official|administration official|"
    r"senior state department official|spokesperson|spokesman|spokeswoman|the president|"
    r"the vice president|the secretary|the minister|the prime minister|participant)$",
    re.IGNORECASE,
)
MEDIA_WORDS = re.compile(
    r"\b(?:news|agency|agence|tv|television|radio|daily|times|post|press|journal|herald|tribune|"
    r"télévision|televisión|televisão|fernsehen|zeitung|presse|prensa|imprensa|diario|jornal|"
    r"агентство|агентства|газета|газеты|телеканал|телеканала|радио|информагентство|"
    r"network|media|broadcasting|broadcast|channel|service|telegraph|gazette|observer|magazine|"
    r"wire|weekly|review|online|newspaper|express|chronicle|bureau|shimbun|ilbo|corporation|"
    r"group|paper|reuters|bloomberg|xinhua|sputnik|kyodo|yonhap|tass|interfax|novosti|anadolu|"
    r"bernama|antara|efe|ansa|afp|dpa|cnn|bbc|nhk|cctv|cgtn|al jazeera|asahi|nikkei|mainichi|"
    r"yomiuri|ria|itar|izvestia|kommersant|rossiya|phoenix|guardian|economist|politico|axios|"
    r"associated press|prensa latina|tasnim|irna|wafa|ptv|ani|pti|ndtv|cbs|nbc|abc|fox|msnbc|"
    r"npr|pbs|voa|rfe|dw|france \d+|euronews|tbs|kbs|mbc|sbs|ytn|mbn|jtbc|arirang|caixin)\b",
    re.IGNORECASE,
)
# fmt: off
CONNECTORS = {
    "of", "the", "de", "del", "da", "di", "du", "la", "le", "van", "von", "der", "al", "el", "bin",
    "ibn", "y", "and", "dos", "das", "ben", "abu", "st.", "zu", "della", "dello", "degli", "des",
}
# fmt: on
# Capitalised words that start sentences or address people: never a first name.
# fmt: off
NOT_FIRST_NAMES = {
    # articles and prepositions of the other languages ('La CEDEAO', 'Unter Eindruck …')
    "la", "le", "les", "el", "los", "las", "il", "lo", "gli", "die", "der", "das", "den", "dem",
    "het", "een", "un", "une", "ein", "eine", "unter", "über", "gegen", "ohne", "durch",
    "zwischen", "neben", "trotz", "wegen", "laut", "vor", "hinter", "selon", "sous", "sur",
    "the", "and", "but", "so", "yes", "no", "well", "okay", "ok", "also", "as", "if", "when",
    "dear", "hi", "hello", "sorry", "thank", "thanks", "said", "says", "ask", "asked", "mr", "ms",
    "mrs", "dr", "a", "an", "in", "on", "at", "to", "for", "from", "with", "by", "of", "that",
    "this", "these", "those", "our", "my", "your", "his", "her", "their", "its", "we", "i", "you",
    "he", "she", "they", "it", "what", "why", "how", "who", "where", "which", "now", "then",
    "today", "yesterday", "tomorrow", "after", "before", "while", "because", "since", "until",
    "according", "meanwhile", "however", "both", "all", "each", "every", "some", "any", "one",
    "two", "let", "please", "sure", "right", "look", "like", "just", "even", "still", "only",
    "here", "there", "good", "great", "about", "over", "under", "between", "against", "during",
    "russian", "american", "chinese", "french", "british", "german", "japanese", "korean",
    "israeli", "ukrainian", "indian", "iranian", "syrian", "turkish", "european", "u.s.", "madam",
    "mister", "comrade", "colleague", "friend", "minister's", "is", "was", "are", "did", "do",
    "does", "will", "would", "can", "could", "should", "may", "might", "must", "has", "have",
}
# fmt: on
PRONOUNS = {"he", "she", "they", "it", "him", "her", "his", "hers", "its", "their", "them"}
# German compound posts: 'Bundesaußenministerin', 'Regierungssprecher', 'Vizekanzler'
_TITLE_ENDINGS = (
    "minister", "ministerin", "sprecher", "sprecherin", "kanzler", "kanzlerin", "präsident",
    "präsidentin", "sekretär", "sekretärin", "botschafter", "botschafterin",
)  # fmt: skip


# Posts only people hold: a label with one of them names a person, whatever else it says.
PERSON_POSTS = {
    "secretary", "minister", "spokesperson", "spokesman", "spokeswoman", "president",
    "ambassador", "chancellor", "envoy", "commissioner", "adviser", "advisor", "moderator",
}  # fmt: skip


def is_title_word(word: str) -> bool:
    low = word.lower().strip(",")
    return (
        low in TITLE_WORDS or low in HONORIFICS or (len(low) > 9 and low.endswith(_TITLE_ENDINGS))
    )


def all_titles(text: str) -> bool:
    """'Foreign Minister', 'Official Spokesperson': title words only."""
    words = text.split()
    return bool(words) and all(is_title_word(w) for w in words)


_NATIONALITY = re.compile(r"^[A-Z][a-z]+(?:an|ese|ish|ch|i|ic)$")


def is_post(text: str) -> bool:
    """'Spokesperson', 'Minister of Foreign Affairs', 'Secretario de Relaciones Exteriores':
    all title words, or a title word followed by what it is of; in lower case, a title word
    among its first words ('tiskový mluvčí vlády ČR', 'předseda vlády ČR')."""
    words = text.split()
    if all_titles(text):
        return True
    if words and words[0][:1].islower() and len(words) <= 6:
        return any(is_title_word(w) for w in words[:3])
    if len(words) >= 2 and _NATIONALITY.match(words[0]) and all_titles(" ".join(words[1:])):
        return True  # 'Lithuanian Foreign Minister', 'Chinese Ambassador'
    return len(words) >= 3 and is_title_word(words[0]) and words[1].lower() in CONNECTORS


def is_post_only(label: str) -> bool:
    """'Foreign Minister', 'The Spokesperson': a post with no name, which many people hold in
    turn; never an alias of one of them."""
    words = re.sub(r"\s*\([^()]*\)|[:：]", " ", label).split()
    return bool(words) and all(is_title_word(w) or w.lower() in CONNECTORS for w in words)


def smart_title(word: str) -> str:
    """'PRICE' -> 'Price', "O'BRIEN" -> "O'Brien", 'JEAN-PIERRE' -> 'Jean-Pierre'."""
    if not word.isupper():
        return word
    parts = re.split(r"([\-'’.])", word.lower())  # 'Д.МЕДВЕДЕВ' -> 'Д.Медведев'
    out = "".join(part[:1].upper() + part[1:] if part not in "-'’." else part for part in parts)
    return re.sub(r"^Mc(\w)", lambda m: "Mc" + m.group(1).upper(), out)


def strip_titles(tokens: list[str]) -> list[str]:
    """Drop leading honorifics and titles: ['FOREIGN', 'MINISTER', 'LEZCANO'] -> ['LEZCANO']."""
    rest = list(tokens)
    while len(rest) > 1 and (is_title_word(rest[0]) or rest[0].lower() in CONNECTORS):
        if rest[0].lower() == "of" and len(rest) >= 4 and rest[1][:1].isupper():
            # 'President of Russia Vladimir Putin': the country goes with the post
            rest.pop(0)
        rest.pop(0)
    if len(rest) == 1 and is_title_word(rest[0]):
        return []
    return rest


_POST_NOMINALS = {"MP", "QC", "KC", "OBE", "CBE", "KBE", "MBE", "MEP", "MSP", "MLA", "TD", "PHD"}


def label_name(label: str) -> str | None:
    """The name inside a printed speaker label, honorifics stripped and title-cased."""
    label = re.sub(r"\s*\([^()]*\)\s*", " ", label).strip()
    if "," in label:  # 'Ilse Marwick, Spokesperson': the side that is not a post
        head, _, tail = label.partition(",")
        label = head if is_post(tail) or not is_post(head) else tail
    tokens = label.split()
    while len(tokens) > 2 and tokens[-1].upper().rstrip(".") in _POST_NOMINALS:
        tokens.pop()  # 'THE HON SCOTT MORRISON MP': letters after the name
    if not tokens:
        return None
    rest = strip_titles(tokens)
    if not rest:
        return " ".join(
            smart_title(t) if t.lower() not in CONNECTORS else t.lower() for t in tokens
        ).replace("The ", "The ", 1)
    # particles inside a name stay small: 'JUAN RAMÓN DE LA FUENTE' -> 'Juan Ramón de la Fuente'
    return " ".join(
        t.lower() if n and t.isupper() and t.lower() in CONNECTORS else smart_title(t)
        for n, t in enumerate(rest)
    )


def is_outlet(label: str, caps_document: bool) -> bool:
    """Whether a label names a media outlet ('CCTV', 'AFP', 'Yonhap News Agency')."""
    bare = re.sub(r"\s*\([^()]*\)\s*", " ", label).strip()
    tokens = bare.split()
    if not tokens or any(token.lower() in HONORIFICS for token in tokens):
        return False
    if ROLE_LABELS.match(bare) or ANONYMOUS_LABELS.match(bare):
        return False
    if MEDIA_WORDS.search(bare) and not any(t.lower() in PERSON_POSTS for t in tokens):
        return True  # ('Presidential Press Secretary Dmitry Peskov' is a person)
    # an acronym among mixed-case labels: 'CCTV:' beside 'Lin Jian:'
    word = tokens[0]
    return len(tokens) == 1 and word.isupper() and 2 <= len(word) <= 5 and not caps_document


def name_after_title(first: str, haystack: str) -> str | None:
    """'Amb. Dina' after 'Ambassador Dina Mufti, the spokesperson': a person called by the
    first word of the name printed after a post; the name, when the text prints one only."""
    if len(first) < 2 or not first[:1].isupper():
        return None
    pattern = re.compile(
        r"(?<![\w'’\-])([A-Z][\w'’\-]*\.?)[ \t]+"
        + re.escape(first)
        + r"[ \t]+([A-Z][a-z][\w'’\-]+)\b"
    )
    found = {
        f"{first} {m.group(2)}"
        for m in pattern.finditer(haystack)
        if is_title_word(m.group(1).rstrip(".")) and not is_title_word(m.group(2))
    }
    return found.pop() if len(found) == 1 else None


# what a post is of, before its object: 'ministro della Difesa', 'Minister of Defence'
OF_WORDS = {"of", "de", "della", "del", "di", "du", "des", "der", "dell’", "dell'"}
# particles inside a name: 'Van der Bellen', 'bin Salman', 'von Tiesenhausen-Cave', 'da Silva'
NAME_PARTICLES = {
    "al", "bin", "da", "de", "del", "della", "den", "der", "di", "dos", "du", "ter", "van", "von",
}  # fmt: skip


def fuller_name(surname: str, haystack: str) -> str | None:
    """A first name printed before the surname somewhere in the text ('Ned' + 'Price')."""
    if len(surname) < 2 or not surname[:1].isupper():
        return None
    pattern = re.compile(
        r"(?<![\w.])([A-Z][a-z\u00e0-\u024f][\w'’\-]*|[A-Z]\.|(?![AI]\s)[A-Z](?=[ \t]))"
        r"(?:[ \t\u00a0]+([A-Z]\.|[A-Z][a-z]+))?"
        r"(?:[ \t\u00a0]+|[ \t\u00a0]*\n[ \t\u00a0]*)" + re.escape(surname) + r"\b"
    )
    counts: Counter = Counter()
    for match in pattern.finditer(haystack):
        first, middle = match.group(1), match.group(2)
        before = haystack[max(0, match.start() - 8) : match.start()].split()
        if middle and before and before[-1].lower() in OF_WORDS:
            first, middle = middle, None  # 'ministro della Difesa Luca Ferri': not 'Difesa'
        if first.lower() in NOT_FIRST_NAMES or is_title_word(first):
            if middle and middle.lower() not in NOT_FIRST_NAMES and not is_title_word(middle):
                first, middle = middle, None
            else:
                continue
        if middle and (middle.lower() in NOT_FIRST_NAMES or is_title_word(middle)):
            continue
        if first.endswith(("’s", "'s")):
            continue
        if "\n" in match.group(0):
            line_end = haystack.find("\n", match.end())
            rest = haystack[match.end() : line_end if line_end >= 0 else len(haystack)]
            if len(rest.split()) < 4:
                continue  # 'Hafenvertrag, Fischereiquoten' above the label 'Marwick (AM)'
        full = f"{first} {middle} {surname}" if middle else f"{first} {surname}"
        counts[full] += 1
    if not counts:
        return None
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        # two different first names: keep the one printed first, unless they differ only in
        # spelling, in which case either is fine for the resolver
        return None if _too_different(ranked[0][0], ranked[1][0]) else ranked[0][0]
    return ranked[0][0]


def _too_different(first: str, second: str) -> bool:
    a, b = first.split()[0].lower(), second.split()[0].lower()
    return a[:3] != b[:3]


# 'Marwick', "O'Brien", 'Jean-Pierre' (each part of a double name capitalised)
_NAME_WORD = r"[A-Z][a-z\u00e0-\u024f'’]+(?:-[A-Z]?[a-z\u00e0-\u024f'’]+)*"
_POSTS = (
    r"spokesperson|spokesman|spokeswoman|minister|secretary|president|ambassador|chancellor|"
    r"first lady|minister-president|"
    r"premier|envoy|governor|director|commissioner|representative|secretary-general|"
    r"director-general|coordinator|adviser|advisor|chair|chairman|chairwoman|"
    # the same posts in the other languages of the briefings we meet
    r"porte-parole|ministre|président|présidente|secrétaire|sprecher|sprecherin|"
    r"außenministerin|außenminister|bundeskanzler|bundeskanzlerin|ministerin|portavoz|"
    r"ministro|ministra|canciller|министр|президент|представитель|presidente|presidenta|"
    r"vocero|vocera|portavoce|sottosegretario|rzecznik|rzeczniczka|prezydent|premier|"
    r"bundesrat|bundesrätin|aussenminister|aussenministerin|bundespräsident|bundespräsidentin"
)


def _clean_person(name: str) -> str | None:
    tokens = name.split()
    while tokens and (is_title_word(tokens[-1]) or tokens[-1].lower() in NOT_FIRST_NAMES):
        tokens.pop()
    while tokens and (is_title_word(tokens[0]) or tokens[0].lower() in NOT_FIRST_NAMES):
        tokens.pop(0)
    return " ".join(tokens) or None


def post_holders(text: str, post: str | None = None) -> list[str]:
    """People the text names with a post, in order: 'Lorenzo Avila, Spokesman for …',
    'Spokesperson Ilse Marwick', 'Foreign Minister Dario Kessel'. `post` narrows the posts."""
    posts = re.escape(post) if post else _POSTS
    person = rf"({_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})"
    # 'presidente del Consiglio Giorgia Meloni': what the post is of, between post and name
    of = r"(?:[ \t]+(?:del|della|de|di|du|des)[ \t]+[A-Z][\w\-]+(?:[ \t]+[A-Z][\w\-]+)??)?"
    patterns = (
        # 'High Representative/Vice-President Josep Borrell': posts joined by a slash
        rf"(?<![\w\-])(?i:{posts})(?:/[\w\-]+)?{of}[ \t]+{person}",
        rf"{person},[ \t]+(?:the[ \t]+)?(?:(?i:deputy|chief|official|acting|senior|principal|"
        rf"press|foreign|prime)[ \t]+)?(?i:{posts})\b",
        # 'the Secretary for Security, Mr Lai Tung-kwok,': the post, a comma, an honorific
        rf"(?<![\w\-])(?i:{posts}){of},[ \t]+(?:(?:Mr|Ms|Mrs|Dr|Mme|M)\.?[ \t]+)?{person}",
    )
    found: list[tuple[int, str]] = []
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            name = _clean_person(match.group(1))
            if name:
                found.append((match.start(), name))
    if post is None:
        for match in _GENITIVE_HOLDER.finditer(text):
            found.append((match.start(), _nominative(match.group(1))))
    names: list[str] = []
    for _, name in sorted(found):
        if not any(name == other or other.endswith(" " + name) for other in names):
            names = [other for other in names if not name.endswith(" " + other)] + [name]
    return names


# Russian and Ukrainian headers name the speaker in the genitive after the post, often with the
# organisation between and initials glued on: 'Брифинг официального представителя МИД России
# М.В.Захаровой', 'Брифінг речника МЗС України Георгія Тихого'.
_CYR_NAME = r"[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+(?:-[А-ЯЁІЇЄҐ][а-яёіїєґ]+)?"
_GENITIVE_HOLDER = re.compile(
    r"(?i:представителя|министра|президента|посла|заместителя|пресс-секретаря|директора|"
    r"руководителя|председателя|секретаря|помощника|советника|речника|речниці|міністра|"
    r"представника|заступника|радника|посла)"
    r"(?:[ \t]+[\w\-]+){0,5}?[ \t]+"
    rf"((?:[А-ЯЁІЇЄҐ]\.[ \t]?){{1,2}}{_CYR_NAME}|{_CYR_NAME}[ \t]+{_CYR_NAME})"
    r"(?![\w'’])(?![ \t]*[А-ЯЁІЇЄҐ][а-яёіїєґ])"
)
# genitive endings -> nominative, longest first: surnames, then first names
_SURNAME_ENDINGS = (
    ("ской", "ская"), ("цкой", "цкая"), ("ского", "ский"), ("цкого", "цкий"), ("ого", "ий"),
    ("овой", "ова"), ("евой", "ева"), ("иной", "ина"), ("ыной", "ына"),
    ("ова", "ов"), ("ева", "ев"), ("ёва", "ёв"), ("ина", "ин"), ("ына", "ын"),
)  # fmt: skip
_FIRST_ENDINGS = (
    ("ея", "ей"), ("ія", "ій"), ("ии", "ия"), ("ия", "ий"), ("ьи", "ья"), ("ря", "рь"), ("ы", "а"),
)  # fmt: skip


def _nominative(name: str) -> str:
    """'М.В.Захаровой' -> 'М.В. Захарова', 'Сергея Лаврова' -> 'Сергей Лавров' (the common
    endings only; a name the rules do not know is kept as printed)."""
    initials = re.match(r"((?:[А-ЯЁІЇЄҐ]\.[ \t]?){1,2})", name)
    words = name[initials.end() :].split() if initials else name.split()
    out = []
    for n, word in enumerate(words):
        endings = _SURNAME_ENDINGS if n == len(words) - 1 else _FIRST_ENDINGS
        for ending, nominative in endings:
            if word.endswith(ending) and len(word) > len(ending) + 2:
                word = word[: -len(ending)] + nominative
                break
        else:
            if endings is _FIRST_ENDINGS and re.search(r"[бвгдзклмнпрстфх]а$", word):
                word = word[:-1]  # 'Владимира', 'Ивана'
        out.append(word)
    prefix = re.sub(r"\s+", "", initials.group(1)) + " " if initials else ""
    return prefix + " ".join(out)


def name_for_initials(initials: str, text: str) -> str | None:
    """The one name in the text whose words start with these initials ('TAG' -> 'Tedros
    Adhanom Ghebreyesus', 'CL' -> 'Christian Lindmeier'), or None."""
    word = r"[a-z\u00e0-\u024f'’]+(?:-[A-Z]?[a-z\u00e0-\u024f'’]+)*"
    pattern = r"\b" + r"[ \t]+".join(f"{letter}{word}" for letter in initials) + r"\b"
    found = {m.group(0) for m in re.finditer(pattern, text)}
    return found.pop() if len(found) == 1 else None
