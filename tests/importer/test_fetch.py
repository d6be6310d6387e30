"""Fetching a page for the import's "paste a link" (conferences/importer/fetch.py) and taking
its text (extract.py), against the fictional site of tests/pages.py on 127.0.0.1.

No test reaches past the loopback interface: a private address is refused before any
connection, and the site's own address is allowed only where a test says so.
"""

import datetime
import gzip
import hashlib
import socket
import time

import pytest

from conferences.importer import fetch
from conferences.importer.extract import NO_TEXT, page_text
from conferences.importer.fetch import FetchedPage, FetchRefused, fetch_page

from ..pages import (
    ARTICLE,
    ARTICLE_PATH,
    BRIEFING,
    BRIEFING_PATH,
    BRIEFING_TEXT,
    PLAIN,
    Page,
    serving,
)
from ..ports import unused_port

PUBLIC_ONLY = "Podium fetches only public pages."
NOT_A_PAGE = "Podium imports web pages (HTML) and plain text."


@pytest.fixture
def public_site(settings, monkeypatch):
    """The fictional site standing for a public one: the setting is off, and only the site's
    own address, 127.0.0.1, is let through as if it were public."""
    settings.PODIUM_FETCH_ALLOW_PRIVATE = False
    settings.PODIUM_FETCH_TIMEOUT = 5
    checked = fetch.refusal
    monkeypatch.setattr(
        fetch, "refusal", lambda address: None if str(address) == "127.0.0.1" else checked(address)
    )
    with serving() as site:
        yield site


def served(site, path: str) -> bytes:
    return site.pages[path].body.replace(b"{base}", site.base.encode())


def test_a_page_is_fetched_with_its_bytes_type_time_and_hash(site):
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    page = fetch_page(site.url(BRIEFING_PATH))
    assert page.url == site.url(BRIEFING_PATH)
    assert page.content == served(site, BRIEFING_PATH)
    assert page.sha256 == hashlib.sha256(served(site, BRIEFING_PATH)).hexdigest()
    assert page.content_type == "text/html; charset=utf-8"
    assert before <= page.fetched_at <= datetime.datetime.now(datetime.UTC)
    assert page.text == BRIEFING.replace("{base}", site.base)


def test_the_request_names_the_host_and_asks_for_the_page_as_is(site):
    fetch_page(site.url(BRIEFING_PATH + "?lang=en"))
    path, headers = site.requests[0]
    assert path == BRIEFING_PATH + "?lang=en"
    assert headers["Host"] == site.base.removeprefix("http://")
    assert headers["Accept-Encoding"] == "identity"
    assert headers["User-Agent"] == fetch.USER_AGENT


def test_a_redirect_is_followed_and_the_final_address_kept(site):
    page = fetch_page(site.url("/moved"))
    assert page.url == site.url(BRIEFING_PATH)
    assert [path for path, _ in site.requests] == ["/moved", BRIEFING_PATH]


def test_a_charset_declared_only_in_a_meta_tag_decodes_the_page(site):
    page = fetch_page(site.url("/statements/river-accord-1252"))
    assert page.content_type == "text/html"
    assert "the “river accord” and the work of the commission’s experts" in page.text
    assert "led by René Vasquez" in page.text


def test_a_plain_text_page_is_taken_as_it_is(site):
    page = fetch_page(site.url("/statement.txt"))
    assert page.content_type == "text/plain"
    assert page_text(page).text == PLAIN.decode().strip()


def test_a_gzipped_page_sent_although_not_asked_for_is_unpacked(site):
    site.pages["/gzipped"] = Page(
        gzip.compress(served(site, BRIEFING_PATH)), headers={"Content-Encoding": "gzip"}
    )
    assert fetch_page(site.url("/gzipped")).content == served(site, BRIEFING_PATH)


def test_the_main_text_keeps_paragraphs_and_leaves_out_menus_and_footers(site):
    found = page_text(fetch_page(site.url(BRIEFING_PATH + "?from=home")))
    assert found.text == BRIEFING_TEXT
    # The page's own canonical address (the same site, without the query string).
    assert (found.title, found.date, found.outlet, found.url) == (
        "Briefing by spokesperson Ilse Marwick on the river accord",
        datetime.date(2026, 3, 4),
        "Ministry of Foreign Affairs of Valdora",
        site.url(BRIEFING_PATH),
    )


def test_a_canonical_address_on_another_site_is_not_taken_for_where_the_page_was_read(site):
    found = page_text(fetch_page(site.url(ARTICLE_PATH)))
    assert (found.title, found.date, found.outlet, found.url) == (
        "Valdora and Eastmark to sign river accord",
        datetime.date(2026, 3, 5),
        "The Eastmark Courier",
        site.url(ARTICLE_PATH),
    )
    assert found.text.split("\n\n") == [
        "Valdora and Eastmark to sign river accord",  # the byline is metadata, left out
        "Valdora will sign an accord on the shared river with Eastmark on Thursday, its "
        "foreign ministry said.",
        "“The accord covers all four bridges,” Ilse Marwick, spokesperson of the Ministry of "
        "Foreign Affairs of Valdora, told reporters in Valdora City.",
        "A joint commission will oversee the bridges, she said, adding that “the text will be "
        "published on the day of the signing.”",
    ]


def test_taking_the_text_makes_no_network_request(monkeypatch):
    """trafilatura gets the page as text: it fetches nothing, not even the canonical page."""

    def no_network(*args, **kwargs):
        raise AssertionError("extraction tried to reach the network")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    page = FetchedPage(
        url="https://courier.eastmark.example" + ARTICLE_PATH,
        content=ARTICLE.encode(),
        content_type="text/html; charset=utf-8",
        fetched_at=datetime.datetime(2026, 3, 5, 8, 0, tzinfo=datetime.UTC),
    )
    assert page_text(page).outlet == "The Eastmark Courier"


def test_a_page_without_main_text_is_refused(site):
    with pytest.raises(FetchRefused) as refused:
        page_text(fetch_page(site.url("/gallery")))
    assert str(refused.value) == NO_TEXT


@pytest.mark.parametrize(
    ("host", "message"),
    [
        ("127.0.0.1", "That address is this server's own (loopback) address (127.0.0.1); "),
        ("10.0.0.1", "That address is on a private network (10.0.0.1); "),
        ("192.168.1.20", "That address is on a private network (192.168.1.20); "),
        (
            "169.254.169.254",
            "That address is a link-local address (where cloud metadata services answer) "
            "(169.254.169.254); ",
        ),
        ("[::1]", "That address is this server's own (loopback) address (::1); "),
        ("[::ffff:10.0.0.1]", "That address is on a private network (10.0.0.1); "),
        # 6to4 carries an IPv4 address too: 2002:7f00:1:: is 127.0.0.1 inside
        ("[2002:7f00:1::1]", "That address is this server's own (loopback) address (127.0.0.1); "),
        ("0.0.0.0", "That address is an unspecified address (0.0.0.0); "),  # noqa: S104
        ("224.0.0.251", "That address is a multicast address (224.0.0.251); "),
        ("100.64.0.1", "That address is on a private network (100.64.0.1); "),
    ],
)
def test_a_private_address_is_refused_when_the_setting_is_off(settings, host, message):
    settings.PODIUM_FETCH_ALLOW_PRIVATE = False
    with pytest.raises(FetchRefused) as refused:
        fetch_page(f"http://{host}/latest/meta-data/")
    assert str(refused.value) == message + PUBLIC_ONLY


def test_the_setting_off_refuses_the_local_site_before_connecting(settings):
    with serving() as site:
        settings.PODIUM_FETCH_ALLOW_PRIVATE = False
        with pytest.raises(FetchRefused) as refused:
            fetch_page(site.url(BRIEFING_PATH))
        assert site.requests == []
    assert str(refused.value) == (
        f"That address is this server's own (loopback) address (127.0.0.1); {PUBLIC_ONLY}"
    )


def test_a_name_for_a_loopback_address_is_refused(settings):
    settings.PODIUM_FETCH_ALLOW_PRIVATE = False
    with pytest.raises(FetchRefused) as refused:
        fetch_page("http://localhost/")
    assert "loopback" in str(refused.value)
    assert str(refused.value).endswith(PUBLIC_ONLY)


def test_the_connection_goes_to_the_address_checked(public_site, monkeypatch):
    """A name is resolved once: a second answer (DNS rebinding, here to a private address)
    is never asked for, and the site still gets the name in its Host header."""
    answers = iter(["127.0.0.1", "10.0.0.1"])
    lookups = []

    def getaddrinfo(host, port, *args, **kwargs):
        lookups.append(host)
        address = next(answers) if host == "briefings.valdora.example" else "no address"
        assert address == "127.0.0.1", f"a second lookup of {host}"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    port = public_site.base.rsplit(":", 1)[1]
    page = fetch_page(f"http://briefings.valdora.example:{port}{BRIEFING_PATH}")
    assert page.content == served(public_site, BRIEFING_PATH)
    assert lookups == ["briefings.valdora.example"]
    assert public_site.requests[0][1]["Host"] == f"briefings.valdora.example:{port}"


def test_a_name_that_also_resolves_to_a_private_address_is_refused(settings, monkeypatch):
    settings.PODIUM_FETCH_ALLOW_PRIVATE = False

    def getaddrinfo(host, port, *args, **kwargs):
        return [  # refused before any connection: neither address is tried
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(FetchRefused) as refused:
        fetch_page("https://mfa.valdora.example/")
    assert str(refused.value) == f"That address is on a private network (10.0.0.7); {PUBLIC_ONLY}"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/to-private", f"That address is on a private network (10.0.0.1); {PUBLIC_ONLY}"),
        (
            "/to-metadata",
            "That address is a link-local address (where cloud metadata services answer) "
            f"(169.254.169.254); {PUBLIC_ONLY}",
        ),
    ],
)
def test_a_redirect_to_a_private_address_is_refused(public_site, path, message):
    with pytest.raises(FetchRefused) as refused:
        fetch_page(public_site.url(path))
    assert str(refused.value) == message
    assert [asked for asked, _ in public_site.requests] == [path]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("ftp://mfa.valdora.example/pub/briefing.txt", "“ftp:” addresses"),
        ("file:///etc/passwd", "“file:” addresses"),
        ("gopher://127.0.0.1:6379/_INFO", "“gopher:” addresses"),
        ("mfa.valdora.example/briefing", "addresses without one"),
    ],
)
def test_addresses_other_than_http_and_https_are_refused(url, shown):
    with pytest.raises(FetchRefused) as refused:
        fetch_page(url)
    assert str(refused.value) == (
        "Podium fetches only web pages, with addresses starting with http:// or https://; "
        f"{shown} are refused."
    )


def test_a_redirect_to_another_scheme_is_refused(site):
    with pytest.raises(FetchRefused) as refused:
        fetch_page(site.url("/to-ftp"))
    assert "“ftp:” addresses are refused." in str(refused.value)


def test_an_address_with_a_password_is_refused(site):
    with pytest.raises(FetchRefused) as refused:
        fetch_page(site.url(BRIEFING_PATH).replace("http://", "http://press:secret@"))
    assert str(refused.value) == "Give the address without a user name or password in it."
    assert site.requests == []


def test_more_than_five_redirects_are_refused(site):
    with pytest.raises(FetchRefused) as refused:
        fetch_page(site.url("/loop"))
    assert str(refused.value) == (
        "The page redirected more than 5 times; Podium stops there. Paste the address the "
        "page finally lives at."
    )
    assert len(site.requests) == 6


def test_a_page_over_the_size_limit_is_refused_while_it_is_read(site, settings):
    settings.PODIUM_FETCH_MAX_BYTES = 100_000  # /huge is 3.6 MB, sent without a length
    with pytest.raises(FetchRefused) as refused:
        fetch_page(site.url("/huge"))
    assert str(refused.value) == (
        "The page is larger than 97.7 KB, the most Podium fetches; save the text from your "
        "browser and paste it instead."
    )


def test_a_page_declaring_a_length_over_the_limit_is_refused_before_it_is_read(site, settings):
    settings.PODIUM_FETCH_MAX_BYTES = 1024 * 1024
    site.pages["/huge-declared"].repeat = 50_000  # 1.2 MB
    with pytest.raises(FetchRefused) as refused:
        fetch_page(site.url("/huge-declared"))
    assert str(refused.value).startswith("The page is larger than 1.0 MB, the most Podium")


def test_a_page_that_does_not_answer_in_time_is_refused(site, settings):
    settings.PODIUM_FETCH_TIMEOUT = 0.5  # /slow waits 2 seconds before it answers
    started = time.monotonic()
    with pytest.raises(FetchRefused) as refused:
        fetch_page(site.url("/slow"))
    assert str(refused.value) == "The page did not answer within 0.5 seconds."
    assert time.monotonic() - started < 1.5


def test_a_page_sent_a_byte_at_a_time_is_cut_at_the_deadline(site, settings):
    """The timeout bounds the whole fetch, not each read: /drip sends a byte every 0.2 s."""
    settings.PODIUM_FETCH_TIMEOUT = 0.5
    started = time.monotonic()
    with pytest.raises(FetchRefused) as refused:
        fetch_page(site.url("/drip"))
    assert str(refused.value) == "The page did not answer within 0.5 seconds."
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/logo.png", f"That address serves “image/png”, not a web page; {NOT_A_PAGE}"),
        (
            "/no-type",
            f"That address does not say what kind of document it serves; {NOT_A_PAGE}",
        ),
        (
            "/missing",
            "The page answered “404 Not Found”; Podium imports pages that answer “200 OK”.",
        ),
    ],
)
def test_what_is_not_a_page_is_refused(site, path, message):
    with pytest.raises(FetchRefused) as refused:
        fetch_page(site.url(path))
    assert str(refused.value) == message


def test_a_port_where_nothing_listens_is_refused(site):
    with pytest.raises(FetchRefused) as refused:
        fetch_page(f"http://127.0.0.1:{unused_port()}/")
    assert str(refused.value) == "Podium could not connect to 127.0.0.1."


def test_https_to_a_server_that_does_not_speak_it_is_refused(site):
    with pytest.raises(FetchRefused) as refused:
        fetch_page(site.url(BRIEFING_PATH).replace("http://", "https://"))
    assert str(refused.value) == "Podium could not connect to 127.0.0.1."


def test_a_host_that_cannot_be_found_is_refused(settings, monkeypatch):
    def getaddrinfo(host, port, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(FetchRefused) as refused:
        fetch_page("https://mfa.valdora.example/")
    assert str(refused.value) == (
        "The host “mfa.valdora.example” could not be found: check the address."
    )


def test_the_settings_have_safe_defaults():
    from config import settings as defaults

    assert defaults.PODIUM_FETCH_ALLOW_PRIVATE is False
    assert defaults.PODIUM_FETCH_TIMEOUT == 10.0
    assert defaults.PODIUM_FETCH_MAX_BYTES == 5 * 1024 * 1024
