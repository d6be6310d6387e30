"""A web site on 127.0.0.1 for the tests of the import's "paste a link": fictional pages in the
shapes ministries and news sites use (menus, breadcrumbs, share buttons, a cookie banner, a
"most read" box around the text), and pages that misbehave (slow, huge, an image, a redirect to
a private address). Every speaker, ministry, outlet and country here is made up.

`serving()` runs the site in a thread for one test; it records each request it answers, so a
test can tell how often a page was fetched. "{base}" in a page is replaced by the site's own
address (http://127.0.0.1:<port>) as it is served.
"""

import contextlib
import http.server
import threading
import time
from dataclasses import dataclass, field

BRIEFING_PATH = "/en/press/briefings/2026-03-04-river-accord"

BRIEFING = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Briefing by the spokesperson, 4 March 2026 | Ministry of Foreign Affairs of Valdora</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="Weekly briefing by spokesperson Ilse Marwick.">
<meta property="og:site_name" content="Ministry of Foreign Affairs of Valdora">
<meta property="og:title" content="Briefing by spokesperson Ilse Marwick on the river accord">
<meta property="og:type" content="article">
<meta name="date" content="2026-03-04">
<meta property="article:published_time" content="2026-03-04T11:30:00+01:00">
<link rel="canonical" href="{base}/en/press/briefings/2026-03-04-river-accord">
<link rel="stylesheet" href="/static/ministry.css">
<script src="/static/analytics.js"></script>
</head>
<body>
<div class="cookie-banner">This site uses cookies to measure visits. <button>Accept</button></div>
<header class="site-header">
  <a class="logo" href="/en/">Ministry of Foreign Affairs of Valdora</a>
  <nav><ul><li><a href="/en/minister/">The Minister</a></li><li><a href="/en/press/">Press</a></li>
  <li><a href="/en/travel/">Travel advice</a></li><li><a href="/en/contact/">Contact</a></li></ul></nav>
</header>
<nav class="breadcrumb"><a href="/en/">Home</a> › <a href="/en/press/">Press</a> › Briefings</nav>
<main>
<article class="briefing">
<h1>Briefing by Ilse Marwick, spokesperson of the Ministry of Foreign Affairs of Valdora</h1>
<p class="dateline">Valdora City, 4 March 2026</p>
<p>MS. MARWICK: Good morning. The minister will travel to Port Aster on Thursday to sign the river accord with the government of Eastmark.</p>
<p>QUESTION: Will the accord cover the northern bridges?</p>
<p>MS. MARWICK: It covers all four bridges, and a joint commission will meet twice a year to look after them.</p>
<p>QUESTION: When will the text of the accord be published?</p>
<p>MS. MARWICK: The text will be published on the day of the signing, in both languages.</p>
</article>
<div class="share">Share: <a href="#">Mail</a> <a href="#">Print</a></div>
</main>
<aside class="related"><h2>Related</h2><ul><li><a href="/en/press/1">Briefing of 25 February</a></li>
<li><a href="/en/press/2">The minister's visit to Norlandia</a></li></ul></aside>
<footer><p>© 2026 Ministry of Foreign Affairs of Valdora</p>
<ul><li><a href="/en/privacy">Privacy</a></li><li><a href="/en/accessibility">Accessibility</a></li></ul></footer>
</body>
</html>
"""  # noqa: E501 (a page as ministries write them, long lines and all)

# The statements the parser finds in the briefing's text.
BRIEFING_STATEMENTS = [
    "Good morning. The minister will travel to Port Aster on Thursday to sign the river accord "
    "with the government of Eastmark.",
    "Will the accord cover the northern bridges?",
    "It covers all four bridges, and a joint commission will meet twice a year to look after them.",
    "When will the text of the accord be published?",
    "The text will be published on the day of the signing, in both languages.",
]

BRIEFING_TEXT = "\n\n".join(
    [
        "Briefing by Ilse Marwick, spokesperson of the Ministry of Foreign Affairs of Valdora",
        "Valdora City, 4 March 2026",
        f"MS. MARWICK: {BRIEFING_STATEMENTS[0]}",
        f"QUESTION: {BRIEFING_STATEMENTS[1]}",
        f"MS. MARWICK: {BRIEFING_STATEMENTS[2]}",
        f"QUESTION: {BRIEFING_STATEMENTS[3]}",
        f"MS. MARWICK: {BRIEFING_STATEMENTS[4]}",
    ]
)

ARTICLE_PATH = "/world/2026/03/05/valdora-and-eastmark-to-sign-river-accord"

ARTICLE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Valdora and Eastmark to sign river accord - The Eastmark Courier</title>
<meta property="og:site_name" content="The Eastmark Courier">
<meta property="og:title" content="Valdora and Eastmark to sign river accord">
<meta property="article:published_time" content="2026-03-05T07:15:00Z">
<meta name="author" content="Petra Holm">
<link rel="canonical" href="https://courier.eastmark.example/world/2026/03/05/river-accord">
</head>
<body>
<header><a href="/">The Eastmark Courier</a><nav><a href="/world/">World</a> <a href="/business/">Business</a> <a href="/sport/">Sport</a></nav></header>
<main>
<article>
<h1>Valdora and Eastmark to sign river accord</h1>
<p class="byline">By Petra Holm · <time datetime="2026-03-05T07:15:00Z">5 March 2026</time></p>
<p>Valdora will sign an accord on the shared river with Eastmark on Thursday, its foreign ministry said.</p>
<p>“The accord covers all four bridges,” Ilse Marwick, spokesperson of the Ministry of Foreign Affairs of Valdora, told reporters in Valdora City.</p>
<p>A joint commission will oversee the bridges, she said, adding that “the text will be published on the day of the signing.”</p>
</article>
</main>
<aside class="most-read"><h2>Most read</h2><ol><li><a href="/a">Storm closes the northern ports</a></li><li><a href="/b">Cup final tickets sold out</a></li></ol></aside>
<section class="comments"><h2>Comments</h2><p>Log in to comment.</p></section>
<footer>© The Eastmark Courier</footer>
</body>
</html>
"""  # noqa: E501

# Windows-1252 bytes, declared only in a <meta>: “curly quotes” and an é.
STATEMENT_1252 = (
    """<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Statement on the river accord</title>
<meta property="og:site_name" content="Ministry of Foreign Affairs of Valdora"></head>
<body><div id="content"><h1>Statement on the river accord</h1>
<p>MS. MARWICK: The ministry welcomes the “river accord” and the work of the commission’s experts in Port Aster, led by René Vasquez of Eastmark.</p>
<p>QUESTION: Will the commission publish its reports?</p>
<p>MS. MARWICK: Every report of the commission will be published in both languages.</p>
</div></body></html>"""  # noqa: E501
).encode("cp1252")

PLAIN = (
    b"Statement by Ilse Marwick, spokesperson of the Ministry of Foreign Affairs of Valdora\n"
    b"\n"
    b"MS. MARWICK: The accord was signed today in Port Aster.\n"
    b"\n"
    b"QUESTION: When does it take effect?\n"
    b"\n"
    b"MS. MARWICK: On the first day of next month.\n"
)

GALLERY = b"""<!doctype html><html><head><title>Photo gallery</title></head>
<body><div class="gallery"><img src="/photos/1.jpg" alt=""><img src="/photos/2.jpg" alt=""></div>
<script>startSlideshow();</script></body></html>"""

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

HTML = "text/html; charset=utf-8"


@dataclass
class Page:
    body: bytes = b""
    content_type: str | None = HTML
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before the answer
    drip: float = 0.0  # seconds between bytes of the body
    repeat: int = 1  # the body, this many times (a huge page without building it first)
    length: bool = True  # send Content-Length


def default_pages() -> dict[str, Page]:
    return {
        BRIEFING_PATH: Page(BRIEFING.encode("utf-8")),
        ARTICLE_PATH: Page(ARTICLE.encode("utf-8")),
        "/statements/river-accord-1252": Page(STATEMENT_1252, content_type="text/html"),
        "/statement.txt": Page(PLAIN, content_type="text/plain"),
        "/gallery": Page(GALLERY),
        "/logo.png": Page(PNG, content_type="image/png"),
        "/no-type": Page(b"<html><body><p>Untyped.</p></body></html>", content_type=None),
        "/missing": Page(b"<html><body><h1>Not found</h1></body></html>", status=404),
        "/slow": Page(BRIEFING.encode("utf-8"), delay=2.0),
        "/drip": Page(BRIEFING.encode("utf-8"), drip=0.2),
        "/huge": Page(b"<p>" + b"The river accord. " * 1000 + b"</p>\n", repeat=200, length=False),
        "/huge-declared": Page(b"<p>The river accord.</p>\n", repeat=10_000),
        "/moved": Page(status=301, headers={"Location": BRIEFING_PATH}),
        "/to-private": Page(status=302, headers={"Location": "http://10.0.0.1/admin/"}),
        "/to-metadata": Page(
            status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
        ),
        "/to-ftp": Page(status=302, headers={"Location": "ftp://{host}/pub/briefing.txt"}),
        "/loop": Page(status=302, headers={"Location": "/loop"}),
    }


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "ValdoraWeb/1.0"

    def do_GET(self):
        site = self.server.site
        site.requests.append((self.path, dict(self.headers)))
        page = site.pages.get(self.path.split("?")[0])
        if page is None:
            page = Page(b"<html><body><h1>Not found</h1></body></html>", status=404)
        time.sleep(page.delay)
        base, host = site.base, site.base.removeprefix("http://")
        body = page.body.replace(b"{base}", base.encode()) * page.repeat
        self.send_response(page.status)
        if page.content_type:
            self.send_header("Content-Type", page.content_type)
        for name, value in page.headers.items():
            self.send_header(name, value.replace("{host}", host))
        if page.length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            if page.drip:
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(page.drip)
            else:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should with a page it refuses

    def log_message(self, format, *args):
        pass  # quiet test output


@dataclass
class Site:
    base: str
    pages: dict[str, Page]
    requests: list = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def fetched(self, path: str) -> int:
        """How many times `path` was asked for."""
        return sum(1 for asked, _ in self.requests if asked.split("?")[0] == path)


@contextlib.contextmanager
def serving():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.site = Site(f"http://127.0.0.1:{server.server_address[1]}", default_pages())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.site
    finally:
        server.shutdown()
        server.server_close()
