"""Public corrections: what a published statement said, or who it was credited to, before an
editor changed it, and what a reader who followed an older citation is told.

A statement whose conference was ever public (published or withdrawn: readers may have cited it)
keeps a Correction row for every change of its text, speaker or printed label, with the editor's
note, which is shown to readers on the statement's page. The admin's StatementForm requires the
note and calls `record_correction`; splits and merges write their own rows (permalinks.py).

A citation carries `?v=` and the first characters of the statement's content hash; `version_notice`
tells a reader who follows it whether the words changed since, and how.
"""

import re
from dataclasses import dataclass

from simple_history.models import is_historic

from ..models import Correction, RetiredStatement, Statement
from ..text.diff import Pairs, word_diff
from ..text.ids import content_hash
from .permalinks import is_public

# What a correction note is required for, as the admin's form names them.
CORRECTED_FIELDS = ("text", "speaker", "label")
# ?v= takes a prefix of a SHA-256 in hex: short enough to paste, long enough not to collide.
VERSION = re.compile(r"[0-9a-f]{6,64}")


# --- recording (the admin) ----------------------------------------------------------------------


def public_original(statement: Statement) -> Statement | None:
    """The statement as stored, if its conference is public; None for a new statement or a draft.

    `statement` is the instance an admin form edits: loaded from the database, except on the
    history page, where it is an earlier version (a revert is compared with what is stored)."""
    if statement.pk is None:
        return None
    if is_historic(statement):
        statement = Statement.objects.select_related("conference").get(pk=statement.pk)
    return statement if is_public(statement.conference) else None


def changed_fields(before: Statement, values: dict) -> list[str]:
    """Which of text, speaker and label `values` (a form's cleaned data) change; a field the form
    does not carry is unchanged."""
    stored = {"text": before.text, "speaker": before.speaker_id, "label": before.label}
    new = {**values}
    if new.get("speaker") is not None:
        new["speaker"] = new["speaker"].pk
    return [name for name in CORRECTED_FIELDS if name in new and new[name] != stored[name]]


def snapshot(statement: Statement) -> Statement:
    """An unsaved copy of what a correction keeps of the statement before it (the form's instance
    is about to take the new values)."""
    return Statement(
        pk=statement.pk, speaker=statement.speaker, label=statement.label, text=statement.text
    )


def record_correction(before: Statement, after: Statement, note: str, user) -> list[Correction]:
    """One row per kind of change: "text" if the words changed, "attribution" if the speaker or
    the printed label did. Nothing if neither did."""
    rows = []
    if after.text != before.text:
        rows.append(
            Correction(
                kind=Correction.Kind.TEXT,
                previous_text=before.text,
                previous_hash=content_hash(before.text),
            )
        )
    if after.speaker_id != before.speaker_id or after.label != before.label:
        rows.append(
            Correction(
                kind=Correction.Kind.ATTRIBUTION,
                previous_speaker=before.speaker,
                previous_speaker_name=before.speaker.name,
                previous_label=before.label,
                new_speaker_name=after.speaker.name,
            )
        )
    for row in rows:
        row.statement = after
        row.note = note
        row.created_by = user
        row.save()
    return rows


# --- what readers see ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicCorrection:
    correction: Correction
    summary: str  # what changed, to follow "Corrected on <date>: "
    diff: Pairs  # the wording before the correction against today's; or []


def summary(correction: Correction) -> str:
    kind = Correction.Kind
    if correction.kind == kind.ATTRIBUTION:
        if correction.new_speaker_name != correction.previous_speaker_name:
            return (
                f"attributed to {correction.new_speaker_name} instead of "
                f"{correction.previous_speaker_name}."
            )
        if correction.previous_label:
            return (
                f"the attribution as printed was corrected (it read “{correction.previous_label}”)."
            )
        return "the attribution as printed was corrected."
    if correction.kind == kind.TEXT:
        return "the text was corrected."
    described = correction.get_kind_display()
    return described[0].lower() + described[1:] + "."


def for_readers(statement: Statement, corrections) -> list[PublicCorrection]:
    """Each correction, oldest first, with what it changed in words. A correction of the text is
    shown against the text as it reads today: that is true however many corrections followed
    (and whatever a merge brought in), where a step-by-step diff would need every version."""
    return [
        PublicCorrection(
            correction=correction,
            summary=summary(correction),
            diff=word_diff(correction.previous_text, statement.text)
            if correction.previous_text
            else [],
        )
        for correction in corrections
    ]


@dataclass(frozen=True)
class VersionNotice:
    prefix: str
    corrected: Correction | None  # what replaced the version linked to; None: an unknown one
    diff: Pairs
    merged: RetiredStatement | None = None  # the statement linked to, merged into this one


def version_notice(statement: Statement, corrections, raw: str) -> VersionNotice | None:
    """What to tell a reader who followed a link with ?v=`raw`: nothing when it is the current
    version or not a hash prefix at all; else how the words changed since, or that the version
    is unknown."""
    prefix = raw.strip().lower()
    if not VERSION.fullmatch(prefix) or statement.content_hash.startswith(prefix):
        return None
    matching = [c for c in corrections if c.previous_hash.startswith(prefix)]
    if not matching:
        # A citation of a statement merged into this one (its link redirects here).
        merged = statement.retired_ids.filter(content_hash__startswith=prefix).first()
        if merged is not None:
            diff = word_diff(merged.text, statement.text)
            return VersionNotice(prefix=prefix, corrected=None, diff=diff, merged=merged)
        return VersionNotice(prefix=prefix, corrected=None, diff=[])
    # A text that came back after a later correction: the last time it was replaced.
    corrected = matching[-1]
    return VersionNotice(
        prefix=prefix, corrected=corrected, diff=word_diff(corrected.previous_text, statement.text)
    )


def permalink_context(statement: Statement, raw_version: str, corrected: bool = True) -> dict:
    """The permalink page's entries: `corrections` (oldest first) and `changed_since`.

    `corrected` False: the caller knows that the statement has no corrections (the permalink's
    own query says so), and none are read."""
    corrections = list(statement.corrections.all()) if corrected else []
    return {
        "corrections": for_readers(statement, corrections),
        "changed_since": version_notice(statement, corrections, raw_version),
    }
