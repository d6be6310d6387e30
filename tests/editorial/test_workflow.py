"""The workflow of a conference (draft, in review, published, withdrawn): who may make which move,
through the admin's buttons and actions, what each move records, and what Editors may no longer
change once a conference is public."""

import re
import threading

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conferences.editorial import workflow
from conferences.models import Conference, StatusChange

from ..factories import ConferenceFactory, StatementFactory

pytestmark = pytest.mark.django_db

DRAFT, REVIEW, PUBLISHED, WITHDRAWN = "draft", "review", "published", "withdrawn"
STATUSES = [DRAFT, REVIEW, PUBLISHED, WITHDRAWN]
# The whole workflow, written out: (from, to) -> the button.
MOVES = {
    (DRAFT, REVIEW): "Send to review",
    (REVIEW, DRAFT): "Back to draft",
    (REVIEW, PUBLISHED): "Publish",
    (PUBLISHED, WITHDRAWN): "Withdraw",
    (WITHDRAWN, REVIEW): "Reconsider",
    (WITHDRAWN, PUBLISHED): "Republish",
}
EDITORS_MOVES = {(DRAFT, REVIEW), (REVIEW, DRAFT)}
ROLES = ["editor", "reviewer", "superuser"]
PASSWORD = "not-a-real-password-42"


def make_user(role: str) -> User:
    if role == "superuser":
        return User.objects.create_superuser("boss", password=PASSWORD)
    user = User.objects.create_user(role, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name={"editor": "Editors", "reviewer": "Reviewers"}[role]))
    return user


def login(client, role: str) -> User | None:
    """Log the client in as a new editor, reviewer or superuser; "anonymous" stays out."""
    if role == "anonymous":
        return None
    user = make_user(role)
    client.force_login(user)
    return user


def move_url(conference, status):
    return reverse("admin:conferences_conference_move", args=[conference.pk, status])


def change_url(obj):
    return reverse(f"admin:conferences_{obj._meta.model_name}_change", args=[obj.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def button_labels(html):
    """The move buttons of the workflow box: {label: the URL it posts to}."""
    box = re.search(r'<div class="module aligned" id="workflow">.*?</form>', html, re.S)
    if box is None:
        return {}
    buttons = re.findall(r'<button[^>]*formaction="([^"]+)"[^>]*>([^<]+)</button>', box[0])
    return {label: url for url, label in buttons}


# The table -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", STATUSES)
def test_allowed_moves_follow_the_table_and_the_role(role, status):
    user = make_user(role)
    conference = ConferenceFactory(status=status)
    labels = [move.label for move in workflow.allowed_moves(user, conference)]
    expected = [
        label
        for (source, target), label in MOVES.items()
        if source == status and (role != "editor" or (source, target) in EDITORS_MOVES)
    ]
    assert labels == expected


def test_the_workflow_module_holds_exactly_the_documented_moves():
    assert {(m.source, m.target): m.label for m in workflow.MOVES} == MOVES
    assert {(m.source, m.target) for m in workflow.MOVES if not m.reviewers_only} == EDITORS_MOVES


# Every move through the admin URL, for every role ----------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
@pytest.mark.parametrize("source", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_move_through_the_admin(client, role, source, target):
    user = login(client, role)
    conference = ConferenceFactory(status=source)
    url = move_url(conference, target)
    response = client.post(url, {"note": "  Checked against the recording.  "})
    conference.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"/admin/login/?next={url}"
        assert (conference.status, StatusChange.objects.count()) == (source, 0)
    elif (source, target) not in MOVES:
        # Not a move of the workflow (a stale page or a crafted post): said, nothing done.
        assert response.status_code == 302
        assert response["Location"] == change_url(conference)
        assert (conference.status, StatusChange.objects.count()) == (source, 0)
        [message] = messages_of(response)
        if source == target:
            assert message == f"“{conference.title}” is already {workflow.STATE[source]}."
        else:
            assert message.startswith(f"“{conference.title}” is {workflow.STATE[source]}: it ")
    elif role == "editor" and (source, target) not in EDITORS_MOVES:
        assert response.status_code == 403
        assert (conference.status, StatusChange.objects.count()) == (source, 0)
    else:
        assert response.status_code == 302
        assert response["Location"] == change_url(conference)
        assert conference.status == target
        assert conference.status_changed_by == user
        change = StatusChange.objects.get()
        assert (change.conference, change.from_status, change.to_status) == (
            conference,
            source,
            target,
        )
        assert (change.changed_by, change.note) == (user, "Checked against the recording.")
        assert conference.status_changed_at == change.changed_at
        assert messages_of(response) == [f"“{conference.title}” is now {workflow.STATE[target]}."]


def test_a_draft_cannot_be_published_directly(client):
    login(client, "reviewer")
    draft = ConferenceFactory(status=DRAFT, title="Spring briefing")
    response = client.post(move_url(draft, PUBLISHED))
    assert messages_of(response) == [
        "“Spring briefing” is a draft: it cannot be moved to published (send it to review "
        "first). From here: Send to review."
    ]


def test_the_move_url_takes_posts_only(client):
    login(client, "reviewer")
    conference = ConferenceFactory(status=REVIEW)
    assert client.get(move_url(conference, PUBLISHED)).status_code == 405
    conference.refresh_from_db()
    assert conference.status == REVIEW


def test_the_move_url_checks_the_csrf_token():
    user = make_user("reviewer")
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(user)
    conference = ConferenceFactory(status=REVIEW)
    assert guarded.post(move_url(conference, PUBLISHED)).status_code == 403
    conference.refresh_from_db()
    assert conference.status == REVIEW


@pytest.mark.parametrize("target", ["archived", "PUBLISHED"])
def test_an_unknown_status_is_not_found(client, target):
    login(client, "reviewer")
    conference = ConferenceFactory(status=REVIEW)
    url = f"/admin/conferences/conference/{conference.pk}/move/{target}/"
    assert client.post(url).status_code == 404


def test_an_unknown_conference_is_not_found(client):
    login(client, "reviewer")
    assert client.post("/admin/conferences/conference/987654/move/published/").status_code == 404


def test_staff_who_may_only_view_conferences_cannot_move_them(client):
    viewer = User.objects.create_user("viewer", password=PASSWORD, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_conference"))
    client.force_login(viewer)
    draft = ConferenceFactory(status=DRAFT)
    assert client.post(move_url(draft, REVIEW)).status_code == 403
    assert button_labels(client.get(change_url(draft)).content.decode()) == {}


# What move() does beyond the admin --------------------------------------------------------


def test_a_move_is_decided_on_the_status_in_the_database_not_the_callers_copy():
    """Two reviewers pressing Publish on the same page: one move, the second is told why."""
    first, second = make_user("reviewer"), make_user("superuser")
    conference = ConferenceFactory(status=REVIEW)
    stale = Conference.objects.get(pk=conference.pk)
    workflow.move(conference, PUBLISHED, first)
    with pytest.raises(workflow.MoveRefused, match="is already published"):
        workflow.move(stale, PUBLISHED, second)
    assert StatusChange.objects.get().changed_by == first


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_second_reviewer_waits_for_the_first_and_is_refused():
    first = User.objects.create_superuser("first", password=PASSWORD)
    second = User.objects.create_superuser("second", password=PASSWORD)
    conference = ConferenceFactory(status=REVIEW)
    outcome = []

    def second_reviewer(stale):
        try:
            workflow.move(stale, PUBLISHED, second)
            outcome.append("moved")
        except workflow.MoveRefused as exc:
            outcome.append(str(exc))
        finally:
            connection.close()

    stale = Conference.objects.get(pk=conference.pk)  # the page the second one saw
    with transaction.atomic():
        workflow.move(conference, PUBLISHED, first)  # holds the row lock until the commit
        racer = threading.Thread(target=second_reviewer, args=[stale])
        racer.start()
        racer.join(timeout=0.5)
        assert racer.is_alive()  # waiting for the lock
    racer.join(timeout=10)
    assert outcome == [f"“{conference.title}” is already published."]
    assert list(StatusChange.objects.values_list("changed_by__username", flat=True)) == ["first"]


def test_a_move_leaves_a_history_record_with_the_user_and_the_reason():
    reviewer = make_user("reviewer")
    conference = ConferenceFactory(status=REVIEW)
    workflow.move(conference, PUBLISHED, reviewer, note="Read twice.")
    record = conference.history.latest()
    assert (record.status, record.history_user, record.history_change_reason) == (
        PUBLISHED,
        reviewer,
        "Publish: Read twice.",
    )
    assert record.status_changed_by == reviewer


def test_move_refuses_an_editor_with_a_message():
    editor = make_user("editor")
    conference = ConferenceFactory(status=REVIEW, title="Spring briefing")
    with pytest.raises(PermissionDenied, match="Only reviewers may publish a conference"):
        workflow.move(conference, PUBLISHED, editor)
    assert conference.status == REVIEW


# The change page --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", STATUSES)
def test_change_page_offers_exactly_the_allowed_moves(client, role, status):
    login(client, role)
    conference = ConferenceFactory(status=status)
    html = client.get(change_url(conference)).content.decode()
    expected = {
        label: move_url(conference, target)
        for (source, target), label in MOVES.items()
        if source == status and (role != "editor" or (source, target) in EDITORS_MOVES)
    }
    assert button_labels(html) == expected


def test_change_page_shows_the_status_who_moved_it_and_the_log(client):
    reviewer = login(client, "reviewer")
    conference = ConferenceFactory(status=DRAFT)
    workflow.move(conference, REVIEW, reviewer, note="Ready.")
    workflow.move(conference, PUBLISHED, reviewer, note="Read twice & checked.")
    html = client.get(change_url(conference)).content.decode()
    assert "Status: <strong>Published</strong>" in html
    assert ", moved by reviewer." in html
    log = re.search(r'<table id="workflow-log">.*?</table>', html, re.S)[0]
    rows = re.findall(r"<tr>\s*<td>.*?</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*"
                      r"<td>(.*?)</td>\s*<td>(.*?)</td>", log, re.S)  # fmt: skip
    assert rows == [
        ("Draft", "In review", "reviewer", "Ready."),
        ("In review", "Published", "reviewer", "Read twice &amp; checked."),
    ]
    assert 'name="status"' not in html  # shown, never edited


def test_the_status_cannot_be_posted_and_a_new_conference_starts_as_a_draft(client):
    editor = login(client, "editor")
    data = {
        "title": "Autumn briefing",
        "slug": "autumn-briefing",
        "date": "2024-10-02",
        "place": "",
        "country": "",
        "host": "",
        "kind": "briefing",
        "language": "en",
        "status": PUBLISHED,
        "statements-TOTAL_FORMS": "0",
        "statements-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:conferences_conference_add"), data)
    assert response.status_code == 302
    conference = Conference.objects.get()
    assert (conference.status, conference.status_changed_by) == (DRAFT, editor)
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", DRAFT, editor)
    assert conference.history.get().history_user == editor


def test_change_list_shows_the_status_and_when_it_last_moved(client):
    reviewer = login(client, "reviewer")
    conference = ConferenceFactory(status=REVIEW)
    ConferenceFactory(status=DRAFT)
    workflow.move(conference, PUBLISHED, reviewer)
    html = client.get(reverse("admin:conferences_conference_changelist")).content.decode()
    assert '<th scope="col" class="sortable column-last_moved">' in html
    assert f"{timezone.localtime(conference.status_changed_at):%Y-%m-%d %H:%M} by reviewer" in html
    assert '<td class="field-last_moved">—</td>' in html


# Bulk actions -----------------------------------------------------------------------------


def action_names(html):
    select = re.search(r'<select name="action".*?</select>', html, re.S)[0]
    return re.findall(r'<option value="(\w+)"', select)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("editor", ["send_to_review", "back_to_draft"]),
        ("reviewer", ["send_to_review", "back_to_draft", "publish", "withdraw"]),
        (
            "superuser",
            ["delete_selected", "send_to_review", "back_to_draft", "publish", "withdraw"],
        ),
    ],
)
def test_actions_are_offered_to_who_may_use_them(client, role, expected):
    login(client, role)
    ConferenceFactory()
    html = client.get(reverse("admin:conferences_conference_changelist")).content.decode()
    assert action_names(html) == expected


def test_bulk_publish_moves_what_it_can_and_says_what_it_could_not(client):
    reviewer = login(client, "reviewer")
    ConferenceFactory(status=DRAFT, title="A draft")
    review = ConferenceFactory(status=REVIEW, title="In review")
    ConferenceFactory(status=PUBLISHED, title="Out")
    withdrawn = ConferenceFactory(status=WITHDRAWN, title="Withdrawn")
    response = client.post(
        reverse("admin:conferences_conference_changelist"),
        {"action": "publish", "_selected_action": [c.pk for c in Conference.objects.all()]},
    )
    assert response.status_code == 302
    statuses = dict(Conference.objects.values_list("title", "status"))
    assert statuses == {
        "A draft": DRAFT,
        "In review": PUBLISHED,
        "Out": PUBLISHED,
        "Withdrawn": PUBLISHED,
    }
    changes = StatusChange.objects.order_by("conference_id")
    assert [(c.conference, c.from_status, c.changed_by) for c in changes] == [
        (review, REVIEW, reviewer),
        (withdrawn, WITHDRAWN, reviewer),
    ]
    assert messages_of(response) == [
        "2 conference(s) moved to “Published”.",
        "2 could not be moved to “Published”: “A draft” is a draft: it cannot be moved to "
        "published (send it to review first). From here: Send to review. “Out” is already "
        "published.",
    ]


def test_bulk_send_to_review_by_an_editor_leaves_withdrawn_ones_to_reviewers(client):
    editor = login(client, "editor")
    draft = ConferenceFactory(status=DRAFT, title="A draft")
    ConferenceFactory(status=WITHDRAWN, title="Withdrawn")
    response = client.post(
        reverse("admin:conferences_conference_changelist"),
        {"action": "send_to_review", "_selected_action": [c.pk for c in Conference.objects.all()]},
    )
    assert dict(Conference.objects.values_list("title", "status")) == {
        "A draft": REVIEW,
        "Withdrawn": WITHDRAWN,
    }
    assert StatusChange.objects.get().conference == draft
    assert StatusChange.objects.get().changed_by == editor
    assert messages_of(response) == [
        "1 conference(s) moved to “In review”.",
        "1 could not be moved to “In review”: Only reviewers may reconsider a conference; "
        "“Withdrawn” is still withdrawn.",
    ]


def test_an_editor_posting_the_publish_action_changes_nothing(client):
    login(client, "editor")
    review = ConferenceFactory(status=REVIEW)
    client.post(
        reverse("admin:conferences_conference_changelist"),
        {"action": "publish", "_selected_action": [review.pk]},
    )
    review.refresh_from_db()
    assert review.status == REVIEW
    assert not StatusChange.objects.exists()


# Where conferences begin ------------------------------------------------------------------


def test_an_import_in_the_admin_records_who_started_the_conference(client):
    from ..admin.test_import import URL, form_data, save_data

    editor = login(client, "editor")
    html = client.post(URL, form_data()).content.decode()
    assert client.post(URL, save_data(html)).status_code == 302
    conference = Conference.objects.get()
    change = StatusChange.objects.get()
    assert (change.conference, change.from_status, change.to_status) == (conference, "", DRAFT)
    assert (change.changed_by, change.note) == (editor, "Imported.")
    assert (conference.status_changed_by, conference.history.get().history_user) == (editor, editor)


def test_an_import_published_at_once_from_the_shell_is_recorded_too(tmp_path):
    path = tmp_path / "briefing.txt"
    path.write_text("MS. DARROW: Good afternoon.\n\nQUESTION: Is the accord signed?\n")
    call_command("import_transcript", str(path), "--publish", "--date", "2024-03-01", stdout=None)
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", PUBLISHED, None)
    assert change.note == "Imported and published at once."
    conference = Conference.objects.get()
    assert (conference.status, conference.status_changed_by) == (PUBLISHED, None)
    assert conference.status_changed_at is not None


def test_the_demo_is_recorded_as_published_on_import():
    call_command("load_demo", verbosity=0)
    assert list(StatusChange.objects.values_list("from_status", "to_status", "changed_by")) == [
        ("", PUBLISHED, None)
    ]


# What readers see -------------------------------------------------------------------------


def test_nothing_of_a_withdrawn_conference_is_public(client):
    reviewer = make_user("reviewer")
    conference = ConferenceFactory(status=PUBLISHED, title="Withdrawn briefing")
    statement = StatementFactory(conference=conference, text="Words taken back soon.")
    public = [
        "/",
        "/statements/",
        "/statements/?q=taken",
        "/statements/export.csv",
        "/feeds/statements/",
        "/api/v1/statements/",
        "/api/v1/conferences/",
    ]
    assert "Words taken back soon." in client.get("/statements/").content.decode()
    workflow.move(conference, WITHDRAWN, reviewer, note="The transcript was not official.")
    for url in public:
        response = client.get(url)
        content = b"".join(response) if response.streaming else response.content
        assert response.status_code == 200, url
        assert b"taken back" not in content, url
        assert b"Withdrawn briefing" not in content, url
    assert client.get(conference.get_absolute_url()).status_code == 404
    # The permalink was public and may be cited: Gone, saying so, but without the words.
    gone = client.get(statement.get_absolute_url())
    html = gone.content.decode()
    assert gone.status_code == 410
    assert "<h1>This statement was withdrawn</h1>" in html
    assert "taken back" not in html
    assert f"/s/{statement.public_id}/card.png" not in html
    assert client.get(f"/s/{statement.public_id}/card.png").status_code == 410
    draft = StatementFactory(conference=ConferenceFactory(status=DRAFT), text="Never shown.")
    assert client.get(draft.get_absolute_url()).status_code == 404
