"""The import as the admin and the command line use it: text -> preview -> plan -> write."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings

from ..models import (
    Conference,
    PrintedLabel,
    SourceDocument,
    Speaker,
    SpeakerAlias,
    Statement,
    Topic,
)
from ..text.ids import content_hash
from ..text.names import normalize_name
from .matching import Match, match_quotes
from .parse import Hints, ParsedDocument, Turn, parse
from .parse.names import ANONYMOUS_LABELS, is_post_only
from .resolve import SpeakerChoice, TopicSuggester, resolve_speakers
from .writer import ImportPlan, NewSpeaker, PlannedReport, PlannedStatement

KINDS = ("auto", "transcript", "article")


# The preview shows every statement with its choices and the save posts them back, about eight
# fields each (1,216 statements posted 10,016): 2,000 stay within DATA_UPLOAD_MAX_NUMBER_FIELDS
# (20,000, config/settings.py), past which Django refuses the save with a bare 400, and the page
# stays a few megabytes. One conference's transcript has a few hundred; 2 MB of one-line turns
# has 82,240 (a preview of 126 MB that took minutes).
MAX_STATEMENTS = 2_000


class ImportRefused(ValueError):
    """Input that cannot be imported; the message is meant for the editor."""


def file_size(size: int) -> str:
    """A size as an editor reads it: 10.0 MB, 1.5 KB, 100 bytes."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size:,} byte{'s' if size != 1 else ''}"


def too_large(what: str, size: int, limit: int | None = None) -> str:
    """The refusal of a text or file over the import limit, naming both sizes."""
    limit = settings.PODIUM_IMPORT_MAX_BYTES if limit is None else limit
    shown, allowed = file_size(size), file_size(limit)
    if shown == allowed:  # 2,097,153 bytes against 2,097,152: both would read "2.0 MB"
        shown, allowed = f"{size:,} bytes", f"{limit:,} bytes"
    return (
        f"The {what} is {shown}; Podium imports at most {allowed} at a time. Split it into parts."
    )


def decode(data: bytes) -> str:
    """Text of an uploaded file: UTF-8 (with or without BOM), else Windows-1252."""
    if len(data) > settings.PODIUM_IMPORT_MAX_BYTES:
        raise ImportRefused(too_large("file", len(data)))
    if b"\x00" in data:
        raise ImportRefused("This is not a text file (it contains NUL bytes).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportRefused("The file is neither UTF-8 nor Windows-1252 text.") from exc


def normal_newlines(text: str) -> str:
    """Line ends as \n: browsers post textareas with \r\n, files come from every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_text(text: str) -> str:
    """The text as it will be stored (plain line ends), or a clear refusal."""
    text = normal_newlines(text)
    size = len(text.encode("utf-8"))
    if size > settings.PODIUM_IMPORT_MAX_BYTES:
        raise ImportRefused(too_large("text", size))
    if "\x00" in text:
        raise ImportRefused("The text contains NUL characters; paste plain text.")
    if not text.strip():
        raise ImportRefused("The text is empty.")
    return text


@dataclass
class PreviewRow:
    index: int
    turn: Turn
    choice: SpeakerChoice
    topics: list[Topic] = field(default_factory=list)
    # A statement of the archive this quote already stands for (news articles only).
    match: Match | None = None


@dataclass
class Preview:
    text: str
    doc: ParsedDocument
    speakers: list[SpeakerChoice]
    rows: list[PreviewRow]
    duplicate: SourceDocument | None

    @property
    def source_kind(self) -> str:
        if self.doc.kind == "article":
            return SourceDocument.Kind.NEWS_ARTICLE
        return SourceDocument.Kind.OFFICIAL_TRANSCRIPT

    @property
    def warnings(self) -> list[str]:
        return list(self.doc.warnings)

    @property
    def matched(self) -> int:
        """How many rows quote a statement the archive already holds."""
        return sum(row.match is not None for row in self.rows)


def find_reported(rows: list[PreviewRow], date: datetime.date | None) -> None:
    """Give each quote of a known speaker the transcript statement it already stands for."""
    quotes = [
        (row.index, row.choice.existing, row.turn.text)
        for row in rows
        if row.turn.fidelity == Statement.Fidelity.REPORTED_QUOTE
    ]
    for index, match in match_quotes(quotes, date).items():
        rows[index].match = match


def known_speaker_names(names: list[str]) -> set[str]:
    """Those of `names` that are a speaker's alias in the archive (one query)."""
    keys = {name: normalize_name(name) for name in names}
    found = set(
        SpeakerAlias.objects.filter(normalized__in=set(keys.values())).values_list(
            "normalized", flat=True
        )
    )
    return {name for name, key in keys.items() if key in found}


def learned_labels(candidates: list[str]) -> set[str]:
    """Those of `candidates` that an editor confirmed as a speaker's printed label (one query,
    exact: a label is matched as printed)."""
    return set(PrintedLabel.objects.filter(label__in=candidates).values_list("label", flat=True))


def build_preview(
    text: str,
    kind: str = "auto",
    default_speaker: str | None = None,
    paraphrases: bool = False,
    hints: Hints | None = None,
) -> Preview:
    text = check_text(text)
    doc = parse(
        text,
        kind=kind,
        paraphrases=paraphrases,
        default_speaker=default_speaker or None,
        known=known_speaker_names,
        hints=hints,
        learned=learned_labels,
    )
    if len(doc.turns) > MAX_STATEMENTS:
        raise ImportRefused(
            f"The text holds {len(doc.turns):,} statements; Podium imports at most "
            f"{MAX_STATEMENTS:,} at a time. Split it into parts."
        )
    speakers, per_turn = resolve_speakers(doc, default_speaker)
    suggester = TopicSuggester()
    rows = [
        PreviewRow(index=i, turn=turn, choice=choice, topics=suggester.suggest(turn.text))
        for i, (turn, choice) in enumerate(zip(doc.turns, per_turn, strict=True))
    ]
    if doc.kind == "article":
        find_reported(rows, doc.date)
    duplicate = (
        SourceDocument.objects.select_related("conference")
        .filter(content_hash=content_hash(text))
        .first()
    )
    return Preview(text=text, doc=doc, speakers=speakers, rows=rows, duplicate=duplicate)


def preview_json(preview: Preview) -> dict:
    """The document `import_transcript --dry-run --json` prints."""
    doc = preview.doc
    return {
        "conference": {
            "title": doc.title,
            "date": doc.date.isoformat() if doc.date else None,
            "place": doc.place,
            "language": doc.language,
        },
        "statements": [
            {
                "speaker": row.choice.display_name,
                "label": row.turn.label,
                "kind": row.turn.kind,
                "fidelity": row.turn.fidelity,
                "text": row.turn.text,
                "start": row.turn.start,
                "end": row.turn.end,
                "topics": [topic.name for topic in row.topics],
                "new_speaker": not row.choice.resolved,
                "warnings": row.turn.warnings,
                "match": {
                    "public_id": row.match.public_id,
                    "permalink": row.match.statement.get_absolute_url(),
                    "similarity": round(row.match.similarity, 4),
                    "wording_differs": row.match.wording_differs,
                }
                if row.match
                else None,
            }
            for row in preview.rows
        ],
        "warnings": preview.warnings,
        "duplicate_of": preview.duplicate.conference.get_absolute_url()
        if preview.duplicate
        else None,
    }


def printed_names(doc: ParsedDocument, turn: Turn) -> list[str]:
    """Names of a turn's speaker worth remembering as aliases: a transcript's label, and the
    name variants the text uses; never an anonymous label, an outlet or a pronoun."""
    if turn.anonymous or (turn.outlet and not turn.speaker):
        return []
    names = list(doc.speakers.get(turn.speaker, [])) if turn.speaker else []
    if doc.kind == "transcript" and turn.label and not is_post_only(turn.label):
        names.append(turn.label)
    return names


def confirmed_label(doc: ParsedDocument, turn: Turn) -> str:
    """A transcript's label of a named speaker, as printed: saved with the editor's choice of
    speaker, it is read as that speaker's label in later texts. Never 'Q' or an outlet."""
    if doc.kind != "transcript" or not turn.label or turn.anonymous or not turn.speaker:
        return ""
    if ANONYMOUS_LABELS.match(turn.label.lower()):
        return ""  # 'Q' given a speaker by the editor names no one in the next text
    return turn.label if len(turn.label) <= 200 else ""


@dataclass
class RowDecision:
    """What the editor decided for one row; None keeps the suggestion."""

    keep: bool = True
    speaker: Speaker | NewSpeaker | None = None
    kind: str | None = None
    fidelity: str | None = None
    topics: list[Topic] | None = None
    learn_names: bool = True  # False when one row was moved to another speaker by hand
    # Record the quote as a report of row.match rather than as a new statement; None: yes
    # when the row has a match.
    report: bool | None = None

    def reports(self, row: PreviewRow) -> bool:
        return row.match is not None and self.report is not False


def make_plan(
    preview: Preview,
    *,
    conference: Conference | None = None,
    title: str = "",
    date: datetime.date | None = None,
    place: str = "",
    url: str = "",
    outlet: str | None = None,
    publish: bool = False,
    decisions: dict[int, RowDecision] | None = None,
    join_reported: bool = True,
) -> ImportPlan:
    """The plan to write. With `join_reported` False, an article that only reports statements
    already in the archive gets a new conference of its own (from title and date) instead of
    joining theirs: its reports then go public only once that conference is published."""
    decisions = decisions or {}
    doc = preview.doc
    statements = []
    reports: dict[int, PlannedReport] = {}  # by statement: an article reports one once
    for row in preview.rows:
        decision = decisions.get(row.index, RowDecision())
        if not decision.keep:
            continue
        if decision.reports(row):
            _add_report(reports, row)
            continue
        speaker = decision.speaker or row.choice.existing or row.choice.proposed
        statements.append(
            PlannedStatement(
                speaker=speaker,
                text=row.turn.text,
                kind=decision.kind or row.turn.kind,
                fidelity=decision.fidelity or row.turn.fidelity,
                label=row.turn.label or "",
                start=row.turn.start,
                end=row.turn.end,
                topics=row.topics if decision.topics is None else decision.topics,
                aliases=printed_names(doc, row.turn) if decision.learn_names else [],
                printed_label=confirmed_label(doc, row.turn) if decision.learn_names else "",
            )
        )
    reported = list(reports.values())
    if conference is None and reported and not statements and join_reported:
        # Only quotes the archive holds: the article joins the first one's conference rather
        # than an empty conference of its own.
        conference = reported[0].statement.conference
    return ImportPlan(
        text=preview.text,
        source_kind=preview.source_kind,
        statements=statements,
        reports=reported,
        conference=conference,
        title=title or doc.title or "",
        date=date or doc.date,
        place=place or doc.place or "",
        status=Conference.Status.PUBLISHED if publish else Conference.Status.DRAFT,
        source_title=doc.title or "",
        url=url,
        outlet=outlet or None,
        published_on=doc.date if doc.kind == "article" else None,
        language=doc.language or "en",
    )


def _add_report(reports: dict[int, PlannedReport], row: PreviewRow) -> None:
    """Plan the report of row.match; a second quote of the same statement joins the first
    (one report per statement and article), an ellipsis between the two."""
    match, turn = row.match, row.turn
    planned = reports.get(match.statement.pk)
    if planned is None:
        reports[match.statement.pk] = PlannedReport(
            statement=match.statement,
            quoted_text=turn.text,
            similarity=match.similarity,
            label=turn.label or "",
            start=turn.start,
            end=turn.end,
        )
        return
    planned.quoted_text += f" … {turn.text}"
    planned.similarity = min(planned.similarity, match.similarity)  # the least alike part
    planned.end = turn.end
