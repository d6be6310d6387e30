"""Who reaches what, in one place: every admin URL refuses anonymous and non-staff visitors;
nothing of a conference that is not published shows on any public URL; Editors neither publish
nor delete what is public.

The admin's URLs and the public URL patterns are walked from the URLconf, so a view added later
is covered (or makes a test fail until it is) without anyone remembering to list it here.
Signing in (the admin's address, lockouts, passwords): tests/admin/test_sign_in.py.
"""

import datetime
import hashlib
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from conferences.editorial import workflow
from conferences.models import Conference, SourceDocument, Statement
from conferences.models.archive import SourceSnapshot

from ..admin.test_history import as_posted, edit
from ..editorial.test_workflow import login, messages_of
from ..factories import (
    ConferenceFactory,
    OrganizationFactory,
    RoleFactory,
    SourceDocumentFactory,
    SpeakerAliasFactory,
    SpeakerFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "not-a-real-password-42"
DRAFT, REVIEW, PUBLISHED, WITHDRAWN = "draft", "review", "published", "withdrawn"


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


# Public URLs: nothing of a draft, a conference in review or a withdrawn one ------------------

# What must never show while the conference is not published: its statement's words and
# permalink id, its speaker (who has nothing else), its source. The conference's own title
# shows only on the page that says a cited statement was withdrawn (it was public).
WORDS = "Sealed words about the harbour locks."
SPEAKER = "Quill Hiddenworth"
SOURCE = "Sealed transcript"
TITLE = "Sealed briefing"


@pytest.fixture(params=[DRAFT, REVIEW, WITHDRAWN])
def hidden(request):
    """One published conference, and one conference of the parameter's status whose speaker,
    source and topic appear nowhere else. The withdrawn one was published first, as in life."""
    status = request.param
    public = ConferenceFactory(title="Open briefing", slug="open", date=datetime.date(2024, 1, 5))
    StatementFactory(conference=public, text="Open words about the harbour.", sequence=1)
    topic = TopicFactory(name="Harbour locks", slug="harbour-locks")
    speaker = SpeakerFactory(name=SPEAKER, slug="quill-hiddenworth", country="IS")
    host = OrganizationFactory(name="Lock Authority", slug="lock-authority")
    conference = ConferenceFactory(
        title=TITLE,
        slug="sealed",
        date=datetime.date(2024, 2, 3),
        host=host,
        status=PUBLISHED if status == WITHDRAWN else status,
    )
    page = f"<html><body><p>{SPEAKER}: {WORDS}</p></body></html>".encode()
    source = SourceDocumentFactory(
        conference=conference,
        title=SOURCE,
        url="https://sealed.example/transcript",
        snapshot_url="https://sealed.example/transcript",
        fetched_at=datetime.datetime(2024, 2, 3, 12, 0, tzinfo=datetime.UTC),
        snapshot_sha256=hashlib.sha256(page).hexdigest(),
        snapshot_content_type="text/html; charset=utf-8",
    )
    SourceSnapshot.objects.create(source=source, content=page)  # its archived copy
    statement = StatementFactory(
        conference=conference, speaker=speaker, source=source, text=WORDS, sequence=1
    )
    statement.topics.add(topic)
    if status == WITHDRAWN:
        reviewer = User.objects.create_superuser("boss", password=PASSWORD)
        workflow.move(conference, WITHDRAWN, reviewer)
    return {"status": status, "statement": statement, "conference": conference}


def public_urls(h) -> dict[str, list[tuple[str, int]]]:
    """Every public URL pattern -> the URLs asked for it, each with the status it must answer."""
    statement, conference = h["statement"], h["conference"]
    public_id, speaker = statement.public_id, statement.speaker
    gone = 410 if h["status"] == WITHDRAWN else 404
    queries = [
        "",
        "?q=sealed",
        "?q=harbour",
        f"?speaker={speaker.pk}",
        "?topic=harbour-locks",
        "?country=IS",
        "?organization=lock-authority",
        "?date_from=2024-02-03&date_to=2024-02-03",
    ]
    refused = f"?conference={conference.pk}"  # not a choice: only published ones are
    lists = [(query, 200) for query in queries] + [(refused, 400)]
    return {
        "": [("/", 200)],
        "statements/": [(f"/statements/{q}", code) for q, code in lists],
        "statements/export.csv": [(f"/statements/export.csv{q}", c) for q, c in lists],
        "statements/export.json": [(f"/statements/export.json{q}", c) for q, c in lists],
        "statements/export.ndjson": [(f"/statements/export.ndjson{q}", c) for q, c in lists],
        "statements/feed/": [(f"/statements/feed/{q}", code) for q, code in lists],
        "feeds/statements/": [("/feeds/statements/", 200)],
        "s/<str:public_id>/": [(f"/s/{public_id}/", gone)],
        "s/<str:public_id>/card.png": [(f"/s/{public_id}/card.png", gone)],
        "s/<str:public_id>/<path:rest>": [(f"/s/{public_id}/anything/", gone)],
        "sources/<int:pk>/snapshot/": [(f"/sources/{statement.source_id}/snapshot/", 404)],
        "conferences/": [("/conferences/", 200), ("/conferences/?year=2024", 200)],
        "conferences/<int:year>/<str:month>/<str:day>/<slug:slug>/": [
            ("/conferences/2024/02/03/sealed/", 404)
        ],
        "speakers/": [("/speakers/", 200), ("/speakers/?country=IS", 200)],
        "speakers/<slug:slug>/": [("/speakers/quill-hiddenworth/", 404)],
        "speakers/<slug:slug>/feed/": [("/speakers/quill-hiddenworth/feed/", 404)],
        "topics/": [("/topics/", 200)],
        "topics/<slug:slug>/": [("/topics/harbour-locks/", 200)],
        "topics/<slug:slug>/feed/": [("/topics/harbour-locks/feed/", 200)],
        "countries/<str:code>/feed/": [("/countries/IS/feed/", 200)],
        "sitemap.xml": [("/sitemap.xml", 200)],
        "sitemap-<section>.xml": [
            (f"/sitemap-{section}.xml", 200)
            for section in ("conferences", "statements", "speakers", "topics")
        ],
        "api/v1/": [("/api/v1/", 200)],
        "api/v1/^statements/$": [(f"/api/v1/statements/{q}", code) for q, code in lists],
        "api/v1/^statements/(?P<public_id>[^/.]+)/$": [(f"/api/v1/statements/{public_id}/", 404)],
        "api/v1/^conferences/$": [
            ("/api/v1/conferences/", 200),
            ("/api/v1/conferences/?q=sealed", 200),
        ],
        "api/v1/^conferences/(?P<pk>[^/.]+)/$": [(f"/api/v1/conferences/{conference.pk}/", 404)],
        "api/v1/^speakers/$": [("/api/v1/speakers/", 200), ("/api/v1/speakers/?country=IS", 200)],
        "api/v1/^speakers/(?P<slug>[^/.]+)/$": [("/api/v1/speakers/quill-hiddenworth/", 404)],
        "api/v1/^topics/$": [("/api/v1/topics/", 200)],
        "api/v1/^topics/(?P<slug>[^/.]+)/$": [("/api/v1/topics/harbour-locks/", 200)],
        "api/v1/^organisations/$": [("/api/v1/organisations/", 200)],
        "api/v1/^organisations/(?P<slug>[^/.]+)/$": [
            ("/api/v1/organisations/lock-authority/", 200)
        ],
    }


# Public URLs that serve nothing of the archive's content.
NOT_ARCHIVE = {"robots.txt", "healthz", "api/v1/schema/", "api/v1/docs/"}


def public_patterns(patterns=None, prefix="") -> set[str]:
    """Every route of the URLconf outside the admin, as written (prefixes joined)."""
    found = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                found |= public_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            found.add(prefix + str(pattern.pattern))
    return found


def test_every_public_url_pattern_is_checked_for_unpublished_material(hidden):
    covered = set(public_urls(hidden)) | NOT_ARCHIVE
    assert public_patterns() == covered, (
        "A public URL was added or removed: say in public_urls() what it answers for a "
        "conference that is not published (or add it to NOT_ARCHIVE)."
    )


# Unfiltered lists, and a search both conferences match: the published statement shows, so the
# hidden one's absence there means something.
SHOWS_OPEN = {
    "/statements/",
    "/statements/?q=harbour",
    "/statements/export.csv",
    "/statements/export.json",
    "/statements/export.ndjson",
    "/statements/feed/",
    "/feeds/statements/",
    "/api/v1/statements/",
    "/api/v1/statements/?q=harbour",
}
WITHDRAWN_PAGE = {"s/<str:public_id>/", "s/<str:public_id>/<path:rest>"}


def test_nothing_unpublished_shows_on_any_public_url(client, hidden):
    public_id = hidden["statement"].public_id
    asked = set()
    for pattern, urls in public_urls(hidden).items():
        for url, expected in urls:
            response = client.get(url)
            text = body(response)
            where = (hidden["status"], url)
            assert response.status_code == expected, where
            for secret in (WORDS, SPEAKER, SOURCE, "sealed.example"):
                assert secret not in text, (*where, secret)
            # A statement cited while public is Gone, with the title readers saw.
            title_shown = hidden["status"] == WITHDRAWN and pattern in WITHDRAWN_PAGE
            assert (TITLE in text) is title_shown, where
            if public_id not in url:
                assert public_id not in text, where
            if url in SHOWS_OPEN:
                assert "Open words about the" in text, where  # (a search marks "harbour")
            asked.add(url)
    assert asked >= SHOWS_OPEN
    # Counts say nothing of it either.
    for url in ("/api/v1/topics/harbour-locks/", "/api/v1/organisations/lock-authority/"):
        assert client.get(url).json()["statements_count"] == 0, url


# The admin: every URL, for visitors who may not use it ----------------------------------------


@pytest.fixture
def admin_objects():
    """A row of every model the admin shows, a draft's where there is one; ids for the URLs."""
    draft = ConferenceFactory(status=DRAFT, title="Draft briefing")
    statement = StatementFactory(conference=draft, source=SourceDocumentFactory(conference=draft))
    SpeakerAliasFactory(speaker=statement.speaker)
    RoleFactory(speaker=statement.speaker)
    TopicFactory()
    OrganizationFactory()
    User.objects.create_superuser("boss", password=PASSWORD)
    seen = {"username": "boss", "ip_address": "127.0.0.1", "user_agent": "test", "path_info": "/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    ids = {None: {"content_type_id": ContentType.objects.get_for_model(Conference).pk}}
    ids[None]["object_id"] = draft.pk
    for model in admin.site._registry:
        row = model.objects.order_by("pk").first()
        ids[model] = {"object_id": row.pk, "id": row.pk, "status": PUBLISHED}
        if hasattr(row, "history"):
            ids[model]["version_id"] = row.history.latest().history_id
    return ids


def admin_urls(ids) -> list[tuple[str, str, object]]:
    """(URL name or route, URL, model or None) for every URL of the admin site and of every
    registered ModelAdmin (its custom views included), with the fixture's ids filled in.
    Only the site's catch-all (a 404 for what matches nothing) is left out."""
    found = []
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLResolver) or pattern.name is None:
            continue  # a ModelAdmin's URLs (below), or the catch-all
        if pattern.name == "app_list":
            for app in sorted({model._meta.app_label for model in admin.site._registry}):
                url = reverse("admin:app_list", kwargs={"app_label": app})
                found.append(("app_list", url, None))
            continue
        kwargs = {name: ids[None][name] for name in pattern.pattern.converters}
        found.append((pattern.name, reverse(f"admin:{pattern.name}", kwargs=kwargs), None))
    for model, model_admin in admin.site._registry.items():
        prefix = f"{reverse('admin:index')}{model._meta.app_label}/{model._meta.model_name}/"
        for pattern in model_admin.get_urls():
            if isinstance(pattern.pattern, RegexPattern):  # simple-history's version page
                args = [ids[model]["object_id"], ids[model]["version_id"]]
                url = reverse(f"admin:{pattern.name}", args=args[: pattern.pattern.regex.groups])
            else:
                fill = lambda match, model=model: str(ids[model][match[1]])  # noqa: E731
                url = prefix + re.sub(r"<(?:\w+:)?(\w+)>", fill, str(pattern.pattern))
            found.append((pattern.name or str(pattern.pattern), url, model))
    return found


def forged(model, url) -> list[dict]:
    """What a forger would post: on a changelist every bulk action (delete included) on the
    first row; elsewhere a confirmed delete and a status, for good measure."""
    opts = model._meta if model else None
    if opts is None or url != reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"):
        return [{"post": "yes", "status": PUBLISHED}]
    first = model.objects.order_by("pk").first()
    actions = ["delete_selected", *(admin.site._registry[model].actions or [])]
    return [{"action": name, "_selected_action": [first.pk], "post": "yes"} for name in actions]


# Podium's own admin views beside Django's and simple-history's (one model's of each kind).
CUSTOM_VIEWS = [
    "conferences_conference_import",  # the paste, its preview and the save
    "conferences_conference_move",  # the workflow's buttons
    "conferences_conference_simple_history",  # a version, and its revert
    "conferences_conference_history",
    "conferences_statement_split",
    "conferences_statement_merge",
    "conferences_sourcedocument_delete",
    "auth_user_password_change",
    "axes_accessattempt_changelist",
]


def archive_state():
    counts = {model._meta.label: model.objects.count() for model in admin.site._registry}
    return counts, list(Conference.objects.order_by("pk").values_list("pk", "status"))


def visitor(client, kind):
    """Log the client in as the kind of visitor the admin must turn away."""
    if kind == "anonymous":
        return
    user = User.objects.create_user("reader", password=PASSWORD)  # not staff
    if kind == "deactivated editor":  # an old session of someone who has left
        user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    if kind == "deactivated editor":
        User.objects.filter(pk=user.pk).update(is_active=False)


@pytest.mark.parametrize("kind", ["anonymous", "non-staff", "deactivated editor"])
def test_every_admin_url_sends_who_may_not_use_it_to_the_login_page(client, admin_objects, kind):
    visitor(client, kind)
    login, index = reverse("admin:login"), reverse("admin:index")
    urls = admin_urls(admin_objects)
    names = {name for name, _, _ in urls}
    # The walk reaches every kind of page: a view missing here is one the walk lost.
    assert set(CUSTOM_VIEWS) | {"index", "view_on_site", "app_list"} <= names
    assert {model for _, _, model in urls} == {None, *admin.site._registry}
    before = archive_state()
    for name, url, model in urls:
        assert re.fullmatch(r"[/\w-]+", url), url  # so the next= below needs no quoting
        if name == "login":
            page = client.get(url)
            assert page.status_code == 200
            signed_in = "You are authenticated as reader, but are not authorized"
            assert (signed_in in page.content.decode()) is (kind == "non-staff")
            continue
        expected = index if name == "logout" else f"{login}?next={url}"
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, expected), url
        for data in forged(model, url):
            response = client.post(url, data)
            assert (response.status_code, response["Location"]) == (302, expected), (url, data)
    assert archive_state() == before


def test_staff_without_rights_are_refused_every_model_page(client, admin_objects):
    """Staff status alone opens the admin's door, not a single model page, nor a custom view."""
    client.force_login(User.objects.create_user("staffer", password=PASSWORD, is_staff=True))
    before = archive_state()
    refused = set()
    for name, url, model in admin_urls(admin_objects):
        if model is None:
            continue
        if name == "<path:object_id>/":  # the old change URL: a redirect to the new one
            assert client.get(url).status_code == 302
            continue
        assert client.get(url).status_code == (405 if name.endswith("_move") else 403), url
        for data in forged(model, url):
            assert client.post(url, data).status_code == 403, (url, data)
        refused.add(name)
    assert set(CUSTOM_VIEWS) <= refused
    assert archive_state() == before


# Editors neither publish nor delete what is public ----------------------------------------
# (Also: tests/editorial/test_workflow.py for the buttons and the publish action,
# test_workflow_editing.py for changes and statement deletes, test_permalinks.py for split and
# merge.)


@pytest.mark.parametrize("status", [PUBLISHED, WITHDRAWN])
@pytest.mark.parametrize("model", [Conference, SourceDocument], ids=lambda m: m.__name__)
def test_an_editor_cannot_delete_a_public_conference_or_source(client, model, status):
    login(client, "editor")
    conference = ConferenceFactory(status=status)
    obj = conference if model is Conference else SourceDocumentFactory(conference=conference)
    url = reverse(f"admin:conferences_{model._meta.model_name}_delete", args=[obj.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", [Conference, Statement, SourceDocument], ids=lambda m: m.__name__)
def test_an_editor_posting_the_bulk_delete_deletes_nothing(client, model):
    login(client, "editor")
    statement = StatementFactory(conference=ConferenceFactory(status=PUBLISHED))
    statement.source = SourceDocumentFactory(conference=statement.conference)
    statement.save()
    obj = {Conference: statement.conference, Statement: statement}.get(model, statement.source)
    changelist = reverse(f"admin:conferences_{model._meta.model_name}_changelist")
    data = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    response = client.post(changelist, data)
    if model is Conference:  # Editors have the workflow's actions there, not this one
        assert (response.status_code, response["Location"]) == (302, changelist)
        assert messages_of(response) == ["No action selected."]
    else:  # no action at all: the post is not taken for one, and the list is shown
        assert response.status_code == 200
        assert 'name="action"' not in response.content.decode()
    assert model.objects.filter(pk=obj.pk).exists()
    assert Statement.objects.count() == 1


def test_an_editor_posting_a_status_with_the_change_form_moves_nothing(client):
    login(client, "editor")
    conference = ConferenceFactory(status=REVIEW, title="Spring briefing")
    edit(client, conference, title="Spring briefing, corrected", status=PUBLISHED)
    conference.refresh_from_db()
    assert (conference.title, conference.status) == ("Spring briefing, corrected", REVIEW)


def test_an_editor_posting_a_published_version_from_the_history_does_not_publish(client):
    """A conference published, withdrawn and sent back to review: its history holds a published
    version. Editors are offered no Revert for it; a forged revert restores its fields (the
    conference is in review, theirs to change) but never its status."""
    reviewer = User.objects.create_superuser("boss", password=PASSWORD)
    conference = ConferenceFactory(status=REVIEW, title="Spring briefing")
    workflow.move(conference, PUBLISHED, reviewer)
    published = conference.history.latest()
    assert published.status == PUBLISHED
    workflow.move(conference, WITHDRAWN, reviewer)
    workflow.move(conference, REVIEW, reviewer)
    Conference.objects.filter(pk=conference.pk).update(title="Spring briefing, retitled")
    login(client, "editor")
    version = reverse(
        "admin:conferences_conference_simple_history", args=[conference.pk, published.pk]
    )
    page = client.get(version)
    assert 'value="Revert"' not in page.content.decode()
    response = client.post(version, as_posted(page))
    assert response.status_code == 302
    conference.refresh_from_db()
    assert (conference.title, conference.status) == ("Spring briefing", REVIEW)
    assert conference.status_changed_by == reviewer
