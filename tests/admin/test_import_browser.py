"""The admin's paste-and-preview import, end to end in a real Chromium.

The same flow is covered with Django's test client in test_admin_import.py; here the browser
builds every request itself (the hidden fields, the ticked boxes, the selected options, the
textarea's line endings), so what is checked is what an editor actually gets.
"""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from conferences.models import Conference, SourceDocument, Speaker, SpeakerAlias, Statement

from ..factories import SpeakerFactory, TopicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password-42"
TITLE = "Press briefing of the Norlandian Ministry of Foreign Affairs"
NEEDS_THIS = "A new conference needs this (or pick an existing one)."

# Fictional: Norlandia, Eastmark, Port Aster and Ms. Darrow exist nowhere.
BRIEFING = f"""{TITLE}
Port Aster, March 9, 2023

MS. DARROW: Good afternoon. The minister met her Eastmark counterpart about the fisheries accord.

QUESTION: Will the fisheries accord be signed?

MS. DARROW: It will be signed next week in Port Aster.

QUESTION: And the ferry schedule?

MS. DARROW: I have nothing on the ferries today.
"""

TEXTS = [
    "Good afternoon. The minister met her Eastmark counterpart about the fisheries accord.",
    "Will the fisheries accord be signed?",
    "It will be signed next week in Port Aster.",
    "And the ferry schedule?",
    "I have nothing on the ferries today.",
]

# Markup in a turn's words and in a speaker label: raw, and as entities the parser decodes.
HOSTILE = """Briefing on the Norlandian ferries
Port Aster, March 9, 2023

MS. DARROW (<script>window.__xss=1</script>): Hello <script>window.__xss=1</script> and \
<img src=x onerror="window.__xss=2"> and <img src=x onerror="alert('xss')"> bye.

QUESTION: Why?

MS. DARROW (&lt;img src=x onerror="window.__xss=2"&gt;): Because \
&lt;script&gt;window.__xss=1&lt;/script&gt; &lt;img src=x onerror="alert('xss')"&gt;.
"""


@pytest.fixture
def editor():
    # Transactional tests flush the database: the "Editors" group of the data migration is gone.
    return User.objects.create_superuser("editor", "editor@example.org", PASSWORD)


@pytest.fixture
def eberle():
    return SpeakerFactory(name="Tomas Eberle", slug="tomas-eberle")


@pytest.fixture
def topics():
    return {
        "fisheries": TopicFactory(
            name="Fisheries", slug="fisheries", keywords="fisheries\nfishing"
        ),
        "ferries": TopicFactory(name="Ferries", slug="ferries", keywords="ferry\nferries"),
        "tariffs": TopicFactory(name="Tariffs", slug="tariffs", keywords="tariff\ntariffs"),
    }


def log_in_and_open_import(page, live_server):
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.get_by_role("link", name="Conferences", exact=True).click()
    expect(page).to_have_url(live_server.url + "/admin/conferences/conference/")
    page.get_by_role("link", name="Import a transcript").click()
    expect(page).to_have_url(live_server.url + "/admin/conferences/conference/import/")
    expect(page.get_by_role("heading", name="Import a transcript or an article")).to_be_visible()


def paste_and_preview(page, text):
    page.fill("#id_text", text)
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_role("button", name="Preview again")).to_be_visible()


def field(page, name):
    return page.locator(f'[name="{name}"]')


def ticked_topics(page, row):
    """Names of the topics ticked in a preview row, in page order."""
    boxes = page.locator(f'#row-{row} input[name="row-{row}-topics"]')
    return [
        box.evaluate("el => el.parentElement.textContent.trim()")
        for box in boxes.all()
        if box.is_checked()
    ]


def offered_topics(page, row):
    return [
        label.strip()
        for label in page.locator(f"#row-{row} .import-topics label").all_inner_texts()
    ]


def test_preview_shows_rows_prefilled_conference_and_unresolved_speakers(
    live_server, page, editor, eberle, topics
):
    log_in_and_open_import(page, live_server)
    paste_and_preview(page, BRIEFING)

    expect(page.get_by_role("heading", name="Preview: 5 statements (transcript)")).to_be_visible()
    expect(page.locator("article.import-row")).to_have_count(5)
    expect(page.locator("article.import-row.unresolved")).to_have_count(5)
    expect(page.locator(".import-row .import-text")).to_have_text(TEXTS)
    expect(field(page, "row_count")).to_have_value("5")

    expect(field(page, "title")).to_have_value(TITLE)
    expect(field(page, "date")).to_have_value("2023-03-09")
    expect(field(page, "place")).to_have_value("Port Aster")
    expect(field(page, "conference")).to_have_value("")

    speakers = page.locator("table.import-speakers tbody tr")
    expect(speakers).to_have_count(2)
    expect(page.locator("table.import-speakers tbody tr.unresolved")).to_have_count(2)
    expect(speakers.locator("td:first-child")).to_have_text(
        ["MS. DARROW not in the archive", "QUESTION not in the archive"]
    )
    expect(field(page, "sp-0-target")).to_have_value("new")
    expect(field(page, "sp-0-name")).to_have_value("Darrow")
    expect(field(page, "sp-0-kind")).to_have_value("official")
    expect(field(page, "sp-1-target")).to_have_value("new")
    expect(field(page, "sp-1-name")).to_have_value("Unidentified journalist")
    expect(field(page, "sp-1-kind")).to_have_value("journalist")
    # The existing speaker is offered in both the speaker table and every row.
    expect(field(page, "sp-0-target").locator("option")).to_have_text(
        ["Create a new speaker", "Tomas Eberle"]
    )
    expect(field(page, "row-2-speaker").locator("option")).to_have_text(
        ["Darrow", "Unidentified journalist", "Tomas Eberle"]
    )

    assert [field(page, f"row-{i}-speaker").input_value() for i in range(5)] == [
        "sp-0",
        "sp-1",
        "sp-0",
        "sp-1",
        "sp-0",
    ]
    assert [field(page, f"row-{i}-kind").input_value() for i in range(5)] == [
        "remark",
        "question",
        "answer",
        "question",
        "answer",
    ]
    assert {field(page, f"row-{i}-fidelity").input_value() for i in range(5)} == {"verbatim"}
    assert all(field(page, f"row-{i}-keep").is_checked() for i in range(5))
    # Only suggested topics are offered, and they start ticked; "Tariffs" matches nothing.
    assert [offered_topics(page, i) for i in range(5)] == [
        ["Fisheries"],
        ["Fisheries"],
        [],
        ["Ferries"],
        ["Ferries"],
    ]
    assert [ticked_topics(page, i) for i in range(5)] == [offered_topics(page, i) for i in range(5)]
    expect(page.get_by_role("button", name="Save as a draft")).to_have_count(1)

    assert Conference.objects.count() == 0  # a preview writes nothing
    assert SourceDocument.objects.count() == Statement.objects.count() == 0
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Tomas Eberle"]


def test_save_creates_a_draft_with_the_editors_choices(live_server, page, editor, eberle, topics):
    log_in_and_open_import(page, live_server)
    paste_and_preview(page, BRIEFING)

    page.get_by_label("Speaker of statement 3").select_option(str(eberle.pk))
    page.get_by_label("Name of the new speaker for Darrow").fill("Mira Darrow")
    page.get_by_label("Keep statement 4").uncheck()
    fisheries, ferries = str(topics["fisheries"].pk), str(topics["ferries"].pk)
    page.locator(f'#row-1 input[name="row-1-topics"][value="{fisheries}"]').uncheck()
    ferry_box = page.locator(f'#row-4 input[name="row-4-topics"][value="{ferries}"]')
    ferry_box.uncheck()
    ferry_box.check()
    page.get_by_role("button", name="Save as a draft").click()

    page.wait_for_url(re.compile(r"/admin/conferences/conference/\d+/change/$"))
    conference = Conference.objects.get()
    assert page.url == f"{live_server.url}/admin/conferences/conference/{conference.pk}/change/"
    expect(page.locator("ul.messagelist li.success")).to_have_text(
        f"Imported 4 statements into “{TITLE} (2023-03-09)” (draft); 2 new speakers."
    )

    assert (conference.title, str(conference.date), conference.place, conference.status) == (
        TITLE,
        "2023-03-09",
        "Port Aster",
        "draft",
    )
    rows = list(conference.statements.order_by("sequence"))
    assert [(s.sequence, s.speaker.name, s.kind, s.fidelity, s.label, s.text) for s in rows] == [
        (1, "Mira Darrow", "remark", "verbatim", "MS. DARROW", TEXTS[0]),
        (2, "Unidentified journalist", "question", "verbatim", "QUESTION", TEXTS[1]),
        (3, "Tomas Eberle", "answer", "verbatim", "MS. DARROW", TEXTS[2]),
        (4, "Mira Darrow", "answer", "verbatim", "MS. DARROW", TEXTS[4]),
    ]
    assert [[t.name for t in s.topics.order_by("name")] for s in rows] == [
        ["Fisheries"],
        [],
        [],
        ["Ferries"],
    ]

    source = SourceDocument.objects.get()
    assert source.conference == conference
    assert (source.kind, source.title) == ("official_transcript", TITLE)
    # The browser posts the textarea with CRLF line ends (HTML spec); the import stores \n.
    assert source.text == BRIEFING
    assert {s.source_id for s in rows} == {source.pk}
    for statement in rows:
        assert source.text[statement.source_start : statement.source_end] == statement.text

    assert sorted(Speaker.objects.values_list("name", "kind")) == [
        ("Mira Darrow", "official"),
        ("Tomas Eberle", "official"),
        ("Unidentified journalist", "journalist"),
    ]
    darrow = Speaker.objects.get(name="Mira Darrow")
    assert set(darrow.aliases.values_list("name", flat=True)) == {"Mira Darrow", "Darrow"}
    assert Speaker.objects.get_by_name("MS. DARROW") == darrow
    assert not SpeakerAlias.objects.filter(speaker=eberle).exclude(name="Tomas Eberle").exists()


def test_failed_save_keeps_the_text_and_every_choice(live_server, page, editor, eberle, topics):
    log_in_and_open_import(page, live_server)
    paste_and_preview(page, BRIEFING)

    field(page, "date").fill("")
    page.get_by_label("Kind of statement 2").select_option("remark")
    page.get_by_label("Name of the new speaker for Darrow").fill("Mira Darrow")
    page.get_by_label("Speaker of statement 3").select_option(str(eberle.pk))
    page.get_by_label("Keep statement 4").uncheck()
    page.locator(f'#row-0 input[value="{topics["fisheries"].pk}"]').uncheck()
    page.get_by_role("button", name="Save as a draft").click()

    expect(page).to_have_url(live_server.url + "/admin/conferences/conference/import/")
    expect(page.locator(".form-row.field-date.errors ul.errorlist")).to_have_text(NEEDS_THIS)
    expect(page.get_by_text(NEEDS_THIS, exact=True)).to_have_count(1)  # the title was prefilled
    expect(page.locator("ul.import-errors")).to_have_count(0)
    expect(page.locator("#id_text")).to_have_value(BRIEFING)
    expect(field(page, "date")).to_have_value("")
    expect(field(page, "title")).to_have_value(TITLE)
    expect(field(page, "place")).to_have_value("Port Aster")
    expect(field(page, "row-1-kind")).to_have_value("remark")
    expect(field(page, "row-2-kind")).to_have_value("answer")
    expect(field(page, "sp-0-name")).to_have_value("Mira Darrow")
    expect(field(page, "row-2-speaker")).to_have_value(str(eberle.pk))
    assert [field(page, f"row-{i}-keep").is_checked() for i in range(5)] == [
        True,
        True,
        True,
        False,
        True,
    ]
    assert [ticked_topics(page, i) for i in range(5)] == [
        [],
        ["Fisheries"],
        [],
        ["Ferries"],
        ["Ferries"],
    ]
    assert offered_topics(page, 0) == ["Fisheries"]  # unticked, still offered
    expect(page.get_by_role("button", name="Save as a draft")).to_have_count(1)

    assert Conference.objects.count() == SourceDocument.objects.count() == 0
    assert Statement.objects.count() == 0
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Tomas Eberle"]

    # The page really holds everything: filling the date in again is enough to save.
    field(page, "date").fill("2023-03-09")
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_url(re.compile(r"/admin/conferences/conference/\d+/change/$"))
    rows = Conference.objects.get().statements.order_by("sequence")
    assert [(s.speaker.name, s.kind, [t.name for t in s.topics.all()]) for s in rows] == [
        ("Mira Darrow", "remark", []),
        ("Unidentified journalist", "remark", ["Fisheries"]),
        ("Tomas Eberle", "answer", []),
        ("Mira Darrow", "answer", ["Ferries"]),
    ]


def test_repaste_is_refused_with_a_link_to_the_first_import(live_server, page, editor):
    log_in_and_open_import(page, live_server)
    paste_and_preview(page, BRIEFING)
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_url(re.compile(r"/admin/conferences/conference/\d+/change/$"))
    first = Conference.objects.get()

    page.goto(live_server.url + "/admin/conferences/conference/")
    page.get_by_role("link", name="Import a transcript").click()
    paste_and_preview(page, BRIEFING)

    errors = page.locator("ul.import-errors li")
    expect(errors).to_have_text(
        [
            f"This exact text was imported before, into “{TITLE} (2023-03-09)”.",
            "Open what the first import created",
        ]
    )
    link = page.get_by_role("link", name="Open what the first import created")
    expect(link).to_have_attribute("href", f"/admin/conferences/conference/{first.pk}/change/")
    expect(page.get_by_role("heading", name="Preview: 5 statements (transcript)")).to_be_visible()
    expect(page.get_by_role("button", name="Save as a draft")).to_have_count(0)
    expect(page.locator('button[value="save"]')).to_have_count(0)

    link.click()
    expect(page).to_have_url(f"{live_server.url}/admin/conferences/conference/{first.pk}/change/")
    assert Conference.objects.count() == SourceDocument.objects.count() == 1
    assert Statement.objects.count() == 5


def test_no_script_runs_from_pasted_text_or_speaker_labels(live_server, page, editor):
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    log_in_and_open_import(page, live_server)
    paste_and_preview(page, HOSTILE)

    expect(page.get_by_role("heading", name="Preview: 3 statements (transcript)")).to_be_visible()
    # The markup is shown as text, in the row and in the speaker table ("__" is taken for
    # markdown emphasis by the parser, so the variable reads "xss" in the preview).
    cells = page.locator(".import-row .import-text")
    expect(cells.nth(0)).to_contain_text("Hello <script>window.xss=1</script> and <img src=x")
    expect(cells.nth(2)).to_contain_text("Because <script>window.xss=1</script> <img src=x")
    expect(page.locator("#row-0 .printed")).to_have_text(
        "printed: MS. DARROW (<script>window.xss=1</script>)"
    )
    expect(page.locator("#row-2 .printed")).to_have_text(
        'printed: MS. DARROW (<img src=x onerror="window.xss=2">)'
    )
    expect(page.locator("table.import-speakers tbody tr").first.locator("td").first).to_have_text(
        "MS. DARROW (<script>window.xss=1</script>), "
        'MS. DARROW (<img src=x onerror="window.xss=2">) not in the archive'
    )
    expect(page.locator("#id_text")).to_have_value(HOSTILE)
    expect(page.locator(".podium-import script")).to_have_count(0)
    expect(page.locator(".podium-import img")).to_have_count(0)

    # Once more through "Preview again", which renders the text from the posted form.
    page.get_by_role("button", name="Preview again").click()
    expect(page.get_by_role("heading", name="Preview: 3 statements (transcript)")).to_be_visible()
    page.wait_for_load_state("load")
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("window.xss") is None
    assert dialogs == []
    assert Conference.objects.count() == 0


def test_pasted_text_is_stored_with_plain_line_ends(live_server, page, editor):
    text = BRIEFING.replace(
        "fisheries accord.\n\nQUESTION", "fisheries accord.\nWe expect progress.\n\nQUESTION"
    )
    log_in_and_open_import(page, live_server)
    paste_and_preview(page, text)
    first = page.locator(".import-row .import-text").first
    # linebreaksbr: one <br> for one line break, two for a paragraph break.
    assert first.inner_html().count("<br>") == 1
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_url(re.compile(r"/admin/conferences/conference/\d+/change/$"))
    source = SourceDocument.objects.get()
    statement = Statement.objects.get(sequence=1)
    assert statement.text == TEXTS[0] + "\nWe expect progress."
    assert source.text[statement.source_start : statement.source_end] == statement.text
    assert source.text == text
