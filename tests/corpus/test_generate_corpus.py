"""The synthetic archive: `generate_corpus` (conferences/corpus/synthetic.py) on SQLite and
PostgreSQL."""

import io
import random
import re
import statistics
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Min

from conferences.corpus import synthetic
from conferences.models import (
    Conference,
    Organization,
    RetiredStatement,
    Role,
    SourceDocument,
    Speaker,
    SpeakerAlias,
    Statement,
    Topic,
)
from conferences.text.ids import PUBLIC_ID_ALPHABET, content_hash

from ..factories import RoleFactory, SourceDocumentFactory, SpeakerAliasFactory, StatementFactory

pytestmark = pytest.mark.django_db

N = 600
SEED = 7
PUBLIC_ID = re.compile(f"[{PUBLIC_ID_ALPHABET}]{{8}}")


def generate(statements=N, seed=SEED, **options):
    call_command("generate_corpus", statements=statements, seed=seed, verbosity=0, **options)


@pytest.fixture
def corpus(db):
    generate()


def snapshot() -> list[tuple]:
    """What a reader sees of every statement, in archive order (database ids left out)."""
    topics: dict[int, list[str]] = {}
    links = Statement.topics.through.objects.values_list("statement_id", "topic__name")
    for statement_id, name in links:
        topics.setdefault(statement_id, []).append(name)
    rows = Statement.objects.order_by("conference__date", "conference__slug", "sequence")
    return [
        (public_id, text, speaker, title, date, kind, sorted(topics.get(pk, [])))
        for pk, public_id, text, speaker, title, date, kind in rows.values_list(
            "pk",
            "public_id",
            "text",
            "speaker__name",
            "conference__title",
            "conference__date",
            "kind",
        )
    ]


def empty_archive():
    """As after a fresh migrate: deleting statements retires their public ids (never reused),
    so the retired ids go too."""
    for model in (Statement, SourceDocument, Conference, Role, SpeakerAlias, Speaker):
        model.objects.all().delete()
    RetiredStatement.objects.all().delete()
    Topic.objects.exclude(parent=None).delete()  # children first: a parent is protected
    Topic.objects.all().delete()
    Organization.objects.all().delete()


def test_generate_corpus_writes_exactly_the_statements_asked_for(corpus):
    assert Statement.objects.count() == N
    conferences = Conference.objects.count()
    assert SourceDocument.objects.count() == conferences
    assert set(SourceDocument.objects.values_list("kind", flat=True)) == {"official_transcript"}


def test_generate_corpus_conferences_hold_20_to_200_statements_numbered_from_1(corpus):
    sizes = Conference.objects.annotate(
        n=Count("statements"), first=Min("statements__sequence"), last=Max("statements__sequence")
    )
    for conference in sizes:
        assert 20 <= conference.n <= 200
        assert (conference.first, conference.last) == (1, conference.n)


@pytest.mark.parametrize("total", [20, 39, 200, 201, 219, 220, 401, 999, 12_345])
def test_conference_sizes_add_up_with_every_conference_in_range(total):
    for seed in range(20):
        sizes = synthetic.conference_sizes(total, random.Random(seed))  # noqa: S311
        assert sum(sizes) == total
        assert all(20 <= size <= 200 for size in sizes)


def test_conference_sizes_refuse_fewer_than_one_conference():
    with pytest.raises(ValueError, match="at least 20"):
        synthetic.conference_sizes(19, random.Random(1))  # noqa: S311


def test_generate_corpus_refuses_fewer_than_20_statements(db):
    with pytest.raises(CommandError, match="at least 20"):
        generate(statements=19)
    assert not Conference.objects.exists()


def test_generate_corpus_names_only_synthetic_speakers_and_organizations(corpus):
    names = list(Speaker.objects.values_list("name", flat=True))
    assert names and all(name.endswith(" (synthetic)") for name in names)
    assert all(
        "not a real person" in text
        for text in Speaker.objects.values_list("description", flat=True)
    )
    assert all(
        "(synthetic)" in name for name in Organization.objects.values_list("name", flat=True)
    )
    # Each speaker has the alias the importer looks names up by.
    speaker = Speaker.objects.first()
    assert Speaker.objects.get_by_name(speaker.name) == speaker
    assert SpeakerAlias.objects.count() == Speaker.objects.count()


def test_generate_corpus_dates_fall_within_25_years_ending_on_a_fixed_day(corpus):
    dates = Conference.objects.aggregate(first=Min("date"), last=Max("date"))
    assert synthetic.FIRST_DAY <= dates["first"] <= dates["last"] <= synthetic.LAST_DAY
    assert (synthetic.FIRST_DAY.isoformat(), synthetic.LAST_DAY.isoformat()) == (
        "2001-01-01",
        "2025-12-31",
    )


def test_generate_corpus_a_few_speakers_say_most(corpus):
    counts = sorted(
        Speaker.objects.annotate(n=Count("statements")).values_list("n", flat=True), reverse=True
    )
    assert counts[0] >= 3 * statistics.median(counts)


def test_generate_corpus_statements_look_like_transcripts(corpus):
    statements = list(Statement.objects.select_related("source", "speaker"))
    lengths = [len(s.text.split()) for s in statements]
    assert min(lengths) >= 10 and max(lengths) <= 400
    assert statistics.median(lengths) < statistics.mean(lengths)  # a long tail of long answers
    kinds = Counter(s.kind for s in statements)
    assert kinds["question"] > 0 and kinds["answer"] >= kinds["question"] and kinds["remark"] > 0
    assert Counter(s.fidelity for s in statements).most_common(1)[0][0] == "verbatim"
    for statement in statements:
        assert PUBLIC_ID.fullmatch(statement.public_id)
        assert statement.content_hash == content_hash(statement.text)
        source = statement.source
        assert source.text[statement.source_start : statement.source_end] == statement.text
        assert statement.created_at is not None and statement.updated_at is not None
        if statement.kind == "question":
            assert statement.text.endswith("?") and statement.speaker.kind == "journalist"
    assert len({s.public_id for s in statements}) == N
    topic_counts = Counter(s.topics.count() for s in statements)
    assert set(topic_counts) <= {0, 1, 2, 3} and topic_counts[0] < N


def test_generate_corpus_topics_have_keywords_and_a_shallow_hierarchy(corpus):
    assert Topic.objects.count() == len(synthetic.TOPICS) >= 40
    maritime = Topic.objects.get(slug="maritime-security")
    assert maritime.parent.name == "Security"
    assert "shipping lanes" in maritime.keyword_list()
    assert not Topic.objects.filter(parent__parent__isnull=False).exists()


def test_generate_corpus_search_finds_a_vocabulary_word(corpus):
    found = list(Statement.objects.search("sovereignty").values_list("text", flat=True))
    assert found
    assert all("sovereign" in text.lower() for text in found)


def test_generate_corpus_same_seed_gives_the_same_archive(db):
    generate()
    first = snapshot()
    empty_archive()
    generate(batch_size=37)  # batches change how it is written, not what
    assert snapshot() == first
    empty_archive()
    generate(seed=SEED + 1)
    other = snapshot()
    assert len(other) == N
    assert [row[:2] for row in other] != [row[:2] for row in first]


def test_generate_corpus_writes_no_history(corpus):
    assert Statement.history.count() == 0
    assert Conference.history.count() == 0
    assert Speaker.history.count() == 0


def test_generate_corpus_publishes_nearly_everything_and_keeps_drafts_hidden(client, db):
    generate(statements=6000, seed=3)  # about 80 conferences: some drafts among them
    statuses = Counter(Conference.objects.values_list("status", flat=True))
    assert set(statuses) == {"published", "draft"}
    assert statuses["draft"] < statuses["published"] / 10
    draft = Statement.objects.filter(conference__status="draft").first()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_generate_corpus_pages_answer_over_the_generated_archive(client, corpus):
    statement = Statement.objects.published().order_by("pk")[N // 2]
    assert client.get("/statements/").status_code == 200
    assert client.get("/statements/?q=ceasefire").status_code == 200
    response = client.get(f"/s/{statement.public_id}/")
    assert response.status_code == 200
    assert statement.speaker.name in response.content.decode()
    assert client.get(statement.conference.get_absolute_url()).status_code == 200
    assert client.get(statement.speaker.get_absolute_url()).status_code == 200
    assert client.get("/topics/").status_code == 200


def test_generate_corpus_leaves_room_for_new_rows(corpus):
    # Explicit ids were written: every sequence must have moved past them.
    statement = StatementFactory(source=SourceDocumentFactory())  # a new conference too
    role = RoleFactory()  # a new speaker too
    alias = SpeakerAliasFactory(speaker=role.speaker)
    assert statement.pk > N
    assert Role.objects.filter(pk=role.pk).get().speaker.aliases.get() == alias


def test_generate_corpus_refuses_an_archive_with_conferences(corpus):
    with pytest.raises(CommandError, match="--append"):
        generate(seed=SEED + 1)
    assert Statement.objects.count() == N


def test_generate_corpus_if_empty_does_nothing_on_an_archive_with_conferences(corpus):
    out = io.StringIO()
    call_command("generate_corpus", statements=100, if_empty=True, stdout=out)
    assert Statement.objects.count() == N
    assert "nothing was generated" in out.getvalue()


def test_generate_corpus_append_adds_new_statements_and_reuses_speakers(corpus):
    before = set(Speaker.objects.values_list("name", flat=True))
    generate(append=True)  # the same seed again: salted, so new ids, texts and sources
    assert Statement.objects.count() == 2 * N
    assert Statement.objects.values("public_id").distinct().count() == 2 * N
    assert SourceDocument.objects.count() == Conference.objects.count()
    # The same seed has the same cast (12 officials, 10 journalists at this size), each once.
    after = list(Speaker.objects.values_list("name", flat=True))
    assert before <= set(after) and len(after) == len(set(after)) <= 12 + 10


def test_generate_corpus_progress_goes_to_stderr(db):
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_corpus", statements=100, batch_size=30, seed=1, stdout=out, stderr=err)
    assert err.getvalue().splitlines()[-1].startswith("100/100 statements (100%)")
    assert "Generated 100 statements" in out.getvalue()


def test_public_ids_are_distinct_for_distinct_positions():
    ids = synthetic.PublicIds(random.Random(1))  # noqa: S311
    drawn = [ids(n) for n in range(50_000)]
    assert len(set(drawn)) == len(drawn)
    assert all(PUBLIC_ID.fullmatch(public_id) for public_id in drawn[:1000])
    assert drawn[:3] == [ids(0), ids(1), ids(2)]  # a function of the position alone
