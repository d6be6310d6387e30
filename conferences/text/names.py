"""Normalising people's names for lookup. Pure Python: the importer's parser may use it too.

"Sergei Lavrov", "SERGEI LAVROV", "Mr. Lavrov" and "Foreign Minister Lavrov" must meet the same
alias rows, so every alias is stored in this normal form and every lookup goes through it.
"""

import re
import unicodedata

# Titles and honorifics that may precede a name in a label or an attribution. Only a leading run
# of them is dropped, so a surname that happens to be one of these words survives.
HONORIFICS = frozenset(
    """
    mr mrs ms miss mx dr prof professor sir dame madam madame mme m monsieur herr frau
    the his her h e excellency honorable honourable hon rt right
    minister ministers secretary undersecretary under assistant deputy acting chief general
    foreign affairs of for state defense defence
    ambassador spokesperson spokesman spokeswoman spokespeople press
    president vice prime chancellor premier senator sen rep representative governor
    counselor counsellor adviser advisor national security director
    king queen prince princess sheikh emir
    """.split()
)

_NON_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and turn punctuation into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", without_marks.casefold()).replace("_", " ").split())


def normalize_name(name: str) -> str:
    """The lookup form of a name: folded, with leading titles and honorifics dropped.

    A name made only of titles ("the Foreign Minister") keeps its folded form, so that it can
    still be an alias of its own.
    """
    words = fold(name).split()
    start = 0
    while start < len(words) - 1 and words[start] in HONORIFICS:
        start += 1
    if words and words[start] in HONORIFICS and start == len(words) - 1 and start > 0:
        # Every word was a title: keep them all rather than an arbitrary last one.
        start = 0
    return " ".join(words[start:])
