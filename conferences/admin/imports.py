"""The admin's paste-and-preview import: form -> preview (speakers, rows, topics) -> save.

Each step is a function below (`import_view` calls them in turn); what the editor chose on the
preview is read back in import_choices.py, and the save itself is importer/writer.py.

The page keeps no state on the server between steps: the text travels with the form, the
preview is parsed again on save (parsing is deterministic), and the editor's choices are read
back from the posted fields, so a failed save shows the page exactly as the editor left it.
"""

import hashlib
import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from ..editorial.workflow import CHANGE_PERMISSION, may_publish
from ..importer.parse.text import build_view
from ..importer.service import ImportRefused, Preview, build_preview, make_plan
from ..importer.writer import DuplicateSource, write
from ..models import Conference, Speaker, Statement, Topic
from . import import_choices as choices
from . import import_review as review
from .import_forms import ImportForm

logger = logging.getLogger(__name__)

DATABASE_DOWN = (
    "Nothing was saved: the database did not answer during the save. Your text and choices "
    "are kept below: save again in a minute."
)


REQUIRED_PERMISSIONS = [
    f"conferences.add_{model}"
    for model in ("conference", "statement", "speaker", "speakeralias", "sourcedocument")
]
TEMPLATE = "admin/conferences/conference/import.html"
# Above this many speakers in the archive, each row offers only this text's speakers; the
# speakers table (one select per distinct speaker) still maps to any speaker in the archive.
ROW_SELECT_LIMIT = 200


def preview_key(data, repairs: str = "") -> str:
    """A digest of what the preview was made from (the text, its options and the editor's
    repairs); a save must come from the same."""
    parts = [data["text"], data["kind"], data["default_speaker"], str(data["paraphrases"])]
    return hashlib.sha256("\x1f".join([*parts, repairs]).encode("utf-8")).hexdigest()[:32]


def import_view(request, model_admin):
    """The three steps of one page: the empty form (GET), the preview (Preview), and the save
    (Save), which writes the import or shows the page again as the editor left it."""
    if not request.user.has_perms(REQUIRED_PERMISSIONS):
        raise PermissionDenied
    context = _page_context(request, model_admin)
    if request.method != "POST":
        context["form"] = ImportForm()
        return TemplateResponse(request, TEMPLATE, context)
    form, data = _read_form(request)
    context["form"] = form
    if data is None:
        return TemplateResponse(request, TEMPLATE, context)
    view = build_view(data["text"]).text  # the text as the parser reads it, built once here
    repairs = review.read_repairs(request.POST, data["text"], view)
    context["errors"] += repairs.errors
    try:
        preview = build_preview(
            data["text"],
            kind=data["kind"],
            default_speaker=data["default_speaker"],
            paraphrases=bool(data["paraphrases"]),
            hints=repairs.hints,
        )
    except ImportRefused as exc:  # more statements than one import takes
        form.add_error("file" if data.get("file") else "text", str(exc))
        return TemplateResponse(request, TEMPLATE, context)
    if preview.doc.kind == "article" and repairs.hints.breaks:
        context["errors"].append(review.ARTICLE_BREAKS)
    saving = _show_preview(request, context, form, data, preview, repairs, view)
    if not saving or context["errors"]:
        return TemplateResponse(request, TEMPLATE, context)
    return _save(request, context, form, data, preview)


def _page_context(request, model_admin) -> dict:
    speakers = [(str(pk), name) for pk, name in Speaker.objects.values_list("pk", "name")]
    speakers.sort(key=lambda item: item[1].casefold())
    return {
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


def _read_form(request) -> tuple[ImportForm, dict | None]:
    """The posted form, and its cleaned data with every import option filled in; no data when
    there is no text to preview (the form then says why)."""
    form = ImportForm(request.POST, request.FILES)
    form.is_valid()
    data = form.cleaned_data
    if "text" not in data or form.has_error("text") or form.has_error("file"):
        return form, None
    for name in ("kind", "default_speaker", "paraphrases"):
        data.setdefault(name, form.fields[name].initial or ("auto" if name == "kind" else ""))
    data["default_speaker"] = data["default_speaker"] or ""
    return form, data


def _show_preview(request, context, form, data, preview: Preview, repairs, view: str) -> bool:
    """Put the preview and the editor's choices into `context`; whether this request saves."""
    # (with what the preview read from the archive: a label learned since then changes it)
    key = preview_key(data, "\x1e".join([repairs.key(), *preview.doc.warnings]))
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
        context["form"] = _prefilled(form, preview)
    base = preview_key(data)
    if saving:
        posted, submitted = request.POST, True
    elif request.POST.get("preview_base") == base:
        # Preview again, of the same text: the choices made on the page follow their rows.
        posted, submitted = choices.carried(request.POST, preview)
    else:
        posted, submitted = {}, False
    speaker_fields = choices.speaker_fields(preview, posted)
    row_fields = choices.row_fields(preview, posted, submitted=submitted)
    colours = {entry["row"].index: entry["colour"] for entry in row_fields}
    lines, share = review.source_pane(preview.text, view, preview.rows, colours)
    context.update(
        preview=preview,
        speaker_fields=speaker_fields,
        row_fields=row_fields,
        preview_key=key,
        preview_base=base,
        repairs=repairs.listed,
        source_lines=lines,
        left_out=review.left_out_sentence(share),
        left_out_share=share,
        label_offers=review.label_offers(view, preview.rows),
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
    return saving


def _save(request, context, form, data, preview: Preview):
    """Save: the editor's choices become a plan, the writer saves it in one transaction, and
    the editor lands on the new conference; on any problem, the page again with the reason."""
    speaker_fields, row_fields = context["speaker_fields"], context["row_fields"]
    decisions = choices.decisions(preview, speaker_fields, row_fields, context["errors"])
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
    plan.snapshot = form.snapshot  # the page a link was fetched from (import_link.py), or None
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
        messages.success(request, _imported(result))
        return redirect("admin:conferences_conference_change", result.conference.pk)
    return TemplateResponse(request, TEMPLATE, context)


def _imported(result) -> str:
    reports = (
        f" and {len(result.reports)} report{'s' if len(result.reports) != 1 else ''} of "
        "statements already in the archive"
        if result.reports
        else ""
    )
    return (
        f"Imported {len(result.statements)} statements{reports} into “{result.conference}” "
        f"({result.conference.get_status_display().lower()}); "
        f"{len(result.created_speakers)} new speakers."
    )


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
