"""The editor's choices on the import preview, read back from the posted form.

Each distinct speaker of the text is a row of the speakers table (map it to a speaker of the
archive, or create one); each statement is a row with its speaker, kind, fidelity, topics and,
for a quote the archive already holds, whether to record the article as a report of it. The
page keeps nothing on the server: what it shows is built from the preview and what was posted,
and `decisions` turns it into the writer's RowDecisions, collecting what is wrong in `errors`.
"""

import re

from django.http import QueryDict
from django.urls import reverse

from ..importer.resolve import find_speaker
from ..importer.service import Preview, RowDecision
from ..importer.writer import NewSpeaker
from ..models import Speaker, Statement, Topic
from ..text.diff import quote_diff

NEW = "new"
COLOURS = 8  # speakers' shades on the review screen (import.css), used in turn
DIGITS = re.compile(r"[0-9]{1,18}")
MATCHED_FIDELITY = {"verbatim": "verbatim transcript", "near_verbatim": "near-verbatim"}


def speaker_fields(preview: Preview, data) -> list[dict]:
    """One entry per distinct speaker: what the editor sees and has chosen."""
    entries = []
    for j, choice in enumerate(preview.speakers):
        default_target = str(choice.existing.pk) if choice.existing else NEW
        proposed = choice.proposed
        entries.append(
            {
                "index": j,
                "colour": j % COLOURS,
                "value": f"sp-{j}",
                "choice": choice,
                "target": data.get(f"sp-{j}-target", default_target),
                "name": data.get(f"sp-{j}-name", choice.name),
                "kind": data.get(
                    f"sp-{j}-kind", proposed.kind if proposed else Speaker.Kind.OFFICIAL
                ),
            }
        )
    return entries


def row_fields(preview: Preview, data, submitted: bool | set[int]) -> list[dict]:
    """One entry per statement; `submitted`: whether the rows' choices were posted (all of
    them, or those whose index is in the set): an unticked box then means no."""
    speaker_index = {id(choice): j for j, choice in enumerate(preview.speakers)}
    rows = []
    for row in preview.rows:
        i = row.index
        suggested = [str(t.pk) for t in row.topics]
        posted = submitted is True or (isinstance(submitted, set) and i in submitted)
        rows.append(
            {
                "row": row,
                "identity": row_identity(row),
                "colour": speaker_index[id(row.choice)] % COLOURS,
                "keep": (f"row-{i}-keep" in data) if posted else True,
                "speaker": data.get(f"row-{i}-speaker", f"sp-{speaker_index[id(row.choice)]}"),
                "kind": data.get(f"row-{i}-kind", row.turn.kind),
                "fidelity": data.get(f"row-{i}-fidelity", row.turn.fidelity),
                "topics": data.getlist(f"row-{i}-topics") if posted else suggested,
                "suggested": suggested,
                **match_fields(row, data),
            }
        )
    return rows


def carried(post, preview: Preview) -> tuple[QueryDict, set[int]]:
    """The choices of the previous preview, renamed for this one: after a repair, rows and
    speakers are numbered anew, so each posted choice follows its statement (by the offset it
    spans, `row-N-at`, with the speaker the importer gave it: a repair that changed either makes
    it a new statement) and each speaker by key (`sp-N-key`). Returns the choices and the
    indexes of the rows whose choices were posted."""
    data = QueryDict(mutable=True)
    old_speakers = {post.get(f"sp-{j}-key"): j for j in range(_count(post, "speaker_count"))}
    new_speaker = {}
    for j, choice in enumerate(preview.speakers):
        old = old_speakers.get(choice.key)
        if old is None:
            continue
        new_speaker[f"sp-{old}"] = f"sp-{j}"
        for part in ("target", "name", "kind"):
            if f"sp-{old}-{part}" in post:
                data[f"sp-{j}-{part}"] = post[f"sp-{old}-{part}"]
    old_rows = {post.get(f"row-{i}-at"): i for i in range(_count(post, "row_count"))}
    submitted = set()
    for row in preview.rows:
        old = old_rows.get(row_identity(row))
        if old is None:
            continue
        submitted.add(row.index)
        for part in ("kind", "fidelity", "report"):
            if f"row-{old}-{part}" in post:
                data[f"row-{row.index}-{part}"] = post[f"row-{old}-{part}"]
        speaker = post.get(f"row-{old}-speaker", "")
        if speaker.startswith("sp-"):
            speaker = new_speaker.get(speaker, "")
        if speaker:
            data[f"row-{row.index}-speaker"] = speaker
        if f"row-{old}-keep" in post:
            data[f"row-{row.index}-keep"] = "on"
        data.setlist(f"row-{row.index}-topics", post.getlist(f"row-{old}-topics"))
    return data, submitted


def row_identity(row) -> str:
    """What a row of one preview is to the next: its span of the text and its speaker."""
    return f"{row.turn.start}-{row.turn.end}-{row.choice.key}"


def _count(post, name: str) -> int:
    value = post.get(name, "")
    return min(int(value), 5000) if DIGITS.fullmatch(value) else 0


def match_fields(row, data) -> dict:
    """A quote the archive already holds: where it is, and whether to record the article as
    a report of it (the posted value is that statement's public id) or as a new statement."""
    match = row.match
    if match is None:
        return {}
    statement = match.statement
    if statement.conference.is_published:
        url = statement.get_absolute_url()
    else:
        url = reverse("admin:conferences_statement_change", args=[statement.pk])
    return {
        "match": match,
        "match_url": url,
        "match_fidelity": MATCHED_FIDELITY.get(statement.fidelity, statement.fidelity),
        "match_diff": quote_diff(statement.text, row.turn.text) if match.wording_differs else [],
        "report": data.get(f"row-{row.index}-report", match.public_id),
    }


def decisions(preview, speaker_fields, row_fields, errors) -> dict[int, RowDecision]:
    """Turn the posted choices into writer decisions; problems go into `errors`."""
    existing = {
        str(s.pk): s for s in Speaker.objects.filter(pk__in=posted_ids(speaker_fields, row_fields))
    }
    topics = {str(t.pk): t for t in Topic.objects.all()}
    targets = []
    for entry in speaker_fields:
        choice = entry["choice"]
        if entry["target"] == NEW:
            name = entry["name"].strip()
            if not name:
                errors.append(f"Give a name to the new speaker “{choice.name}”.")
            known = find_speaker([name]) if name else None
            if known is not None:
                # The editor typed the name of someone the archive knows: no duplicate.
                targets.append(known)
                continue
            aliases = list(choice.proposed.aliases) if choice.proposed else []
            kind = entry["kind"] if entry["kind"] in Speaker.Kind.values else "official"
            targets.append(
                NewSpeaker(
                    name=name,
                    aliases=[*aliases, *([choice.name] if choice.name != name else [])],
                    kind=kind,
                    outlet=choice.proposed.outlet if choice.proposed else None,
                )
            )
        elif entry["target"] in existing:
            targets.append(existing[entry["target"]])
        else:
            errors.append(f"Choose a speaker for “{choice.name}”.")
            targets.append(None)
    decisions = {}
    for entry in row_fields:
        value = entry["speaker"]
        if (
            value.startswith("sp-")
            and DIGITS.fullmatch(value[3:])
            and int(value[3:]) < len(targets)
        ):
            speaker = targets[int(value[3:])]
        else:
            speaker = existing.get(value)
        if entry["keep"] and speaker is None:
            errors.append(f"Statement {entry['row'].index + 1} has no valid speaker.")
        if entry["kind"] not in Statement.Kind.values:
            errors.append(f"Statement {entry['row'].index + 1}: unknown kind.")
        if entry["fidelity"] not in Statement.Fidelity.values:
            errors.append(f"Statement {entry['row'].index + 1}: unknown fidelity.")
        decisions[entry["row"].index] = RowDecision(
            learn_names=value.startswith("sp-"),
            keep=entry["keep"],
            speaker=speaker,
            kind=entry["kind"],
            fidelity=entry["fidelity"],
            topics=[topics[pk] for pk in entry["topics"] if pk in topics],
            report=report_choice(entry, speaker, errors),
        )
    if not any(entry["keep"] for entry in row_fields):
        errors.append("Keep at least one statement.")
    return decisions


def report_choice(entry, speaker, errors) -> bool | None:
    """Whether a kept row with a match is recorded as a report of it; None without one."""
    match = entry.get("match")
    if match is None or not entry["keep"]:
        return None
    number = entry["row"].index + 1
    if entry["report"] == NEW:
        return False
    if entry["report"] != match.public_id:
        # Matches are found again on save; this one is not what the editor chose from.
        errors.append(
            f"Statement {number}: the archive changed since the preview; check what it "
            f"matches now (/s/{match.public_id}), then save."
        )
    elif not isinstance(speaker, Speaker) or speaker.pk != match.statement.speaker_id:
        errors.append(
            f"Statement {number} is to be recorded as a report of /s/{match.public_id}, a "
            f"statement of {match.statement.speaker}: give it that speaker, or choose to "
            "create a new statement."
        )
    return True


def posted_ids(speaker_fields, row_fields) -> set[int]:
    values = [e["target"] for e in speaker_fields] + [e["speaker"] for e in row_fields]
    return {int(v) for v in values if DIGITS.fullmatch(v)}
