"""Quotes in a news article that the archive already holds from an official transcript.

An article quoting a minister usually quotes a briefing the archive may already have, word for
word. Rather than a second, less faithful statement, the editor can record the article as a
further source (a StatementReport) of the transcript's statement. This module finds the
candidates; it reads the database (the parser never does), and writes nothing. How alike a quote
and a statement are is measured in conferences/text/align.py.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from ..models import Statement
from ..text.align import ELLIPSIS, MIN_WORDS, THRESHOLD, align, passes, tokens, words

DATE_WINDOW = datetime.timedelta(days=7)
CANDIDATE_FIDELITIES = (Statement.Fidelity.VERBATIM, Statement.Fidelity.NEAR_VERBATIM)


@dataclass
class Match:
    """The statement of the archive a quote reports, and how alike the two are."""

    statement: Statement
    similarity: float

    @property
    def public_id(self) -> str:
        return self.statement.public_id

    @property
    def wording_differs(self) -> bool:
        return self.similarity < 1.0

    @property
    def percent(self) -> int:
        """The similarity in whole percent, rounded down: only an exact quote is 100%."""
        return int(self.similarity * 100 + 1e-9)


def best_match(quote: str, candidates: list[tuple[Statement, list[str], set[str]]]):
    """The candidate the quote matches best (most alike, then verbatim before near-verbatim),
    or None. Each candidate comes with its words and their set (computed once per statement,
    not per quote)."""
    quote_tokens = tokens(quote)
    quote_words = [token for token in quote_tokens if token != ELLIPSIS]
    if not quote_words:
        return None
    needed = (1.0 if len(quote_words) < MIN_WORDS else THRESHOLD) * len(quote_words)
    counts = Counter(quote_words)
    distinct = set(counts)
    found, found_rank = None, None
    for statement, statement_words, vocabulary in candidates:
        # Cheap first: a matched word must be in the statement at all.
        if sum(counts[word] for word in distinct.intersection(vocabulary)) < needed:
            continue
        alignment = align(quote_tokens, statement_words)
        if alignment is None or not passes(alignment.similarity, len(quote_words)):
            continue
        rank = (alignment.similarity, statement.fidelity == Statement.Fidelity.VERBATIM)
        if found is None or rank > found_rank:
            found = Match(statement, alignment.similarity)
            found_rank = rank
    return found


def candidates_for(speakers, date: datetime.date | None):
    """Transcript statements of these speakers (drafts included: this is for editors), near
    `date` when it is known; one query for all the speakers."""
    statements = Statement.objects.filter(
        speaker__in=speakers, fidelity__in=CANDIDATE_FIDELITIES
    ).select_related("conference")
    if date is not None:
        statements = statements.filter(
            conference__date__range=(date - DATE_WINDOW, date + DATE_WINDOW)
        )
    by_speaker: dict[int, list] = {}
    # In the archive's order: of equally good matches, the earliest wins.
    for statement in statements.order_by("conference__date", "conference", "sequence"):
        statement_words = words(statement.text)
        by_speaker.setdefault(statement.speaker_id, []).append(
            (statement, statement_words, set(statement_words))
        )
    return by_speaker


def match_quotes(quotes, date: datetime.date | None = None) -> dict:
    """For (key, speaker, quoted words) triples, the best Match of each key that has one.

    Only quotes whose speaker is a Speaker of the archive can match; quotes of different
    speakers never match each other's statements."""
    quotes = [(key, speaker, text) for key, speaker, text in quotes if speaker is not None]
    if not quotes:
        return {}
    candidates = candidates_for({speaker for _, speaker, _ in quotes}, date)
    matches = {}
    for key, speaker, text in quotes:
        found = best_match(text, candidates.get(speaker.pk, []))
        if found is not None:
            matches[key] = found
    return matches
