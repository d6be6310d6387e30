"""Public corrections: a statement readers may have cited changes only with a note, the change is
recorded, and its page says what changed; a cited link (?v=) tells whether the words changed.

Everything here is fictional: Norlandia, its harbour and the people in it do not exist.
"""

import datetime
from html.parser import HTMLParser

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import expect

from conferences.models import Conference, Correction, Speaker, Statement
from conferences.text.diff import word_diff
from conferences.text.ids import content_hash

from ..factories import ConferenceFactory, SpeakerFactory, StatementFactory

OLD = "The harbour will reopen in ten days."
NEW = "The harbour will reopen in two days."
NOTE = "The transcript said “ten”; the recording says “two”."
CORRECTED_AT = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def quote(db):
    berg = SpeakerFactory(name="Jonas Berg", slug="jonas-berg")
    SpeakerFactory(name="Ana Ferreira", slug="ana-ferreira")
    conference = ConferenceFactory(
        title="Briefing on the harbour accord", date=datetime.date(2026, 11, 20)
    )
    return StatementFactory(conference=conference, speaker=berg, label="BERG", text=OLD)


class FormFields(HTMLParser):
    """What a browser would post from the page's change form (`<form id="…_form">`)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self.in_form = False
        self.select = self.textarea = None
        self.text: list[str] = []

    def add(self, name, value):
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id", "").endswith("_form")
        if not self.in_form or not (attrs.get("name") or tag == "option"):
            return
        kind = attrs.get("type", "text")
        if tag == "input" and kind not in ("submit", "button", "file", "checkbox", "radio"):
            self.add(attrs["name"], attrs.get("value", ""))
        elif tag == "input" and kind in ("checkbox", "radio") and "checked" in attrs:
            self.add(attrs["name"], attrs.get("value", "on"))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea, self.text = attrs["name"], []

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            text = "".join(self.text)
            self.add(self.textarea, text[1:] if text.startswith("\n") else text)
            self.textarea = None
        elif tag == "form":
            self.in_form = False


def form_of(client, url) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.fields


def statement_url(statement):
    return reverse("admin:conferences_statement_change", args=[statement.pk])


def edit(client, statement, **changes):
    """Post the statement's admin form with some fields changed (a speaker by name)."""
    data = form_of(client, statement_url(statement))
    for name, value in changes.items():
        if name == "speaker":
            value = Speaker.objects.get(name=value).pk
        data[name] = [value]
    return client.post(statement_url(statement), data)


def note_error(response) -> list[str]:
    return response.context["adminform"].form.errors.get("correction_note", [])


def permalink(client, statement, version=None):
    response = client.get(f"/s/{statement.public_id}/", {} if version is None else {"v": version})
    assert response.status_code == 200
    return response.content.decode()


def refused(changed: str) -> str:
    return (
        f"Readers may have cited this statement: a change of its {changed} is a public "
        "correction and needs a note saying what was wrong and what was done (shown on the "
        "statement's page)."
    )


# --- the note is required -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"text": NEW}, "text"),
        ({"speaker": "Ana Ferreira"}, "speaker"),
        ({"label": "FERREIRA"}, "label"),
        ({"text": NEW, "speaker": "Ana Ferreira", "label": "FERREIRA"}, "text, speaker and label"),
    ],
)
@pytest.mark.parametrize("status", ["published", "withdrawn"])
def test_public_statement_change_without_a_note_is_refused(
    admin_client, quote, changes, named, status
):
    Conference.objects.update(status=status)
    response = edit(admin_client, quote, **changes)
    assert response.status_code == 200
    assert note_error(response) == [refused(named)]
    assert "Readers may have cited this statement: a change of its" in response.content.decode()
    stored = Statement.objects.get(pk=quote.pk)
    assert (stored.text, stored.speaker.name, stored.label) == (OLD, "Jonas Berg", "BERG")
    assert stored.content_hash == content_hash(OLD)
    assert Correction.objects.count() == 0


def test_crlf_of_an_unchanged_text_is_no_change(admin_client, quote):
    quote.text = "First line.\nSecond line."
    quote.save()
    response = edit(admin_client, quote, text="First line.\r\nSecond line.", kind="answer")
    assert response.status_code == 302
    assert Correction.objects.count() == 0


def test_conference_inline_refuses_a_change_without_a_note(admin_client, quote):
    url = reverse("admin:conferences_conference_change", args=[quote.conference_id])
    data = form_of(admin_client, url)
    assert data["statements-0-id"] == [str(quote.pk)]
    data["statements-0-text"] = [NEW]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors == [{"correction_note": [refused("text")]}]
    assert Statement.objects.get(pk=quote.pk).text == OLD
    assert Correction.objects.count() == 0


def test_conference_inline_records_a_correction_with_a_note(admin_client, admin_user, quote):
    url = reverse("admin:conferences_conference_change", args=[quote.conference_id])
    data = form_of(admin_client, url)
    data["statements-0-text"] = [NEW]
    data["statements-0-correction_note"] = [NOTE]
    assert admin_client.post(url, data).status_code == 302
    correction = Correction.objects.get()
    assert (correction.statement, correction.kind, correction.note) == (quote, "text", NOTE)
    assert (correction.previous_text, correction.created_by) == (OLD, admin_user)
    assert Statement.objects.get(pk=quote.pk).content_hash == content_hash(NEW)


@pytest.mark.parametrize("status", ["draft", "review"])
def test_statements_never_public_change_without_note_or_correction(admin_client, quote, status):
    Conference.objects.update(status=status)
    response = edit(admin_client, quote, text=NEW, speaker="Ana Ferreira", correction_note=NOTE)
    assert response.status_code == 302
    stored = Statement.objects.get(pk=quote.pk)
    assert (stored.text, stored.speaker.name) == (NEW, "Ana Ferreira")
    assert stored.content_hash == content_hash(NEW)
    assert Correction.objects.count() == 0


# --- what is recorded and shown -----------------------------------------------------------------


def test_text_correction_is_recorded_and_shown_with_its_diff(admin_client, admin_user, quote):
    response = edit(admin_client, quote, text=NEW, correction_note=NOTE)
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.kind == Correction.Kind.TEXT
    assert correction.note == NOTE
    assert correction.created_by == admin_user
    assert correction.previous_text == OLD
    assert correction.previous_hash == content_hash(OLD)
    assert (correction.previous_speaker, correction.previous_speaker_name) == (None, "")
    quote.refresh_from_db()
    assert (quote.text, quote.content_hash) == (NEW, content_hash(NEW))

    Correction.objects.update(created_at=CORRECTED_AT)
    html = permalink(admin_client, quote)
    assert '<h2 id="corrections-heading">Corrections</h2>' in html
    assert "<p>Corrected on 1 December 2026: the text was corrected.</p>" in html
    assert (
        '<p class="correction-note">The transcript said “ten”; the recording says “two”.</p>'
    ) in html
    assert (
        '<p class="diff">The harbour will reopen in <del>ten</del> <ins>two</ins> days.</p>'
    ) in html
    assert '<a class="badge" href="#corrections">Corrected</a>' in html


def test_attribution_correction_names_both_speakers(admin_client, quote):
    berg = quote.speaker
    response = edit(admin_client, quote, speaker="Ana Ferreira", correction_note=NOTE)
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.kind == Correction.Kind.ATTRIBUTION
    assert correction.previous_speaker == berg
    assert correction.previous_speaker_name == "Jonas Berg"
    assert correction.previous_label == "BERG"
    assert correction.new_speaker_name == "Ana Ferreira"
    assert (correction.previous_text, correction.previous_hash) == ("", "")

    Correction.objects.update(created_at=CORRECTED_AT)
    html = permalink(admin_client, quote)
    assert (
        "<p>Corrected on 1 December 2026: attributed to Ana Ferreira instead of Jonas Berg.</p>"
    ) in html
    assert '<p class="diff">' not in html


def test_a_label_correction_gives_the_label_as_printed_before(admin_client, quote):
    edit(admin_client, quote, label="MR BERG", correction_note="The label was misread.")
    correction = Correction.objects.get()
    assert (correction.kind, correction.previous_label) == ("attribution", "BERG")
    assert correction.new_speaker_name == correction.previous_speaker_name == "Jonas Berg"
    Correction.objects.update(created_at=CORRECTED_AT)
    assert (
        "<p>Corrected on 1 December 2026: the attribution as printed was corrected "
        "(it read “BERG”).</p>"
    ) in permalink(admin_client, quote)


def test_one_edit_of_text_and_speaker_records_one_row_of_each_kind(admin_client, quote):
    edit(admin_client, quote, text=NEW, speaker="Ana Ferreira", correction_note=NOTE)
    rows = Correction.objects.order_by("pk").values_list("kind", "note", "previous_text")
    assert list(rows) == [("text", NOTE, OLD), ("attribution", NOTE, "")]
    Correction.objects.update(created_at=CORRECTED_AT)
    html = permalink(admin_client, quote)
    assert html.index("the text was corrected.") < html.index("attributed to Ana Ferreira")


def test_a_revert_from_the_history_page_needs_a_note_too(admin_client, quote):
    edit(admin_client, quote, text=NEW, correction_note=NOTE)
    first = quote.history.earliest("history_date")
    url = reverse("admin:conferences_statement_simple_history", args=[quote.pk, first.pk])
    data = form_of(admin_client, url)
    assert data["text"] == [OLD]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["correction_note"] == [refused("text")]
    assert Statement.objects.get(pk=quote.pk).text == NEW

    data["correction_note"] = ["Reverted: the recording was of another briefing."]
    assert admin_client.post(url, data).status_code == 302
    quote.refresh_from_db()
    assert (quote.text, quote.content_hash) == (OLD, content_hash(OLD))
    latest = Correction.objects.order_by("pk").last()
    assert (latest.kind, latest.previous_text, latest.previous_hash) == (
        "text",
        NEW,
        content_hash(NEW),
    )


def test_html_in_an_old_text_or_a_note_is_shown_as_text(admin_client, quote):
    quote.text = 'Ten <script>alert("x")</script> days.'
    quote.content_hash = content_hash(quote.text)
    quote.save()
    old_hash = quote.content_hash
    edit(admin_client, quote, text="Two days.", correction_note="<b>Misheard</b> & fixed.")
    html = permalink(admin_client, quote, old_hash[:8])
    assert "<script>alert" not in html
    assert "<b>Misheard" not in html
    assert '<p class="correction-note">&lt;b&gt;Misheard&lt;/b&gt; &amp; fixed.</p>' in html
    assert (
        "<del>Ten &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</del> <ins>Two</ins> days."
    ) in html


# --- ?v= ----------------------------------------------------------------------------------------


def test_an_old_version_link_says_the_quote_changed_and_how(admin_client, quote):
    edit(admin_client, quote, text=NEW, correction_note=NOTE)
    Correction.objects.update(created_at=CORRECTED_AT)
    html = permalink(admin_client, quote, content_hash(OLD)[:10].upper())
    notice = html[html.index('<div class="errors" id="changed-since">') :]
    notice = notice[: notice.index("</div>")]
    assert (
        "<p>This quote has changed since the version you were linked to (corrected on "
        "1 December 2026). How it reads now, against that version:</p>"
    ) in notice
    assert (
        '<p class="diff">The harbour will reopen in <del>ten</del> <ins>two</ins> days.</p>'
    ) in notice


@pytest.mark.parametrize(
    "version",
    [
        "current",
        "",
        "abc12",  # too short
        "zzzzzzzz",
        "ab cd ef 12",
        "\x00",
        "1" * 65,
        "<script>",
        ["current", ""],  # the last value counts
    ],
)
def test_current_or_malformed_versions_show_no_notice(admin_client, quote, version):
    edit(admin_client, quote, text=NEW, correction_note=NOTE)
    current = content_hash(NEW)[:6]
    if isinstance(version, list):
        version = [current if v == "current" else v for v in version]
    else:
        version = current if version == "current" else version
    html = permalink(admin_client, quote, version)
    assert 'id="changed-since"' not in html
    assert html.count('<p class="diff">') == 1  # the correction's own, below


def test_an_unknown_version_is_said_to_be_unknown_without_a_diff(admin_client, quote):
    html = permalink(admin_client, quote, "0123456789abcdef")
    assert (
        "<p>The link you followed names a version of this quote (“0123456789abcdef”) that Podium "
        "has no record of. This is the quote as it reads now.</p>"
    ) in html
    assert '<p class="diff">' not in html


def test_citations_carry_the_current_version_and_the_canonical_link_does_not(client, quote):
    html = permalink(client, quote)
    url = f"http://testserver/s/{quote.public_id}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f"Podium. {url}?v={content_hash(OLD)[:10]}.</pre>" in html  # Chicago


def test_a_statement_without_corrections_shows_none(client, quote):
    html = permalink(client, quote)
    assert 'id="corrections"' not in html
    assert "Corrected" not in html


def test_permalink_queries_do_not_grow_with_corrections(client, quote, django_assert_num_queries):
    for n in range(3):
        Correction.objects.create(
            statement=quote, kind="text", note=f"n{n}", previous_text=f"v{n}", created_by=None
        )
    with CaptureQueriesContext(connection) as three:
        permalink(client, quote)
    Correction.objects.filter(note__in=["n1", "n2"]).delete()
    with django_assert_num_queries(len(three)):
        permalink(client, quote)


def test_word_diff_pairs_replacements_as_deletion_then_insertion():
    assert word_diff("a b c d", "a x c d e") == [
        ("equal", "a"),
        ("delete", "b"),
        ("insert", "x"),
        ("equal", "c d"),
        ("insert", "e"),
    ]
    assert word_diff("same\nwords", "same words") == [("equal", "same words")]


# --- in a browser -------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_corrections_and_the_changed_notice_render_in_chromium(live_server, page):
    quote = StatementFactory(
        conference=ConferenceFactory(date=datetime.date(2026, 11, 20)),
        speaker=SpeakerFactory(name="Ana Ferreira"),
        text=NEW,
    )
    Correction.objects.create(
        statement=quote,
        kind=Correction.Kind.TEXT,
        note=NOTE,
        previous_text=OLD,
        previous_hash=content_hash(OLD),
    )
    Correction.objects.update(created_at=CORRECTED_AT)
    page.goto(f"{live_server.url}/s/{quote.public_id}/?v={content_hash(OLD)[:10]}")

    notice = page.locator("#changed-since")
    expect(notice).to_contain_text("This quote has changed since the version you were linked to")
    expect(notice.locator("del")).to_have_text("ten")
    expect(notice.locator("ins")).to_have_text("two")
    expect(page.locator("figcaption .badge")).to_have_text("Corrected")

    section = page.get_by_role("region", name="Corrections")
    expect(section.locator("li p").first).to_have_text(
        "Corrected on 1 December 2026: the text was corrected."
    )
    expect(section.locator(".correction-note")).to_have_text(NOTE)
    expect(section.locator(".diff")).to_have_text("The harbour will reopen in ten two days.")
    # Struck through and underlined, as a reader sees them.
    assert section.locator("del").evaluate("e => getComputedStyle(e).textDecorationLine") == (
        "line-through"
    )
    assert section.locator("ins").evaluate("e => getComputedStyle(e).textDecorationLine") == (
        "underline"
    )
    assert Axe().run(page).response["violations"] == []
