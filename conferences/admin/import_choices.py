"""The editor's choices on the import preview, read back from the posted form.

Each distinct speaker of the text is a row of the speakers table (map it to a speaker of the
archive, or create one); each statement is a row with its speaker, kind, fidelity, topics and,
for a quote the archive already holds, whether to record the article as a report of it. The
page keeps nothing on the server: what it shows is built from the preview and what was posted,
and `decisions` turns it into the writer's RowDecisions, collecting what is wrong in `errors`.
"""

import re

from django.urls import reverse

from ..importer.resolve import find_speaker
from ..importer.service import Preview, RowDecision
from ..importer.writer import NewSpeaker
from ..models import Speaker, Statement, Topic
from ..text.diff import quote_diff

NEW = "new"
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


def row_fields(preview: Preview, data, submitted: bool) -> list[dict]:
    speaker_index = {id(choice): j for j, choice in enumerate(preview.speakers)}
    rows = []
    for row in preview.rows:
        i = row.index
        suggested = [str(t.pk) for t in row.topics]
        rows.append(
            {
                "row": row,
                "keep": (f"row-{i}-keep" in data) if submitted else True,
                "speaker": data.get(f"row-{i}-speaker", f"sp-{speaker_index[id(row.choice)]}"),
                "kind": data.get(f"row-{i}-kind", row.turn.kind),
                "fidelity": data.get(f"row-{i}-fidelity", row.turn.fidelity),
                "topics": data.getlist(f"row-{i}-topics") if submitted else suggested,
                "suggested": suggested,
                **match_fields(row, data),
            }
        )
    return rows


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
