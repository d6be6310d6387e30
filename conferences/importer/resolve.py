"""Resolution: the parser's names and words meet the database's speakers and topics.

Names go through Speaker.objects.get_by_name (the one place names meet speakers); an unknown
name becomes a proposed NewSpeaker that keeps every printed variant as an alias.
"""

import re
from dataclasses import dataclass, field

from ..models import Speaker, Topic
from ..text.names import normalize_name
from .parse import ParsedDocument, Turn
from .parse.lexicon import OTHER_PRONOUNS
from .parse.names import PRONOUNS, is_post_only
from .writer import NewSpeaker

ANONYMOUS_NAME = "Unidentified journalist"
UNKNOWN_NAME = "Unattributed"
_PRONOUN_LABELS = PRONOUNS | OTHER_PRONOUNS


@dataclass(eq=False)
class SpeakerChoice:
    """One distinct speaker of the document: found in the archive, or proposed as new."""

    key: str
    name: str
    labels: list[str] = field(default_factory=list)
    existing: Speaker | None = None
    proposed: NewSpeaker | None = None

    @property
    def resolved(self) -> bool:
        return self.existing is not None

    @property
    def display_name(self) -> str:
        return self.existing.name if self.existing else self.name


def find_speaker(names: list[str]) -> Speaker | None:
    """The first speaker any of `names` resolves to, or None."""
    for name in names:
        try:
            return Speaker.objects.get_by_name(name)
        except (Speaker.DoesNotExist, Speaker.MultipleObjectsReturned):
            continue
    return None


def _identity(turn: Turn, default_speaker: str | None) -> tuple[str, str, str | None]:
    """(key, display name, outlet) for the speaker of a turn."""
    if turn.outlet and not turn.speaker:
        name = f"{ANONYMOUS_NAME} ({turn.outlet})"
        return f"outlet:{normalize_name(turn.outlet)}", name, turn.outlet
    if turn.anonymous:
        return "anonymous", ANONYMOUS_NAME, None
    # a label that is only a pronoun ('he', 'sie') names no one when the parser could not
    # tell who it refers to
    label = turn.label if turn.label and turn.label.lower() not in _PRONOUN_LABELS else None
    name = turn.speaker or label or default_speaker or UNKNOWN_NAME
    # a named journalist keeps their outlet: 'Dario Kessel [Norland Wire]:'
    return f"name:{normalize_name(name) or name}", name, turn.outlet


def resolve_speakers(
    doc: ParsedDocument, default_speaker: str | None = None
) -> tuple[list[SpeakerChoice], list[SpeakerChoice]]:
    """The distinct speakers in order of appearance, and the choice for each turn, in order."""
    choices: dict[str, SpeakerChoice] = {}
    per_turn = []
    for turn in doc.turns:
        key, name, outlet = _identity(turn, default_speaker)
        choice = choices.get(key)
        if choice is None:
            variants = doc.speakers.get(turn.speaker or "", []) if turn.speaker else []
            unnamed = turn.anonymous or (turn.outlet and not turn.speaker)
            lookups = [name, *variants] if not unnamed else [name]
            existing = find_speaker(lookups)
            choice = SpeakerChoice(key=key, name=name, existing=existing)
            if existing is None:
                journalist = turn.anonymous or bool(outlet) or turn.kind == "question"
                aliases = [*variants]
                if outlet and not turn.speaker:
                    aliases.append(f"{outlet} journalist")
                choice.proposed = NewSpeaker(
                    name=name,
                    aliases=aliases,
                    kind=Speaker.Kind.JOURNALIST if journalist else Speaker.Kind.OFFICIAL,
                    outlet=outlet,
                )
            choices[key] = choice
        if turn.label and turn.label not in choice.labels:
            choice.labels.append(turn.label)
            # Keep the printed label as an alias of a new speaker, unless it is a bare "Q".
            if (
                choice.proposed
                and not turn.anonymous
                and turn.label not in choice.proposed.aliases
                and not is_post_only(turn.label)
            ):
                choice.proposed.aliases.append(turn.label)
        per_turn.append(choice)
    return list(choices.values()), per_turn


class TopicSuggester:
    """Suggests topics whose name or keywords occur in a text, as whole words, ignoring case."""

    def __init__(self, topics=None):
        self.patterns = []
        for topic in topics if topics is not None else Topic.objects.all():
            words = [topic.name, *topic.keyword_list()]
            alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            self.patterns.append((topic, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.I)))

    def suggest(self, text: str) -> list[Topic]:
        return [topic for topic, pattern in self.patterns if pattern.search(text)]
