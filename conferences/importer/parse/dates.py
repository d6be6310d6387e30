"""Dates, places and titles stated in header lines, datelines and front matter."""

from __future__ import annotations

import contextlib
import datetime
import re

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
# The months in French, German, Spanish, Italian, Portuguese, Russian, Ukrainian and Polish
# (genitive, as in dates), Dutch and Turkish.
_OTHER_MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
    "listopada grudnia",
    "januari februari maart april mei juni juli augustus september oktober november december",
    "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    "ledna února března dubna května června července srpna září října listopadu prosince",
)
for _names in _OTHER_MONTHS:
    for _number, _name in enumerate(_names.split(), start=1):
        MONTHS.setdefault(_name, _number)
MONTHS["jänner"] = 1  # Austrian German
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.)?"  # '3rd', '1er mars', '3. März'
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
DATE_PATTERNS = [
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}(?:,\s*|\s+){_YEAR}\b", re.IGNORECASE),
    # '3 March 2023', '3 of March', '3 de marzo de 2023', '3 марта 2023 года'
    re.compile(
        # ('09 июня,2022': a comma and no space before the year)
        rf"\b{_WEEKDAY}{_DAY}(?:\s+(?:of|de))?\s+{_MONTH}(?:\s*,\s*|\s+)(?:de\s+)?{_YEAR}\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b"),
    re.compile(r"\b(?P<day>[0-3]?\d)\.[ \t]?(?P<month>[01]?\d)\.[ \t]?(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)\b"),
    # '2024年5月30日' (Chinese, Japanese), '2024년 5월 30일' (Korean)
    re.compile(
        r"(?P<year>(?:19|20)\d\d)\s*[年년]\s*(?P<month>[01]?\d)\s*[月월]\s*(?P<day>[0-3]?\d)\s*[日일]"
    ),
]
# '平成29年8月4日': a Japanese era's year (Reiwa 1 is 2019, Heisei 1 is 1989)
_ERAS = {"令和": 2019, "平成": 1989, "昭和": 1926}
_JAPANESE_ERA = re.compile(
    r"(?P<era>令和|平成|昭和)\s*(?P<n>元|\d{1,2})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
)
_MDY_SLASH = re.compile(r"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)\d\d)\b")


def find_date(text: str, day_first: bool = False) -> tuple[datetime.date, int, int] | None:
    """The first date written in `text`, with its span. `day_first`: read '09/10/2015' as 9
    October (most languages but English print the day first)."""
    best = None
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            month = match.group("month")
            month_no = MONTHS.get(month.lower().rstrip(".")) if not month.isdigit() else int(month)
            try:
                value = datetime.date(int(match.group("year")), month_no, int(match.group("day")))
            except (TypeError, ValueError):
                continue
            if best is None or match.start() < best[1]:
                best = (value, match.start(), match.end())
            break
    era = _JAPANESE_ERA.search(text)
    if era and (best is None or era.start() < best[1]):
        year = _ERAS[era.group("era")] + (1 if era.group("n") == "元" else int(era.group("n"))) - 1
        with contextlib.suppress(ValueError):
            value = datetime.date(year, int(era.group("month")), int(era.group("day")))
            best = (value, era.start(), era.end())
    if best is None:
        match = _MDY_SLASH.search(text)
        if match:
            a, b = int(match.group("a")), int(match.group("b"))
            if day_first:
                a, b = b, a
            try:  # US order unless the first number cannot be a month
                value = datetime.date(int(match.group("year")), a, b)
            except ValueError:
                try:
                    value = datetime.date(int(match.group("year")), b, a)
                except ValueError:
                    return None
            best = (value, match.start(), match.end())
    return best


def parse_date(text: str) -> datetime.date | None:
    found = find_date(text)
    return found[0] if found else None


_DAY_MONTH = re.compile(rf"\b{_DAY}(?:\s+(?:of|de))?\s+{_MONTH}(?!\s*,?\s*(?:de\s+)?\d)", re.I)


def day_and_month(text: str) -> tuple[int, int] | None:
    """'(Roma, 7 ottobre)': a day and a month printed without a year."""
    match = _DAY_MONTH.search(text)
    if not match:
        return None
    month = MONTHS.get(match.group("month").lower().rstrip("."))
    return (int(match.group("day")), month) if month else None


_PLACE_START = re.compile(
    r"^(?:aboard|on board|onboard|en route|in flight|via teleconference|via video|"
    r"the white house|white house)\b",
    re.IGNORECASE,
)
_PLACE_WORDS = re.compile(
    r"\b(?:room|hall|house|building|center|centre|palace|embassy|ministry|kremlin|residence|"
    r"headquarters|airport|base|garden|office|auditorium|chamber|mansion|castle|hotel|"
    r"conference cent(?:er|re)|briefing room|press centre|press center|plaza|square)\b",
    re.IGNORECASE,
)
_CITY_COUNTRY = re.compile(
    r"^[A-Z][\w'’.\-]+(?: [A-Z][\w'’.\-]+){0,2}, [A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+)?$"
)
_SINGLE_PLACE = re.compile(r"^[A-Z][a-z\u00e0-\u024f'’\-]+(?: [A-Z][a-z\u00e0-\u024f'’\-]+)?$")


# A line that starts like the name of an event, or says who gave it, is a title, not a place.
_PLACE_CONNECTORS = {
    "of", "the", "de", "du", "des", "la", "le", "del", "di", "von", "der", "am", "at", "in",
    "on", "en", "and", "y", "et", "und", "room", "hall", "house",
}  # fmt: skip
_TITLE_LIKE = re.compile(
    r"^(?:(?:daily|regular|joint|special|weekly|background)\s+)*(?:press\s+|media\s+)?"
    r"(?:briefing|conference|remarks|statement|transcript|readout|interview|answers|speech|"
    r"opening|comments?|q\s*&\s*a)\b|\bby\s+(?:the\s+)?[A-Z]",
    re.IGNORECASE,
)


_EVENT = re.compile(
    r"\b(?:briefing|press conference|news conference|remarks|interview|transcript|"
    r"press availability|media availability|stakeout|doorstep|q\s*&\s*a|statement by|"
    r"joint statement|press point|"
    # the same events in the languages of the briefings we meet
    r"\w*pressekonferenz|pressebriefing|medienkonferenz|medienorientierung|point de presse|"
    r"conférence de presse|"
    r"conferencia de prensa|rueda de prensa|conferenza stampa|брифинг|пресс-конференция|"
    r"стенограмма|интервью|выступление|пресс-подход|брифінг|стенограма|інтерв'ю|"
    r"entrevista coletiva|entrevista|intervista|interview|tisková konference|tlačová konferencia|"
    r"konferencja prasowa|persconferentie|basın toplantısı|конференція)\b",
    re.IGNORECASE,
)


_CJK_EVENT = re.compile(r"记者会|發布會|发布会|記者会見|記者會|기자회견|브리핑|文字实录|会見")


def names_event(text: str) -> bool:
    """Whether a text names a press event anywhere ('… at the regular press conference')."""
    return bool(_EVENT.search(text) or _CJK_EVENT.search(text))


def is_event_title(text: str) -> bool:
    """A header line naming the event: 'Regular Press Briefing by Spokesperson …, 12 June'."""
    event = _EVENT.search(text) or _CJK_EVENT.search(text)
    return bool(event) and not text.rstrip().endswith((".", "?", "!", "。"))


def opens_with_event(text: str) -> bool:
    """'Conferencia de prensa de Bruno …, el 18 de marzo de 2009.': a title that reads as a
    sentence, since it names the event first (and a date or a 'by/de/of')."""
    start = _EVENT.search(text[:60])
    return (
        bool(start)
        and not text[: start.start()].strip(" \t(").split()[3:]
        and (
            find_date(text) is not None or bool(re.search(r"\b(?:by|of|de|del|von|du|des)\b", text))
        )
    )


def place_from_line(text: str) -> str | None:
    """A header line that names a place ('Moscow', 'Aboard Air Force One', 'Washington, D.C.')."""
    line = text.strip().rstrip(".")
    if _TITLE_LIKE.search(line):
        return None
    found = find_date(line)
    if found:  # 'Moscow, 14 January 2022' -> 'Moscow'
        line = (line[: found[1]] + line[found[2] :]).strip(" ,;–—-|")
    line = re.sub(
        r"\s*[,–—-]?\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,5})?$", "", line, flags=re.I
    ).strip(" ,")
    if (
        not line
        or len(line.split()) > 8
        or (re.search(r"[.?!:;]$", line) and not line.endswith("D.C"))
    ):
        return None
    if re.search(r"\d", line) and not _PLACE_WORDS.search(line):
        return None
    if _NOT_PLACE.match(line) or re.search(r"[>»|]", line):
        return None  # 'Search' left of a page's date; 'Home > News', a breadcrumb
    lower = [w for w in re.findall(r"[^\W\d_][\w'’\-]*", line) if w[:1].islower()]
    if len([w for w in lower if w not in _PLACE_CONNECTORS]) >= 2 and not _PLACE_START.match(line):
        return None  # 'Altaran ministry rejects report …': a headline, not a room or a city
    if _PLACE_START.match(line) or _PLACE_WORDS.search(line):
        return line if not line.endswith("D.C") else line + "."
    if _CITY_COUNTRY.match(line):
        return line + "." if line.endswith("D.C") else line
    if found and _SINGLE_PLACE.match(line):
        return line
    return None


_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\-]{2,}(?:[ ,]+[A-Z][A-Z.'’\-]{1,}){0,3})"
    r"(?:\s*\((?P<agency>[^()]{1,30})\))?\s*(?:[,:]\s*(?P<rest>[^–—\-]{0,40}?))?\s*[–—\-:]\s+|"
    r"^(?P<place2>[A-Z][A-Z.'’\-]{2,}(?: [A-Z][A-Z.'’\-]{1,}){0,3})\s+(?=[A-Z][a-z])|"
    # 'Abidjan - Le président …', 'New York – The …': a place in lower case, then a dash
    r"^(?P<place3>[A-Z][a-zà-ÿ]{2,}(?: [A-Z][a-zà-ÿ]{2,})?)[ \t]+[–—\-][ \t]+(?=[A-Z])"
)


_NOT_PLACE = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|yesterday|updated|published|posted|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|"
    r"vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lunedì|"
    r"martedì|mercoledì|giovedì|venerdì|sabato|domenica|"
    r"last updated|date|dated|on|search|menu|home|login|log in|share|print|subscribe|"
    r"newsletter|feedback|contact|sitemap)$|^(?:" + "|".join(MONTHS) + r")\b",
    re.IGNORECASE,
)
_PLACE_COMMA = re.compile(r"^(?P<place>[A-Z][\w'’.\-]+(?: [A-Z][\w'’.\-]+){0,2}),[ \t]+")
# after the date: '(Reuters)', '/ Synthetic Wire /', then a dash, a colon, or the end of the line
_AFTER_DATE = re.compile(
    r"^[ \t]*(?:(?:\([^()]{1,30}\)|/[^/\n]{1,40}/)[ \t]*(?:[–—\-:][ \t]*)?|[–—\-:][ \t]*|$)"
)


def _place_date_line(text: str) -> tuple[str, datetime.date | None, int] | None:
    """'Port Aster, 12 June 2024 / Synthetic Wire /', 'VESMARK CITY, May 3rd, 2022 —',
    'PORT ASTER, Tuesday 3rd May 2022': a place and a date that start the line."""
    match = _PLACE_COMMA.match(text)
    if not match or _NOT_PLACE.match(match.group("place")):
        return None
    found = find_date(text[match.end() :])
    if not found or text[match.end() : match.end() + found[1]].strip(" ,"):
        return None
    end = match.end() + found[2]
    tail = _AFTER_DATE.match(text[end:])
    if not tail:
        return None
    raw = match.group("place")
    place = raw.title() if raw.isupper() else raw
    return place, found[0], end + tail.end()


_NOT_DATELINES = {
    "Q", "QUESTION", "END", "NOTE", "UPDATE", "UPDATED", "BREAKING", "CORRECTION",
    "CLARIFICATION", "EDITOR'S NOTE", "EDITOR’S NOTE", "WHY IT MATTERS", "BACKGROUND",
    "ANALYSIS", "WATCH", "READ MORE", "LIVE", "EXCLUSIVE", "OPINION", "FACT CHECK",
}  # fmt: skip


def dateline(text: str) -> tuple[str, datetime.date | None, int] | None:
    """'WASHINGTON –', 'MOSCOW, Jan 14 (Reuters) -', 'PARIS The…' -> (place, date, length)."""
    dated = _place_date_line(text)
    if dated:
        return dated
    match = _DATELINE.match(text)
    if not match:
        return None
    raw = match.group("place") or match.group("place2") or match.group("place3")
    if raw.upper().rstrip(":") in _NOT_DATELINES or ":" in raw:
        return None
    if len(raw.replace(" ", "")) < 3:
        return None
    place = " ".join(
        part if part in ("D.C.", "U.S.", "U.K.") else part.capitalize() for part in raw.split()
    ).rstrip(",")
    rest = match.group("rest") or ""
    return place, parse_date(rest) if rest else None, match.end()


_SITE_TAIL = re.compile(
    r"\b(?:department|ministry|embassy|mission|government|office|news|times|post|daily|tv|"
    r"agency|\.com|\.org|\.gov|\.net|\.ru|\.cn|site|online|portal|website)\b",
    re.IGNORECASE,
)


def clean_title(text: str) -> str:
    """A page-title line without a site name glued on or a date segment."""
    text = re.sub(r"\s+", " ", text).strip()
    found = find_date(text)
    if found and found[2] == len(text) and text[: found[1]].rstrip().endswith(","):
        text = text[: found[1]].rstrip(" ,")  # 'Briefing by Spokesperson X, 12 June 2024'
    parts = [p.strip() for p in re.split(r"\s+[–—|]\s+|\s+-\s+|\s+::\s+", text) if p.strip()]
    if len(parts) > 1:
        kept = [p for p in parts if not _is_only_date(p)]
        if len(kept) > 1 and _SITE_TAIL.search(kept[-1]) and len(kept[-1].split()) <= 8:
            kept = kept[:-1]
        if kept:
            parts = kept
        text = " – ".join(parts)
    return text.strip()


def _is_only_date(text: str) -> bool:
    found = find_date(text)
    if not found:
        return False
    rest = (text[: found[1]] + text[found[2] :]).strip(" ,.")
    return not rest or rest.lower() in ("on", "of", "dated")
