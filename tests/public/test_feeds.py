"""Atom feeds: the latest statements, per speaker, topic and country, and for any /statements/
query; each parses as Atom, lists published statements only, newest first."""

import datetime

import feedparser
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferences.models import Statement

from ..factories import ConferenceFactory, SpeakerFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.version == "atom10"
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def ids(feed) -> list[str]:
    """Public ids of the entries, in feed order."""
    return [entry.link.removeprefix(f"{BASE}/s/").removesuffix("/") for entry in feed.entries]


@pytest.fixture
def archive():
    """Two published conferences and a draft, two speakers of two countries, a topic tree."""
    alva = SpeakerFactory(name="Alva Quintero", slug="alva-quintero", country="IS")
    bram = SpeakerFactory(name="Bram Oduya", slug="bram-oduya", country="KE")
    march = ConferenceFactory(date=datetime.date(2024, 3, 9))
    may = ConferenceFactory(date=datetime.date(2024, 5, 17))
    draft = ConferenceFactory(date=datetime.date(2024, 6, 1), status="draft")
    fisheries = TopicFactory(name="Fisheries", slug="fisheries")
    quotas = TopicFactory(name="Fishing quotas", slug="fishing-quotas", parent=fisheries)
    rows = {
        "march1": StatementFactory(
            conference=march, speaker=alva, sequence=1, text="Norlandia opens the port."
        ),
        "march2": StatementFactory(
            conference=march,
            speaker=bram,
            sequence=2,
            kind="question",
            text="Will the quotas <change> & when?\nWe ask again.",
        ),
        "may1": StatementFactory(
            conference=may,
            speaker=alva,
            sequence=1,
            kind="answer",
            fidelity="paraphrase",
            text=(
                "The ministry will review the fishing quotas together with the northern "
                "cooperatives before the end of the season, and report to the assembly."
            ),
        ),
        "may2": StatementFactory(
            conference=may, speaker=bram, sequence=2, text="Thank you, Minister."
        ),
        "draft": StatementFactory(
            conference=draft, speaker=alva, sequence=1, text="Secret synthetic draft words."
        ),
    }
    rows["march1"].topics.add(fisheries)
    rows["may1"].topics.add(quotas)
    rows["draft"].topics.add(fisheries)
    return rows


def test_latest_feed_lists_published_statements_newest_first(client, archive):
    feed = parse(client, "/feeds/statements/")
    assert feed.feed.title == "Podium: latest statements"
    assert feed.feed.link == f"{BASE}/statements/"
    assert [entry.title for entry in feed.entries] == [
        "Alva Quintero, 17 May 2024: The ministry will review the fishing quotas together with "
        "the northern…",
        "Bram Oduya, 17 May 2024: Thank you, Minister.",
        "Alva Quintero, 9 March 2024: Norlandia opens the port.",
        "Bram Oduya, 9 March 2024: Will the quotas <change> & when? We ask again.",
    ]
    expected = [archive[key].public_id for key in ("may1", "may2", "march1", "march2")]
    assert ids(feed) == expected
    assert [entry.id for entry in feed.entries] == [f"{BASE}/s/{i}/" for i in expected]
    assert [entry.author for entry in feed.entries] == [
        "Alva Quintero",
        "Bram Oduya",
        "Alva Quintero",
        "Bram Oduya",
    ]
    may1 = Statement.objects.get(pk=archive["may1"].pk)
    assert feed.entries[0].updated == may1.updated_at.isoformat()


def test_entry_content_is_the_full_text_escaped_with_its_line_breaks(client, archive):
    xml = client.get("/feeds/statements/").content.decode()
    assert (
        '<content type="html">Will the quotas &amp;lt;change&amp;gt; &amp;amp; when?&lt;br&gt;'
        "We ask again.</content>" in xml
    )
    entry = parse(client, "/feeds/statements/").entries[0]
    assert entry.content[0].value == archive["may1"].text


def test_latest_feed_holds_the_fifty_newest(client):
    conference = ConferenceFactory()
    statements = StatementFactory.create_batch(52, conference=conference)
    feed = parse(client, "/feeds/statements/")
    assert ids(feed) == [statement.public_id for statement in statements[:50]]


def test_speaker_feed_lists_only_that_speaker(client, archive):
    feed = parse(client, "/speakers/alva-quintero/feed/")
    assert feed.feed.title == "Podium: statements by Alva Quintero"
    assert feed.feed.link == f"{BASE}/speakers/alva-quintero/"
    assert ids(feed) == [archive["may1"].public_id, archive["march1"].public_id]


def test_speaker_feed_is_404_for_unknown_or_draft_only_speakers(client, archive):
    hidden = SpeakerFactory(slug="only-in-drafts")
    StatementFactory(conference=archive["draft"].conference, speaker=hidden, sequence=2)
    assert client.get("/speakers/nobody/feed/").status_code == 404
    assert client.get("/speakers/only-in-drafts/feed/").status_code == 404


def test_topic_feed_includes_sub_topics(client, archive):
    feed = parse(client, "/topics/fisheries/feed/")
    assert feed.feed.title == "Podium: statements on Fisheries"
    assert ids(feed) == [archive["may1"].public_id, archive["march1"].public_id]
    assert ids(parse(client, "/topics/fishing-quotas/feed/")) == [archive["may1"].public_id]
    assert client.get("/topics/no-such-topic/feed/").status_code == 404


def test_country_feed_lists_speakers_of_that_country(client, archive):
    feed = parse(client, "/countries/KE/feed/")
    assert feed.feed.title == "Podium: statements by speakers from Kenya"
    assert feed.feed.link == f"{BASE}/statements/?country=KE"
    assert ids(feed) == [archive["may2"].public_id, archive["march2"].public_id]
    assert ids(parse(client, "/countries/is/feed/")) == [
        archive["may1"].public_id,
        archive["march1"].public_id,
    ]
    assert parse(client, "/countries/FR/feed/").entries == []
    assert client.get("/countries/XX/feed/").status_code == 404
    assert client.get("/countries/norlandia/feed/").status_code == 404


def page_ids(client, query: str) -> list[str]:
    """Public ids the /statements/ page lists for `query`, its pages followed up to 50."""
    found: list[str] = []
    number = 1
    while len(found) < 50:
        response = client.get(f"/statements/?{query}&page={number}")
        assert response.status_code == 200
        found += [statement.public_id for statement in response.context["statements"]]
        if not response.context["page"].has_next():
            break
        number += 1
    return found[:50]


QUERIES = [
    "",
    "country=IS",
    "topic=fisheries",
    "kind=question",
    "fidelity=paraphrase",
    "date_from=2024-04-01",
    "date_to=2024-04-01",
    "year=2024&sort=oldest",
    "q=quotas",
    "q=quotas&sort=oldest",
    "q=minister&country=KE",
]


@pytest.mark.parametrize("query", QUERIES)
def test_filtered_feed_lists_what_the_page_lists(client, archive, query):
    feed = parse(client, f"/statements/feed/?{query}")
    assert ids(feed) == page_ids(client, query)
    assert feed.feed.link == f"{BASE}/statements/" + (f"?{query}" if query else "")


def test_filtered_feed_by_speaker_and_its_limit_of_fifty(client, archive):
    speaker = archive["may2"].speaker
    StatementFactory.create_batch(55, conference=archive["may2"].conference, speaker=speaker)
    query = f"speaker={speaker.pk}"
    feed = parse(client, f"/statements/feed/?{query}")
    assert len(feed.entries) == 50
    assert ids(feed) == page_ids(client, query)
    assert {entry.author for entry in feed.entries} == {"Bram Oduya"}


def test_filtered_feed_self_link_keeps_the_query(client, archive):
    xml = client.get("/statements/feed/?country=IS&kind=answer").content.decode()
    assert f'<link href="{BASE}/statements/feed/?country=IS&amp;kind=answer" rel="self"/>' in xml


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "kind=shout",
        "fidelity=rumour",
        "speaker=999999",
        "topic=no-such-topic",
        "country=XX",
        "date_from=yesterday",
        "sort=loudest",
    ],
)
def test_filtered_feed_answers_400_for_bad_values(client, archive, query):
    response = client.get(f"/statements/feed/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("Some of the filters could not be used: ")


def test_drafts_are_in_no_feed(client, archive):
    urls = [
        "/feeds/statements/",
        "/speakers/alva-quintero/feed/",
        "/topics/fisheries/feed/",
        "/countries/IS/feed/",
        "/statements/feed/?q=secret",
        "/statements/feed/?date_from=2024-06-01",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert "Secret synthetic" not in body
        assert archive["draft"].public_id not in body
    assert client.get(
        f"/statements/feed/?conference={archive['draft'].conference.pk}"
    ).status_code == (400)


@pytest.mark.parametrize(
    "url",
    ["/feeds/statements/", "/speakers/s/feed/", "/topics/t/feed/", "/statements/feed/?year=2024"],
)
def test_feeds_run_as_many_queries_for_one_entry_as_for_three(client, url):
    speaker = SpeakerFactory(slug="s")
    topic = TopicFactory(slug="t")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    StatementFactory(speaker=speaker).topics.add(topic)
    one = count()
    for _ in range(2):
        StatementFactory(speaker=speaker, conference=ConferenceFactory()).topics.add(topic)
    assert count() == one


def test_pages_advertise_their_feeds(client, archive):
    link = '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">'
    latest = link.format("Podium: latest statements", "/feeds/statements/")
    assert latest in client.get("/").content.decode()
    html = client.get("/speakers/alva-quintero/").content.decode()
    assert latest in html
    assert link.format("Podium: statements by Alva Quintero", "/speakers/alva-quintero/feed/") in (
        html
    )
    html = client.get("/topics/fisheries/").content.decode()
    assert link.format("Podium: statements on Fisheries", "/topics/fisheries/feed/") in html
    html = client.get("/statements/?country=IS&kind=answer&page=1").content.decode()
    assert (
        link.format(
            "Podium: statements matching this filter",
            "/statements/feed/?country=IS&amp;kind=answer",
        )
        in html
    )


def test_demo_feeds(client):
    call_command("load_demo", verbosity=0)
    feed = parse(client, "/feeds/statements/")
    assert len(feed.entries) == 10
    assert {entry.author for entry in feed.entries} == {"Sergey Lavrov"}
    assert all(entry.title.startswith("Sergey Lavrov, 14 January 2022: ") for entry in feed.entries)
    by_sequence = list(Statement.objects.order_by("sequence").values_list("public_id", flat=True))
    assert ids(feed) == by_sequence
    assert ids(parse(client, "/countries/RU/feed/")) == by_sequence
    assert ids(parse(client, "/speakers/sergey-lavrov/feed/")) == by_sequence
    nato = parse(client, "/topics/nato/feed/")
    assert ids(nato) == list(
        Statement.objects.filter(topics__slug="nato")
        .order_by("sequence")
        .values_list("public_id", flat=True)
    )
    assert ids(parse(client, "/statements/feed/?topic=sanctions")) == page_ids(
        client, "topic=sanctions"
    )
