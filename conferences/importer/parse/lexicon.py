"""The words attribution reads by, in every language it reads: reporting verbs ('said',
'sagte', 'a déclaré', 'заявила'), the words that stand between a quote and its verb, articles,
pronouns, and the function words that are never part of a name. attribution.py applies them."""

from .names import TITLE_WORDS

# fmt: off
SPEECH_VERBS = {
    "said", "says", "say", "told", "tells", "added", "adds", "adding", "noted", "notes", "noting",
    "stressed", "stresses", "stressing", "emphasized", "emphasised", "emphasizes", "emphasising",
    "emphasizing", "warned", "warns", "warning", "commented", "comments", "stated", "states",
    "explained", "explains", "declared", "declares", "insisted", "insists", "argued", "argues",
    "remarked", "replied", "replies", "responded", "answered", "asked", "asks", "recalled",
    "recalls", "continued", "concluded", "underlined", "underscored", "affirmed", "asserted",
    "claimed", "claims", "observed", "announced", "wrote", "writes", "tweeted", "posted", "urged",
    "urges", "called", "calling", "calls", "describing", "described", "describes", "branded",
    "termed", "acknowledged", "admitted", "suggested", "suggests", "cautioned", "vowed", "pledged",
    "promised", "reiterated", "highlighted", "mentioned", "indicated", "confirmed", "denied",
    "joked", "quipped", "complained", "lamented", "charged", "accused", "accusing", "pointed",
    "believes", "believed", "thinks", "thought", "according", "quoted", "cited", "saying",
    "telling", "assured", "reported", "revealed", "opined", "predicted", "spoke", "speaking",
    "addressed", "briefed", "insisting", "recalling",
    # German, French, Spanish and Russian reporting verbs, as agencies print them
    "sagte", "sagt", "erklärte", "erklärt", "betonte", "betont", "warnte", "warnt", "meinte",
    "fügte", "unterstrich", "versicherte", "forderte", "kritisierte", "mahnte", "schrieb",
    "sprach", "bekräftigte", "räumte", "sieht", "nannte", "bezeichnete", "kündigte",
    "déclaré", "dit", "affirmé", "souligné", "ajouté", "estimé", "expliqué", "indiqué",
    "précisé", "assuré", "averti", "insisté", "déclare", "affirme", "estime", "souligne",
    "dijo", "afirmó", "declaró", "señaló", "aseguró", "añadió", "explicó", "subrayó", "advirtió",
    "заявил", "заявила", "сказал", "сказала", "отметил", "отметила", "подчеркнул",
    "подчеркнула", "добавил", "добавила", "считает", "заявляет", "сообщил", "сообщила",
    "пояснил", "пояснила", "указал", "указала", "призвал", "призвала", "ответил", "ответила",
    "gesagt", "dicho", "afirmado", "declarado", "señalado", "asegurado",
    "añadido", "explicado", "subrayado", "advertido", "indicado", "comunicado", "sentenciado",
    "prometió", "prometido", "insistió", "insistido", "reiteró", "reiterado", "apuntó",
    "destacó", "recordó", "manifestó", "expresó", "defendió", "sostuvo", "agregó",
    "ajoute", "rappelé", "martelé", "lancé", "répondu", "confié",
    "заявив", "сказав", "зазначив", "зазначила", "наголосив", "наголосила", "додав", "додала",
    "zei", "zegt", "verklaarde", "benadrukte", "voegde", "stelde", "aldus",
    "повідомив", "diye", "konuştu", "ekledi", "dile", "fuhr", "dedi", "söyledi", "belirtti",
    "açıkladı",
    "vurguladı", "kaydetti", "ifade",
    "povedal", "povedala", "uviedol", "uviedla", "vyhlásil", "vyhlásila", "dodal", "dodala",
    "zdôraznil", "zdôraznila", "disse", "afirmou", "declarou", "ressaltou", "acrescentou",
    "destacou", "explicou", "lembrou", "salientou", "informou", "comentou", "questionou",
    "respondeu", "garantiu", "sublinhou", "reiterou", "concluiu", "criticou", "avaliou",
    # Italian (passato remoto, and the participle after 'ha'), Polish, more Russian
    "dichiarato", "detto", "spiegato", "aggiunto", "sottolineato", "affermato",
    "ribadito", "precisato", "osservato", "commentato", "risposto", "concluso", "annunciato",
    "powiedział", "powiedziała", "dodał", "dodała", "podkreślił", "podkreśliła", "stwierdził",
    "stwierdziła", "zaznaczył", "zaznaczyła", "oświadczył", "oświadczyła", "mówił", "mówiła",
    "zapytał", "zapytała", "odpowiedział", "odpowiedziała", "ocenił", "oceniła",
    "заметил", "заметила", "напомнил", "напомнила", "уточнил", "уточнила", "констатировал",
    "констатировала", "признал", "признала", "предупредил", "предупредила", "выразил",
    "выразила", "говорит", "говорил", "говорила", "считают", "передает", "цитирует",
}
# Third-person past tenses of Spanish, Italian and Portuguese reporting verbs end alike
# ('respondió', 'concluyó', 'dichiarò', 'afirmou'): a word of that shape in an attribution's
# place reads as a verb, these few words that share the shape aside.
PAST_TENSE = r"[^\W\d_]{3,}(?:ó|ò)"
NOT_VERBS = {"però", "perciò", "ciò", "può", "farò", "sarò", "avrò", "dominó", "capó", "sou"}
# 'according to' after a quote, in other languages: '„…“, so Baerbock', '« … », selon Le Drian'
AFTER_QUOTE_SOURCES = {"so", "selon", "laut", "según", "segundo", "aldus"}
# The same before a quote: 'según Albares sigue siendo el «principal foco de preocupación»'
BEFORE_QUOTE_SOURCES = AFTER_QUOTE_SOURCES - {"so", "segundo"}
DASHES = {",", ";", ":", "—", "–"}  # punctuation between a closing quote and its verb
# Articles before a post ('sagte die Ministerin', 'a déclaré le ministre'), like 'the'
ARTICLES = {
    "the", "a", "an", "die", "der", "das", "den", "dem", "le", "la", "les", "el", "los", "las",
    "un", "una", "uno", "il", "lo", "gli", "une", "ein", "eine", "einen", "het", "een",
}  # fmt: skip
# 'a-t-il déclaré', 'sagte er': pronouns that refer back to the last person named
OTHER_PRONOUNS = {
    "er", "sie", "il", "elle", "a-t-il", "a-t-elle", "он", "она", "він", "вона", "hij", "zij",
}  # fmt: skip
REPORT_VERBS = SPEECH_VERBS - {
    "according", "quoted", "cited", "reported", "calling", "calls", "called", "describing",
    "described", "describes", "branded", "termed", "accused", "accusing", "asked", "asks",
}
SKIP_BETWEEN = {
    "also", "has", "had", "have", "then", "later", "further", "once", "again", "was", "is",
    "would", "will", "repeatedly", "previously", "recently", "earlier", "simply", "just",
    "reportedly", "publicly", "bluntly", "firmly", "flatly", "then-", "already", "separately",
    "additionally", "finally", "however", "meanwhile", "subsequently",
    "hat", "habe", "ont", "avait", "ha", "había",  # auxiliaries: 'Le Drian a déclaré'
}
# Between a closing quote and its verb: '« … », a déclaré Le Drian', '„…“, hat Baerbock gesagt'
AFTER_QUOTE_AUX = SKIP_BETWEEN | {"a"}
ROLE_LOWER = {w for w in TITLE_WORDS if w.isalpha() and len(w) > 3} | {
    "official", "officials", "diplomat", "spokesperson", "minister", "leader", "ministry",
    "government", "source", "sources", "agency", "envoy", "chief", "head", "top",
    "foreign", "the", "a", "an", "country's", "nation's", "former", "ex",
    "die", "der", "das", "den", "dem", "le", "la", "les", "el", "los",
}
# fmt: on
# German, French and Spanish words that open sentences and are never names, so that a capitalised
# German noun after them ('Im Gegenzug lobte sie …') is not taken for a person. (Not every stop
# word of every language: 'Son', 'To', 'Will', 'An' are parts of names in English texts.)
FUNCTION_WORDS = {
    "der",
    "die",
    "das",
    "den",
    "dem",
    "ein",
    "im",
    "auch",
    "aber",
    "und",
    "nach",
    "für",
    "mit",
    "bei",
    "vom",
    "zum",
    "zur",
    "seit",
    "als",
    "während",
    "dabei",
    "außerdem",
    "zudem",
    "jedoch",
    "dennoch",
    "deshalb",
    "darüber",
    "dies",
    "diese",
    "dieser",
    "eine",
    "einer",
    "einem",
    "einen",
    "dass",
    "wenn",
    "weil",
    "nun",
    "dans",
    "pour",
    "avec",
    "aussi",
    "mais",
    "cette",
    "lors",
    "après",
    "depuis",
    "selon",
    "pero",
    "también",
    "sobre",
    "para",
    "tras",
    "desde",
    "durante",
    "según",
    # conjunctions that open a sentence before a verb ('Y concluyó:', 'Poi ha aggiunto:')
    "y",
    "e",
    "luego",
    "después",
    "entonces",
    "ma",
    "poi",
    "et",
    "puis",
    "dann",
    "oraz",
    "и",
    "но",
    "затем",
    "потом",
    # Ukrainian and Russian prepositions opening a sentence ('У своєму зверненні він …')
    "у",
    "в",
    "на",
    "з",
    "із",
    "до",
    "за",
    "по",
    "про",
    "об",
    # German contractions ('Am Wahlsonntag'), never part of a name
    "am",
    "beim",
    "ins",
    "ans",
    "aufs",
    # prepositions that open a sentence ('Concernant le conflit, les deux ministres ont …')
    "concernant",
    "quant",
    "pendant",
    "avant",
    "durant",
    "riguardo",
    "respecto",
    # determiners and adverbs that open a sentence ('Solche Fragen könnten …', 'Ранее …')
    "en",
    "más",
    "cerca",
    "antes",
    "ha",
    "hanno",
    "solche",
    "unter",
    "über",
    "gegen",
    "ohne",
    "durch",
    "zwischen",
    "trotz",
    "wegen",
    "solcher",
    "voilà",
    "voici",
    "ранее",
    "после",
    "перед",
    "во",
    "при",
    "для",
    "из",
    "от",
    "между",
    "після",
    "під",
    "также",
    "теперь",
}  # fmt: skip
