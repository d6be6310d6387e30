"""Hostile input on every public URL and query parameter: never a 5xx.

Hypothesis sends random and huge strings, every category of unicode, NUL and control characters,
numbers out of range, repeated and unknown parameters and the search syntax of both engines (FTS5
on SQLite, websearch_to_tsquery on PostgreSQL) to the pages, exports, feeds, API, permalinks and
sitemaps of the small `archive` of conftest (published and draft content). Values are
percent-encoded here, so that lone surrogates and bytes that are not UTF-8 reach the server too
(the test client would refuse to encode a surrogate itself).

Each answer must be a 2xx, 3xx or 4xx; a 2xx has the content type of its URL and a body that
parses as that type (HTML, JSON, NDJSON, CSV, Atom or sitemap XML, PNG); an error has a content
type a reader or a client can show. Every 5xx found so far is fixed at its cause and pinned by a
plain test at the end of this file, which names the exact input.

Hypothesis settings: a fixed number of examples per test, derandomized (every run, CI's included,
tries the same examples), no example database (nothing is written into the repository) and no
deadline (the first request of a test fills caches). The whole file runs in well under a minute
per database.
"""

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from urllib.parse import quote, quote_from_bytes
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from conferences.filters import StatementFilter
from conferences.models import Statement, search
from conferences.public import exports

pytestmark = pytest.mark.django_db

# Hypothesis keeps caches (Unicode tables, constants of the code under test) even with no example
# database: in the system's temporary folder, not in the work tree.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "podium-hypothesis")


# PODIUM_HOSTILE_SCALE=10 tries ten times the examples, from a new random seed on each run: a
# hunt for new failures on a developer's machine. Unset, every run tries the same examples.
SCALE = int(os.environ.get("PODIUM_HOSTILE_SCALE", "1"))


def hostile(examples: int):
    return hypothesis_settings(
        max_examples=examples * SCALE,
        deadline=None,
        database=None,
        derandomize=SCALE == 1,
        # One archive per test serves every example: the requests only read it.
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


# ---------------------------------------------------------------------------------------------
# What hostile values look like


class Raw(bytes):
    """Bytes sent as they are (percent-encoded), whatever their encoding."""


def encode(value) -> str:
    if isinstance(value, bytes):
        return quote_from_bytes(value, safe="")
    # surrogatepass: a lone surrogate travels as the three bytes it would be (not UTF-8).
    return quote(value, safe="", encoding="utf-8", errors="surrogatepass")


EVERY_CATEGORY = st.characters(categories=["L", "M", "N", "P", "S", "Z", "C"])
CONTROL = st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp"])

SEARCH_SYNTAX = [
    '"',
    '""',
    "'",
    "*",
    "fishing*",
    "*:*",
    "NEAR(",
    "NEAR(fishing quotas, 2)",
    "NEAR",
    ":",
    "text:foo",
    "text:",
    "{text}:fishing",
    "rowid:1",
    "conferences_statement_fts:x",
    "OR",
    "OR OR",
    "or",
    "-or",
    "AND",
    "NOT",
    "-",
    "--",
    "-fishing",
    "^",
    "^fishing",
    "(",
    ")",
    "()",
    '"fishing',
    'quotas"',
    "+",
    "~",
    "<->",
    "&",
    "|",
    "!",
    "\\",
    "fishing",
    "quotas",
    "coast",
    "the",
    "\x00",
]

NUMBERS = [
    "0",
    "-1",
    "00",
    "1e9",
    "1E9",
    "-0",
    "+1",
    " 1 ",
    "0x10",
    "1_000",
    "\u0661\u0662",  # Arabic-Indic digits: int() reads them
    "1.0",
    "1,5",
    "NaN",
    "Infinity",
    "-Infinity",
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    str(-(2**63) - 1),
    str(10**30),
    "9" * 40,
]

# Single values that have broken web applications: NUL (PostgreSQL refuses it in any string),
# surrogates, byte order marks, direction overrides, zero-width and case-changing letters.
TRICKY = [
    "\x00",
    "a\x00",
    "\x00" * 3,
    "\ud800",
    "\udfff",
    "\ufeff",
    "\u202e",
    "\u200b",
    "\x7f",
    "\x1b[31m",
    "%",
    "%00",
    "..",
    " ",
    "\t",
    "\r\n",
    "\u0130",
    "\u00df",
    "\u01c5",
    "\U0001f600",
    "<script>",
    "'; DROP TABLE x;--",
    "&amp;",
    "\\",
    "/",
]

DATES = ["2024-02-30", "0000-00-00", "0001-01-01", "9999-12-31", "2024-1-1", "20240101", "-1-1-1"]

# Values the archive knows, so that hostile parameters also meet real rows.
KNOWN = [
    "NO",
    "no",
    "DE",
    "XX",
    "maritime",
    "fisheries",
    "secret",  # the draft's topic
    "trade",
    "ministry-of-norlandia",
    "hidden-ministry",  # the draft's host
    "alva-quintero",
    "ines-ghost",  # the draft's speaker
    "answer",
    "question",
    "remark",
    "verbatim",
    "reported_quote",
    "newest",
    "oldest",
    "relevance",
    "2023",
    "2024",
    "2023-04-02",
    "json",
    "api",
]

short_text = st.text(EVERY_CATEGORY, max_size=30)
huge_text = st.builds(
    lambda piece, times: (piece or "x") * times,
    st.text(EVERY_CATEGORY, max_size=6),
    st.integers(min_value=500, max_value=6000),
)
numbers = st.one_of(
    st.sampled_from(NUMBERS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
)
# A tricky character inside a word, where the tokenizers do not simply drop it.
glued = st.builds(
    lambda before, tricky, after: before + tricky + after,
    st.sampled_from(SEARCH_SYNTAX),
    st.sampled_from(TRICKY),
    st.sampled_from(SEARCH_SYNTAX),
)
search_syntax = st.lists(
    st.one_of(st.sampled_from(SEARCH_SYNTAX), st.sampled_from(TRICKY), glued, short_text),
    min_size=1,
    max_size=8,
).flatmap(lambda words: st.sampled_from([" ", "", "  "]).map(lambda sep: sep.join(words)))
values = st.one_of(
    st.sampled_from(KNOWN),
    st.sampled_from(TRICKY),
    short_text,
    numbers,
    search_syntax,
    st.sampled_from(DATES),
    st.text(CONTROL, min_size=1, max_size=8),
    st.binary(max_size=24).map(Raw),
    huge_text,
)

STATEMENT_PARAMETERS = [*StatementFilter.base_filters, "page"]
PARAMETERS = [*STATEMENT_PARAMETERS, "page_size", "p", "v", "format"]
names = st.one_of(st.sampled_from(PARAMETERS), short_text)
# Pieces of a query string that no encoder would write.
BROKEN_QUERY = ["%", "%zz", "%e9", "%ed%a0%80", "%C0%80", "=", "&&", ";", "q", "q=", "=x", "+"]


@st.composite
def query_strings(draw, parameters=PARAMETERS) -> str:
    pairs = draw(
        st.lists(st.tuples(st.one_of(st.sampled_from(parameters), names), values), max_size=5)
    )
    parts = [f"{encode(name)}={encode(value)}" for name, value in pairs]
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        parts.append(draw(st.sampled_from(BROKEN_QUERY)))
    return "&".join(parts)


# ---------------------------------------------------------------------------------------------
# What every answer must be

HTML = "text/html; charset=utf-8"
JSON = "application/json"
ATOM = "application/atom+xml; charset=utf-8"
XML = "application/xml"
TEXT = "text/plain; charset=utf-8"
OK_TYPES = {
    "html": HTML,
    "json": JSON,
    "ndjson": exports.FORMATS["ndjson"],
    "csv": exports.FORMATS["csv"],
    "atom": ATOM,
    "xml": XML,
    "text": TEXT,
    "png": "image/png",
}
# What an error answer may be: a page, a sentence, or the API's JSON.
ERROR_TYPES = {"text/html", "text/plain", "application/json"}
# 406: the API speaks JSON only; 412: an If-Match that does not hold.
STATUSES = {200, 301, 302, 304, 400, 404, 405, 406, 410, 412}
# What only the archive's draft holds: no answer to anyone may show it.
DRAFT_ONLY = [b"Unpublished fishing quotas draft", b"Ines Ghost", b"Draft briefing"]


def body_of(response) -> bytes:
    # Streamed answers fail while they stream: read them to the end.
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def check(response, kind: str) -> None:
    """The property: no 5xx, and an answer of a sensible shape."""
    body = body_of(response)
    status = response.status_code
    assert status < 500, body[:500]
    assert status in STATUSES, status
    assert not [secret for secret in DRAFT_ONLY if secret in body]
    content_type = response.get("Content-Type", "")
    if 300 <= status < 400:
        if status != 304:
            assert response["Location"].startswith(("/", "http://testserver/"))
        return
    if status != 200:
        assert content_type.split(";")[0] in ERROR_TYPES, content_type
        if content_type.startswith("application/json"):
            json.loads(body)
        return
    assert content_type == OK_TYPES[kind], (kind, content_type)
    parse_body(kind, body)


def parse_body(kind: str, body: bytes) -> None:
    if kind == "html":
        assert body.rstrip().endswith(b"</html>")
    elif kind == "json":
        json.loads(body)
    elif kind == "ndjson":
        for line in body.decode("utf-8").splitlines():
            assert set(json.loads(line)) == set(exports.COLUMNS)
    elif kind == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert tuple(rows[0]) == exports.COLUMNS
    elif kind in ("atom", "xml"):
        ElementTree.fromstring(body)  # noqa: S314 (Podium's own answer, parsed in a test)
    elif kind == "text":
        body.decode("utf-8")
    elif kind == "png":
        assert body.startswith(b"\x89PNG\r\n\x1a\n")


@pytest.fixture
def hostile_client(client, archive, settings):
    """The test client over the archive, with the API's throttle off (429 would hide answers)."""
    settings.PODIUM_API_ANON_RATE = ""
    return client


# ---------------------------------------------------------------------------------------------
# Query strings on every list

LISTS = {
    "pages": [
        ("/", "html"),
        ("/conferences/", "html"),
        ("/speakers/", "html"),
        ("/topics/", "html"),
        ("/speakers/alva-quintero/", "html"),
        ("/topics/maritime/", "html"),
        ("/conferences/2023/04/02/spring/", "html"),
        ("/robots.txt", "text"),
    ],
    "exports": [
        ("/statements/export.csv", "csv"),
        ("/statements/export.json", "json"),
        ("/statements/export.ndjson", "ndjson"),
    ],
    "feeds": [
        ("/statements/feed/", "atom"),
        ("/feeds/statements/", "atom"),
        ("/speakers/alva-quintero/feed/", "atom"),
        ("/topics/maritime/feed/", "atom"),
        ("/countries/NO/feed/", "atom"),
    ],
    "api": [
        ("/api/v1/", "json"),
        ("/api/v1/statements/", "json"),
        ("/api/v1/conferences/", "json"),
        ("/api/v1/speakers/", "json"),
        ("/api/v1/topics/", "json"),
        ("/api/v1/organisations/", "json"),
        ("/api/v1/docs/", "html"),
    ],
    "sitemaps": [
        ("/sitemap.xml", "xml"),
        ("/sitemap-conferences.xml", "xml"),
        ("/sitemap-statements.xml", "xml"),
        ("/sitemap-speakers.xml", "xml"),
        ("/sitemap-topics.xml", "xml"),
    ],
}


@hostile(examples=120)
@given(query=query_strings(STATEMENT_PARAMETERS))
def test_the_statement_list_survives_any_query_string(hostile_client, query):
    check(hostile_client.get(f"/statements/?{query}"), "html")


@pytest.mark.parametrize("family", sorted(LISTS))
@hostile(examples=60)
@given(data=st.data(), query=query_strings())
def test_every_list_survives_any_query_string(hostile_client, family, data, query):
    path, kind = data.draw(st.sampled_from(LISTS[family]), label="url")
    method = data.draw(st.sampled_from(["get", "get", "get", "head", "post"]), label="method")
    response = getattr(hostile_client, method)(f"{path}?{query}")
    if method == "get":
        check(response, kind)
    else:
        assert response.status_code < 500, body_of(response)[:500]


def latin1(data: bytes) -> str:
    """Bytes as WSGI hands them to Django (each byte one character), on one line."""
    return data.decode("latin-1").replace("\r", "").replace("\n", "")


# A query string as a client that encodes nothing would send it: any byte, as WSGI passes it on.
raw_query_strings = st.lists(
    st.tuples(st.sampled_from(PARAMETERS), st.binary(max_size=40)), min_size=1, max_size=4
).map(lambda pairs: "&".join(f"{name}={latin1(value)}" for name, value in pairs))


@pytest.mark.parametrize("family", sorted(LISTS))
@hostile(examples=25)
@given(data=st.data(), query=raw_query_strings)
def test_every_list_survives_a_raw_query_string(hostile_client, family, data, query):
    path, kind = data.draw(st.sampled_from(LISTS[family]), label="url")
    check(hostile_client.get(path, QUERY_STRING=query), kind)


HEADER_VALUES = [
    "*/*",
    "text/html",
    "application/json",
    "application/xml",
    "image/*;q=0",
    "application/json; version=2",
    "text/html;q=nan",
    ";;;,,,",
    '"abc"',
    'W/"x", "y"',
    "*",
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "Sun, 06 Nov 99999 08:49:37 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "-1",
    "bytes=0-0,-1",
    "sessionid=x; csrftoken=" + "y" * 100,
    "en-US,en;q=0.5,*;q=-1",
    "gzip;q=1e9",
]
HEADERS = [
    "Accept",
    "Accept-Language",
    "Accept-Encoding",
    "If-None-Match",
    "If-Match",
    "If-Modified-Since",
    "If-Unmodified-Since",
    "Range",
    "Cookie",
    "Referer",
    "User-Agent",
]
EVERY_URL = [url for urls in LISTS.values() for url in urls] + [("/statements/", "html")]


@hostile(examples=80)
@given(
    data=st.data(),
    headers=st.dictionaries(
        st.sampled_from(HEADERS),
        st.one_of(st.sampled_from(HEADER_VALUES), st.binary(max_size=60).map(latin1)),
        max_size=4,
    ),
)
def test_every_list_survives_any_request_header(hostile_client, archive, data, headers):
    permalink = archive["statements"]["fishing"].get_absolute_url()
    urls = [*EVERY_URL, (permalink, "html"), (f"{permalink}card.png", "png")]
    path, kind = data.draw(st.sampled_from(urls), label="url")
    check(hostile_client.get(path, headers=headers), kind)


# ---------------------------------------------------------------------------------------------
# Hostile path segments: ids, slugs, codes, dates

SEGMENT_URLS = [
    ("/s/{}/", "html"),
    ("/s/{}/card.png", "png"),
    ("/s/{}/a-cosmetic-suffix", "html"),
    ("/s/{}/{}", "html"),
    ("/speakers/{}/", "html"),
    ("/speakers/{}/feed/", "atom"),
    ("/topics/{}/", "html"),
    ("/topics/{}/feed/", "atom"),
    ("/countries/{}/feed/", "atom"),
    ("/conferences/2023/{}/02/spring/", "html"),
    ("/conferences/2023/04/{}/spring/", "html"),
    ("/conferences/{}/04/02/spring/", "html"),
    ("/conferences/2023/04/02/{}/", "html"),
    ("/sitemap-{}.xml", "xml"),
    ("/api/v1/statements/{}/", "json"),
    ("/api/v1/conferences/{}/", "json"),
    ("/api/v1/speakers/{}/", "json"),
    ("/api/v1/topics/{}/", "json"),
    ("/api/v1/organisations/{}/", "json"),
]

segments = st.one_of(
    st.sampled_from([*KNOWN, "statements", "conferences", "card.png", "."]),
    st.sampled_from(TRICKY),
    st.text(EVERY_CATEGORY, min_size=1, max_size=30),
    numbers,
    st.text(CONTROL, min_size=1, max_size=8),
    st.binary(min_size=1, max_size=24).map(Raw),
    st.builds(
        lambda piece, times: (piece or "x") * times, st.text(max_size=4), st.integers(1, 2000)
    ),
)


@hostile(examples=200)
@given(data=st.data(), query=query_strings())
def test_every_url_with_a_part_survives_any_value(hostile_client, archive, data, query):
    template, kind = data.draw(st.sampled_from(SEGMENT_URLS), label="url")
    known_id = archive["statements"]["fishing"].public_id
    parts = [
        encode(data.draw(st.one_of(st.just(known_id), segments), label="part"))
        for _ in range(template.count("{}"))
    ]
    check(hostile_client.get(f"{template.format(*parts)}?{query}"), kind)


@hostile(examples=80)
@given(
    year=st.one_of(st.integers(min_value=0, max_value=10**30).map(str), numbers),
    month=st.one_of(numbers, short_text.filter(bool)),
    day=st.one_of(numbers, short_text.filter(bool)),
    slug=st.sampled_from(["spring", "winter", "draft", "x", "-", "_"]),
)
def test_conference_urls_survive_any_date(hostile_client, year, month, day, slug):
    path = f"/conferences/{encode(year)}/{encode(month)}/{encode(day)}/{slug}/"
    check(hostile_client.get(path), "html")


@hostile(examples=60)
@given(version=values, suffix=st.sampled_from(["", "card.png", "x", "x/y/z"]))
def test_a_permalink_survives_any_version(hostile_client, archive, version, suffix):
    public_id = archive["statements"]["fishing"].public_id
    kind = "png" if suffix == "card.png" else "html"
    check(hostile_client.get(f"/s/{public_id}/{suffix}?v={encode(version)}"), kind)


# ---------------------------------------------------------------------------------------------
# The search itself, below HTTP: any Python string, surrogates included (a command-line argument
# that is not UTF-8 arrives as lone surrogates).


@hostile(examples=150)
@given(
    query=st.one_of(
        search_syntax, st.text(EVERY_CATEGORY, max_size=60), huge_text, st.text(CONTROL)
    )
)
def test_search_never_raises_on_any_text(archive, query):
    found = Statement.objects.published().search(query)
    rows = list(found.values_list("text", "search_rank", "search_headline"))
    drafts = {"Unpublished fishing quotas draft 1.", "Unpublished fishing quotas draft 2."}
    assert not drafts & {text for text, _, _ in rows}
    for _, _, headline in rows:
        search.headline_html(headline)


# ---------------------------------------------------------------------------------------------
# Regression tests: each input that once answered 500 (or raised), and what it answers now.


@pytest.mark.parametrize(
    "path",
    [
        # datetime.date() raised OverflowError (not ValueError) past C's int or long.
        "/conferences/2023/0/2147483648/spring/",
        "/conferences/99999999999999999999/04/02/spring/",
        "/conferences/2023/99999999999999999999/02/spring/",
        # PostgreSQL refused the NUL in the id ("A string literal cannot contain NUL").
        "/s/%00/",
        "/s/%00/card.png",
        "/s/%00/a-cosmetic-suffix",
        "/s/abc%00def/",
    ],
)
def test_inputs_that_once_answered_500_are_not_found(hostile_client, path):
    response = hostile_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == HTML


def test_a_lone_surrogate_in_a_search_separates_words(archive):
    # SQLite and psycopg2 raised UnicodeEncodeError: a surrogate has no UTF-8.
    found = Statement.objects.published().search("fishing\ud800")
    assert sorted(found.values_list("text", flat=True)) == [
        "Sanctions harm the fishing villages.",
        "The fishing quotas protect the coast.",
    ]


def test_an_export_from_the_shell_takes_a_search_that_is_not_utf8(archive, capsys):
    # A command-line argument that is not UTF-8 reaches Python as lone surrogates.
    call_command("export_statements", "--format", "ndjson", "--quiet", "--q", "quotas\udcff")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(row["text"] for row in rows) == [
        "The fishing quotas protect the coast.",
        "Will the quotas change next year?",
    ]
