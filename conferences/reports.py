"""The articles that reported a statement: what the statement's permalink lists under
"Reported by", and the word difference between what was said and what was printed.

Which reports are public: a report is shown when its article's conference is published, or when
the article sits in the statement's own conference (an import made only of quotes the archive
already holds joins that conference; see importer/service.make_plan). The statement page exists
only for published statements, so in both cases nothing of a draft conference is shown; an
article imported into a draft beside new statements is shown once that draft is published.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .importer.matching import align, tokens, words
from .models import Conference, Statement, StatementReport


@dataclass
class Stretch:
    """The part of a statement's text a quote was aligned with, as printed."""

    text: str
    cut_before: bool  # the statement goes on before / after this stretch
    cut_after: bool


def _chunks(text: str) -> list[str]:
    return text.split()


def aligned_stretch(statement_text: str, quoted_text: str) -> Stretch:
    """The words of the statement the quote stands for (the whole statement if none)."""
    chunks = _chunks(statement_text)
    per_chunk = [words(chunk) for chunk in chunks]
    owner = [n for n, found in enumerate(per_chunk) for _ in found]  # word -> its chunk
    alignment = align(tokens(quoted_text), [word for found in per_chunk for word in found])
    if alignment is None or not owner:
        return Stretch(" ".join(chunks), False, False)
    first, last = owner[alignment.start], owner[alignment.end - 1]
    return Stretch(" ".join(chunks[first : last + 1]), first > 0, last < len(chunks) - 1)


def word_diff(said: str, printed: str) -> SafeString:
    """Word by word, what `printed` changed in `said`: <del> for words of `said` it lacks,
    <ins> for its own. Words compare as the matcher compares them (case, punctuation and
    quote marks aside); every word is escaped."""
    old, new = _chunks(said), _chunks(printed)
    keys_old = [tuple(words(chunk)) or chunk for chunk in old]
    keys_new = [tuple(words(chunk)) or chunk for chunk in new]
    parts = []
    matcher = SequenceMatcher(None, keys_old, keys_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape(" ".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(' '.join(old[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(' '.join(new[j1:j2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every part above is escaped


def quote_diff(statement_text: str, quoted_text: str) -> SafeString:
    """The difference between a quote and the stretch of the statement it reports, with an
    ellipsis where the statement goes on."""
    stretch = aligned_stretch(statement_text, quoted_text)
    diff = word_diff(stretch.text, quoted_text)
    before = "… " if stretch.cut_before else ""
    after = " …" if stretch.cut_after else ""
    return mark_safe(f"{before}{diff}{after}")  # noqa: S308 - word_diff escapes


@dataclass
class ShownReport:
    report: StatementReport
    outlet: str  # the outlet's name, else the article's title
    diff: SafeString | None  # only when the wording differs


def reported_by(statement: Statement) -> list[ShownReport]:
    """The public reports of a published statement, oldest article first (one query)."""
    reports = (
        StatementReport.objects.filter(statement=statement)
        .filter(
            Conference.published_q("source__conference")
            | Q(source__conference_id=statement.conference_id)
        )
        .select_related("source", "source__outlet")
        .order_by(F("source__published_on").asc(nulls_last=True), "pk")
    )
    shown = []
    for report in reports:
        source = report.source
        outlet = source.outlet.name if source.outlet else source.title
        differs = report.similarity < 1.0
        diff = quote_diff(statement.text, report.quoted_text) if differs else None
        shown.append(ShownReport(report, outlet or "A news article", diff))
    return shown
