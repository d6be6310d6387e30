"""The admin's paste-and-preview import: form -> preview (speakers, rows, topics) -> save.

The page keeps no state on the server between steps: the text travels with the form, the
preview is parsed again on save (parsing is deterministic), and the editor's choices are read
back from the posted fields, so a failed save shows the page exactly as the editor left it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .import_forms import ImportForm
from .importer.service import Preview, RowDecision, build_preview, make_plan
from .importer.writer import DuplicateSource, NewSpeaker, write
from .models import Speaker, Statement, Topic

NEW = "new"


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
            }
        )
    return rows


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
        if value.startswith("sp-") and value[3:].isdigit() and int(value[3:]) < len(targets):
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
            keep=entry["keep"],
            speaker=speaker,
            kind=entry["kind"],
            fidelity=entry["fidelity"],
            topics=[topics[pk] for pk in entry["topics"] if pk in topics],
        )
    if not any(entry["keep"] for entry in row_fields):
        errors.append("Keep at least one statement.")
    return decisions


def _ids(speaker_fields, row_fields) -> set[int]:
    values = [e["target"] for e in speaker_fields] + [e["speaker"] for e in row_fields]
    return {int(v) for v in values if v.isdigit()}


def import_view(request, model_admin):
    if not (
        request.user.has_perm("conferences.add_conference")
        and request.user.has_perm("conferences.add_statement")
    ):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import a transcript or an article",
        "speakers": [
            (str(pk), name)
            for pk, name in Speaker.objects.order_by("name").values_list("pk", "name")
        ],
        "kinds": Statement.Kind.choices,
        "fidelities": Statement.Fidelity.choices,
        "speaker_kinds": Speaker.Kind.choices,
        "all_topics": Topic.objects.order_by("name"),
        "errors": [],
    }
    if request.method != "POST":
        context["form"] = ImportForm()
        return TemplateResponse(request, "admin/conferences/conference/import.html", context)

    form = ImportForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return TemplateResponse(request, "admin/conferences/conference/import.html", context)
    data = form.cleaned_data
    preview = build_preview(
        data["text"],
        kind=data["kind"],
        default_speaker=data["default_speaker"],
        paraphrases=data["paraphrases"],
    )
    saving = request.POST.get("action") == "save"
    # A save whose rows no longer match the text (it was edited) is shown as a new preview.
    saving = saving and request.POST.get("row_count") == str(len(preview.rows))
    if not saving:
        form = _prefilled(form, preview)
        context["form"] = form
    speaker_fields = _speaker_fields(preview, request.POST if saving else {})
    row_fields = _row_fields(preview, request.POST if saving else {}, submitted=saving)
    context.update(preview=preview, speaker_fields=speaker_fields, row_fields=row_fields)
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
        return TemplateResponse(request, "admin/conferences/conference/import.html", context)

    decisions = _decisions(preview, speaker_fields, row_fields, context["errors"])
    if not form.require_new_conference_fields() or context["errors"]:
        return TemplateResponse(request, "admin/conferences/conference/import.html", context)
    plan = make_plan(
        preview,
        conference=data["conference"],
        title=data["title"],
        date=data["date"],
        place=data["place"],
        url=data["source_url"],
        outlet=data["outlet"],
        decisions=decisions,
    )
    try:
        result = write(plan)
    except DuplicateSource as exc:
        context["errors"].append(str(exc))
    except (ValueError, DatabaseError) as exc:
        context["errors"].append(f"Nothing was saved: {exc}")
    else:
        messages.success(
            request,
            f"Imported {len(result.statements)} statements into “{result.conference}” "
            f"({result.conference.get_status_display().lower()}); "
            f"{len(result.created_speakers)} new speakers.",
        )
        return redirect("admin:conferences_conference_change", result.conference.pk)
    return TemplateResponse(request, "admin/conferences/conference/import.html", context)


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
