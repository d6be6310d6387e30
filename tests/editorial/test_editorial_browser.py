"""The editorial admin in a real Chromium: the conference workflow, splitting, merging and
deleting a published statement, and what each permalink answers afterwards.

The same rules are covered with Django's test client in test_workflow.py and test_permalinks.py;
here the browser builds every request itself (the workflow's per-button form actions, the split
page's hidden fingerprint and previewed offset, the delete confirmation), and follows what a
reader's browser follows (the merge's 301, the deletion's 410 page).

Every page is watched: a JavaScript dialog, an uncaught error or a console error fails the test.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.dateformat import format as date_format
from playwright.sync_api import expect

from conferences.models import Conference, Correction, RetiredStatement, Statement, StatusChange

from ..factories import ConferenceFactory, SpeakerFactory, StatementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password-42"
TITLE = "Harbour briefing"

# Fictional: Norlandia, Eastmark, Port Aster, Ms. Quintero and Mr. Eberle exist nowhere.
OPENING = "The harbour stays open."
SHIPS = "Ships from Eastmark may dock again from Monday."
QUESTION = "Will the fleet be inspected?"
ANSWER = "Every ship is inspected before it leaves Port Aster."


class Watch:
    """What must not happen on a page: a dialog (alert, confirm, prompt), an uncaught error, a
    console error. A failed load of a URL in `expected` (a page answered with an error status
    on purpose) is not an error; nor is Chromium's own request for /favicon.ico."""

    def __init__(self, page):
        self.dialogs = []
        self.errors = []
        self.expected = set()
        page.on("dialog", self.on_dialog)
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def on_dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(self, message):
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if url.endswith("/favicon.ico") or url in self.expected:
            return
        self.errors.append(f"{url}: {message.text}")


@pytest.fixture
def watch(page):
    return Watch(page)


@pytest.fixture
def editor():
    # Transactional tests flush the database: the groups of the data migrations are gone.
    return User.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def make_harbour(status, rows):
    """A conference of `rows` ((speaker's surname, text), ...), numbered from 1."""
    conference = ConferenceFactory(
        title=TITLE, slug="harbour", date=datetime.date(2024, 5, 17), status=status
    )
    speakers = {
        "Quintero": SpeakerFactory(name="Alva Quintero", slug="alva-quintero"),
        "Eberle": SpeakerFactory(name="Tomas Eberle", slug="tomas-eberle"),
    }
    statements = [
        StatementFactory(
            conference=conference,
            speaker=speakers[surname],
            sequence=sequence,
            text=text,
            label=f"MS. {surname.upper()}",
        )
        for sequence, (surname, text) in enumerate(rows, 1)
    ]
    return conference, statements


def log_in_at(page, live_server, path):
    """Open an admin `path`, log in on the page the admin sends to, and land on `path`."""
    page.goto(live_server.url + path)
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(live_server.url + path)


def statement_change_path(statement):
    return f"/admin/conferences/statement/{statement.pk}/change/"


def normalized(text):
    return " ".join(text.split())


def success_message(page):
    return page.locator("ul.messagelist li.success")


def on_the_day(moment):
    """A date as the public pages print it ("17 May 2024"), in the site's time zone."""
    return date_format(timezone.localtime(moment), "j F Y")


def assert_quiet(watch):
    assert watch.dialogs == []
    assert watch.errors == []


# 1. The workflow on the conference's change page.


def test_editor_sends_a_draft_to_review_then_publishes_it(live_server, page, watch, editor):
    conference, _ = make_harbour(
        Conference.Status.DRAFT, [("Quintero", OPENING), ("Eberle", QUESTION)]
    )
    public_url = live_server.url + conference.get_absolute_url()
    # Not public yet (asked outside the page: a 404 page would log a console error).
    assert page.request.get(public_url).status == 404

    change_path = f"/admin/conferences/conference/{conference.pk}/change/"
    log_in_at(page, live_server, change_path)
    workflow = page.locator("#workflow")
    buttons = workflow.locator("#workflow-form button")
    expect(workflow.get_by_role("heading", name="Workflow")).to_be_visible()
    expect(page.locator("#workflow-status")).to_have_text("Status: Draft.")
    expect(buttons).to_have_text(["Send to review"])
    expect(page.locator("#workflow-log")).to_have_count(0)

    note = "Checked against the Port Aster transcript."
    page.fill("#workflow-note", note)
    workflow.get_by_role("button", name="Send to review").click()
    expect(page).to_have_url(live_server.url + change_path)
    expect(success_message(page)).to_have_text(f"“{TITLE}” is now in review.")
    moved = r"since \d{4}-\d{2}-\d{2} \d{2}:\d{2}, moved by editor\."
    status = page.locator("#workflow-status")
    assert re.fullmatch(rf"Status: In review {moved}", normalized(status.inner_text()))
    expect(buttons).to_have_text(["Back to draft", "Publish"])
    expect(page.locator("#workflow-note")).to_have_value("")
    assert page.request.get(public_url).status == 404

    workflow.get_by_role("button", name="Publish", exact=True).click()
    expect(page).to_have_url(live_server.url + change_path)
    expect(success_message(page)).to_have_text(f"“{TITLE}” is now published.")
    assert re.fullmatch(rf"Status: Published {moved}", normalized(status.inner_text()))
    expect(buttons).to_have_text(["Withdraw"])

    log = page.locator("#workflow-log")
    expect(log.locator("caption")).to_have_text("Moves so far")
    expect(log.locator("thead th")).to_have_text(["When", "From", "To", "By", "Note"])
    rows = log.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td").nth(0)).to_have_text(
        re.compile(r"^\d{4}-\d{2}-\d{2} \d\d:\d\d$")
    )
    expect(rows.nth(0).locator("td:not(:first-child)")).to_have_text(
        ["Draft", "In review", "editor", note]
    )
    expect(rows.nth(1).locator("td:not(:first-child)")).to_have_text(
        ["In review", "Published", "editor", ""]
    )

    changes = StatusChange.objects.filter(conference=conference).order_by("changed_at", "pk")
    assert [(c.from_status, c.to_status, c.changed_by, c.note) for c in changes] == [
        ("draft", "review", editor, note),
        ("review", "published", editor, ""),
    ]
    conference.refresh_from_db()
    assert conference.status == Conference.Status.PUBLISHED
    assert conference.status_changed_by == editor

    response = page.goto(public_url)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("article.statement blockquote.statement-text")).to_have_text(
        [OPENING, QUESTION]
    )
    assert_quiet(watch)


# 2. Split a published statement.


def test_editor_splits_a_published_statement_and_both_permalinks_answer(
    live_server, page, watch, editor
):
    conference, (first, question) = make_harbour(
        Conference.Status.PUBLISHED,
        [("Quintero", f"{OPENING} {SHIPS}"), ("Eberle", QUESTION)],
    )
    log_in_at(page, live_server, statement_change_path(first))
    page.get_by_role("link", name="Split at this point…").click()
    split_path = f"/admin/conferences/statement/{first.pk}/split/"
    expect(page).to_have_url(live_server.url + split_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Split statement {first.public_id}")
    expect(page.locator("#statement-text")).to_have_text(f"{OPENING} {SHIPS}")

    page.fill("#id_begins", "Ships  from")  # spaces need not match
    page.get_by_role("button", name="Preview the two parts").click()
    preview = page.locator("fieldset", has=page.get_by_role("heading", name="Preview"))
    expect(preview.locator("h3")).to_have_text(
        [f"First part: stays {first.public_id} (no. 1)", "Second part: a new statement, no. 2"]
    )
    expect(preview.locator("blockquote")).to_have_text([OPENING, SHIPS])
    expect(page.locator("#id_begins")).to_have_value("Ships  from")
    assert Statement.objects.filter(conference=conference).count() == 2  # nothing split yet

    note = "Two answers were printed as one."
    page.fill("#id_note", note)
    page.get_by_role("button", name="Split", exact=True).click()
    expect(page).to_have_url(live_server.url + statement_change_path(first))
    second = Statement.objects.get(conference=conference, sequence=2)
    expect(success_message(page)).to_have_text(
        f"Split: {first.public_id} keeps the first part; the rest is now statement "
        f"{second.public_id} (no. 2)."
    )
    assert list(
        conference.statements.order_by("sequence").values_list("public_id", "sequence", "text")
    ) == [
        (first.public_id, 1, OPENING),
        (second.public_id, 2, SHIPS),
        (question.public_id, 3, QUESTION),
    ]
    correction = Correction.objects.get()
    assert (correction.statement_id, correction.kind, correction.note) == (
        first.pk,
        Correction.Kind.SPLIT,
        note,
    )

    response = page.goto(f"{live_server.url}/s/{first.public_id}/")
    assert response.status == 200
    expect(page.locator("blockquote.statement-text")).to_have_text(OPENING)
    expect(page.locator("figcaption")).to_have_text("Alva Quintero Corrected")
    corrections = page.locator("#corrections li.correction")
    expect(corrections).to_have_count(1)
    entry = corrections.first
    expect(entry.locator("p").first).to_have_text(
        f"Corrected on {on_the_day(correction.created_at)}: split into two statements. "
        "Read the second part."
    )
    expect(entry.locator("p.correction-note")).to_have_text(note)
    expect(entry.locator("p.diff del")).to_have_text(SHIPS)
    expect(entry.locator("p.diff ins")).to_have_count(0)

    entry.get_by_role("link", name="Read the second part").click()
    expect(page).to_have_url(f"{live_server.url}/s/{second.public_id}/")
    expect(page.locator("blockquote.statement-text")).to_have_text(SHIPS)
    expect(page.locator("figcaption")).to_have_text("Alva Quintero")
    expect(page.locator("#corrections")).to_have_count(0)

    response = page.goto(f"{live_server.url}/s/{second.public_id}/")
    assert response.status == 200
    expect(page.locator("blockquote.statement-text")).to_have_text(SHIPS)
    assert_quiet(watch)


# 3. Merge with the next statement: the absorbed id leads to the one that stays.


def test_merged_statement_permalink_redirects_to_the_remaining_statement(
    live_server, page, watch, editor
):
    conference, (first, following, question) = make_harbour(
        Conference.Status.PUBLISHED,
        [("Quintero", OPENING), ("Quintero", SHIPS), ("Eberle", QUESTION)],
    )
    log_in_at(page, live_server, statement_change_path(first))
    page.get_by_role("link", name="Merge with next…").click()
    expect(page).to_have_url(f"{live_server.url}/admin/conferences/statement/{first.pk}/merge/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Merge statement {first.public_id}")
    expect(page.locator(".statement-tool-parts h3")).to_have_text(
        [
            f"This statement: {first.public_id} (no. 1), stays",
            f"The next: {following.public_id} (no. 2), absorbed and deleted",
        ]
    )
    expect(page.get_by_role("heading", name="After the merge")).to_have_text(
        f"After the merge: {first.public_id}, and /s/{following.public_id}/ leads to it"
    )

    note = "One answer was printed as two."
    page.fill("#id_note", note)
    page.get_by_role("button", name="Merge", exact=True).click()
    expect(page).to_have_url(live_server.url + statement_change_path(first))
    expect(success_message(page)).to_have_text(
        f"Merged: {first.public_id} now holds the text of {following.public_id}; "
        f"/s/{following.public_id}/ now leads to /s/{first.public_id}/."
    )
    assert list(
        conference.statements.order_by("sequence").values_list("public_id", "sequence")
    ) == [
        (first.public_id, 1),
        (question.public_id, 2),
    ]
    retired = RetiredStatement.objects.get(public_id=following.public_id)
    assert (retired.reason, retired.successor_id) == (RetiredStatement.Reason.MERGED, first.pk)

    response = page.goto(f"{live_server.url}/s/{following.public_id}/")
    assert response.status == 200
    redirect = response.request.redirected_from
    assert redirect is not None
    assert redirect.url == f"{live_server.url}/s/{following.public_id}/"
    assert redirect.response().status == 301
    assert redirect.response().headers["location"] == f"/s/{first.public_id}/"
    assert page.url.endswith(f"/s/{first.public_id}/")
    assert page.url == f"{live_server.url}/s/{first.public_id}/"
    # The two texts stay two paragraphs: linebreaksbr makes the blank line two <br>.
    quote = page.locator("blockquote.statement-text")
    expect(quote.locator("br")).to_have_count(2)
    assert quote.inner_text() == f"{OPENING}\n\n{SHIPS}"
    correction = Correction.objects.get()
    expect(page.locator("#corrections li.correction p").first).to_have_text(
        f"Corrected on {on_the_day(correction.created_at)}: merged with the next statement."
    )
    expect(page.locator("#corrections p.correction-note")).to_have_text(note)
    expect(page.locator("#corrections p.diff ins")).to_have_text(SHIPS)
    assert_quiet(watch)


# 4. A deleted statement's permalink: 410, with what was cited.


def test_deleted_statement_permalink_shows_what_was_cited(live_server, page, watch, editor):
    conference, (question, answer) = make_harbour(
        Conference.Status.PUBLISHED, [("Eberle", QUESTION), ("Quintero", ANSWER)]
    )
    log_in_at(page, live_server, statement_change_path(answer))
    page.get_by_role("link", name="Delete", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/admin/conferences/statement/{answer.pk}/delete/")
    page.get_by_role("button", name="Yes, I’m sure").click()
    expect(page).to_have_url(f"{live_server.url}/admin/conferences/statement/")
    expect(success_message(page)).to_have_text(
        f"The statement “Alva Quintero: {ANSWER}” was deleted successfully."
    )
    assert not Statement.objects.filter(pk=answer.pk).exists()
    retired = RetiredStatement.objects.get(public_id=answer.public_id)
    assert (retired.reason, retired.successor, retired.text) == (
        RetiredStatement.Reason.DELETED,
        None,
        ANSWER,
    )

    permalink = f"{live_server.url}/s/{answer.public_id}/"
    watch.expected.add(permalink)  # Chromium logs the 410 as a failed load
    response = page.goto(permalink)
    assert response.status == 410
    assert page.url == permalink
    expect(page).to_have_title(
        f"Removed: statement {answer.public_id} by Alva Quintero, 17 May 2024 · Podium"
    )
    gone = page.locator("article.statement-gone")
    expect(gone.get_by_role("heading", level=1)).to_have_text("This statement was removed")
    expect(gone.locator("p").first).to_have_text(
        f"Statement {answer.public_id} is no longer in the archive. "
        "This is what was cited under this link."
    )
    expect(gone.locator("blockquote.statement-text")).to_have_text(ANSWER)
    expect(gone.locator("figcaption")).to_have_text("Alva Quintero")
    expect(gone.locator("dl.facts dt")).to_have_text(
        ["Conference", "Date", "Removed", "SHA-256 of the text"]
    )
    expect(gone.locator("dl.facts dd").nth(0)).to_have_text(TITLE)
    expect(gone.get_by_role("link", name=TITLE)).to_have_attribute(
        "href", conference.get_absolute_url()
    )
    expect(gone.locator("dl.facts dd").nth(1)).to_have_text("17 May 2024")
    expect(gone.locator("dl.facts dd").nth(2)).to_have_text(on_the_day(retired.retired_at))
    expect(gone.locator("dl.facts dd").nth(3)).to_have_text(retired.content_hash)
    assert retired.content_hash == answer.content_hash

    # The statement that stays is untouched.
    response = page.goto(f"{live_server.url}/s/{question.public_id}/")
    assert response.status == 200
    expect(page.locator("blockquote.statement-text")).to_have_text(QUESTION)
    assert_quiet(watch)
