"""The import's "paste a link", end to end with the test client: the page fetched from the
fictional site of tests/pages.py (on 127.0.0.1, allowed by the setting for these tests), its
text and metadata in the form, the preview, the save with the page as the source's archived
copy, and the archived copy on the public pages.

Each refusal is a form error on the link, on a page that keeps what the editor typed.
"""

import datetime
import hashlib
import html as htmllib
import re

import pytest
from django.contrib.auth.models import User

from conferences.editorial import workflow
from conferences.importer import fetch
from conferences.models import Conference, SourceDocument, Statement
from conferences.models.archive import SourceSnapshot

from ..factories import ConferenceFactory, SourceDocumentFactory, SpeakerFactory, StatementFactory
from ..pages import ARTICLE_PATH, BRIEFING_PATH, BRIEFING_STATEMENTS, BRIEFING_TEXT
from .posting import posted_form

pytestmark = pytest.mark.django_db

URL = "/admin/conferences/conference/import/"
PUBLIC_ONLY = "Podium fetches only public pages."
SANDBOX = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def field_value(page: str, name: str) -> str:
    return htmllib.unescape(re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)[1])


def textarea(page: str) -> str:
    found = re.search(r'<textarea name="text"[^>]*>\n?(.*?)</textarea>', page, re.S)[1]
    return htmllib.unescape(found)


def errors_of(page: str) -> list[str]:
    lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    return [
        htmllib.unescape(re.sub(r"<[^>]+>", "", item).strip())
        for found in lists
        for item in re.findall(r"<li>(.*?)</li>", found, re.S)
    ]


def preview(client, link: str, **extra):
    return client.post(URL, {"link": link, "kind": "auto", "action": "preview", **extra})


def served(site, path: str) -> bytes:
    return site.pages[path].body.replace(b"{base}", site.base.encode())


def publish(conference: Conference) -> None:
    chief = User.objects.create_superuser("chief", password="not-a-real-password-42")
    workflow.move(conference, Conference.Status.REVIEW, chief)
    workflow.move(conference, Conference.Status.PUBLISHED, chief)


def import_briefing(client, site) -> SourceDocument:
    page = preview(client, site.url(BRIEFING_PATH)).content.decode()
    response = client.post(URL, posted_form(page, action="save"))
    assert response.status_code == 302, errors_of(response.content.decode())
    return SourceDocument.objects.get()


def test_the_form_offers_a_link(client, editor):
    page = client.get(URL).content.decode()
    assert '<label for="id_link_0">or a link:</label>' in page
    assert '<input type="url" name="link" size="80" placeholder="https://" id="id_link_0">' in page
    assert '<input type="hidden" name="link_snapshot" id="id_link_1">' in page


def test_a_link_fills_the_text_url_outlet_date_and_title(client, editor, site):
    page = preview(client, site.url(BRIEFING_PATH + "?from=home")).content.decode()
    assert textarea(page) == BRIEFING_TEXT
    assert field_value(page, "source_url") == site.url(BRIEFING_PATH)  # the canonical address
    assert field_value(page, "outlet") == "Ministry of Foreign Affairs of Valdora"
    assert field_value(page, "date") == "2026-03-04"
    assert field_value(page, "title") == "Briefing by spokesperson Ilse Marwick on the river accord"
    assert field_value(page, "link") == site.url(BRIEFING_PATH + "?from=home")
    assert Conference.objects.count() == 0  # a preview writes nothing


def test_what_the_editor_typed_is_kept_over_the_page_metadata(client, editor, site):
    typed = {
        "source_url": "https://mfa.valdora.example/briefing",
        "outlet": "Valdora Press Office",
        "title": "Weekly briefing",
        "date": "2026-03-03",
    }
    page = preview(client, site.url(BRIEFING_PATH), **typed).content.decode()
    assert {name: field_value(page, name) for name in typed} == typed


def test_the_preview_shows_the_pages_statements(client, editor, site):
    page = preview(client, site.url(BRIEFING_PATH)).content.decode()
    assert "Preview: 5 statements (transcript)" in page
    for text in BRIEFING_STATEMENTS:
        assert htmllib.escape(text, quote=False) in page
    assert errors_of(page) == []


def test_an_article_link_fills_its_outlet_and_keeps_the_address_it_was_read_at(
    client, editor, site
):
    page = preview(client, site.url(ARTICLE_PATH)).content.decode()
    # Its canonical link names another site: the address Podium read it at is kept.
    assert field_value(page, "source_url") == site.url(ARTICLE_PATH)
    assert field_value(page, "outlet") == "The Eastmark Courier"
    assert field_value(page, "date") == "2026-03-05"
    assert "(article)" in page


def test_the_save_keeps_the_page_as_fetched_as_the_archived_copy(client, editor, site):
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    source = import_briefing(client, site)
    body = served(site, BRIEFING_PATH)
    assert bytes(source.snapshot.content) == body
    assert source.snapshot_sha256 == hashlib.sha256(body).hexdigest()
    assert before <= source.fetched_at <= datetime.datetime.now(datetime.UTC)
    assert source.snapshot_url == site.url(BRIEFING_PATH)
    assert source.snapshot_content_type == "text/html; charset=utf-8"
    assert (source.text, source.url, source.outlet.name) == (
        BRIEFING_TEXT,
        site.url(BRIEFING_PATH),
        "Ministry of Foreign Affairs of Valdora",
    )
    conference = source.conference
    assert (conference.title, conference.date, conference.status) == (
        "Briefing by spokesperson Ilse Marwick on the river accord",
        datetime.date(2026, 3, 4),
        "draft",
    )
    assert list(conference.statements.values_list("text", flat=True)) == BRIEFING_STATEMENTS
    # The save stored the copy the preview was made from: the page was fetched once.
    assert site.fetched(BRIEFING_PATH) == 1


def test_the_text_may_be_corrected_between_preview_and_save(client, editor, site):
    page = preview(client, site.url(BRIEFING_PATH)).content.decode()
    corrected = textarea(page).replace("Valdora City, 4 March 2026\n\n", "")
    page = client.post(URL, posted_form(page, text=corrected)).content.decode()  # preview again
    response = client.post(URL, posted_form(page, action="save"))
    assert response.status_code == 302
    source = SourceDocument.objects.get()
    assert source.text == corrected
    assert bytes(source.snapshot.content) == served(site, BRIEFING_PATH)


def test_a_pasted_text_has_no_archived_copy(client, editor):
    text = "MS. MARWICK: The accord was signed today.\n\nQUESTION: When does it take effect?\n"
    page = client.post(URL, {"text": text, "kind": "auto", "action": "preview"}).content.decode()
    client.post(URL, posted_form(page, action="save", title="Signing", date="2026-03-05"))
    source = SourceDocument.objects.get()
    assert (source.snapshot_sha256, source.fetched_at, source.snapshot_url) == ("", None, "")
    assert not SourceSnapshot.objects.exists()


def test_a_copy_that_was_not_made_by_podium_is_refused(client, editor, site):
    page = preview(client, site.url(BRIEFING_PATH)).content.decode()
    data = posted_form(page, action="save")
    value, signature = data["link_snapshot"].rsplit(":", 1)
    data["link_snapshot"] = f"{value[:-4]}AAAA:{signature}"
    page = client.post(URL, data).content.decode()
    assert errors_of(page) == [
        "Paste a text, choose a file or give a link: one of them, not several. To say where a "
        "pasted text comes from, fill in Source URL instead."
    ]
    assert not SourceDocument.objects.exists()


def test_a_link_changed_after_the_preview_is_not_saved_with_the_first_page(client, editor, site):
    page = preview(client, site.url(BRIEFING_PATH)).content.decode()
    page = client.post(URL, posted_form(page, action="save", link=site.url("/other"))).content
    assert errors_of(page.decode()) == [
        "The link changed after its page was fetched: empty the text box to fetch the new "
        "page, or put the first link back."
    ]
    assert not SourceDocument.objects.exists()


def test_a_link_with_a_pasted_text_is_refused(client, editor, site):
    response = preview(client, site.url(BRIEFING_PATH), text="MS. MARWICK: Good morning.")
    page = response.content.decode()
    assert errors_of(page) == [
        "Paste a text, choose a file or give a link: one of them, not several. To say where a "
        "pasted text comes from, fill in Source URL instead."
    ]
    assert site.requests == []


def test_the_statement_page_links_to_the_archived_copy_once_published(client, editor, site):
    source = import_briefing(client, site)
    statement = Statement.objects.get(sequence=1)
    assert client.get(statement.get_absolute_url()).status_code == 404  # a draft
    publish(source.conference)
    page = client.get(statement.get_absolute_url()).content.decode()
    link = (
        f'<a href="/sources/{source.pk}/snapshot/" rel="nofollow">Archived copy, as fetched on '
        f"{source.fetched_at.day} {source.fetched_at:%B %Y}</a> (SHA-256 "
        f'<code title="{source.snapshot_sha256}">{source.snapshot_sha256[:12]}…</code>)'
    )
    assert link in page
    assert link in client.get(source.conference.get_absolute_url()).content.decode()


def test_a_statement_whose_source_was_pasted_shows_no_archived_copy(client):
    statement = StatementFactory(source=SourceDocumentFactory(), speaker=SpeakerFactory())
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Source" in page
    assert "Archived copy" not in page


def test_the_archived_copy_is_served_as_fetched_and_can_run_nothing(client, editor, site):
    source = import_briefing(client, site)
    publish(source.conference)
    response = client.get(f"/sources/{source.pk}/snapshot/")
    assert response.status_code == 200
    assert response.content == served(site, BRIEFING_PATH)  # no banner, nothing added
    assert hashlib.sha256(response.content).hexdigest() == source.snapshot_sha256
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy-Report-Only" not in response


def test_the_archived_copy_of_a_draft_is_not_found(client, editor, site):
    source = import_briefing(client, site)
    assert client.get(f"/sources/{source.pk}/snapshot/").status_code == 404


def test_the_archived_copy_of_a_withdrawn_conference_is_not_found(client, editor, site):
    source = import_briefing(client, site)
    publish(source.conference)
    workflow.move(
        source.conference, Conference.Status.WITHDRAWN, User.objects.get(username="chief")
    )
    assert client.get(f"/sources/{source.pk}/snapshot/").status_code == 404


def test_a_source_without_an_archived_copy_has_no_copy_to_serve(client):
    source = SourceDocumentFactory(conference=ConferenceFactory())
    assert source.conference.status == "published"
    assert client.get(f"/sources/{source.pk}/snapshot/").status_code == 404


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (
            "http://127.0.0.1:8000/admin/",
            f"That address is this server's own (loopback) address (127.0.0.1); {PUBLIC_ONLY}",
        ),
        ("http://10.0.0.1/", f"That address is on a private network (10.0.0.1); {PUBLIC_ONLY}"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "That address is a link-local address (where cloud metadata services answer) "
            f"(169.254.169.254); {PUBLIC_ONLY}",
        ),
        (
            "http://[::1]/",
            f"That address is this server's own (loopback) address (::1); {PUBLIC_ONLY}",
        ),
        (
            "ftp://mfa.valdora.example/briefing.txt",
            "Enter a web address starting with http:// or https://; “ftp:” addresses are refused.",
        ),
        (
            "file:///etc/passwd",
            "Enter a web address starting with http:// or https://; “file:” addresses are refused.",
        ),
    ],
)
def test_a_link_podium_does_not_fetch_is_refused_on_the_form(
    client, editor, settings, link, message
):
    settings.PODIUM_FETCH_ALLOW_PRIVATE = False
    response = preview(client, link)
    page = response.content.decode()
    assert response.status_code == 200
    assert errors_of(page) == [message]
    assert field_value(page, "link") == link  # as typed
    assert "Preview:" not in page


@pytest.mark.parametrize(
    ("path", "setup", "message"),
    [
        (
            "/huge",
            {"PODIUM_FETCH_MAX_BYTES": 100_000},
            "The page is larger than 97.7 KB, the most Podium fetches; save the text from your "
            "browser and paste it instead.",
        ),
        (
            "/slow",
            {"PODIUM_FETCH_TIMEOUT": 0.5},
            "The page did not answer within 0.5 seconds.",
        ),
        (
            "/logo.png",
            {},
            "That address serves “image/png”, not a web page; Podium imports web pages (HTML) "
            "and plain text.",
        ),
        (
            "/gallery",
            {},
            "Podium found no article or transcript text on that page. Open it in your browser, "
            "copy the text and paste it instead.",
        ),
        (
            "/missing",
            {},
            "The page answered “404 Not Found”; Podium imports pages that answer “200 OK”.",
        ),
    ],
)
def test_a_page_podium_cannot_use_is_refused_on_the_form(
    client, editor, site, settings, path, setup, message
):
    for name, value in setup.items():
        setattr(settings, name, value)
    response = preview(client, site.url(path), outlet="Typed outlet")
    page = response.content.decode()
    assert response.status_code == 200
    assert errors_of(page) == [message]
    assert field_value(page, "link") == site.url(path)
    assert field_value(page, "outlet") == "Typed outlet"
    assert "Preview:" not in page
    assert not SourceDocument.objects.exists()


def test_a_redirect_to_a_private_address_is_refused_on_the_form(
    client, editor, site, settings, monkeypatch
):
    # The setting is off; the fictional site on 127.0.0.1 stands for a public one.
    settings.PODIUM_FETCH_ALLOW_PRIVATE = False
    checked = fetch.refusal
    monkeypatch.setattr(
        fetch, "refusal", lambda address: None if str(address) == "127.0.0.1" else checked(address)
    )
    page = preview(client, site.url("/to-private")).content.decode()
    assert errors_of(page) == [f"That address is on a private network (10.0.0.1); {PUBLIC_ONLY}"]
    assert field_value(page, "link") == site.url("/to-private")
