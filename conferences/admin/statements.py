"""The admin's "Split at this point" and "Merge with next" pages for one statement.

Both pages work without JavaScript: the editor names the split point by typing the first words
of the second part (a preview shows both parts before anything is saved), and a merge shows the
joined text first. Every post carries a fingerprint of what the page showed, so a page left open
while someone else edited the statement is refused instead of acted on. The work itself is done
in conferences/editorial/permalinks.py, in one transaction.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from ..editorial import permalinks
from ..models import Statement

NOTE_HELP = (
    "What was wrong and what was done, in a sentence; shown to readers with the correction. "
    "Required when the conference is published or withdrawn."
)


STALE_FORM = {"required": "This page is incomplete: open it again from the statement's page."}


class SplitForm(forms.Form):
    begins = forms.CharField(
        label="The second part begins with",
        max_length=500,
        help_text="Copy the first words of the second part from the text above, as written "
        "(spaces and line breaks need not match). They must appear only once in the text.",
        widget=forms.TextInput(attrs={"size": 60, "autocomplete": "off"}),
    )
    note = forms.CharField(
        label="Note for readers", required=False, help_text=NOTE_HELP, widget=forms.Textarea
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput, error_messages=STALE_FORM)
    previewed = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "The preview was lost: preview the two parts again."},
    )


class MergeForm(forms.Form):
    note = forms.CharField(
        label="Note for readers", required=False, help_text=NOTE_HELP, widget=forms.Textarea
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput, error_messages=STALE_FORM)


def statement_urls(model_admin) -> list:
    """The two pages, under the statement's own admin URL."""
    info = model_admin.model._meta.app_label, model_admin.model._meta.model_name

    def wrap(view):
        def wrapped(request, object_id):
            return view(request, model_admin, object_id)

        return model_admin.admin_site.admin_view(wrapped)

    return [
        path("<path:object_id>/split/", wrap(split_view), name="{}_{}_split".format(*info)),
        path("<path:object_id>/merge/", wrap(merge_view), name="{}_{}_merge".format(*info)),
    ]


def _statement(request, model_admin, object_id) -> Statement:
    """The statement, if the user may change it (the admin's rule, published conferences
    included); 404 when there is no such statement, 403 when it is not theirs to change."""
    queryset = model_admin.get_queryset(request).select_related("conference", "speaker", "source")
    statement = queryset.filter(pk=object_id).first() if str(object_id).isdigit() else None
    if statement is None:
        raise Http404("No such statement.")
    if not model_admin.has_change_permission(request, statement):
        raise PermissionDenied
    return statement


def _context(request, model_admin, statement, title: str) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": statement,
        "statement": statement,
        "conference": statement.conference,
        "public": permalinks.is_public(statement.conference),
        "title": title,
        "change_url": reverse("admin:conferences_statement_change", args=[statement.pk]),
    }


@require_http_methods(["GET", "POST"])
def split_view(request, model_admin, object_id):
    statement = _statement(request, model_admin, object_id)
    context = _context(request, model_admin, statement, f"Split statement {statement.public_id}")
    template = "admin/conferences/statement/split.html"
    if request.method != "POST":
        context["form"] = SplitForm(initial={"fingerprint": permalinks.fingerprint(statement)})
        return TemplateResponse(request, template, context)

    form = SplitForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return TemplateResponse(request, template, context, status=400)
    try:
        if form.cleaned_data["fingerprint"] != permalinks.fingerprint(statement):
            raise permalinks.PermalinkError(
                "The statement changed since this page was opened (someone else edited it). "
                "Check the text below and choose the split point again."
            )
        offset = permalinks.split_point(statement.text, form.cleaned_data["begins"])
        previewed = form.cleaned_data["previewed"]
        if "preview" in request.POST or previewed != offset:
            # Nothing is split unseen: the Split button comes with the preview of that split.
            if "preview" not in request.POST and previewed is not None:
                context["notice"] = (
                    "The split point is not the one previewed: check the two parts again, "
                    "then split."
                )
            context["parts"] = permalinks.split_parts(statement.text, offset)
            context["form"] = _rebound(SplitForm, form, previewed=offset)
            return TemplateResponse(request, template, context)
        new = permalinks.split(
            statement,
            offset,
            note=form.cleaned_data["note"],
            user=request.user,
            expected=form.cleaned_data["fingerprint"],
        )
    except permalinks.PermalinkError as error:
        form.add_error(None, str(error))
        context["form"] = _rebound(
            SplitForm, form, fingerprint=permalinks.fingerprint(statement), previewed=""
        )
        return TemplateResponse(request, template, context, status=400)
    messages.success(
        request,
        format_html(
            'Split: {} keeps the first part; the rest is now statement <a href="{}">{}</a> '
            "(no. {}).",
            statement.public_id,
            reverse("admin:conferences_statement_change", args=[new.pk]),
            new.public_id,
            new.sequence,
        ),
    )
    return redirect("admin:conferences_statement_change", statement.pk)


@require_http_methods(["GET", "POST"])
def merge_view(request, model_admin, object_id):
    statement = _statement(request, model_admin, object_id)
    context = _context(request, model_admin, statement, f"Merge statement {statement.public_id}")
    template = "admin/conferences/statement/merge.html"
    following = permalinks.next_statement(statement)
    pair = [statement, *([following] if following else [])]
    refusal = permalinks.merge_refusal(statement, following)
    if following is not None and not model_admin.has_change_permission(request, following):
        raise PermissionDenied
    context.update(
        following=following,
        refusal=refusal,
        joined=None if refusal else permalinks.merged_text(statement, following),
    )
    if request.method != "POST":
        context["form"] = MergeForm(initial={"fingerprint": permalinks.fingerprint(*pair)})
        return TemplateResponse(request, template, context)

    form = MergeForm(request.POST)
    context["form"] = form
    if refusal:
        return TemplateResponse(request, template, context, status=400)
    if not form.is_valid():
        return TemplateResponse(request, template, context, status=400)
    try:
        if form.cleaned_data["fingerprint"] != permalinks.fingerprint(*pair):
            raise permalinks.PermalinkError(
                "One of the two statements changed since this page was opened (someone else "
                "edited it). Check them below and merge again."
            )
        retired = permalinks.merge(
            statement,
            note=form.cleaned_data["note"],
            user=request.user,
            expected=form.cleaned_data["fingerprint"],
        )
    except permalinks.PermalinkError as error:
        form.add_error(None, str(error))
        context["form"] = _rebound(MergeForm, form, fingerprint=permalinks.fingerprint(*pair))
        return TemplateResponse(request, template, context, status=400)
    kept = f"; /s/{retired.public_id}/ now leads to /s/{statement.public_id}/" if retired else ""
    messages.success(
        request, f"Merged: {statement.public_id} now holds the text of {following.public_id}{kept}."
    )
    return redirect("admin:conferences_statement_change", statement.pk)


def _rebound(form_class, form, **values):
    """The same form with its errors, and hidden `values` for what the page shows now (a stale
    page gets the fresh fingerprint: the editor reads the text again and resends)."""
    data = form.data.copy()
    for name, value in values.items():
        data[name] = value
    fresh = form_class(data)
    fresh.is_valid()
    for error in form.non_field_errors():
        fresh.add_error(None, error)
    return fresh
