"""The rules the database itself holds, and the named QuerySets."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Count

from conferences.models import Conference, Role, Speaker, SpeakerAlias, Statement, Topic
from conferences.text.ids import PUBLIC_ID_ALPHABET, new_public_id

from ..factories import (
    ConferenceFactory,
    RoleFactory,
    SourceDocumentFactory,
    SpeakerAliasFactory,
    SpeakerFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_statement_sequence_is_unique_within_a_conference():
    first = StatementFactory(sequence=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementFactory(conference=first.conference, sequence=1)
    assert StatementFactory(sequence=1).conference != first.conference


def test_statement_public_id_is_unique_in_the_database():
    first = StatementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementFactory(public_id=first.public_id)


def test_public_ids_use_only_the_unambiguous_alphabet():
    ids = {new_public_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(len(i) == 8 and set(i) <= set(PUBLIC_ID_ALPHABET) for i in ids)
    assert not set("0Oo1lIi") & set(PUBLIC_ID_ALPHABET)


def test_statements_get_distinct_public_ids_by_default():
    statements = StatementFactory.create_batch(25)
    stored = set(Statement.objects.values_list("public_id", flat=True))
    assert stored == {s.public_id for s in statements}
    assert len(stored) == 25


def test_normalised_alias_is_unique_across_speakers():
    SpeakerAliasFactory(name="Alva Quintero")
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerAlias.of(SpeakerFactory(), "ALVA QUINTERO").save()


def test_source_content_hash_is_unique():
    source = SourceDocumentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceDocumentFactory(text=source.text, conference=source.conference)


def test_role_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(started_on=datetime.date(2020, 1, 2), ended_on=datetime.date(2020, 1, 1))
    role = RoleFactory(started_on=datetime.date(2020, 1, 1), ended_on=datetime.date(2020, 1, 1))
    assert Role.objects.get(pk=role.pk).ended_on == datetime.date(2020, 1, 1)


def test_conference_slug_is_unique_per_date():
    first = ConferenceFactory(slug="briefing")
    ConferenceFactory(slug="briefing", date=first.date + datetime.timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ConferenceFactory(slug="briefing", date=first.date)


@pytest.mark.parametrize("status", ["draft", "review", "withdrawn"])
def test_published_hides_conferences_that_are_not_published(status):
    public = ConferenceFactory(status="published")
    hidden = ConferenceFactory(status=status)
    StatementFactory(conference=public, text="Public words.")
    StatementFactory(conference=hidden, text="Unpublished words.")
    assert list(Conference.objects.published()) == [public]
    assert list(Statement.objects.published().values_list("text", flat=True)) == ["Public words."]


def test_editable_and_public_statuses_split_the_workflow():
    for status in ("draft", "review", "published", "withdrawn"):
        ConferenceFactory(status=status, slug=status)
    editable = Conference.objects.editable().values_list("slug", flat=True)
    assert sorted(editable) == ["draft", "review"]
    assert Conference.PUBLIC_STATUSES == ("published", "withdrawn")
    assert [c.is_published for c in Conference.objects.order_by("slug")] == [
        False,
        True,
        False,
        False,
    ]  # draft, published, review, withdrawn


def test_published_q_follows_a_relation_to_the_conference():
    speaker = SpeakerFactory(slug="quintero")
    StatementFactory(speaker=speaker, conference=ConferenceFactory(status="published"))
    StatementFactory(speaker=speaker, conference=ConferenceFactory(status="draft"))
    StatementFactory(speaker=speaker, conference=ConferenceFactory(status="published"))
    counted = Speaker.objects.annotate(
        n=Count("statements", filter=Conference.published_q("statements__conference"))
    )
    assert counted.get(slug="quintero").n == 2


def test_topic_family_is_the_topic_and_its_children_only():
    maritime = TopicFactory(name="Maritime", slug="maritime")
    fisheries = TopicFactory(name="Fisheries", slug="fisheries", parent=maritime)
    quotas = TopicFactory(name="Quotas", slug="quotas", parent=fisheries)  # a grandchild
    TopicFactory(name="Trade", slug="trade")
    family = Topic.objects.family(maritime).values_list("slug", flat=True)
    assert sorted(family) == ["fisheries", "maritime"]
    assert sorted(Topic.objects.family(fisheries.pk).values_list("slug", flat=True)) == [
        "fisheries",
        "quotas",
    ]
    on_maritime = StatementFactory(text="On fisheries.")
    on_maritime.topics.add(fisheries)
    on_both = StatementFactory(text="On both.")
    on_both.topics.add(maritime, fisheries)  # counted once
    StatementFactory(text="On quotas.").topics.add(quotas)
    found = Statement.objects.for_topic(maritime).values_list("text", flat=True)
    assert sorted(found) == ["On both.", "On fisheries."]
    counts = dict(
        Topic.objects.annotate(n=Statement.objects.count_for_topic()).values_list("slug", "n")
    )
    assert counts == {"maritime": 2, "fisheries": 3, "quotas": 1, "trade": 0}


def test_status_values_are_stored_as_documented():
    assert [value for value, _ in Conference.Status.choices] == [
        "draft",
        "review",
        "published",
        "withdrawn",
    ]
    assert [value for value, _ in Statement.Fidelity.choices] == [
        "verbatim",
        "near_verbatim",
        "reported_quote",
        "paraphrase",
    ]
    assert [value for value, _ in Statement.Kind.choices] == ["remark", "question", "answer"]


def test_role_on_picks_the_role_held_that_day():
    speaker = SpeakerFactory()
    envoy = RoleFactory(
        speaker=speaker,
        title="Ambassador to Eastmark",
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2015, 6, 30),
    )
    minister = RoleFactory(
        speaker=speaker, title="Minister of Synthetic Affairs", started_on=datetime.date(2015, 7, 1)
    )
    assert speaker.role_on(datetime.date(2009, 12, 31)) is None
    assert speaker.role_on(datetime.date(2010, 1, 1)) == envoy
    assert speaker.role_on(datetime.date(2015, 6, 30)) == envoy
    assert speaker.role_on(datetime.date(2015, 7, 1)) == minister
    assert speaker.role_on(datetime.date(2030, 1, 1)) == minister


def test_role_on_prefers_the_latest_start_when_roles_overlap():
    speaker = SpeakerFactory()
    RoleFactory(speaker=speaker, title="Member of the Council")  # undated
    deputy = RoleFactory(speaker=speaker, title="Deputy", started_on=datetime.date(2020, 1, 1))
    assert speaker.role_on(datetime.date(2021, 1, 1)) == deputy
    assert speaker.role_on(datetime.date(2019, 1, 1)).title == "Member of the Council"


def test_every_public_model_has_a_readable_str_and_url():
    statement = StatementFactory(
        public_id="abcd2345",
        text="One two three four five six seven eight nine ten eleven twelve thirteen",
        conference=ConferenceFactory(
            title="Synthetic briefing", slug="synthetic", date=datetime.date(2024, 3, 9)
        ),
        speaker=SpeakerFactory(name="Alva Quintero", slug="alva-quintero"),
    )
    assert str(statement) == (
        "Alva Quintero: One two three four five six seven eight nine ten eleven twelve…"
    )
    assert statement.get_absolute_url() == "/s/abcd2345/"
    assert str(statement.conference) == "Synthetic briefing (2024-03-09)"
    assert statement.conference.get_absolute_url() == "/conferences/2024/03/09/synthetic/"
    assert statement.speaker.get_absolute_url() == "/speakers/alva-quintero/"


def test_role_on_gives_the_same_answer_from_prefetched_roles(django_assert_num_queries):
    speaker = SpeakerFactory()
    RoleFactory(speaker=speaker, title="Member of the Council")
    RoleFactory(
        speaker=speaker,
        title="Envoy",
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2012, 1, 1),
    )
    RoleFactory(speaker=speaker, title="Deputy", started_on=datetime.date(2011, 1, 1))
    days = [datetime.date(2009, 1, 1), datetime.date(2011, 6, 1), datetime.date(2013, 1, 1)]
    from_database = [speaker.role_on(day).title for day in days]
    prefetched = type(speaker).objects.prefetch_related("roles").get(pk=speaker.pk)
    with django_assert_num_queries(0):
        from_memory = [prefetched.role_on(day).title for day in days]
    assert from_database == from_memory == ["Member of the Council", "Deputy", "Deputy"]
