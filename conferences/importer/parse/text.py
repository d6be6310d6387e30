"""Text cleaning that never moves an offset.

The pasted text is turned into a *view* of exactly the same length: HTML tags, YAML front
matter, markdown markers and shortcodes are replaced by PAD characters (or a newline where a tag
breaks a paragraph), and an HTML entity becomes its decoded character followed by PADs. Every
position in the view is therefore a position in the original text, and the words of a turn are
read from the view with the PADs removed.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass

# Chinese, Japanese (kana) and Korean (Hangul) letters: scripts with no capitals and no spaces
CJK_LETTERS = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"

PAD = "\x00"

_BLOCK_TAGS = (
    "p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|tbody|thead|blockquote|section|article|header|"
    "footer|nav|figure|figcaption|hr|title|head|body|html|main|aside|dl|dt|dd|pre|form"
)
_INLINE_TAGS = (
    "span|a|em|strong|b|i|u|img|meta|link|sup|sub|small|font|center|time|button|input|label|"
    "select|option|svg|path|picture|source|video|audio|cite|q|abbr|code|iframe|noscript|mark|"
    "ins|del|s|strike|wbr|g"
)
_TAG_RE = re.compile(
    rf"</?(?:(?P<block>{_BLOCK_TAGS})|{_INLINE_TAGS})\b[^<>]{{0,2000}}>|<!--.{{0,5000}}?-->",
    re.IGNORECASE | re.DOTALL,
)
_SCRIPT_RE = re.compile(
    r"<(script|style)\b[^<>]{0,500}>.{0,50000}?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SHORTCODE_RE = re.compile(
    r"\[/?(?:[a-z]+_[a-z0-9_]*|ad_?\d*|caption|embed|gallery|video|audio|tweet)\b[^\[\]\n]{0,300}\]"
)
_MD_QUOTE_RE = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
_MD_HEADING_RE = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
_MD_EMPH_RE = re.compile(r"\*\*|__")
_MD_ESCAPE_RE = re.compile(r"\\(?=[_*\[\]()#>`.!\-])")
_MD_LINK_RE = re.compile(r"\[([^\[\]\n]{1,300})\]\((?:https?://|/)[^()\s]{0,500}\)")
_FRONT_RE = re.compile(r"\A\ufeff?[ \t]*---[ \t]*\n(.{0,20000}?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
# Quote entities that lost their '&' on the way ('ldquo;We discussed …,rdquo;', 'quot;RT quot;')
_BROKEN_ENTITY_RE = re.compile(r"(?<!&)(?:ldquo|rdquo|lsquo|rsquo|laquo|raquo|bdquo|quot);")
_HTMLISH_RE = re.compile(r"</?(?:p|br|div|span|a|h[1-6]|li|strong|em)\b[^<>]{0,500}>", re.I)


@dataclass
class View:
    """The pasted text with markup masked, plus what the masking found."""

    text: str  # the masked view, same length as the original
    front_matter: dict  # key -> value (strings), from a YAML front matter block
    front_end: int  # offset where the front matter block ends (0 if none)
    html: bool  # whether HTML markup was masked
    headings: list  # (start, end) of markdown '#' or <h1>/<title> headings


def _pad(match: re.Match) -> str:
    return PAD * len(match.group(0))


def _tag_sub(match: re.Match) -> str:
    text = match.group(0)
    if match.group("block"):
        return "\n" + PAD * (len(text) - 1)
    return PAD * len(text)


def _entity_sub(match: re.Match) -> str:
    raw = match.group(0)
    decoded = html.unescape(raw)
    if decoded == raw or len(decoded) > len(raw):
        return raw
    decoded = decoded.replace("\u00a0", " ")
    return decoded + PAD * (len(raw) - len(decoded))


def _entity_sub_text(entity: str, width: int) -> str:
    """An entity's character, padded to `width` (the text it stands for in the view)."""
    decoded = html.unescape(entity)
    return decoded + PAD * (width - len(decoded))


def _yaml_scalar(lines: list[str], i: int, value: str) -> tuple[str, int]:
    """Read one YAML scalar that starts with `value` on line i; return (text, next line)."""
    value = value.strip()
    if value in (">", "|", ">-", "|-", ">+", "|+"):
        parts = []
        i += 1
        while i < len(lines) and (lines[i].startswith((" ", "\t")) or not lines[i].strip()):
            parts.append(lines[i].strip())
            i += 1
        joiner = " " if value.startswith(">") else "\n"
        return joiner.join(p for p in parts if p), i
    if value.startswith('"'):
        body = value[1:]
        while not re.search(r'(?<!\\)"\s*$', body) and i + 1 < len(lines):
            i += 1
            body = (body[:-1] if body.endswith("\\") else body + " ") + lines[i].strip()
        body = re.sub(r'"\s*$', "", body)
        escapes = {"_": "\u00a0", "n": "\n", "t": "\t", '"': '"', "\\": "\\", " ": " ", "/": "/"}
        body = re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), body)
        return body, i + 1
    if value.startswith("'"):
        return value.strip("'").replace("''", "'"), i + 1
    return value, i + 1


def parse_front_matter(block: str) -> dict:
    """A forgiving reader of the top-level keys of a YAML front matter block."""
    result: dict = {}
    lines = block.split("\n")
    i = 0
    while i < len(lines):
        match = re.match(r"^([A-Za-z_][\w\-]*)[ \t]*:[ \t]*(.*)$", lines[i])
        if not match:
            i += 1
            continue
        key, value = match.group(1).lower(), match.group(2)
        if not value.strip() and i + 1 < len(lines) and lines[i + 1].lstrip().startswith("- "):
            # a list: keep its first item
            item = lines[i + 1].lstrip()[2:]
            text, i = _yaml_scalar(lines, i + 1, item)
        else:
            text, i = _yaml_scalar(lines, i, value)
        text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
        result.setdefault(key, text)
    return result


def build_view(original: str) -> View:
    view = original
    front: dict = {}
    front_end = 0
    match = _FRONT_RE.match(view)
    if match:
        front = parse_front_matter(match.group(1))
        front_end = match.end()
        masked = re.sub(r"[^\n]", PAD, view[:front_end])
        view = masked + view[front_end:]
    headings = []
    is_html = bool(_HTMLISH_RE.search(view))
    if is_html:
        for found in re.finditer(
            r"<(h1|title)\b[^<>]{0,500}>(.{1,500}?)</\1\s*>", view, re.I | re.S
        ):
            headings.append((found.start(2), found.end(2)))
        view = _SCRIPT_RE.sub(_pad, view)
        view = _TAG_RE.sub(_tag_sub, view)
    view = _ENTITY_RE.sub(_entity_sub, view)
    view = _BROKEN_ENTITY_RE.sub(
        lambda m: _entity_sub_text("&" + m.group(0), len(m.group(0))), view
    )
    view = _SHORTCODE_RE.sub(_pad, view)
    view = _MD_LINK_RE.sub(
        lambda m: PAD + m.group(1) + PAD * (len(m.group(0)) - 1 - len(m.group(1))), view
    )
    for found in _MD_HEADING_RE.finditer(view):
        line_end = view.find("\n", found.end())
        headings.append((found.end(), line_end if line_end >= 0 else len(view)))
    view = _MD_HEADING_RE.sub(_pad, view)
    view = _MD_QUOTE_RE.sub(_pad, view)
    view = _MD_EMPH_RE.sub(_pad, view)
    view = _MD_ESCAPE_RE.sub(PAD, view)
    view = view.replace("\u00a0", " ").replace("\r", "\n").replace("\u2028", "\n")
    if len(view) != len(original):  # every substitution above keeps the length
        raise RuntimeError("masking changed the length of the text")
    return View(view, front, front_end, is_html, headings)


@dataclass
class Line:
    start: int  # offset of the first visible character
    end: int  # offset just after the last visible character
    text: str  # visible text: PADs removed, ends stripped

    @property
    def blank(self) -> bool:
        return not self.text


def split_lines(view: str) -> list[Line]:
    lines = []
    pos = 0
    length = len(view)
    while pos <= length:
        nl = view.find("\n", pos)
        if nl < 0:
            nl = length
        raw = view[pos:nl]
        visible = raw.replace(PAD, "")
        stripped = visible.strip().strip("\u200b\ufeff").strip()
        if stripped:
            left = pos
            while view[left] == PAD or view[left].isspace() or view[left] in "\u200b\ufeff":
                left += 1
            right = nl
            while (
                view[right - 1] == PAD
                or view[right - 1].isspace()
                or view[right - 1] in "\u200b\ufeff"
            ):
                right -= 1
            lines.append(Line(left, right, re.sub(r"[ \t\u3000]+", " ", stripped)))
        else:
            lines.append(Line(pos, pos, ""))
        pos = nl + 1
    return lines


_TERMINAL = '.!?:;"”’»)]…—–-'


def is_wrapped(lines: list[Line]) -> bool:
    """Hard-wrapped text: most line breaks inside a block fall mid-sentence."""
    pairs = mid = 0
    for first, second in itertools.pairwise(lines):
        if first.blank or second.blank:
            continue
        pairs += 1
        if first.text[-1] not in _TERMINAL and not second.text[:1].isupper():
            mid += 1
        elif first.text[-1] not in _TERMINAL:
            mid += 0.5
    return pairs >= 4 and mid / pairs >= 0.4


def join_text(view: str, lines: list[Line], wrapped: bool) -> str:
    """The words of consecutive lines: wrapped lines joined by a space, paragraphs by a blank."""
    parts: list[str] = []
    gap = ""
    for line in lines:
        if line.blank:
            if parts:
                gap = "\n\n"
            continue
        if parts:
            parts.append(gap or (" " if wrapped else "\n"))
        parts.append(line.text)
        gap = ""
    return "".join(parts)


def clean_span(view: str, start: int, end: int) -> str:
    """Visible text of view[start:end] with white space folded (a one-line excerpt)."""
    return re.sub(r"\s+", " ", view[start:end].replace(PAD, "")).strip()


# --- page chrome -----------------------------------------------------------------------------

_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$")
_CHROME_START = re.compile(
    r"^(?:also read|read also|read more|more from|related(?: articles| posts| stories)?|see also|"
    r"advertisement|sponsored|share this|share on|follow us|subscribe|sign up|log ?in|skip to|"
    r"leave a (?:comment|reply)|click here|download|tags?(?=\s*:|\s*$)|filed under|posted in|"
    r"categories|(?:read|see|watch|listen to) (?:the )?(?:full|complete|entire) "
    r"(?:transcript|interview|video|story))\b",
    re.IGNORECASE,
)
_CHROME_WORDS = re.compile(
    r"\b(?:cookies?|javascript|newsletter|all rights reserved|privacy policy|"
    r"terms of (?:use|service)|copyright|(?:this|our|official|gov|secure) websites?|"
    r"websites? use|here's how you know|sign in|log in|subscribe now)\b|https?://|\u00a9",
    re.IGNORECASE,
)
# fmt: off
_SOCIAL = {
    "share", "facebook", "twitter", "x", "whatsapp", "telegram", "linkedin", "email", "e-mail",
    "print", "reddit", "pinterest", "tweet", "vk", "copy", "link", "messenger", "menu", "search",
    "home", "source", "comments", "comment", "next", "previous", "prev", "top", "back", "more",
    "close", "open", "login", "register", "subscribe", "pocket", "tumblr", "mail", "sms",
}
# fmt: on
_BYLINE = re.compile(
    r"^\(?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Aa]dditional reporting|[Cc]ompiled|[Ee]dited)"
    r"\s+[Bb]y\b|^By\s+[A-Z]"
)
_CRUMB_SEP = re.compile(r"\s(?:>|»|›|/|\||::)\s")


def is_chrome(text: str) -> bool:
    """A line of page furniture: menus, banners, share buttons, bare links, bylines."""
    if _URL_LINE.match(text) or _CHROME_START.match(text):
        return True
    if not re.search(r"[^\W_]", text):  # '---', '* * *', '•': rules and ornaments
        return True
    words = re.findall(r"[\w'’\-]+", text.lower())
    if not words:
        return not re.search(r"\w", text)
    if len(words) <= 6 and all(word in _SOCIAL for word in words):
        return True
    if len(words) <= 40 and _CHROME_WORDS.search(text):
        return True
    if _BYLINE.match(text) and len(words) <= 12:
        return True
    if (
        len(_CRUMB_SEP.findall(text)) >= 2
        and text[-1] not in ".?!"
        and len(words) <= 25
        and not re.search(r"\w[.?!]\s+\w", text)  # no sentence ends inside breadcrumbs
    ):
        return True
    if re.match(r"^[\w'’ \-]{1,40}\s\|\s", text) and text[-1] not in ".?!":
        return True
    return bool(re.match(r"^\[[^\]]{1,40}\]$", text)) and not is_artifact_note(text)


def is_artifact_note(text: str) -> bool:
    return bool(re.search(r"inaudible|unintelligible|crosstalk|cross talk|sic\b", text, re.I))


_TIME_LINE = re.compile(
    r"^(?:end\b|ends\b|begin\b)?\s*\(?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?\s?m\.?)?\s*"
    r"(?:[A-Z]{2,5}T?|local(?: time)?)?\)?\.?$",
    re.IGNORECASE,
)


def is_time_line(text: str) -> bool:
    return bool(_TIME_LINE.match(text)) or text.upper() in ("END", "###", "# # #", "-30-", "* * *")


_STAGE = re.compile(r"^\((?P<body>[A-Z][^()]{0,80})\)$")


def is_stage_direction(text: str) -> bool:
    """'(Laughter.)', '(The memorandum was signed.)': not speech, not a turn."""
    match = _STAGE.match(text)
    if not match:
        return False
    body = match.group("body").lower()
    keep = (
        "inaudible",
        "unintelligible",
        "interpret",
        "translat",
        "in english",
        "as inter",
        "via ",
    )
    return not any(word in body for word in keep)


# --- artifacts -------------------------------------------------------------------------------

_XNUMX = re.compile(r"\w*XNUMX\w*")
_NOTE = re.compile(r"[\[(](?:inaudible|unintelligible|crosstalk|cross talk|sic)\.?[\])]", re.I)
_DOUBLED = re.compile(r"\b([A-Za-z]+)\s+\1\b", re.IGNORECASE)
# fmt: off
_DOUBLE_OK = {
    "that", "had", "is", "no", "yes", "bye", "very", "so", "go", "yeah", "well", "now", "ha",
    "knock", "do", "too", "far", "again", "more", "many", "long", "blah", "la",
}
# fmt: on


def artifacts(text: str) -> list[str]:
    """Flags for scraping and transcription artifacts in one turn's words."""
    found = []
    if not re.search(r"\w", text):
        found.append("empty turn")
    for match in _XNUMX.finditer(text):
        found.append(f"XNUMX placeholder: {match.group(0)!r}")
    for match in _NOTE.finditer(text):
        found.append(f"transcriber note: {match.group(0)}")
    for match in _DOUBLED.finditer(text):
        if match.group(1).lower() not in _DOUBLE_OK:
            found.append(f"doubled word: {match.group(0)!r}")
    return found
