"""How to cite a statement: ready-to-copy references and the page's sharing metadata.

Pure formatting: every function takes a statement already loaded with its conference, speaker,
host and source (select them together in the view) and the role held that day, and touches the
database no further. Dates and month names are written out here rather than through strftime or
Django's date filter, so a citation reads the same whatever the server's locale or language.

Names: the last whitespace-separated word of the display name is taken as the surname, the words
before it as the given names ("Alva María Quintero" -> "Quintero, Alva María"). This is a
simplification: it is wrong for surname-first names ("Wang Yi"), particles ("de la Cruz") and
suffixes ("Jr."); a single-word name is used whole wherever a surname is wanted.
"""

import datetime
import json
import re
import unicodedata
from dataclasses import dataclass

MONTHS = (
    "January February March April May June July August September October November December"
).split()
# MLA 9 abbreviates months of more than four letters; June and July are written out.
MLA_MONTHS = "Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec.".split()
BIBTEX_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()

PUBLISHER = "Podium"
DESCRIPTION_LIMIT = 200
ELLIPSIS = "…"
VERSION_LENGTH = 10  # characters of the content hash a cited URL carries


@dataclass(frozen=True)
class Citation:
    key: str  # "newsroom", "chicago", "apa", "mla", "bibtex", "ris"
    label: str  # "Newsroom", "Chicago", "APA", "MLA", "BibTeX", "RIS"
    text: str  # plain text, ready to copy (the template escapes it)


# --- public interface ---------------------------------------------------------------------------


def citations(statement, role, url: str, accessed: datetime.date) -> list[Citation]:
    """The statement cited in every format offered, in the order they are shown.

    `role` is the speaker's role on the day of the conference (or None); `url` the absolute
    permalink; `accessed` the day the reader took the citation (usually today). The URL cited
    names the version of the words (see `versioned_url`).
    """
    url = versioned_url(statement, url)
    return [
        Citation("newsroom", "Newsroom", newsroom(statement, role)),
        Citation("chicago", "Chicago", chicago(statement, url)),
        Citation("apa", "APA", apa(statement, url)),
        Citation("mla", "MLA", mla(statement, url, accessed)),
        Citation("bibtex", "BibTeX", bibtex(statement, url, accessed)),
        Citation("ris", "RIS", ris(statement, url, accessed)),
    ]


def quote_metadata(statement, role, url: str) -> dict:
    """Title and description for OpenGraph/Twitter tags, and schema.org JSON-LD for the page."""
    conference = statement.conference
    speaker = statement.speaker
    return {
        "title": f"{speaker.name}, {long_date(conference.date)}",
        "description": truncate_words(collapse(statement.text), DESCRIPTION_LIMIT),
        "json_ld": quotation_json_ld(statement, role, url),
    }


# "</script>" inside a quote must not end the script element; "&" and ">" are escaped too, as
# Django's json_script does, so no character sequence in the data can mean anything to HTML.
_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_ld_script_text(data: dict) -> str:
    """JSON to place verbatim inside <script type="application/ld+json">…</script>.

    Only for that place: it is not escaped for HTML attributes or text. The template must not
    escape it again (an HTML entity inside a script element is not decoded, so it would corrupt
    the JSON): render it with the `safe` filter or wrap it in mark_safe in the view.
    """
    # <, > and & can only occur inside JSON strings, where \u escapes mean the same characters.
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def versioned_url(statement, url: str) -> str:
    """The permalink with ?v= and the first characters of the text's content hash: a reader
    who follows the citation after a correction is told that, and how, the words changed
    (conferences/editorial/corrections.py). The page's canonical URL stays without it."""
    if not statement.content_hash:
        return url
    return f"{url}?v={statement.content_hash[:VERSION_LENGTH]}"


# --- the formats --------------------------------------------------------------------------------


def newsroom(statement, role) -> str:
    """The attribution line a newsroom puts under a quote: "Alva Quintero, Minister of Foreign
    Affairs of Norlandia, press conference, Port Aster, 9 March 2024"."""
    conference = statement.conference
    parts = [
        statement.speaker.name,
        role.title if role else "",
        conference.get_kind_display().lower(),
        conference.place,
        long_date(conference.date),
    ]
    return ", ".join(part for part in parts if part)


def chicago(statement, url: str) -> str:
    """Chicago notes-bibliography, bibliography entry for a speech or press conference:
    Surname, Given. "Title." Kind, Host, Place, Month D, YYYY. Podium. URL."""
    conference = statement.conference
    date = conference.date
    event = [
        conference.get_kind_display(),
        host_name(conference),
        conference.place,
        f"{MONTHS[date.month - 1]} {date.day}, {date.year}",
    ]
    return (
        f"{end_sentence(inverted_name(statement.speaker.name))} "
        f"“{quoted_title(conference.title)}” "
        f"{', '.join(part for part in event if part)}. {PUBLISHER}. {url}."
    )


def apa(statement, url: str) -> str:
    """APA 7 for a speech or press conference:
    Surname, G. (YYYY, Month D). Title [Kind]. Host, Place. Podium. URL"""
    conference = statement.conference
    date = conference.date
    where = ", ".join(part for part in (host_name(conference), conference.place) if part)
    parts = [
        end_sentence(apa_author(statement.speaker.name)),
        f"({date.year}, {MONTHS[date.month - 1]} {date.day}).",
        f"{conference.title} [{conference.get_kind_display()}].",
    ]
    if where:
        parts.append(end_sentence(where))
    # APA 7 puts no full stop after a URL.
    parts += [f"{PUBLISHER}.", url]
    return " ".join(parts)


def mla(statement, url: str, accessed: datetime.date) -> str:
    """MLA 9: Surname, Given. "Title." Kind, D Mon. YYYY, Place. Podium, URL. Accessed D Mon.
    YYYY."""
    conference = statement.conference
    event = [conference.get_kind_display(), mla_date(conference.date), conference.place]
    return (
        f"{end_sentence(inverted_name(statement.speaker.name))} "
        f"“{quoted_title(conference.title)}” "
        f"{', '.join(part for part in event if part)}. "
        f"{PUBLISHER}, {url}. Accessed {mla_date(accessed)}."
    )


def bibtex(statement, url: str, accessed: datetime.date) -> str:
    """A @misc entry. The title is double-braced so that styles keep its capitals (proper names);
    `urldate` is read by biblatex and ignored by BibTeX; `annote` carries the quote itself."""
    conference = statement.conference
    date = conference.date
    note = ", ".join(
        part
        for part in (
            conference.get_kind_display(),
            host_name(conference),
            conference.place,
            long_date(date),
        )
        if part
    )
    fields = [
        ("author", "{" + bibtex_escape(inverted_name(statement.speaker.name)) + "}"),
        ("title", "{{" + bibtex_escape(conference.title) + "}}"),
        ("howpublished", "{\\url{" + url + "}}"),
        ("year", "{" + str(date.year) + "}"),
        ("month", BIBTEX_MONTHS[date.month - 1]),
        ("note", "{" + bibtex_escape(note) + "}"),
        ("urldate", "{" + accessed.isoformat() + "}"),
        ("annote", "{" + bibtex_escape(collapse(statement.text)) + "}"),
    ]
    body = "".join(f"  {name} = {value},\n" for name, value in fields)
    return f"@misc{{{bibtex_key(statement)},\n{body}}}"


def ris(statement, url: str, accessed: datetime.date) -> str:
    """RIS for reference managers (Zotero, EndNote): one "XX  - value" line per field."""
    conference = statement.conference
    lines = [
        ("TY", "GEN"),
        ("AU", inverted_name(statement.speaker.name)),
        ("TI", collapse(conference.title)),
        ("DA", conference.date.strftime("%Y/%m/%d")),
        ("CY", conference.place),
        ("PB", PUBLISHER),
        ("UR", url),
        ("Y2", accessed.strftime("%Y/%m/%d")),
        ("N1", collapse(statement.text)),
    ]
    # A tag with no value is left out; ER ends the record and takes none ("ER  - ").
    return "\n".join(f"{tag}  - {value}" for tag, value in lines if value) + "\nER  - "


def quotation_json_ld(statement, role, url: str) -> dict:
    """schema.org Quotation: its creator a Person, its occasion (isPartOf) an Event."""
    conference = statement.conference
    speaker = statement.speaker
    creator = {"@type": "Person", "name": speaker.name}
    if role:
        creator["jobTitle"] = role.title
        if role.organization:
            creator["affiliation"] = {"@type": "Organization", "name": role.organization.name}
    if speaker.country:
        creator["nationality"] = {"@type": "Country", "name": speaker.country.name}
    event = {
        "@type": "Event",
        "name": conference.title,
        "startDate": conference.date.isoformat(),
    }
    if conference.place:
        event["location"] = {"@type": "Place", "name": conference.place}
    if conference.host:
        event["organizer"] = {"@type": "Organization", "name": conference.host.name}
    data = {
        "@context": "https://schema.org",
        "@type": "Quotation",
        "text": statement.text,
        "url": url,
        "dateCreated": conference.date.isoformat(),
        "creator": creator,
        "isPartOf": event,
    }
    source_url = statement.source.url.strip() if statement.source else ""
    # As the pages' http_url filter: a javascript: or data: URL stored before the model refused
    # them must not be offered to search engines and link previews as the quote's source.
    if source_url.lower().startswith(("http://", "https://")):
        data["citation"] = source_url
    return data


# --- helpers ------------------------------------------------------------------------------------


def long_date(day: datetime.date) -> str:
    """9 March 2024"""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def mla_date(day: datetime.date) -> str:
    """9 Mar. 2024"""
    return f"{day.day} {MLA_MONTHS[day.month - 1]} {day.year}"


def host_name(conference) -> str:
    return conference.host.name if conference.host else ""


def split_name(name: str) -> tuple[str, str]:
    """(given names, surname): the surname is the last word (see the module docstring)."""
    words = name.split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def inverted_name(name: str) -> str:
    """Surname first: "Quintero, Alva"; a single-word name stays as it is."""
    given, surname = split_name(name)
    return f"{surname}, {given}" if given else surname


def apa_author(name: str) -> str:
    """APA's author: "Quintero, A."; "Jean-Luc Ostrander" -> "Ostrander, J.-L."; a single-word
    name stays whole."""
    given, surname = split_name(name)
    if not given:
        return surname
    initials = " ".join(
        "-".join(f"{part[0]}." for part in word.split("-") if part) for word in given.split()
    )
    return f"{surname}, {initials}"


def end_sentence(text: str) -> str:
    """Add a full stop unless the text already ends with one (an initial, "?" or "!")."""
    return text if text.endswith((".", "?", "!")) else f"{text}."


def quoted_title(title: str) -> str:
    """A title set inside double quotation marks, its own punctuation kept: the full stop goes
    inside the closing mark (Chicago and MLA), unless the title ends with "?" or "!"; quotation
    marks within it become single ones."""
    title = collapse(title).replace("“", "‘").replace("”", "’").replace('"', "'")
    return end_sentence(title)


_WHITESPACE = re.compile(r"\s+")


def collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def truncate_words(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else cut at the last word boundary that leaves
    room for "…". A single word longer than the limit is the one case cut mid-word."""
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    cut = text[:room]
    if text[room] != " ":  # the cut fell inside a word: drop that word
        boundary = cut.rfind(" ")
        if boundary > 0:
            cut = cut[:boundary]
    # No dangling separator before the ellipsis ("Norlandia, …" reads as "Norlandia…").
    return cut.rstrip(" ,;:–—-") + ELLIPSIS


# BibTeX counts braces even after a backslash, so "\{" alone would still unbalance the entry and
# swallow what follows; \textbraceleft{} carries its own balanced pair.
_BIBTEX_ESCAPES = str.maketrans(
    {
        "\\": "\\textbackslash{}",
        "{": "\\textbraceleft{}",
        "}": "\\textbraceright{}",
        "&": "\\&",
        "%": "\\%",
        "$": "\\$",
        "#": "\\#",
        "_": "\\_",
        "~": "\\textasciitilde{}",
        "^": "\\textasciicircum{}",
    }
)


def bibtex_escape(value: str) -> str:
    return value.translate(_BIBTEX_ESCAPES)


def bibtex_key(statement) -> str:
    """quintero2024abcd2345: surname folded to ASCII letters and digits, year, public id. The
    public id never changes, so neither does the key. A surname with no Latin letters (a
    Cyrillic name, say) gives "statement" instead, so that the key still starts with a letter."""
    _, surname = split_name(statement.speaker.name)
    folded = unicodedata.normalize("NFKD", surname).encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9]", "", folded) or "statement"
    return f"{stem}{statement.conference.date.year}{statement.public_id}"
