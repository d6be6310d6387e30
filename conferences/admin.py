"""The editors' admin: every Podium model, with inlines where editors work in context.

Every model admin is a SimpleHistoryAdmin: its "History" page lists who changed what and when,
with the differences, and restores an earlier version through the same form (and so the same
checks) as an ordinary edit.
"""

from django.contrib import admin, messages
from django.db import models
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from .admin_import import import_view
from .forms import AliasFormSet, SourceDocumentForm, SpeakerAliasForm, StatementForm
from .models import (
    Conference,
    Organization,
    Role,
    SourceDocument,
    Speaker,
    SpeakerAlias,
    Statement,
    Topic,
)

# Django 5.x forms assume http:// for URLs typed without a scheme; https is today's default.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
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


class RoleInline(admin.TabularInline):
    model = Role
    extra = 1
    autocomplete_fields = ["organization"]


@admin.register(Speaker)
class SpeakerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "organization"]
    list_filter = ["kind", "country"]
    list_select_related = ["organization"]
    search_fields = ["name", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organization"]
    inlines = [SpeakerAliasInline, RoleInline]


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(SimpleHistoryAdmin):
    form = SpeakerAliasForm
    list_display = ["name", "speaker", "normalized"]
    list_select_related = ["speaker"]
    search_fields = ["name", "normalized", "speaker__name"]
    autocomplete_fields = ["speaker"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["fields"] = ["speaker", "name"]
        return super().get_form(request, obj, **kwargs)


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["speaker", "title", "organization", "country", "started_on", "ended_on"]
    list_filter = ["country"]
    list_select_related = ["speaker", "organization"]
    search_fields = ["title", "speaker__name", "organization__name"]
    autocomplete_fields = ["speaker", "organization"]


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
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
    fields = ["sequence", "speaker", "label", "kind", "fidelity", "text", "topics"]
    autocomplete_fields = ["speaker", "topics"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker").prefetch_related("topics")


@admin.register(Conference)
class ConferenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "date", "place", "country", "kind", "status"]
    list_filter = ["status", "kind", "country", "date"]
    date_hierarchy = "date"
    search_fields = ["title", "place", "statements__text"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host"]
    inlines = [StatementInline]
    actions = ["publish", "unpublish"]
    change_list_template = "admin/conferences/conference/change_list.html"

    def get_urls(self):
        importer = self.admin_site.admin_view(lambda request: import_view(request, self))
        return [
            path("import/", importer, name="conferences_conference_import"),
            *super().get_urls(),
        ]

    @admin.action(description="Publish the selected conferences", permissions=["change"])
    def publish(self, request, queryset):
        count = queryset.update(status=Conference.Status.PUBLISHED)
        self.message_user(request, f"Published {count} conference(s).", messages.SUCCESS)

    @admin.action(
        description="Unpublish the selected conferences (back to draft)", permissions=["change"]
    )
    def unpublish(self, request, queryset):
        count = queryset.update(status=Conference.Status.DRAFT)
        self.message_user(request, f"Moved {count} conference(s) back to draft.", messages.SUCCESS)


@admin.register(SourceDocument)
class SourceDocumentAdmin(SimpleHistoryAdmin):
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
        return [*self.readonly_fields, "text"] if obj else self.readonly_fields


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    form = StatementForm
    list_display = ["public_id", "__str__", "conference", "sequence", "kind", "fidelity"]
    list_filter = ["kind", "fidelity", "conference__status", "conference__country"]
    list_select_related = ["speaker", "conference"]
    search_fields = ["public_id", "text", "label", "speaker__name", "speaker__aliases__name"]
    autocomplete_fields = ["conference", "speaker", "topics", "source"]
    readonly_fields = ["public_id", "content_hash", "created_at", "updated_at"]
