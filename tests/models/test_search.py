"""Full-text search behaves the same on PostgreSQL and SQLite (run the suite on both).

Only what both stemmers agree on is tested: PostgreSQL's Snowball English and FTS5's Porter both
reduce sanction/sanctions and negotiations/negotiating/negotiated to one stem."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from conferences.models import Conference, Statement
from conferences.models.search import (
    FTS_TABLE,
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    PG_INDEX,
    fts5_expression,
    headline_html,
    parse,
    search,
)
from tests.factories import ConferenceFactory, SpeakerFactory, StatementFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN index exists only on PostgreSQL"
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 table exists only on SQLite"
)

SANCTIONS = "Norlandia will lift the sanctions once the border crossing at Port Aster reopens."
NEGOTIATIONS = "The negotiations on fishing quotas resume next week in Vell."
PEACE_TREATY = "The peace treaty between Norlandia and Ostrava was signed at dawn."
APART = "Peace returned to the valley long before any treaty was drafted."
TREATY_ONLY = "The treaty on river tolls remains in force."
PEACE_ONLY = "Peace in the valley is the only aim of this ministry."


def found(query, queryset=None) -> list[str]:
    """Texts of the matching statements, most relevant first."""
    queryset = Statement.objects.all() if queryset is None else queryset
    return list(
        queryset.search(query).order_by("-search_rank", "pk").values_list("text", flat=True)
    )


@pytest.fixture
def corpus(db):
    texts = [SANCTIONS, NEGOTIATIONS, PEACE_TREATY, APART, TREATY_ONLY, PEACE_ONLY]
    return {text: StatementFactory(text=text) for text in texts}


def test_search_word_finds_its_other_forms(corpus):
    assert found("sanction") == [SANCTIONS]
    assert found("SANCTIONS") == [SANCTIONS]
    assert found("negotiating") == [NEGOTIATIONS]
    assert found("negotiated") == [NEGOTIATIONS]


def test_search_bare_words_must_all_appear(corpus):
    assert set(found("peace treaty")) == {PEACE_TREATY, APART}
    assert found("treaty tolls") == [TREATY_ONLY]


def test_search_quoted_phrase_needs_the_words_together(corpus):
    assert found('"peace treaty"') == [PEACE_TREATY]
    assert found('"treaty peace"') == []


def test_search_minus_excludes_a_word(corpus):
    assert set(found("treaty -peace")) == {TREATY_ONLY}
    assert set(found('peace -"peace treaty"')) == {APART, PEACE_ONLY}


def test_search_exclusions_alone_match_nothing(corpus):
    assert found("-peace") == []
    assert found('-"peace treaty" -sanctions') == []


def test_search_or_between_words(corpus):
    assert set(found("sanctions or tolls")) == {SANCTIONS, TREATY_ONLY}
    assert set(found("sanctions OR fishing quotas")) == {SANCTIONS, NEGOTIATIONS}


def test_search_stop_words_alone_match_nothing(corpus):
    # PostgreSQL drops English stop words; the SQLite side drops the same ones.
    assert found("the") == []
    assert found("the sanctions") == [SANCTIONS]


def test_search_ranks_more_occurrences_first(db):
    once = StatementFactory(text="Tariffs were discussed at length today by both delegations.")
    thrice = StatementFactory(text="Tariffs, tariffs and again tariffs were discussed today.")
    StatementFactory(text="The weather in Port Aster was mild.")
    StatementFactory(text="Fishing quotas were not on the agenda.")
    results = list(Statement.objects.search("tariff").order_by("-search_rank"))
    assert [statement.pk for statement in results] == [thrice.pk, once.pk]
    assert isinstance(results[0].search_rank, float)
    assert results[0].search_rank > results[1].search_rank > 0


def test_search_headline_marks_each_match_and_escapes_the_rest(db):
    StatementFactory(
        text='The <script>alert("x")</script> envoy said the sanctions & tariffs stay.'
    )
    statement = Statement.objects.search("sanction").get()
    assert statement.search_headline.count(HIGHLIGHT_START) == 1
    assert statement.search_headline.count(HIGHLIGHT_STOP) == 1
    assert headline_html(statement.search_headline) == (
        "The &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; envoy said the "
        "<mark>sanctions</mark> &amp; tariffs stay."
    )


def test_search_headline_of_a_long_text_is_a_snippet_around_the_matches(db):
    words = " ".join(f"filler{n}" for n in range(80))
    StatementFactory(text=f"{words} the sanctions stay. {words}")
    headline = Statement.objects.search("sanctions").get().search_headline
    assert f"{HIGHLIGHT_START}sanctions{HIGHLIGHT_STOP} stay" in headline
    assert len(headline.split()) <= 36


def test_headline_html_escapes_text_and_turns_sentinels_into_marks():
    headline = f"<script>x</script> lift {HIGHLIGHT_START}sanctions{HIGHLIGHT_STOP} & go"
    assert headline_html(headline) == (
        "&lt;script&gt;x&lt;/script&gt; lift <mark>sanctions</mark> &amp; go"
    )
    assert headline_html(f"{HIGHLIGHT_START}<b>{HIGHLIGHT_STOP}") == "<mark>&lt;b&gt;</mark>"
    assert headline_html(f"a {HIGHLIGHT_START}b") == "a b"  # a stray sentinel is dropped
    assert headline_html("") == ""


def test_search_within_one_speaker(db):
    alva, bram = SpeakerFactory(), SpeakerFactory()
    StatementFactory(speaker=alva, text="Alva's ministry welcomes the new sanctions.")
    StatementFactory(speaker=bram, text="Bram's ministry rejects the new sanctions.")
    StatementFactory(speaker=alva, text="Alva's ministry speaks of fishing quotas.")
    assert found("sanctions", Statement.objects.filter(speaker=alva)) == [
        "Alva's ministry welcomes the new sanctions."
    ]
    assert Statement.objects.search("sanctions").filter(speaker=bram).count() == 1


def test_search_never_finds_statements_of_draft_conferences(db):
    draft = ConferenceFactory(status=Conference.Status.DRAFT)
    StatementFactory(conference=draft, text="Draft words about sanctions.")
    StatementFactory(text="Published words about sanctions.")
    assert found("sanctions", Statement.objects.published()) == ["Published words about sanctions."]
    assert Statement.objects.published().search("sanctions").count() == 1
    assert list(search(Statement.objects.published(), "draft")) == []


def test_search_result_counts_and_groups_for_facets(db):
    alva, bram = SpeakerFactory(), SpeakerFactory()
    for text in ["Sanctions stay.", "Sanctions go.", "Quotas stay."]:
        StatementFactory(speaker=alva, text=text)
    StatementFactory(speaker=bram, text="Sanctions, sanctions.")
    StatementFactory(speaker=bram, text="Quotas go.")
    results = Statement.objects.published().search("sanctions").order_by("-search_rank")
    assert results.count() == 3
    rows = results.values("speaker").annotate(n=Count("pk")).order_by("speaker")
    assert list(rows) == [{"speaker": alva.pk, "n": 2}, {"speaker": bram.pk, "n": 1}]
    # The shape conferences/public/facets.py uses: the matches as a subquery of pks.
    base = Statement.objects.filter(pk__in=results.order_by().values("pk")).order_by()
    assert list(base.values_list("speaker").annotate(n=Count("pk")).order_by("-n")) == [
        (alva.pk, 2),
        (bram.pk, 1),
    ]
    assert list(results.filter(text__startswith="Sanctions s").values_list("text", flat=True)) == [
        "Sanctions stay."
    ]


def test_search_follows_updates_and_deletes(db):
    statement = StatementFactory(text="The embargo on timber is over.")
    assert found("embargo") == ["The embargo on timber is over."]
    statement.text = "The blockade of the harbour is over."
    statement.save()
    assert found("embargo") == []
    assert found("blockade") == ["The blockade of the harbour is over."]
    Statement.objects.filter(pk=statement.pk).update(text="The harbour reopens at noon.")
    assert found("blockade") == []
    assert found("harbour noon") == ["The harbour reopens at noon."]
    statement.delete()
    assert found("harbour") == []
    StatementFactory(text="A new embargo on copper.")
    assert found("embargo") == ["A new embargo on copper."]


HOSTILE_QUERIES = [
    '"',
    "*",
    "(",
    ")",
    ":",
    "NEAR(a b)",
    "OR OR",
    "AND",
    "-",
    "--x",
    '"unbalanced',
    "a:b",
    "^x",
    "x\x00y",
    "💥",
    "a" * 5000,
    "",
    "   ",
    "!x & y | z",
    "x:* <-> y",
    "sanctions*",
    '"" or "" -""',
    "sanctions OR",
    "or sanctions",
    "peace -",
    "{col}: x",
    "word " * 500,
    "\x02sanctions\x03",
    "'; DROP TABLE conferences_statement; --",
    None,
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_any_query_returns_a_list_without_error(corpus, query):
    results = list(Statement.objects.search(query))
    assert isinstance(results, list)
    assert Statement.objects.search(query).count() == len(results)


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "()", "-", "💥", "OR OR", "AND", None])
def test_search_empty_or_punctuation_query_matches_nothing(corpus, query):
    assert Statement.objects.search(query).count() == 0


def test_search_prefix_star_is_not_syntax(corpus):
    assert found("sanctions*") == [SANCTIONS]
    assert found("or sanctions") == [SANCTIONS]
    assert found('"peace treaty') == [PEACE_TREATY]  # an unclosed quote runs to the end


def test_parse_quotes_every_term_for_fts5():
    assert fts5_expression(parse('sanctions -"peace treaty" or NEAR(a b) x"y')) == (
        '("sanctions") NOT ("peace treaty") OR ("NEAR(a" AND "b)" AND "x" AND "y")'
    )
    assert parse("-peace") == []
    assert parse("the OR and") == []


@on_postgresql
@pytest.mark.django_db
def test_search_uses_the_gin_index_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [PG_INDEX])
        (indexdef,) = cursor.fetchone()
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert indexdef == (
        f"CREATE INDEX {PG_INDEX} ON public.conferences_statement "
        "USING gin (to_tsvector('english'::regconfig, text))"
    )
    # Without other filters: on a few rows the planner would rightly prefer another index.
    plan = Statement.objects.search("sanctions -peace").order_by().explain()
    assert f"Bitmap Index Scan on {PG_INDEX}" in plan


@on_sqlite
@pytest.mark.django_db
def test_fts5_table_and_its_triggers_exist_on_sqlite():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name LIKE %s ORDER BY name",
            [f"{FTS_TABLE}%"],
        )
        rows = {name: (kind, sql) for kind, name, sql in cursor.fetchall()}
    kind, sql = rows[FTS_TABLE]
    assert kind == "table"
    assert 'USING fts5(text, content="conferences_statement", content_rowid="id"' in sql
    assert 'tokenize="porter unicode61"' in sql
    triggers = {name for name, (kind, _) in rows.items() if kind == "trigger"}
    assert triggers == {f"{FTS_TABLE}_insert", f"{FTS_TABLE}_update", f"{FTS_TABLE}_delete"}


@on_sqlite
def test_fts5_index_agrees_with_the_statements_after_changes(corpus):
    statement = corpus[SANCTIONS]
    statement.text = "Norlandia keeps the sanctions."
    statement.save()
    corpus[APART].delete()
    with connection.cursor() as cursor:
        # Raises (SQLITE_CORRUPT_VTAB) if the index and the content table disagree.
        cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('integrity-check')")  # noqa: S608


def _search_structure_exists() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = %s", [PG_INDEX])
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name LIKE %s", [f"{FTS_TABLE}%"]
            )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_search_migration_is_reversible():
    assert _search_structure_exists()
    call_command("migrate", "conferences", "0002", verbosity=0)
    try:
        assert not _search_structure_exists()
    finally:
        call_command("migrate", "conferences", verbosity=0)
    assert _search_structure_exists()
    StatementFactory(text="Sanctions after a round trip of migrations.")
    assert found("sanctions") == ["Sanctions after a round trip of migrations."]
