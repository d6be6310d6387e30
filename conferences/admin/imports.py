"""The admin's paste-and-preview import: form -> preview (speakers, rows, topics) -> save.

The page keeps no state on the server between steps: the text travels with the form, the
preview is parsed again on save (parsing is deterministic), and the editor's choices are read
back from the posted fields, so a failed save shows the page exactly as the editor left it.
"""

import hashlib
import logging
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from ..editorial.workflow import CHANGE_PERMISSION, may_publish
from ..importer.resolve import find_speaker
from ..importer.service import ImportRefused, Preview, RowDecision, build_preview, make_plan
from ..importer.writer import DuplicateSource, NewSpeaker, write
from ..models import Conference, Speaker, Statement, Topic
from ..text.diff import quote_diff
from .import_forms import ImportForm

logger = logging.getLogger(__name__)

NEW = "new"
DATABASE_DOWN = (
    "Nothing was saved: the database did not answer during the save. Your text and choices "
    "are kept below: save again in a minute."
)
DIGITS = re.compile(r"[0-9]{1,18}")
MATCHED_FIDELITY = {"verbatim": "verbatim transcript", "near_verbatim": "near-verbatim"}


def _speaker_fields(preview: Preview, data) -> list[dict]:
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


def _row_fields(preview: Preview, data, submitted: bool) -> list[dict]:
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
                **_match_fields(row, data),
            }
        )
    return rows


def _match_fields(row, data) -> dict:
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


def _decisions(preview, speaker_fields, row_fields, errors) -> dict[int, RowDecision]:
    """Turn the posted choices into writer decisions; problems go into `errors`."""
    existing = {
        str(s.pk): s for s in Speaker.objects.filter(pk__in=_ids(speaker_fields, row_fields))
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
            report=_report_choice(entry, speaker, errors),
        )
    if not any(entry["keep"] for entry in row_fields):
        errors.append("Keep at least one statement.")
    return decisions


def _report_choice(entry, speaker, errors) -> bool | None:
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


def _ids(speaker_fields, row_fields) -> set[int]:
    values = [e["target"] for e in speaker_fields] + [e["speaker"] for e in row_fields]
    return {int(v) for v in values if DIGITS.fullmatch(v)}


REQUIRED_PERMISSIONS = [
    f"conferences.add_{model}"
    for model in ("conference", "statement", "speaker", "speakeralias", "sourcedocument")
]
TEMPLATE = "admin/conferences/conference/import.html"
# Above this many speakers in the archive, each row offers only this text's speakers; the
# speakers table (one select per distinct speaker) still maps to any speaker in the archive.
ROW_SELECT_LIMIT = 200


def preview_key(data) -> str:
    """A digest of what the preview was made from; a save must come from the same."""
    parts = [data["text"], data["kind"], data["default_speaker"], str(data["paraphrases"])]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def import_view(request, model_admin):
    if not request.user.has_perms(REQUIRED_PERMISSIONS):
        raise PermissionDenied
    speakers = [(str(pk), name) for pk, name in Speaker.objects.values_list("pk", "name")]
    speakers.sort(key=lambda item: item[1].casefold())
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import a transcript or an article",
        "speakers": speakers,
        "row_speakers": speakers if len(speakers) <= ROW_SELECT_LIMIT else [],
        "kinds": Statement.Kind.choices,
        "fidelities": Statement.Fidelity.choices,
        "speaker_kinds": Speaker.Kind.choices,
        "all_topics": Topic.objects.order_by("name"),
        "errors": [],
    }
    if request.method != "POST":
        context["form"] = ImportForm()
        return TemplateResponse(request, TEMPLATE, context)

    form = ImportForm(request.POST, request.FILES)
    context["form"] = form
    form.is_valid()
    data = form.cleaned_data
    if "text" not in data or form.has_error("text") or form.has_error("file"):
        return TemplateResponse(request, TEMPLATE, context)
    for name in ("kind", "default_speaker", "paraphrases"):
        data.setdefault(name, form.fields[name].initial or ("auto" if name == "kind" else ""))
    data["default_speaker"] = data["default_speaker"] or ""
    try:
        preview = build_preview(
            data["text"],
            kind=data["kind"],
            default_speaker=data["default_speaker"],
            paraphrases=bool(data["paraphrases"]),
        )
    except ImportRefused as exc:  # more statements than one import takes
        form.add_error("file" if data.get("file") else "text", str(exc))
        return TemplateResponse(request, TEMPLATE, context)
    key = preview_key(data)
    saving = request.POST.get("action") == "save"
    if saving and request.POST.get("preview_key") != key:
        # The text or its options changed after the preview: the choices on the page were
        # made for other rows. Show the new preview instead of guessing.
        saving = False
        context["errors"].append(
            "The text or the import options changed since the preview: check this new "
            "preview, then save."
        )
    if not saving and not form.errors:
        form = _prefilled(form, preview)
        context["form"] = form
    posted = request.POST if saving else {}
    speaker_fields = _speaker_fields(preview, posted)
    row_fields = _row_fields(preview, posted, submitted=saving)
    context.update(
        preview=preview, speaker_fields=speaker_fields, row_fields=row_fields, preview_key=key
    )
    if preview.duplicate:
        context["errors"].append(
            f"This exact text was imported before, into “{preview.duplicate.conference}”."
        )
        context["duplicate_url"] = reverse(
            "admin:conferences_conference_change", args=[preview.duplicate.conference_id]
        )
    if not preview.rows:
        context["errors"].append("No statements were found in this text.")
    if not saving or context["errors"]:
        return TemplateResponse(request, TEMPLATE, context)

    decisions = _decisions(preview, speaker_fields, row_fields, context["errors"])
    conference = data.get("conference")
    # Rows recorded as reports create no statement; with no other row, the article joins the
    # conference of the statements it reports, and no new conference is needed.
    new_rows = any(
        entry["keep"] and not decisions[entry["row"].index].reports(entry["row"])
        for entry in row_fields
    )
    if (conference or not new_rows) and not request.user.has_perm(CHANGE_PERMISSION):
        context["errors"].append("You may not add to an existing conference.")
    # A report on a public statement is public at once; an editor who may not publish files
    # the article under a new draft conference, so that a reviewer publishes it.
    join_reported = may_publish(request.user) or not any(
        entry["keep"]
        and decisions[entry["row"].index].reports(entry["row"])
        and entry["row"].match.statement.conference.status in Conference.PUBLIC_STATUSES
        for entry in row_fields
    )
    needs_conference = new_rows or not join_reported
    missing = needs_conference and not form.require_new_conference_fields()
    if form.errors or missing or context["errors"]:
        return TemplateResponse(request, TEMPLATE, context)
    plan = make_plan(
        preview,
        conference=conference,
        title=data["title"],
        date=data["date"],
        place=data["place"],
        url=data["source_url"],
        outlet=data["outlet"],
        decisions=decisions,
        join_reported=join_reported,
    )
    try:
        result = write(plan, user=request.user)
    except DuplicateSource as exc:
        context["errors"].append(str(exc))
    except (OperationalError, InterfaceError):
        # The connection dropped or the database stopped (the writer's transaction is rolled
        # back). The page is shown again with the editor's text and choices; if the database is
        # still down, the middleware's 503 page gives them back instead.
        logger.warning("The database did not answer while an import was saved.", exc_info=True)
        context["errors"].append(DATABASE_DOWN)
    except (ValueError, DatabaseError) as exc:
        context["errors"].append(f"Nothing was saved: {exc}")
    else:
        reports = (
            f" and {len(result.reports)} report{'s' if len(result.reports) != 1 else ''} of "
            "statements already in the archive"
            if result.reports
            else ""
        )
        messages.success(
            request,
            f"Imported {len(result.statements)} statements{reports} into “{result.conference}” "
            f"({result.conference.get_status_display().lower()}); "
            f"{len(result.created_speakers)} new speakers.",
        )
        return redirect("admin:conferences_conference_change", result.conference.pk)
    return TemplateResponse(request, TEMPLATE, context)


def _prefilled(form: ImportForm, preview: Preview) -> ImportForm:
    """The form again, with the conference fields the editor left empty taken from the text."""
    data = form.data.copy()
    doc = preview.doc
    for name, value in (("title", doc.title), ("date", doc.date), ("place", doc.place)):
        if value and not data.get(name):
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data["text"] = form.cleaned_data["text"]  # an uploaded file's text is kept in the form
    refreshed = ImportForm(data)
    refreshed.is_valid()
    return refreshed
