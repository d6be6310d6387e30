"""Cross-site scripting: hostile text in every field people type, every page type in Chromium.

PAYLOADS are injection shapes (script tags in many spellings, event handlers, javascript:/data:/
vbscript: URLs, attribute, script and template breakouts, mutation-XSS shapes, markup aimed at the
search highlighter). Each one announces itself if it ever runs: alert(), console.log() or
document.title with its own marker "xss-NN". They go into speaker names, aliases and printed
labels, role titles, topic names and descriptions, conference titles and places, organisation and
outlet names, source titles, "via" and URLs, statement texts and the editorial record, through the
admin's import where it takes them and through the models for the rest. Chromium then opens every
page type, public and admin, and must see no dialog, no console message and no page error, no
element or attribute the templates do not write (an event handler, a script, a javascript: link),
and each payload as plain text wherever its field is shown: a field that dropped or mangled what
was typed would fail too. The file is long because it is one concern seen from every page.
"""

import base64
import datetime
import html
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.template.defaultfilters import linebreaksbr
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conferences.editorial import corrections
from conferences.models import (
    Conference,
    Correction,
    Organization,
    SourceDocument,
    Speaker,
    SpeakerAlias,
    Statement,
    StatementReport,
)
from conferences.models.archive import WEB_URL_MESSAGE
from conferences.models.search import HIGHLIGHT_START, HIGHLIGHT_STOP, headline_html
from conferences.public.citations import citations, json_ld_script_text, quote_metadata
from conferences.public.feeds import entry_title
from conferences.public.views.browse import speakers_with_counts, topics_with_counts
from conferences.text.diff import word_diff
from conferences.text.ids import content_hash
from conferences.text.names import normalize_name

from ..factories import (
    ConferenceFactory,
    OrganizationFactory,
    RoleFactory,
    SourceDocumentFactory,
    SpeakerFactory,
    StatementFactory,
    TopicFactory,
)

# "§" becomes the payload's marker, "xss-01" and so on; "B64" a base64 script with that marker.
SHAPES = [
    "<script>alert('§')</script>",
    "<SCRIPT>alert('§')</SCRIPT>",
    "<ScRiPt >console.log('§')</sCrIpT >",
    "<script/src=\"data:text/javascript,alert('§')\"></script>",
    "<script>document.title='§'</script>",
    "<script\t>alert('§')</script\t>",
    "\"><script>alert('§')</script>",
    "'><script>alert('§')</script>",
    "</script><script>alert('§')</script>",
    "</title><script>alert('§')</script>",
    "</textarea><script>alert('§')</script>",
    "</style></noscript><script>alert('§')</script>",
    "<img src=x onerror=alert('§')>",
    "<IMG SRC=x OnErRoR=\"alert('§')\">",
    "<img src=x onerror=alert&#40;'§'&#41;>",
    "<img src=x onerror=\"&#97;&#108;ert('§')\">",
    '<img src="x:alert(\'§\')" onerror="eval(src)">',
    "<svg onload=alert('§')>",
    "<svg/onload=console.log('§')>",
    "<svg><script>alert('§')</script></svg>",
    "<svg><animate onbegin=alert('§') attributeName=x dur=1s>",
    "<svg><a xlink:href=\"javascript:alert('§')\"><text>§</text></a></svg>",
    "<body onload=alert('§')>",
    "<details open ontoggle=alert('§')>",
    "<video><source onerror=alert('§')></video>",
    "<audio src=x onerror=console.log('§')>",
    "<iframe src=\"javascript:alert('§')\"></iframe>",
    "<iframe srcdoc=\"<script>parent.alert('§')</script>\"></iframe>",
    "<a href=\"javascript:alert('§')\">§</a>",
    "<a href=\"JaVaScRiPt:alert('§')\">§</a>",
    "<a href=\"&#14;javascript:alert('§')\">§</a>",
    "<a href=\"jav&#x09;ascript:alert('§')\">§</a>",
    "<a href=\"java&#115;cript:alert('§')\">§</a>",
    "<a href=\"javascript&colon;alert('§')\">§</a>",
    '<a href="data:text/html;base64,B64">§</a>',
    "<a href=\"vbscript:msgbox('§')\">§</a>",
    '<a href="https://norland.example/" onmouseover="alert(\'§\')">§</a>',
    "<object data=\"javascript:alert('§')\"></object>",
    "<embed src=\"javascript:alert('§')\">",
    "<form><button formaction=javascript:alert('§')>§</button></form>",
    "<input autofocus onfocus=alert('§')>",
    "<select autofocus onfocus=alert('§')></select>",
    "<textarea autofocus onfocus=alert('§')></textarea>",
    "<marquee onstart=alert('§')>§</marquee>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('§')>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('§')>\">",
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert('§')>\">",
    "<!--<img src=\"--><img src=x onerror=alert('§')//\">",
    "<div style=\"background:url(javascript:alert('§'))\">§</div>",
    "<div style=\"width:expression(alert('§'))\">§</div>",
    "<style>@import 'javascript:alert(\"§\")';</style>",
    "<link rel=stylesheet href=\"javascript:alert('§')\">",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'§\')">',
    "<base href=\"javascript:alert('§')//\">",
    "{{ alert('§') }}",
    "{% if 1 %}alert('§'){% endif %}",
    "${alert('§')}",
    "`><img src=x onerror=alert(`§`)>",
    "\"};alert('§');//",
    "'};alert('§');//",
    "\\u003cscript\\u003ealert('§')\\u003c/script\\u003e",
    "\\x3cimg src=x onerror=alert('§')\\x3e",
    "%3Cscript%3Ealert('§')%3C/script%3E",
    "[§](javascript:alert('§'))",
    "![§](x\" onerror=\"alert('§'))",
    "<mark>§</mark><img src=x onerror=alert('§')>",
    "</mark><img src=x onerror=alert('§')><mark>",
    "&lt;script&gt;alert('§')&lt;/script&gt;",
    "<![CDATA[<script>alert('§')</script>]]>",
    "]]><script>alert('§')</script>",
    '" onmouseover="alert(\'§\')" x="',
    "' onfocus='alert(&quot;§&quot;)' autofocus x='",
    "<img src=x onerror=alert('§')",
    "<<script>script>alert('§')<</script>/script>",
    "<scr<script>ipt>alert('§')</scr</script>ipt>",
    "\uff1cscript\uff1ealert('§')\uff1c/script\uff1e",
    "<img src=x onerror=\\u0061lert('§')>",
    "<x contenteditable autofocus onfocus=alert('§')>§</x>",
    "javascript:alert('§')",
    "JaVaScRiPt:alert('§')",
    " javascript:alert('§')",
    "java\tscript:alert('§')",
    "data:text/html,<script>alert('§')</script>",
    "vbscript:msgbox('§')",
]


def _payload(number: int, shape: str) -> str:
    marker = f"xss-{number:02d}"
    script = base64.b64encode(f"<script>alert('{marker}')</script>".encode()).decode()
    return shape.replace("§", marker).replace("B64", script)


PAYLOADS = [_payload(n, shape) for n, shape in enumerate(SHAPES, 1)]
SCHEME = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)

# Every element and attribute that only an injection could have written; a list of problems.
# Only payloads put these here: the templates write no event handler, inline script, frame or
# non-web link (a strict CSP holds on every page).
DOM_CHECK = r"""() => {
  const problems = [];
  const risky = /^(javascript|data|vbscript):/;
  const urlAttributes = ["href", "src", "action", "formaction", "data", "xlink:href", "poster"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || name === "srcdoc") problems.push(`${el.tagName} ${name}`);
      const value = attr.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
      if (urlAttributes.includes(name) && risky.test(value)) {
        problems.push(`${el.tagName} ${name}=${attr.value}`);
      }
      if (name === "style" && /expression\(|javascript:/i.test(attr.value)) {
        problems.push(`${el.tagName} style=${attr.value}`);
      }
    }
  }
  const foreign = "iframe, frame, object, embed, base, meta[http-equiv], marquee, math, " +
    "video, audio, source, noscript, body style, body link, x";
  for (const el of document.querySelectorAll(foreign)) problems.push(`<${el.tagName}>`);
  for (const el of document.querySelectorAll("script")) {
    const type = el.getAttribute("type");
    const data = type === "application/ld+json" || type === "application/json";
    if (!data && !(el.src && new URL(el.src).origin === location.origin)) {
      problems.push(`<script> ${el.outerHTML.slice(0, 80)}`);
    }
  }
  // Marks hold text only: the highlighter's, in search snippets, and the import review's marks
  // of text left out of every statement.
  for (const el of document.querySelectorAll("mark")) {
    const leftOut = el.classList.contains("left-out") && el.closest(".podium-import");
    if (el.children.length || !(el.closest(".snippet") || leftOut)) problems.push(el.outerHTML);
  }
  return problems;
}"""

# What a reader sees: the rendered text, and what form fields hold.
SHOWN = r"""() => [
  document.body.innerText,
  ...Array.from(document.querySelectorAll("input:not([type=hidden]), textarea"), e => e.value),
  ...Array.from(document.querySelectorAll("option"), e => e.textContent),
].join("\n")"""


def collapse(text: str) -> str:
    return " ".join(text.split())


class Browser:
    """A Chromium page that records every dialog, console message and page error."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.events: list[str] = []
        self.expected_error = None
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.events.append(f"page error: {error}"))

    def _console(self, message):
        # The two messages that are no payload's, both "Failed to load resource": a page that
        # answers with the error status it should (the 400 of bad filters, the 410 of a removed
        # statement), and /favicon.ico, which Chromium asks for when showing an Atom feed (XML
        # names no icon) and Podium does not serve (its pages name /static/favicon.svg).
        where = message.location.get("url")
        failed = message.text.startswith("Failed to load resource: the server responded with")
        if failed and where in (self.expected_error, f"{self.base_url}/favicon.ico"):
            return
        self.events.append(f"console: {message.text} at {where}")

    def _dialog(self, dialog):
        self.events.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def open(self, path: str, status: int = 200) -> str:
        """Load `path`, check it, and return what it shows (whitespace collapsed)."""
        self.expected_error = self.base_url + path if status >= 400 else None
        response = self.page.goto(self.base_url + path)
        assert response.status == status, path
        self.page.wait_for_load_state("load")
        self.check(path)
        return collapse(self.page.evaluate(SHOWN))

    def check(self, where: str):
        problems = self.page.evaluate(DOM_CHECK)
        assert problems == [], f"{where}: {problems}"
        assert self.events == [], f"{where}: {self.events}"
        assert not re.fullmatch(r"xss-\d+", self.page.title()), where  # document.title='xss-05'

    def shows(self, path: str, expected, status: int = 200) -> str:
        shown = self.open(path, status)
        missing = [text for text in expected if collapse(text) not in shown]
        assert missing == [], f"{path} does not show {missing}"
        return shown


@pytest.fixture
def hostile():
    with transaction.atomic():  # one commit instead of thousands: much faster on PostgreSQL
        return hostile_archive()


def hostile_archive() -> dict:
    """One of each per payload: organisation, speaker (with alias and role), topic, conference
    and source; one statement per payload in the first three conferences (so that three
    conference pages show them all); the editorial record on one statement."""
    orgs, speakers, topics, conferences, sources, statements = [], [], [], [], [], []
    for i, payload in enumerate(PAYLOADS):
        orgs.append(OrganizationFactory(name=payload, slug=f"org-{i}", kind="media"))
        speaker = SpeakerFactory(
            name=payload, slug=f"speaker-{i}", description=payload, organization=orgs[i]
        )
        speaker.aliases.create(name=payload, normalized=normalize_name(payload))
        RoleFactory(
            speaker=speaker,
            title=payload,
            organization=orgs[i - 1],
            started_on=datetime.date(2020, 1, 1),
        )
        speakers.append(speaker)
        topics.append(
            TopicFactory(
                name=payload,
                slug=f"topic-{i}",
                description=payload,
                parent=topics[0] if i else None,  # one topic with every other below it
            )
        )
        conferences.append(
            ConferenceFactory(
                title=payload,
                slug=f"conference-{i}",
                date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
                place=payload,
                host=orgs[i],
            )
        )
    for i, payload in enumerate(PAYLOADS):
        # A stored javascript: URL (from before the model refused them) is shown, not linked.
        url = (
            payload if SCHEME.match(payload.strip()) else f"https://norland.example/{i}?q={payload}"
        )
        sources.append(
            SourceDocumentFactory(
                conference=conferences[i % 3],
                kind="news_article",
                title=payload,
                outlet=orgs[i],
                via=payload,
                url=url,
                text=f"{payload}\n(source {i})",
                content_hash=content_hash(f"{payload}\n(source {i})"),
            )
        )
        statement = StatementFactory(
            conference=conferences[i % 3],
            speaker=speakers[i],
            sequence=i // 3 + 1,
            label=payload,
            text=payload,
            content_hash=content_hash(payload),
            source=sources[i],
            kind="answer",
        )
        statement.topics.set([topics[i]])
        statements.append(statement)
    cited = statements[9]  # in conference 0, whose title is the first payload
    previous = PAYLOADS[10]
    Correction.objects.create(
        statement=cited,
        kind="text",
        note=PAYLOADS[11],
        previous_text=previous,
        previous_hash=content_hash(previous),
    )
    Correction.objects.create(
        statement=cited,
        kind="attribution",
        note=PAYLOADS[12],
        previous_speaker_name=PAYLOADS[13],
        new_speaker_name=cited.speaker.name,
    )
    Correction.objects.create(
        statement=cited,
        kind="attribution",
        note=PAYLOADS[14],
        previous_speaker_name=cited.speaker.name,
        previous_label=PAYLOADS[15],
        new_speaker_name=cited.speaker.name,
    )
    for source, quoted in ((sources[16], PAYLOADS[17]), (sources[18], cited.text + " xss")):
        StatementReport.objects.create(
            statement=cited, source=source, quoted_text=quoted, label=PAYLOADS[19], similarity=0.5
        )
    return {
        "orgs": orgs,
        "speakers": speakers,
        "topics": topics,
        "conferences": conferences,
        "sources": sources,
        "statements": statements,
        "cited": cited,
    }


def role_title(statement) -> str:
    role = statement.speaker.role_on(statement.conference.date)
    return role.title if role else ""


def check_statements(browser, count: int, with_conference: bool):
    """Each statement shown in a list: its words whole (a search snippet included), its speaker,
    role and conference; `count` of them."""
    rows = browser.page.eval_on_selector_all(
        "article.statement",
        "els => els.map(e => [e.id, e.querySelector('.statement-text').innerText,"
        " e.querySelector('.statement-meta').innerText])",
    )
    assert len(rows) == count
    for element_id, text, meta in rows:
        statement = Statement.objects.select_related("speaker", "conference").get(
            public_id=element_id.removeprefix("s-")
        )
        assert collapse(text) == collapse(statement.text)
        for expected in [statement.speaker.name, role_title(statement)]:
            assert collapse(expected) in collapse(meta)
        if with_conference:
            assert collapse(statement.conference.title) in collapse(meta)
    return rows


def check_feed(browser, path: str, title: str, count: int):
    """The Atom feed as served: well-formed XML whose text is exactly the data (escaped once for
    XML, and the content once more as HTML), then opened in Chromium like any page."""
    response = browser.page.request.get(browser.base_url + path)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(response.body())  # noqa: S314 -- our own response, not untrusted
    assert feed.findtext(f"{atom}title") == title
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == count
    for entry in entries:
        public_id = entry.find(f"{atom}link").get("href").rstrip("/").rsplit("/", 1)[-1]
        statement = Statement.objects.select_related("speaker", "conference").get(
            public_id=public_id
        )
        assert entry.findtext(f"{atom}title") == entry_title(statement)
        assert entry.findtext(f"{atom}author/{atom}name") == statement.speaker.name
        content = entry.find(f"{atom}content")
        assert content.get("type") == "html"
        assert content.text == linebreaksbr(statement.text, autoescape=True)
    browser.open(path)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)  # shared with the live server's thread
def test_public_pages_show_every_payload_as_text_and_run_none(hostile, page, live_server):
    browser = Browser(page, live_server.url)
    statements, conferences = hostile["statements"], hostile["conferences"]
    speakers, topics, orgs = hostile["speakers"], hostile["topics"], hostile["orgs"]
    gone = statements[20]
    gone_id, gone_text, gone_title = gone.public_id, gone.text, gone.conference.title
    gone.delete()  # of a published conference: its id answers 410 with what was cited
    statements = [s for s in statements if s.pk != gone.pk]
    withdrawn = StatementFactory(
        conference=ConferenceFactory(title=PAYLOADS[21], date=datetime.date(2023, 5, 1))
    )
    withdrawn.conference.status = Conference.Status.WITHDRAWN
    withdrawn.conference.save()

    latest = Conference.objects.published().order_by("-date")[:10]
    home = [c.title for c in latest] + [c.place for c in latest]
    home += [t.name for t in topics_with_counts().filter(n__gt=0).order_by("-n", "name")[:12]]
    home += [s.name for s in speakers_with_counts()[:12]]
    browser.shows(reverse("conferences:home"), home)
    browser.shows(reverse("conferences:conferences"), PAYLOADS + [o.name for o in orgs])
    listed = [s.name for s in speakers if s.pk != gone.speaker_id]  # no statement left
    browser.shows(reverse("conferences:speakers"), listed)
    browser.shows(reverse("conferences:topics"), PAYLOADS)

    statement_list = reverse("conferences:statements")
    browser.open(statement_list)
    check_statements(browser, 25, with_conference=True)
    # The highlighter marks "xss" inside the payloads: each text whole, each mark a word. (All
    # of them on SQLite; PostgreSQL's parser reads what is inside <script>…</script> as blank.)
    matching = {
        f"s-{pk}" for pk in Statement.objects.search("xss").values_list("public_id", flat=True)
    }
    assert len(matching) >= 50
    seen = set()
    for number in range(1, (len(matching) + 24) // 25 + 1):
        browser.open(f"{statement_list}?q=xss&page={number}")
        rows = check_statements(browser, min(25, len(matching) - len(seen)), True)
        seen |= {row[0] for row in rows}
        marks = page.eval_on_selector_all("mark", "els => els.map(e => e.textContent)")
        assert {mark.lower() for mark in marks} == {"xss"}
    assert seen == matching
    # Facets name speakers and topics; "Also filtered by" names the conference and the host.
    first = conferences[0]
    in_first = list(Statement.objects.search("xss").filter(conference=first))
    faceted = f"{statement_list}?q=xss&conference={first.pk}&organization={orgs[0].slug}"
    browser.shows(faceted, [str(first), orgs[0].name])
    check_statements(browser, min(25, len(in_first)), with_conference=True)
    names = {
        "speaker": {s.speaker.name for s in in_first},
        "topic": {t.name for s in in_first for t in s.topics.all()} | {topics[0].name},
    }
    for facet, expected in names.items():
        labels = page.eval_on_selector_all(
            f"#facet-{facet} + ul a", "els => els.map(e => e.innerText)"
        )
        assert len(labels) == min(12, len(expected))
        assert {collapse(label) for label in labels} <= {collapse(name) for name in expected}
    # Payloads in the query string come back only as text (400: the filters are invalid).
    reflected = {
        "q": f"{PAYLOADS[0]} xss",
        "speaker": PAYLOADS[6],
        "topic": PAYLOADS[12],
        "page": PAYLOADS[7],
        "sort": PAYLOADS[70],
        "date_from": PAYLOADS[58],
        "conference": PAYLOADS[9],
    }
    browser.open(f"{statement_list}?{urlencode(reflected)}", status=400)
    assert page.input_value("#id_q") == f"{PAYLOADS[0]} xss"
    assert page.input_value("#site-q") == f"{PAYLOADS[0]} xss"

    for conference in conferences[:3]:
        browser.shows(
            conference.get_absolute_url(),
            [conference.title, conference.place, conference.host.name]
            + [s.title for s in conference.sources.all()]
            + [s.via for s in conference.sources.all()]
            + [s.url for s in conference.sources.all()]
            + [s.outlet.name for s in conference.sources.all()],
        )
        check_statements(browser, conference.statements.count(), with_conference=False)

    speaker = speakers[30]
    role = speaker.roles.get()
    topic = speaker.statements.get().topics.get()
    facts = [speaker.name, speaker.description, speaker.organization.name]
    browser.shows(
        speaker.get_absolute_url(), [*facts, role.title, role.organization.name, topic.name]
    )
    check_statements(browser, 1, with_conference=True)
    browser.shows(topics[0].get_absolute_url(), [topics[0].name, topics[0].description])
    browser.shows(topics[5].get_absolute_url(), [topics[5].name, topics[5].description])
    assert page.locator("text=Part of").inner_text() == f"Part of {topics[0].name}"
    check_statements(browser, 1, with_conference=True)

    check_permalink(browser, hostile["cited"], live_server.url)
    for statement in (statements[0], statements[7], statements[52]):
        check_permalink(browser, statement, live_server.url)

    gone_page = browser.shows(f"/s/{gone_id}/", [gone_text, gone_title], status=410)
    assert collapse(gone.speaker.name) in gone_page
    browser.shows(f"/s/{withdrawn.public_id}/", [PAYLOADS[21]], status=410)
    browser.open(reverse("api:docs"))
    # What a visitor types comes back as text: the search box of every page, a 404's address.
    browser.open(f"{reverse('conferences:home')}?{urlencode({'q': PAYLOADS[6]})}")
    assert page.input_value("#site-q") == PAYLOADS[6]
    missing = f"/s/{quote(PAYLOADS[9])}/"
    assert missing in browser.open(missing, status=404)  # shown as Django quotes it

    check_feed(browser, reverse("conferences:feed"), "Podium: latest statements", 50)
    check_feed(
        browser,
        reverse("conferences:speaker-feed", args=[speakers[3].slug]),
        f"Podium: statements by {speakers[3].name}",
        1,
    )
    check_feed(
        browser,
        reverse("conferences:topic-feed", args=[topics[0].slug]),
        f"Podium: statements on {topics[0].name}",
        50,
    )
    filtered = f"{reverse('conferences:statements-feed')}?q=xss&topic={topics[12].slug}"
    check_feed(browser, filtered, "Podium: statements matching a filter", 1)
    # A bad filter is refused as plain text, which no browser runs.
    response = page.request.get(f"{live_server.url}{filtered}&speaker={PAYLOADS[0]}")
    assert response.status == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"


def check_permalink(browser, statement, base_url):
    """A permalink: the quote, its facts, corrections, reports, citations and JSON-LD."""
    statement = Statement.objects.select_related(
        "speaker", "conference__host", "source__outlet"
    ).get(pk=statement.pk)
    conference, source = statement.conference, statement.source
    role = statement.speaker.role_on(conference.date)
    records = list(statement.corrections.all())
    version = f"?v={records[0].previous_hash[:10]}" if records else ""
    expected = [statement.text, statement.speaker.name, conference.title, conference.place]
    expected += [role.title] if role else []
    expected += [conference.host.name] if conference.host else []
    expected += [source.title, source.via, source.url, source.outlet.name]
    expected += [topic.name for topic in statement.topics.all()]
    for record in records:
        expected += [record.note, corrections.summary(record)]
    for report in statement.reports.select_related("source__outlet"):
        expected += [report.source.outlet.name, report.quoted_text]
    shown = browser.shows(statement.get_absolute_url() + version, expected)
    page = browser.page
    for neighbour in statement.conference.statements.filter(
        sequence__in=[statement.sequence - 1, statement.sequence + 1]
    ):
        assert collapse(neighbour.speaker.name) in shown
    if records:
        diffs = page.eval_on_selector_all("p.diff", "els => els.map(e => e.innerText)")
        diff = word_diff(records[0].previous_text, statement.text)
        words = " ".join(words for _, words in diff)
        # The notice for the ?v= version, and the text correction, show the same word diff.
        assert [collapse(d) for d in diffs] == [collapse(words)] * 2
        assert page.locator(".report-diff").count() == 2
    url = base_url + statement.get_absolute_url()
    metadata = quote_metadata(statement, role, url)
    ld = page.locator('script[type="application/ld+json"]').text_content()
    assert json.loads(ld) == metadata["json_ld"]
    assert page.title() == f"{metadata['title']} · Podium"
    assert (
        page.get_attribute('meta[property="og:description"]', "content")
        == (metadata["description"])
    )
    cited = page.eval_on_selector_all(".citation pre", "els => els.map(e => e.textContent)")
    today = timezone.now().date()
    assert cited == [c.text for c in citations(statement, role, url, today)]


def admin_browser(page, live_server) -> Browser:
    """A Browser logged in as a superuser (the session made by Django's test client)."""
    user = User.objects.create_superuser("reviewer", "reviewer@example.org", "not-a-real-pw-42")
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return Browser(page, live_server.url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)  # shared with the live server's thread
def test_admin_pages_show_every_payload_as_text_and_run_none(hostile, page, live_server):
    browser = admin_browser(page, live_server)
    speakers, statements = hostile["speakers"], hostile["statements"]
    speaker = speakers[40]
    old_name = speaker.name
    speaker.name = PAYLOADS[41]
    speaker.save()  # a second version: the history page lists the change, old and new

    def changelist(model):
        return reverse(f"admin:conferences_{model}_changelist")

    def change(obj):
        return reverse(f"admin:conferences_{obj._meta.model_name}_change", args=[obj.pk])

    everything = {
        "speaker": [s.name for s in Speaker.objects.all()]
        + [o.name for o in Organization.objects.filter(speakers__isnull=False)],
        "speakeralias": [a.name for a in SpeakerAlias.objects.all()],
        "role": PAYLOADS,
        "organization": PAYLOADS,
        "topic": PAYLOADS,
        "conference": PAYLOADS,
        "sourcedocument": [s.title for s in hostile["sources"]],
        "statement": [str(s) for s in Statement.objects.select_related("speaker")],
    }
    for model, expected in everything.items():
        browser.shows(changelist(model), expected)

    cited = hostile["cited"]
    browser.shows(change(cited), [cited.text, cited.label, str(cited.speaker), str(cited.source)])
    facts = [speaker.name, speaker.description, old_name, speaker.organization.name]
    browser.shows(change(speaker), [*facts, speaker.roles.get().title])
    conference = hostile["conferences"][1]
    rows = conference.statements.all()
    browser.shows(
        change(conference),
        [conference.title, conference.place, conference.host.name]
        + [s.text for s in rows]
        + [s.label for s in rows],
    )
    topic = hostile["topics"][7]
    browser.shows(change(topic), [topic.name, topic.description, hostile["topics"][0].name])
    source = hostile["sources"][44]
    facts = [source.title, source.via, source.url, source.outlet.name, source.text]
    browser.shows(change(source), [*facts, str(source.conference)])
    history = reverse("admin:conferences_speaker_history", args=[speaker.pk])
    browser.shows(history, [old_name, speaker.name])
    version = speaker.history.earliest("history_date")
    browser.shows(
        reverse("admin:conferences_speaker_simple_history", args=[speaker.pk, version.pk]),
        [old_name, speaker.description],
    )
    browser.shows(
        reverse("admin:conferences_conference_delete", args=[conference.pk]),
        [str(conference)] + [str(s) for s in rows],
    )
    browser.shows(reverse("admin:conferences_statement_split", args=[cited.pk]), [cited.text])
    browser.shows(
        reverse("admin:conferences_statement_merge", args=[statements[0].pk]),
        [statements[0].text, statements[3].text],
    )
    browser.open(f"{changelist('statement')}?{urlencode({'q': PAYLOADS[12]})}")
    assert page.input_value("#searchbar") == PAYLOADS[12]

    # The speaker autocomplete (select2) lists names from JSON: as text too.
    browser.open(change(cited))
    page.click(".field-speaker .select2-selection")
    page.fill(".select2-dropdown .select2-search__field", "xss-1")
    results = page.locator(".select2-results__option:not(.loading-results)")
    expected = [s.name for s in Speaker.objects.filter(name__contains="xss-1").order_by("name")]
    expect(results).to_have_count(len(expected))
    assert sorted(results.all_inner_texts()) == sorted(expected)
    browser.check("autocomplete")
    # Saving through the admin: its message, the log on the index page and a workflow move.
    browser.open(change(speaker))
    with page.expect_navigation():
        page.click("input[name=_save]")
    browser.check("save")
    assert page.locator(".messagelist").inner_text() == (
        f"The speaker “{speaker.name}” was changed successfully."
    )
    browser.shows(reverse("admin:index"), [speaker.name])
    browser.open(change(conference))
    page.fill("#workflow-note", PAYLOADS[3])
    with page.expect_navigation():
        page.get_by_role("button", name="Withdraw").click()
    browser.check("withdraw")
    assert page.locator(".messagelist").inner_text() == f"“{conference.title}” is now withdrawn."
    assert page.locator("#workflow-log tbody tr td").last.inner_text() == PAYLOADS[3]


LABEL_NOTES = [  # a printed label's note takes no parentheses: backticks call instead
    "<img src=x onerror=alert`xss-91`>",
    '"><svg onload=alert`xss-92`>',
    "</mark><script>document.title='xss-93'</script>",
]
TRANSCRIPT = f"""Briefing on the Norlandian ferries
Port Aster, March 9, 2024

MS. DARROW ({LABEL_NOTES[0]}): {PAYLOADS[0]} The ferry leaves at noon. {PAYLOADS[12]}

QUESTION ({LABEL_NOTES[1]}): {PAYLOADS[6]} Will it leave on time? {PAYLOADS[65]}

MS. DARROW ({LABEL_NOTES[2]}): It will. {PAYLOADS[47]} {PAYLOADS[54]} {PAYLOADS[66]} {PAYLOADS[8]}
"""
IMPORTED = [
    (f"MS. DARROW ({LABEL_NOTES[0]})", f"{PAYLOADS[0]} The ferry leaves at noon. {PAYLOADS[12]}"),
    (f"QUESTION ({LABEL_NOTES[1]})", f"{PAYLOADS[6]} Will it leave on time? {PAYLOADS[65]}"),
    (
        f"MS. DARROW ({LABEL_NOTES[2]})",
        f"It will. {PAYLOADS[47]} {PAYLOADS[54]} {PAYLOADS[66]} {PAYLOADS[8]}",
    ),
]
JAVASCRIPT_REFUSED = WEB_URL_MESSAGE % {"scheme": "javascript"}
SOURCE_URL = "https://norland.example/ferries?x=\"><svg/onload=alert('xss-94')>"  # no space


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)  # shared with the live server's thread
def test_admin_import_keeps_payloads_as_text_from_preview_to_public_page(page, live_server):
    browser = admin_browser(page, live_server)
    browser.open(reverse("admin:conferences_conference_import"))
    fields = {
        "#id_text": TRANSCRIPT,
        "#id_title": PAYLOADS[9],
        "#id_date": "2024-03-09",
        "#id_place": PAYLOADS[10],
        "#id_outlet": PAYLOADS[7],
        "#id_source_url": PAYLOADS[78],  # javascript:alert('xss-79')
    }
    for selector, value in fields.items():
        page.fill(selector, value)

    def submit(button):
        with page.expect_navigation():
            page.get_by_role("button", name=button, exact=True).click()
        browser.check(button)
        return collapse(page.evaluate(SHOWN))

    shown = submit("Preview")
    for expected in [*LABEL_NOTES, *PAYLOADS[9:11], PAYLOADS[7], *(t for _, t in IMPORTED)]:
        assert collapse(expected) in shown
    # The source URL is refused with its reason, and kept as typed for the editor to correct.
    assert page.locator(".field-source_url .errorlist").inner_text() == JAVASCRIPT_REFUSED
    assert page.input_value("#id_source_url") == PAYLOADS[78]
    page.fill("input[name=sp-0-name]", PAYLOADS[16])  # Ms. Darrow's name as the editor types it
    page.fill("input[name=sp-1-name]", PAYLOADS[2])
    shown = submit("Save as a draft")
    assert page.locator(".field-source_url .errorlist").inner_text() == JAVASCRIPT_REFUSED
    assert SourceDocument.objects.count() == 0  # nothing saved
    assert collapse(PAYLOADS[16]) in shown  # what the editor typed stays

    page.fill("#id_source_url", SOURCE_URL)
    shown = submit("Save as a draft")
    conference = Conference.objects.get()
    assert page.url == live_server.url + reverse(
        "admin:conferences_conference_change", args=[conference.pk]
    )
    statements = list(conference.statements.select_related("speaker").order_by("sequence"))
    assert [(s.label, s.text) for s in statements] == IMPORTED
    assert [s.speaker.name for s in statements] == [PAYLOADS[16], PAYLOADS[2], PAYLOADS[16]]
    source = SourceDocument.objects.select_related("outlet").get()
    assert (conference.title, conference.place) == (PAYLOADS[9], PAYLOADS[10])
    assert (source.url, source.outlet.name) == (SOURCE_URL, PAYLOADS[7])
    for expected in [PAYLOADS[9], PAYLOADS[10], *(x for row in IMPORTED for x in row)]:
        assert collapse(expected) in shown

    conference.status = Conference.Status.PUBLISHED
    conference.save()
    browser.shows(
        conference.get_absolute_url(),
        [PAYLOADS[9], PAYLOADS[10], PAYLOADS[7], SOURCE_URL, PAYLOADS[16], PAYLOADS[2]],
    )
    check_statements(browser, 3, with_conference=False)
    for statement in statements:
        check_permalink(browser, statement, live_server.url)


# Without a browser: the escaping the pages rely on, for every payload.


def test_json_ld_carries_every_payload_intact_and_inert():
    for payload in PAYLOADS:
        data = {"text": payload, "creator": {"name": payload}, "list": [payload]}
        script = json_ld_script_text(data)
        assert json.loads(script) == data
        # Nothing in it can end the script element or open a comment or tag.
        assert not {"<", ">", "&"} & set(script)


def test_headline_html_shows_every_payload_as_text_around_its_marks():
    for payload in PAYLOADS:
        marked = payload.replace("xss", f"{HIGHLIGHT_START}xss{HIGHLIGHT_STOP}")
        result = headline_html(f"{HIGHLIGHT_START}{payload}{HIGHLIGHT_STOP} and {marked}")
        assert result.count("<mark>") == result.count("</mark>") == 1 + payload.count("xss")
        plain = result.replace("<mark>", "").replace("</mark>", "")
        assert not {"<", ">", '"', "'"} & set(plain)
        assert html.unescape(plain) == f"{payload} and {payload}"
