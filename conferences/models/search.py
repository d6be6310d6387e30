"""Full-text search over statement text: one interface, a backend per database.

PostgreSQL matches `to_tsvector('english', text)` (a GIN expression index, migration 0003) against
`websearch_to_tsquery`; SQLite matches an FTS5 table kept in step by triggers (same migration).
Both get the user's words through `parse()` first, so that the two databases agree on what a query
means (websearch syntax: bare words AND-ed, "quoted phrases", `-word` excluded, `or`) and no
character typed in a search box ever reaches either engine as syntax.
"""

import re
from dataclasses import dataclass

from django.db import NotSupportedError, connections
from django.db.models import BooleanField, Expression, F, FloatField, TextField, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Sentinels around each match in a headline: control characters never found in stored text, so
# the snippet can be escaped as a whole and the marks put back afterwards (see headline_html).
HIGHLIGHT_START = "\x02"
HIGHLIGHT_STOP = "\x03"

# The names migration 0003 creates; the SQL there is frozen, keep these in step with it.
FTS_TABLE = "conferences_statement_fts"
PG_INDEX = "conferences_statement_search"
PG_CONFIG = "english"

# Longer queries are cut: nobody types more, and it bounds the work either engine is given.
MAX_QUERY_LENGTH = 1000
MAX_TERMS = 32
SNIPPET_TOKENS = 30  # SQLite's snippet(); PostgreSQL gets MaxWords/MinWords below
# PostgreSQL: a statement up to this many characters is shown whole (as snippet() does with a short
# text); a longer one as up to two fragments around the matches, with words on both sides.
PG_WHOLE_TEXT_CHARS = 200
_PG_MARKS = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}"
PG_HEADLINE_WHOLE = f"{_PG_MARKS}, HighlightAll=true"
PG_HEADLINE_FRAGMENTS = (
    f'{_PG_MARKS}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'
)

# PostgreSQL's English stop words (tsearch_data/english.stop, the Snowball list). PostgreSQL drops
# them from queries; FTS5 keeps every word, so parse() drops them for both databases alike.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now""".split()
)

_TOKEN = re.compile(r"(?P<neg>-+)?(?:\"(?P<phrase>[^\"]*)\"?|(?P<word>[^\s\"]+))")
_WORD_CHARS = re.compile(r"[^\W_]+")  # letters and digits, as both tokenizers see words
# What neither engine takes in a string: NUL (PostgreSQL refuses it) and lone surrogates (no
# UTF-8 for them; a command-line argument that is not UTF-8 arrives as such). Both separate words.
_UNSENDABLE = re.compile(r"[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class Term:
    text: str  # a word as typed, or the inside of a quoted phrase
    phrase: bool
    negated: bool

    def as_websearch(self) -> str:
        text = f'"{self.text}"' if self.phrase else self.text
        return f"-{text}" if self.negated else text

    def as_fts5(self) -> str:
        # Inside an FTS5 string every character is literal: the tokenizer splits it into a phrase.
        return '"' + self.text.replace('"', '""') + '"'


def parse(query: str) -> list[list[Term]]:
    """The query as alternatives (joined by `or`), each a list of terms that must all hold.

    Terms with no letter or digit and terms made only of stop words are dropped; so is any
    alternative without a positive term (an exclusion alone would match nearly everything).
    An empty list means the query asks for nothing."""
    query = _UNSENDABLE.sub(" ", query or "")[:MAX_QUERY_LENGTH]
    clauses: list[list[Term]] = [[]]
    pending_or = False
    count = 0
    for match in _TOKEN.finditer(query):
        negated = bool(match["neg"])
        phrase = match["phrase"] is not None
        text = match["phrase"] if phrase else match["word"]
        if not phrase and not negated and text.lower() == "or":
            pending_or = True
            continue
        words = [word.lower() for word in _WORD_CHARS.findall(text)]
        if not words or all(word in STOP_WORDS for word in words):
            continue
        if pending_or and clauses[-1]:
            clauses.append([])
        pending_or = False
        if not phrase:
            text = text.lstrip("-")
        clauses[-1].append(Term(text=" ".join(text.split()), phrase=phrase, negated=negated))
        count += 1
        if count >= MAX_TERMS:
            break
    return [clause for clause in clauses if any(not term.negated for term in clause)]


def websearch_text(clauses: list[list[Term]]) -> str:
    """The parsed query written back in websearch syntax, for PostgreSQL."""
    return " or ".join(" ".join(term.as_websearch() for term in clause) for clause in clauses)


def fts5_expression(clauses: list[list[Term]]) -> str:
    """The parsed query as an FTS5 expression in which every term is a quoted string."""
    alternatives = []
    for clause in clauses:
        wanted = " AND ".join(term.as_fts5() for term in clause if not term.negated)
        unwanted = " OR ".join(term.as_fts5() for term in clause if term.negated)
        alternatives.append(f"({wanted}) NOT ({unwanted})" if unwanted else f"({wanted})")
    return " OR ".join(alternatives)


class StatementSQL(Expression):
    """A piece of SQL about the statement of the current row.

    `{pk}` and `{text}` in `sql` become that row's columns, compiled through the ORM so that they
    carry the right table alias wherever the queryset ends up (a join, a subquery); `%s` takes the
    `params` in order."""

    def __init__(self, sql: str, params, output_field):
        super().__init__(output_field=output_field)
        self.sql = sql
        self.params = tuple(params)
        self.pk = F("pk")
        self.text = F("text")

    def get_source_expressions(self):
        return [self.pk, self.text]

    def set_source_expressions(self, exprs):
        self.pk, self.text = exprs

    def as_sql(self, compiler, connection):
        pk_sql, pk_params = compiler.compile(self.pk)
        text_sql, text_params = compiler.compile(self.text)
        if pk_params or text_params:  # plain columns never have any; params would misalign
            raise NotSupportedError("StatementSQL expects plain columns for pk and text.")
        return self.sql.format(pk=pk_sql, text=text_sql), self.params


def _postgresql(queryset, clauses):
    vector = f"to_tsvector('{PG_CONFIG}'::regconfig, {{text}})"  # exactly the indexed expression
    tsquery = f"websearch_to_tsquery('{PG_CONFIG}'::regconfig, %s)"
    headline = f"ts_headline('{PG_CONFIG}'::regconfig, {{text}}, {tsquery}, %s)"
    text = websearch_text(clauses)
    return queryset.filter(
        StatementSQL(f"({vector} @@ {tsquery})", [text], BooleanField())
    ).annotate(
        search_rank=StatementSQL(f"ts_rank({vector}, {tsquery})", [text], FloatField()),
        search_headline=StatementSQL(
            f"CASE WHEN char_length({{text}}) <= {PG_WHOLE_TEXT_CHARS} THEN {headline} "
            f"ELSE {headline} END",
            [text, PG_HEADLINE_WHOLE, text, PG_HEADLINE_FRAGMENTS],
            TextField(),
        ),
    )


def headlines(queryset, query: str):
    """`queryset` (statements already known to match, e.g. a page of the list) annotated with
    `search_headline` only: on PostgreSQL without matching or ranking each text again; SQLite's
    snippet() needs the FTS match, so there it is search() itself."""
    clauses = parse(query if isinstance(query, str) else "")
    if not clauses or connections[queryset.db].vendor != "postgresql":
        return search(queryset, query)
    tsquery = f"websearch_to_tsquery('{PG_CONFIG}'::regconfig, %s)"
    headline = f"ts_headline('{PG_CONFIG}'::regconfig, {{text}}, {tsquery}, %s)"
    text = websearch_text(clauses)
    return queryset.annotate(
        search_headline=StatementSQL(
            f"CASE WHEN char_length({{text}}) <= {PG_WHOLE_TEXT_CHARS} THEN {headline} "
            f"ELSE {headline} END",
            [text, PG_HEADLINE_WHOLE, text, PG_HEADLINE_FRAGMENTS],
            TextField(),
        )
    )


def _sqlite(queryset, clauses):
    expression = fts5_expression(clauses)
    row = f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {{pk}}"
    snippet = f"snippet({FTS_TABLE}, 0, %s, %s, %s, {SNIPPET_TOKENS})"
    return queryset.filter(
        StatementSQL(
            # Only constants are formatted in; the user's words travel as a parameter.
            f"({{pk}} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s))",  # noqa: S608
            [expression],
            BooleanField(),
        )
    ).annotate(
        # bm25() is smaller for better matches; negated so that larger means more relevant.
        search_rank=StatementSQL(f"(SELECT -bm25({FTS_TABLE}) {row})", [expression], FloatField()),
        search_headline=StatementSQL(
            f"(SELECT {snippet} {row})",
            [HIGHLIGHT_START, HIGHLIGHT_STOP, "…", expression],
            TextField(),
        ),
    )


BACKENDS = {"postgresql": _postgresql, "sqlite": _sqlite}


def search(queryset, query: str):
    """Filter `queryset` (of Statement) to statements matching `query`, annotated with
    `search_rank` (float, larger = more relevant) and `search_headline` (a short snippet of the
    text with each match wrapped in HIGHLIGHT_START/HIGHLIGHT_STOP). An empty or all-punctuation
    query returns queryset.none(). Never raises on any user input."""
    clauses = parse(query if isinstance(query, str) else "")
    if not clauses:
        # Annotated all the same, so that callers may order by -search_rank on any query.
        return queryset.annotate(
            search_rank=Value(0.0, output_field=FloatField()),
            search_headline=Value("", output_field=TextField()),
        ).none()
    vendor = connections[queryset.db].vendor
    try:
        backend = BACKENDS[vendor]
    except KeyError:
        raise NotSupportedError(f"Full-text search is not available on {vendor}.") from None
    return backend(queryset, clauses)


@dataclass(frozen=True)
class FacetMatch:
    """A search as SQL on the list page's facet table `f` (conferences/public/listing.py)."""

    table: str  # read this table as `f` instead of the facet table (it has the same columns)
    join: str
    join_params: list
    where: str
    where_params: list
    rank: str  # larger is more relevant
    rank_params: list


WORDS_TABLE = "conferences_statement_words"  # conferences/models/facets.py


def facet_match(vendor: str, query: str) -> FacetMatch | None:
    """The match and the rank of `query` for the facet table; None when it asks for nothing.

    PostgreSQL reads the stored tsvector of each published statement (GIN-indexed), so that every
    match is ranked without tokenising its text again; SQLite reads its FTS5 table."""
    clauses = parse(query if isinstance(query, str) else "")
    if not clauses:
        return None
    if vendor == "postgresql":
        tsquery = f"websearch_to_tsquery('{PG_CONFIG}'::regconfig, %s)"
        text = websearch_text(clauses)
        return FacetMatch(
            table=WORDS_TABLE,  # the facet values and the words, in one row: no join
            join="",
            join_params=[],
            where=f"f.vector @@ {tsquery}",
            where_params=[text],
            rank=f"ts_rank(f.vector, {tsquery})",
            rank_params=[text],
        )
    if vendor == "sqlite":
        expression = fts5_expression(clauses)
        return FacetMatch(
            table="",
            join="",
            join_params=[],
            where=f"f.statement_id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",  # noqa: S608
            where_params=[expression],
            rank=(
                f"(SELECT -bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
                f"AND {FTS_TABLE}.rowid = f.statement_id)"
            ),
            rank_params=[expression],
        )
    raise NotSupportedError(f"Full-text search is not available on {vendor}.")


_MARKED = re.compile(f"{HIGHLIGHT_START}(.*?){HIGHLIGHT_STOP}", re.DOTALL)


def headline_html(headline: str) -> SafeString:
    """Escape the snippet's text and turn the sentinels into <mark>…</mark>."""
    parts = []
    position = 0
    for match in _MARKED.finditer(headline or ""):
        parts.append(_plain(headline[position : match.start()]))
        parts.append(f"<mark>{_plain(match[1])}</mark>")
        position = match.end()
    parts.append(_plain((headline or "")[position:]))
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text is escaped above)


def _plain(text: str) -> str:
    """Escaped text with any stray sentinel removed."""
    return escape(text.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, ""))
