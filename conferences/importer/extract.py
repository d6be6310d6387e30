"""The main text and the metadata of a fetched page, as an editor would have pasted them.

trafilatura finds the article or transcript in the page (leaving out menus, footers, cookie
banners and comments) and reads the title, date, site name and canonical address from its
<meta> and <link> tags. It is given the page as text, never an address, so it fetches nothing
itself: every request Podium makes goes through fetch.py and its checks.
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .fetch import FetchedPage, FetchRefused

NO_TEXT = (
    "Podium found no article or transcript text on that page. Open it in your browser, "
    "copy the text and paste it instead."
)
# Elements of trafilatura's tree that are a paragraph or hold some; an element holding one of
# these is read as a container of paragraphs (a list, a block quote, a table, a section).
BLOCKS = {"p", "head", "item", "row", "list", "quote", "table", "code", "div"}
SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class PageText:
    """What the form fills in: the text, one paragraph per line with a blank line between
    paragraphs, and the page's title, date, publisher (outlet) and address."""

    text: str
    title: str = ""
    date: datetime.date | None = None
    outlet: str = ""
    url: str = ""


def page_text(page: FetchedPage) -> PageText:
    """The main text of `page` and its metadata; FetchRefused when there is no text."""
    if page.media_type == "text/plain":
        text = "\n\n".join(paragraphs_of_plain_text(page.text))
        if not text:
            raise FetchRefused(NO_TEXT)
        return PageText(text=text, url=page.url)
    # Imported here: about 130 ms at start-up that no process needs until a link is read.
    import trafilatura

    document = trafilatura.bare_extraction(
        page.text,
        url=page.url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
    )
    body = getattr(document, "body", None)
    text = "\n\n".join(paragraphs(body)) if body is not None else ""
    if not text.strip():
        raise FetchRefused(NO_TEXT)
    return PageText(
        text=text,
        title=one_line(document.title),
        date=iso_date(document.date),
        outlet=one_line(document.sitename),
        url=address_of(page, document.url),
    )


def paragraphs(element):
    """The paragraphs of trafilatura's tree, in order: a heading, a paragraph, a list item or
    a table row each make one (a row's cells separated by tabs, as a browser copies them)."""
    for child in element:
        if any(grandchild.tag in BLOCKS for grandchild in child):
            loose = clean(child.text)
            if loose:
                yield loose
            yield from paragraphs(child)
        elif child.tag == "row":
            cells = [clean(inline(cell)) for cell in child]
            if any(cells):
                yield "\t".join(cells)
        else:
            text = clean(inline(child))
            if text:
                yield text
        tail = clean(child.tail)
        if tail:
            yield tail


def inline(element) -> str:
    """An element's text with its inline children; a line break (<lb/>) stays one."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def clean(text: str | None) -> str:
    lines = (SPACES.sub(" ", line).strip() for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


def paragraphs_of_plain_text(text: str) -> list[str]:
    """A plain-text page's paragraphs: blocks separated by blank lines, lines kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = (clean(block) for block in re.split(r"\n\s*\n", text))
    return [block for block in blocks if block]


def one_line(value: str | None) -> str:
    return SPACES.sub(" ", " ".join((value or "").split())).strip()


def iso_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def address_of(page: FetchedPage, canonical: str | None) -> str:
    """The page's canonical address when it names a page of the same site over http(s), else
    the address it was fetched from: a canonical link to another site is the page's claim,
    not where Podium read it."""
    if canonical:
        parts, fetched = urlsplit(canonical), urlsplit(page.url)
        same_site = site(parts.hostname) == site(fetched.hostname)
        if parts.scheme in ("http", "https") and same_site and len(canonical) <= 500:
            return canonical
    return page.url if len(page.url) <= 500 else ""


def site(host: str | None) -> str:
    host = (host or "").lower()
    return host.removeprefix("www.")
