"""The editors' admin: every Podium model, with inlines where editors work in context.

Every model admin is an ArchiveHistoryAdmin (admin_history.py): its "History" page lists who
changed what and when, with the differences, and restores an earlier version through the same
form (and so the same checks) as an ordinary edit.
"""

import re

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..editorial import workflow
from ..models import (
    Conference,
    Organization,
    PrintedLabel,
    Role,
    SourceDocument,
    Speaker,
    SpeakerAlias,
    Statement,
    Topic,
)
from .forms import AliasFormSet, SourceDocumentForm, SpeakerAliasForm, StatementForm
from .history import ArchiveHistoryAdmin
from .imports import import_view
from .statements import statement_urls

# Django 5.x forms assume http:// for URLs typed without a scheme; https is today's default.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Organization)
class OrganizationAdmin(ArchiveHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    form = SpeakerAliasForm
    formset = AliasFormSet
    extra = 1


class PrintedLabelInline(admin.TabularInline):
    """Labels an editor confirmed at import, read as this speaker's in later texts; a wrong one
    is corrected here (or deleted by an administrator)."""

    model = PrintedLabel
    extra = 0
    fields = ["label", "confirmed_at"]
    readonly_fields = ["confirmed_at"]


class RoleInline(admin.TabularInline):
    model = Role
    extra = 1
    autocomplete_fields = ["organization"]


@admin.register(Speaker)
class SpeakerAdmin(ArchiveHistoryAdmin):
    list_display = ["name", "kind", "country", "organization"]
    list_filter = ["kind", "country"]
    list_select_related = ["organization"]
    search_fields = ["name", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organization"]
    inlines = [SpeakerAliasInline, PrintedLabelInline, RoleInline]


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(ArchiveHistoryAdmin):
    form = SpeakerAliasForm
    list_display = ["name", "speaker", "normalized"]
    list_select_related = ["speaker"]
    search_fields = ["name", "normalized", "speaker__name"]
    autocomplete_fields = ["speaker"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["fields"] = ["speaker", "name"]
        return super().get_form(request, obj, **kwargs)


@admin.register(Role)
class RoleAdmin(ArchiveHistoryAdmin):
    list_display = ["speaker", "title", "organization", "country", "started_on", "ended_on"]
    list_filter = ["country"]
    list_select_related = ["speaker", "organization"]
    search_fields = ["title", "speaker__name", "organization__name"]
    autocomplete_fields = ["speaker", "organization"]


@admin.register(Topic)
class TopicAdmin(ArchiveHistoryAdmin):
    list_display = ["name", "parent"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "keywords", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


class StatementInline(admin.TabularInline):
    model = Statement
    form = StatementForm
    extra = 0
    ordering = ["sequence"]
    # The source is set by the importer; a select of every source in the archive on every row
    # would be both slow and a way to point a statement at another conference's document.
    fields = [
        "sequence",
        "speaker",
        "label",
        "kind",
        "fidelity",
        "text",
        "topics",
        "correction_note",
    ]
    autocomplete_fields = ["speaker", "topics"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker").prefetch_related("topics")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.editor = request.user  # a form class made for this request: see StatementForm
        return formset


class ConferenceStatusRules:
    """Editors change a conference, its statements and its sources only while it is a draft or
    in review; reviewers change them at every status (workflow.may_edit). Otherwise Django
    shows its read-only page and refuses a POST with 403."""

    def conference_of(self, obj) -> Conference:
        return obj.conference

    def may_edit(self, request, obj) -> bool:
        return obj is None or workflow.may_edit(request.user, self.conference_of(obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_edit(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Nothing goes into (or moves to) a conference the user may not change.
        if db_field.name == "conference":
            kwargs["queryset"] = workflow.editable_conferences(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Conference)
class ConferenceAdmin(ConferenceStatusRules, ArchiveHistoryAdmin):
    list_display = ["title", "date", "place", "country", "kind", "status", "last_moved"]
    list_filter = ["status", "kind", "country", "date"]
    list_select_related = ["status_changed_by"]
    date_hierarchy = "date"
    search_fields = ["title", "place", "statements__text"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host"]
    # The status moves only through the workflow (the buttons on the page, the actions).
    readonly_fields = ["status"]
    inlines = [StatementInline]
    actions = ["send_to_review", "back_to_draft", "publish", "withdraw"]
    change_list_template = "admin/conferences/conference/change_list.html"

    def conference_of(self, obj) -> Conference:
        return obj

    def get_urls(self):
        importer = self.admin_site.admin_view(lambda request: import_view(request, self))
        mover = self.admin_site.admin_view(require_POST(self.move_view))
        return [
            path("import/", importer, name="conferences_conference_import"),
            path("<path:object_id>/move/<str:status>/", mover, name="conferences_conference_move"),
            *super().get_urls(),
        ]

    @admin.display(description="Last moved", ordering="status_changed_at")
    def last_moved(self, conference):
        if conference.status_changed_at is None:
            return "—"
        when = f"{timezone.localtime(conference.status_changed_at):%Y-%m-%d %H:%M}"
        by = conference.status_changed_by
        return f"{when} by {by.get_username()}" if by else when

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if getattr(request.resolver_match, "url_name", None) == "autocomplete":
            # The statement and source forms offer only what they accept.
            queryset = workflow.editable_conferences(request.user, queryset)
        return queryset, duplicates

    def save_model(self, request, obj, form, change):
        if not change:
            workflow.start(obj, request.user)
            return
        with transaction.atomic():  # the history page's revert saves outside one
            workflow.keep_status(obj)
            super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["moves"] = workflow.allowed_moves(request.user, obj)
            context["status_changes"] = obj.status_changes.select_related("changed_by")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def move_view(self, request, object_id, status):
        """POST only: one move of the workflow, then back to the conference's page."""
        conference = self.get_object(request, unquote(object_id))
        if conference is None or status not in Conference.Status.values:
            raise Http404("No such conference or status.")
        try:
            change = workflow.move(conference, status, request.user, request.POST.get("note", ""))
        except workflow.MoveRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.log_change(request, conference, str(change))
            self.message_user(
                request,
                f"“{conference.title}” is now {workflow.STATE[status]}.",
                messages.SUCCESS,
            )
        return redirect("admin:conferences_conference_change", conference.pk)

    def has_publish_permission(self, request):
        return workflow.may_publish(request.user)

    def move_selected(self, request, queryset, status):
        moved, refused = 0, []
        for conference in queryset.order_by("pk"):
            try:
                workflow.move(conference, status, request.user)
            except (workflow.MoveRefused, PermissionDenied) as exc:
                refused.append(str(exc))
            else:
                moved += 1
        label = Conference.Status(status).label
        if moved:
            self.message_user(
                request, f"{moved} conference(s) moved to “{label}”.", messages.SUCCESS
            )
        if refused:
            self.message_user(
                request,
                f"{len(refused)} could not be moved to “{label}”: {' '.join(refused)}",
                messages.WARNING,
            )

    @admin.action(description="Send the selected conferences to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        self.move_selected(request, queryset, Conference.Status.REVIEW)

    @admin.action(description="Move the selected conferences back to draft", permissions=["change"])
    def back_to_draft(self, request, queryset):
        self.move_selected(request, queryset, Conference.Status.DRAFT)

    @admin.action(description="Publish the selected conferences", permissions=["publish"])
    def publish(self, request, queryset):
        self.move_selected(request, queryset, Conference.Status.PUBLISHED)

    @admin.action(description="Withdraw the selected conferences", permissions=["publish"])
    def withdraw(self, request, queryset):
        self.move_selected(request, queryset, Conference.Status.WITHDRAWN)


@admin.register(SourceDocument)
class SourceDocumentAdmin(ConferenceStatusRules, ArchiveHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    form = SourceDocumentForm
    list_display = ["__str__", "kind", "outlet", "conference", "published_on"]
    list_filter = ["kind", "language"]
    list_select_related = ["outlet", "conference"]
    search_fields = ["title", "url", "via", "outlet__name", "text"]
    autocomplete_fields = ["conference", "outlet"]
    readonly_fields = ["content_hash", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # Statements point into the stored text by offsets: once saved, it stays as it is.
        if not obj:
            return self.readonly_fields
        # A page fetched from a link: the record of that fetch, shown, never edited.
        fetched = ["snapshot_url", "fetched_at", "snapshot_sha256", "snapshot_content_type"]
        return [*self.readonly_fields, "text", *(fetched if obj.has_snapshot else [])]


@admin.register(Statement)
class StatementAdmin(ConferenceStatusRules, ArchiveHistoryAdmin):
    form = StatementForm
    list_display = ["public_id", "__str__", "conference", "sequence", "kind", "fidelity"]
    list_filter = ["kind", "fidelity", "conference__status", "conference__country"]
    list_select_related = ["speaker", "conference"]
    # The text is searched with the full-text index (get_search_results), not as a substring.
    search_fields = ["public_id", "label", "speaker__name", "speaker__aliases__name"]
    search_help_text = (
        'Words of the text, as the public search takes them ("an exact phrase", -left-out, or); '
        "a public id, a label or a speaker's name."
    )
    autocomplete_fields = ["conference", "speaker", "topics", "source"]
    readonly_fields = ["public_id", "content_hash", "created_at", "updated_at"]

    def get_search_results(self, request, queryset, search_term):
        """A statement's words are found as the public search finds them (models/search.py:
        stemmed words, websearch syntax, the full-text index on both databases), so "sanction"
        finds "sanctions" and "arm" does not find "harm"; its public id, label and speaker's
        names as Django's admin finds them (every word in one of those fields)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return found, may_have_duplicates
        by_text = Statement.objects.search(search_term).values("pk")
        # Plain words may mix the two ('darrow sanctions'): each word in the text or a name.
        # (Not with search syntax: '-quotas' or a "phrase" means what the full-text search says.)
        words = search_term.split()
        if not all(re.fullmatch(r"[^\W_][\w'’.\-]*", word) for word in words):
            words = []
        mixed = Q()
        for word in words:
            mixed &= (
                Q(pk__in=Statement.objects.search(word).values("pk"))
                | Q(label__icontains=word)
                | Q(speaker__name__icontains=word)
                | Q(speaker__aliases__name__icontains=word)
            )
        either = Q(pk__in=by_text) | (mixed if words else Q(pk__in=[]))
        return found | queryset.filter(either), True  # the aliases join may repeat a row

    def get_urls(self):
        # "Split at this point" and "Merge with next" (linked from the change page's tools).
        return [*statement_urls(self), *super().get_urls()]

    def get_form(self, request, obj=None, **kwargs):
        # Also the history page's form: a revert of a public statement is a correction too.
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user  # a form class made for this request: see StatementForm
        return form

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # A new statement has nothing to correct.
        return fields if obj else [name for name in fields if name != "correction_note"]
