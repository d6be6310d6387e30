"""The list page's own table (conferences/models/facets.py, conferences/public/listing.py) selects
exactly what StatementFilter selects over the archive's tables, counts the same facets, and follows
every kind of change to the archive (issue 18)."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.http import QueryDict

from conferences.editorial import workflow
from conferences.filters import StatementFilter
from conferences.models import Conference, Statement, Topic, facet_counts, facets
from conferences.models.facet_counts import KEPT, FacetCount
from conferences.models.facets import StatementFacet
from conferences.models.lists import published_statements
from conferences.public import listing
from conferences.public.facets import FACET_SIZE

from ..factories import ConferenceFactory, SpeakerFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db


def filtered(query: str):
    statement_filter = StatementFilter(QueryDict(query), queryset=published_statements())
    assert statement_filter.form.is_valid(), statement_filter.form.errors
    return statement_filter


def listed(query: str, sort: str = "newest") -> list[int]:
    found = listing.where(filtered(query).form.cleaned_data)
    return listing.page_ids(found, sort, 0, 100_000)


def expected(query: str) -> list[int]:
    """The filter's rows newest first (a search too: its relevance order is the list's own)."""
    return list(filtered(query + "&sort=newest").qs.values_list("pk", flat=True))


def expected_counts(query: str) -> dict:
    rows = list(filtered(query).qs.select_related("speaker", "conference"))
    topics = Counter()
    for statement in rows:
        on = set()
        for topic in statement.topics.all():
            on.add(topic.pk)
            if topic.parent_id:
                on.add(topic.parent_id)
        topics.update(on)
    return {
        "speaker": Counter(str(s.speaker_id) for s in rows),
        "topic": Counter({str(k): v for k, v in topics.items()}),
        "country": Counter(s.speaker.country for s in rows),
        "year": Counter(str(s.conference.date.year) for s in rows),
        "fidelity": Counter(s.fidelity for s in rows),
    }


@pytest.fixture
def synthetic(db):
    from conferences.corpus import synthetic

    synthetic.generate(statements=1200, seed=5)
    return Statement.objects.published()


def queries(archive) -> list[str]:
    """Every filter alone, and combined, with values read from the archive."""
    first = archive.select_related("speaker", "conference", "conference__host").first()
    parent = Topic.objects.filter(parent__isnull=True, children__isnull=False).first()
    leaf = Topic.objects.filter(parent__isnull=False).first()
    year = first.conference.date.year
    return [
        "",
        f"speaker={first.speaker_id}",
        f"country={first.speaker.country}",
        f"organization={first.conference.host.slug}",
        f"topic={parent.slug}",
        f"topic={leaf.slug}",
        f"conference={first.conference_id}",
        "kind=answer",
        "fidelity=verbatim",
        f"year={year}",
        f"date_from={year - 3}-03-01&date_to={year}-06-30",
        f"country={first.speaker.country}&topic={parent.slug}",
        f"kind=question&year={year}&fidelity=verbatim",
        "q=cooperation",
        f"q=cooperation&country={first.speaker.country}",
        'q="the agreement" -treaty',
        "q=agreement or talks&kind=remark",
    ]


def test_the_table_holds_every_published_statement_and_nothing_else(synthetic):
    published = set(synthetic.values_list("pk", flat=True))
    drafts = Statement.objects.exclude(pk__in=published)
    assert drafts.exists()  # the synthetic archive has drafts (DRAFT_SHARE)
    assert set(StatementFacet.objects.values_list("statement_id", flat=True)) == published


def test_every_filter_selects_the_same_rows_in_the_same_order(synthetic):
    for query in queries(synthetic):
        ids = listed(query)
        assert ids == expected(query), query
        assert ids, f"{query} selects nothing: a check that cannot fail"


def test_oldest_first_is_newest_first_reversed_by_conference(synthetic):
    query = "kind=remark"
    oldest = filtered(query + "&sort=oldest").qs.values_list("pk", flat=True)
    assert listed(query, "oldest") == list(oldest)


def test_the_facets_count_what_the_filter_selects(synthetic):
    for query in queries(synthetic):
        found = listing.where(filtered(query).form.cleaned_data)
        counted, total = listing.counts(found, use_kept=False)
        assert total == len(expected(query)), query
        for name, wanted in expected_counts(query).items():
            got = Counter({str(value): n for value, n in counted[name]})
            assert got == wanted, (query, name)


def top(rows) -> list[tuple]:
    """The FACET_SIZE largest (value, n) and every value tied with the last of them."""
    rows = sorted(((str(v), n) for v, n in rows), key=lambda row: (-row[1], row[0]))
    if len(rows) <= FACET_SIZE:
        return rows
    floor = rows[FACET_SIZE - 1][1]
    return [row for row in rows if row[1] >= floor]


def kept_lists(archive) -> list[str]:
    kept = [q for q in queries(archive) if q.count("=") == 1 and q.split("=")[0] in KEPT]
    assert {q.split("=")[0] for q in kept} == set(KEPT) - {"organization"} | {"organization"}
    return ["", *kept]


def test_the_kept_counts_are_the_counted_ones(synthetic):
    for query in kept_lists(synthetic):
        found = listing.where(filtered(query).form.cleaned_data)
        assert found.kept() is not None, query
        kept, kept_total = listing.counts(found)
        counted, total = listing.counts(found, use_kept=False)
        assert kept_total == total == len(expected(query)), query
        for name in counted:
            assert top(kept[name]) == top(counted[name]), (query, name)
    # The kind with each other kept filter: kept as a pair, either way round.
    pairs = [f"kind=question&{q}" for q in kept_lists(synthetic)[1:] if not q.startswith("kind")]
    pairs.append(f"{pairs[0].split('&')[1]}&kind=answer")
    for query in pairs:
        found = listing.where(filtered(query).form.cleaned_data)
        assert found.kept() is not None and "+" in found.kept()[0], query
        kept, kept_total = listing.counts(found)
        counted, total = listing.counts(found, use_kept=False)
        assert kept_total == total == len(expected(query)), query
        for name in counted:
            assert top(kept[name]) == top(counted[name]), (query, name)
    # Other pairs, a speaker or a search are counted, not kept.
    speaker = synthetic.first().speaker_id
    for query in ("country=NO&fidelity=verbatim", f"speaker={speaker}", "q=cooperation"):
        assert listing.where(filtered(query).form.cleaned_data).kept() is None, query


def kept_now() -> set:
    return set(FacetCount.objects.values_list("filter", "filter_value", "facet", "value", "n"))


def test_the_kept_counts_follow_every_change(synthetic, admin_user):
    conference = Conference.objects.published().order_by("pk").first()
    workflow.move(conference, Conference.Status.WITHDRAWN, admin_user)
    statement = Statement.objects.published().order_by("pk").first()
    statement.kind, statement.fidelity = "remark", "paraphrase"
    statement.save()
    statement.topics.set([Topic.objects.filter(parent__isnull=False).last()])
    statement.speaker.country = "IS"
    statement.speaker.save()
    after = kept_now()
    facet_counts.rebuild("default", facets.TABLE)
    assert kept_now() == after
    assert ("country", "IS", "speaker", str(statement.speaker_id), 1) in {
        (*row[:4], 1) for row in after if row[:2] == ("country", "IS")
    }


def test_relevance_ranks_every_match(synthetic):
    """Not a window of the newest: the best match comes first wherever it is."""
    oldest = synthetic.order_by("conference__date", "conference_id", "sequence").first()
    oldest.text = "Zanzibarite zanzibarite zanzibarite: the zanzibarite accord."
    oldest.save()
    newest = synthetic.order_by("-conference__date", "-conference_id", "sequence").first()
    newest.text = "One zanzibarite word among many others. " + "The talks go on. " * 10
    newest.save()
    ids = listed("q=zanzibarite", "relevance")
    assert ids == [oldest.pk, newest.pk]
    assert listed("q=zanzibarite", "newest") == [newest.pk, oldest.pk]


def test_a_search_with_no_usable_word_selects_nothing(synthetic):
    found = listing.where(filtered("q=%22%22").form.cleaned_data)
    assert found.nothing
    assert listing.counts(found)[1] == 0
    assert listing.page_ids(found, "relevance", 0, 25) == []


# Kept in step ------------------------------------------------------------------------------------


def row(statement) -> StatementFacet | None:
    return StatementFacet.objects.filter(statement_id=statement.pk).first()


@pytest.fixture
def one(db):
    speaker = SpeakerFactory(country="NO")
    parent = TopicFactory(name="Maritime", slug="maritime")
    child = TopicFactory(name="Fisheries", slug="fisheries", parent=parent)
    conference = ConferenceFactory(date=datetime.date(2021, 3, 1))
    statement = StatementFactory(conference=conference, speaker=speaker, sequence=1)
    statement.topics.set([child])
    return statement


def test_a_new_statement_and_its_topics_are_in_at_once(one):
    found = row(one)
    assert (found.speaker_id, found.country, found.year, found.kind) == (
        one.speaker_id, "NO", 2021, one.kind,
    )  # fmt: skip
    parent, child = Topic.objects.get(slug="maritime"), Topic.objects.get(slug="fisheries")
    assert found.topics == sorted([parent.pk, child.pk])


def test_withdrawing_and_publishing_again(one, admin_user):
    conference = one.conference
    workflow.move(conference, Conference.Status.WITHDRAWN, admin_user)
    assert row(one) is None
    assert listed("") == []
    workflow.move(conference, Conference.Status.REVIEW, admin_user)
    assert row(one) is None
    workflow.move(conference, Conference.Status.PUBLISHED, admin_user)
    assert listed("") == [one.pk]


def test_edits_to_each_source_of_a_row(one):
    one.kind = Statement.Kind.QUESTION
    one.fidelity = Statement.Fidelity.PARAPHRASE
    one.save()
    assert (row(one).kind, row(one).fidelity) == ("question", "paraphrase")
    one.speaker.country = "SE"
    one.speaker.save()
    assert row(one).country == "SE"
    one.conference.date = datetime.date(2019, 5, 5)
    one.conference.save()
    assert (row(one).year, row(one).date) == (2019, datetime.date(2019, 5, 5))
    child = Topic.objects.get(slug="fisheries")
    child.parent = None
    child.save()
    assert row(one).topics == [child.pk]
    one.topics.clear()
    assert row(one).topics == []
    child.statements.add(one)  # from the topic's side
    assert row(one).topics == [child.pk]
    child.delete()
    assert row(one).topics == []
    one.delete()
    assert not StatementFacet.objects.exists()


def test_searching_follows_an_edit_of_the_words(one):
    one.text = "The lighthouse keepers agree."
    one.save()
    assert listed("q=lighthouse") == [one.pk]
    one.text = "Nothing about that any more."
    one.save()
    assert listed("q=lighthouse") == []


def test_a_statement_moved_within_its_conference_keeps_its_place(one):
    from conferences.editorial import permalinks

    permalinks.shift_sequences(one.conference_id, 0, 1)  # an update(), no signal
    assert row(one).sequence == 2


def test_refresh_all_rebuilds_what_raw_writes_missed(one):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {facets.TABLE}")  # noqa: S608
    assert listed("") == []
    assert facets.refresh_all() == 1
    assert listed("") == [one.pk]


def test_a_search_counts_and_ranks_its_page_in_one_query(synthetic):
    found = listing.where(filtered("q=cooperation").form.cleaned_data)
    ranked = listing.page_ids(found, "relevance", 0, 100_000)
    assert len(ranked) > 30
    for offset in (0, 25):
        counted, total = listing.counts(found, page=(offset, 25))
        assert counted["page"] == ranked[offset : offset + 25]
        assert total == len(ranked)
    assert "page" not in listing.counts(found)[0]  # only when asked


def test_the_list_page_shows_the_ranked_page_asked_for(client, synthetic):
    found = listing.where(filtered("q=cooperation").form.cleaned_data)
    second = listing.page_ids(found, "relevance", 25, 25)
    page = client.get("/statements/?q=cooperation&page=2").content.decode()
    ids = Statement.objects.filter(pk__in=second).values_list("pk", "public_id")
    positions = [page.index(f"/s/{public_id}/") for _, public_id in ids]
    by_pk = dict(ids)
    assert [page.index(f"/s/{by_pk[pk]}/") for pk in second] == sorted(positions)


def test_a_page_past_the_middle_is_read_backwards_with_the_same_rows(synthetic):
    for query, sort in (("", "newest"), ("kind=answer", "oldest"), ("q=cooperation", "relevance")):
        found = listing.where(filtered(query).form.cleaned_data)
        every = listing.page_ids(found, sort, 0, 100_000)
        total = len(every)
        for offset in (total - 25, total - 7, total // 2 + 1, total - 1):
            page = listing.page_ids(found, sort, offset, 25, total=total)
            assert page == every[offset : offset + 25], (query, offset)


def test_a_date_range_adds_up_whole_years_and_counts_the_rest(synthetic):
    years = sorted({d.year for d in Conference.objects.published().values_list("date", flat=True)})
    first, last = years[0], years[-1]
    ranges = [
        f"date_from={first + 2}-03-15&date_to={last - 1}-10-02",  # cuts two years
        f"date_from={first + 1}-01-01&date_to={last - 2}-12-31",  # whole years only
        f"date_from={last - 1}-02-01&date_to={last - 1}-11-30",  # inside one year
        f"date_from={first + 3}-06-01",  # to the end
        f"date_to={last - 3}-06-30",  # from the start
        f"date_from={first - 10}-01-01&date_to={last + 5}-01-01",  # past both ends
        f"date_from={last}-06-01&date_to={first}-06-01",  # backwards: nothing
    ]
    for query in ranges:
        found = listing.where(filtered(query).form.cleaned_data)
        added, total = listing.counts(found)
        counted, counted_total = listing.counts(found, use_kept=False)
        assert total == counted_total == len(expected(query)), query
        for name in counted:
            assert sorted((str(v), n) for v, n in added[name]) == sorted(
                (str(v), n) for v, n in counted[name]
            ), (query, name)


def test_a_kept_filter_with_a_fidelity_is_the_kept_counts_less_the_other_fidelities(synthetic):
    for query in kept_lists(synthetic)[1:]:
        if query.startswith("fidelity"):
            continue
        for fidelity in ("verbatim", "paraphrase"):
            both = f"{query}&fidelity={fidelity}"
            found = listing.where(filtered(both).form.cleaned_data)
            less, total = listing.counts(found)
            counted, counted_total = listing.counts(found, use_kept=False)
            assert total == counted_total == len(expected(both)), both
            for name in counted:  # kind and fidelity are a kept pair: its largest values
                assert top(less[name]) == top(counted[name]), (both, name)


def test_the_page_rows_get_their_snippets_without_matching_again(synthetic):
    from django.test.utils import CaptureQueriesContext

    found = listing.where(filtered("q=cooperation").form.cleaned_data)
    ids = listing.page_ids(found, "relevance", 0, 25)
    with CaptureQueriesContext(connection) as captured:
        rows = listing.statements(ids, "cooperation")
    assert [row.pk for row in rows] == ids
    assert all("\x02" in row.search_headline for row in rows)  # the match marked in each
    if connection.vendor == "postgresql":
        assert not any("@@" in query["sql"] for query in captured)


def test_clearing_a_topic_from_its_side_rebuilds_its_statements_rows(one):
    child = Topic.objects.get(slug="fisheries")
    child.statements.clear()
    assert row(one).topics == []
