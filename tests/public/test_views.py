"""Public pages: what a reader sees, published material only."""

import datetime
import json
import re

import pytest
from django.core.management import call_command

from conferences.models import Conference, SourceDocument, Speaker, Statement, Topic

from ..factories import (
    ConferenceFactory,
    OrganizationFactory,
    RoleFactory,
    SpeakerFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

DEMO_URL = "/conferences/2022/01/14/press-conference-on-the-results-of-russian-diplomacy-in-2021/"


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
    return Conference.objects.get()


def test_home_has_search_latest_conferences_topics_and_speakers(client, demo):
    ConferenceFactory(title="Secret synthetic draft", status="draft")
    html = client.get("/").content.decode()
    assert '<input id="home-q" type="search" name="q"' in html
    assert (
        f'<a href="{DEMO_URL}">Press conference on the results of Russian diplomacy in 2021</a>'
        in html
    )
    assert "14 January 2022, Moscow" in html
    assert (
        '<a href="/topics/russia-japan-peace-treaty/">Russia-Japan peace treaty</a>'
        ' <span class="count">6</span>' in html
    )
    assert (
        '<a href="/speakers/sergey-lavrov/">Sergey Lavrov</a> <span class="count">10</span>' in html
    )
    assert "Secret synthetic draft" not in html


def test_conference_page_shows_the_transcript_participants_sources_and_topics(client, demo):
    html = client.get(DEMO_URL).content.decode()
    for statement in Statement.objects.all():
        assert f'id="s-{statement.public_id}"' in html
    assert html.count('class="statement"') == 10
    assert "Minister of Foreign Affairs of the Russian Federation" in html
    assert "News article, Prensa Latina, via TASS" in html
    assert (
        f'?conference={demo.pk}&amp;topic=sanctions">Sanctions</a> <span class="count">3</span>'
        in html
    )


def test_conferences_are_listed_by_year(client, demo):
    ConferenceFactory(title="Synthetic 2019 briefing", date=datetime.date(2019, 5, 1))
    ConferenceFactory(title="Hidden", date=datetime.date(2018, 5, 1), status="draft")
    html = client.get("/conferences/").content.decode()
    assert re.findall(r'href="\?year=(\d+)"', html) == ["2022", "2019"]
    assert "Press conference on the results of Russian diplomacy in 2021" in html
    assert "Synthetic 2019 briefing" not in html
    html = client.get("/conferences/?year=2019").content.decode()
    assert "Synthetic 2019 briefing" in html
    assert "Press conference on the results" not in html
    assert client.get("/conferences/?year=2018").content.decode().count("Hidden") == 0
    assert client.get("/conferences/?year=abc").status_code == 200


def test_permalink_shows_quote_role_source_and_context(client, demo):
    statement = Statement.objects.get(sequence=4)
    html = client.get(f"/s/{statement.public_id}/").content.decode()
    assert "even and especially in high-tech areas." in html
    assert (
        "Sergey Lavrov</a>, Minister of Foreign Affairs of the Russian Federation (Russia)" in html
    )
    assert '<p class="badge fidelity-reported_quote"' in html
    assert "A direct quote as a news report printed it" in html
    assert "Prensa Latina, via TASS" in html
    assert f'href="{DEMO_URL}#s-{statement.public_id}">Read it in context</a>' in html
    previous = Statement.objects.get(sequence=3)
    following = Statement.objects.get(sequence=5)
    assert f'<a href="/s/{previous.public_id}/" rel="prev">' in html
    assert f'<a href="/s/{following.public_id}/" rel="next">' in html


def test_permalink_head_is_citable(client, demo):
    statement = Statement.objects.get(sequence=4)
    url = f"http://testserver/s/{statement.public_id}/"
    html = client.get(f"/s/{statement.public_id}/").content.decode()
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<meta property="og:title" content="Sergey Lavrov, 14 January 2022">' in html
    assert (
        '<meta property="og:description" content="even and especially in high-tech areas.">' in html
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert data["@type"] == "Quotation"
    assert data["creator"]["name"] == "Sergey Lavrov"
    assert data["isPartOf"]["@type"] == "Event"
    assert data["dateCreated"] == "2022-01-14"
    assert (
        "Sergey Lavrov, Minister of Foreign Affairs of the Russian Federation, press conference, "
        "Moscow, 14 January 2022"
    ) in html
    for label in ("Newsroom", "Chicago", "APA", "MLA", "BibTeX", "RIS"):
        assert f'aria-label="Copy the {label} citation">Copy</button>' in html


def test_cosmetic_suffix_redirects_permanently_to_the_permalink(client, demo):
    statement = Statement.objects.get(sequence=1)
    for suffix in ("lavrov-on-nato/", "anything/at/all", "x"):
        response = client.get(f"/s/{statement.public_id}/{suffix}")
        assert response.status_code == 301
        assert response["Location"] == f"/s/{statement.public_id}/"
    assert client.get("/s/zzzzzzzz/whatever/").status_code == 404


def test_speaker_pages(client, demo):
    html = client.get("/speakers/").content.decode()
    assert (
        '<a href="/speakers/sergey-lavrov/">Sergey'
        " Lavrov</a></td><td>Russia</td><td>10</td><td>14 Jan 2022</td>" in html
    )
    html = client.get("/speakers/sergey-lavrov/").content.decode()
    assert (
        "Minister of Foreign Affairs of the Russian Federation, Ministry of Foreign"
        " Affairs of the Russian Federation" in html
    )
    assert "from 9 March 2004" in html
    assert html.count('class="statement"') == 10
    assert "?speaker=" in html and "All 10 statements by Sergey Lavrov" in html
    assert (
        'topic=russia-japan-peace-treaty">Russia-Japan peace treaty</a> <span'
        ' class="count">6</span>' in html
    )
    assert (
        '<desc id="timeline-desc">10 statements from January 2022 to January 2022; at'
        " most 10 in one month.</desc>" in html
    )


def test_topic_pages_with_subtopics_and_timeline(client):
    parent = TopicFactory(name="Maritime affairs", slug="maritime")
    child = TopicFactory(name="Fisheries", slug="fisheries", parent=parent)
    speaker = SpeakerFactory(name="Alva Quintero")
    for day, topic in [(datetime.date(2024, 1, 5), parent), (datetime.date(2024, 3, 5), child)]:
        statement = StatementFactory(conference=ConferenceFactory(date=day), speaker=speaker)
        statement.topics.add(topic)
    html = client.get("/topics/").content.decode()
    assert '<a href="/topics/fisheries/">Fisheries</a> <span class="count">1</span>' in html
    html = client.get("/topics/maritime/").content.decode()
    assert '<a href="/topics/fisheries/">Fisheries</a>' in html
    assert '<h2 id="topic-statements">2 statements</h2>' in html
    assert html.count("<rect ") == 3  # January, February (empty), March
    assert "<tr><td>January 2024</td><td>1</td></tr><tr><td>March 2024</td><td>1</td></tr>" in html
    assert 'Alva Quintero</a> <span class="count">2</span>' in html


@pytest.mark.parametrize("status", ["draft", "review", "withdrawn"])
def test_unpublished_material_never_appears(client, status):
    public = StatementFactory(text="Public words about fisheries.")
    hidden_speaker = SpeakerFactory(name="Hidden Speaker", slug="hidden-speaker")
    topic = TopicFactory(name="Secret topic", slug="secret-topic")
    conference = ConferenceFactory(status=status, date=datetime.date(2024, 2, 3), slug="hidden")
    hidden = StatementFactory(
        conference=conference, speaker=hidden_speaker, text="Unpublished fisheries words."
    )
    hidden.topics.add(topic)
    public.topics.add(topic)
    # A withdrawn statement was public and may be cited: Gone (410), without its words.
    expected = 410 if status == "withdrawn" else 404
    for url in (f"/s/{hidden.public_id}/", f"/s/{hidden.public_id}/x/"):
        response = client.get(url)
        assert response.status_code == expected
        assert "Unpublished fisheries words" not in response.content.decode()
    assert client.get("/conferences/2024/02/03/hidden/").status_code == 404
    assert client.get("/speakers/hidden-speaker/").status_code == 404
    pages = [
        "/",
        "/statements/",
        "/statements/?q=fisheries",
        "/conferences/",
        "/speakers/",
        "/topics/",
        "/topics/secret-topic/",
        f"/statements/?speaker={hidden_speaker.pk}",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Unpublished" not in html, url
        assert "Hidden Speaker" not in html, url
    html = client.get("/topics/").content.decode()
    assert '<a href="/topics/secret-topic/">Secret topic</a> <span class="count">1</span>' in html


def test_impossible_dates_are_not_found(client, demo):
    assert client.get("/conferences/2022/13/45/anything/").status_code == 404


def test_user_text_is_escaped(client):
    statement = StatementFactory(text='<script>alert("x")</script> & more')
    html = client.get(f"/s/{statement.public_id}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in html
    assert "\\u003cscript\\u003e" in html  # and inside the JSON-LD


def test_role_shown_is_the_one_held_that_day(client):
    speaker = SpeakerFactory(name="Alva Quintero")
    org = OrganizationFactory(name="Ministry of Norlandia")
    RoleFactory(speaker=speaker, title="Envoy", ended_on=datetime.date(2019, 12, 31))
    RoleFactory(
        speaker=speaker, title="Minister", organization=org, started_on=datetime.date(2020, 1, 1)
    )
    old = StatementFactory(
        speaker=speaker, conference=ConferenceFactory(date=datetime.date(2019, 6, 1))
    )
    new = StatementFactory(
        speaker=speaker, conference=ConferenceFactory(date=datetime.date(2021, 6, 1))
    )
    assert "Alva Quintero</a>, Envoy" in client.get(f"/s/{old.public_id}/").content.decode()
    assert "Alva Quintero</a>, Minister" in client.get(f"/s/{new.public_id}/").content.decode()
    listing = client.get("/statements/?sort=oldest").content.decode()
    assert listing.index('<span class="role">Envoy</span>') < listing.index(
        '<span class="role">Minister</span>'
    )


def test_speaker_list_shows_the_latest_published_date_only(client, demo):
    lavrov = Speaker.objects.get()
    draft = ConferenceFactory(status="draft", date=datetime.date(2030, 6, 6))
    StatementFactory(conference=draft, speaker=lavrov)
    html = client.get("/speakers/").content.decode()
    assert "<td>10</td><td>14 Jan 2022</td>" in html
    assert "2030" not in html


@pytest.mark.parametrize("year", ["-1", "0", "10000", "99999999999999999999", "abc", "2021"])
def test_any_year_on_the_conference_list_falls_back_to_the_latest(client, demo, year):
    response = client.get(f"/conferences/?year={year}")
    assert response.status_code == 200
    assert "<h1>Conferences of 2022</h1>" in response.content.decode()


def test_a_stored_non_http_source_url_is_never_a_link(client, demo):
    SourceDocument.objects.update(url="javascript:alert(2)")
    statement = Statement.objects.get(sequence=1)
    for url in (f"/s/{statement.public_id}/", DEMO_URL):
        html = client.get(url).content.decode()
        assert 'href="javascript:' not in html
        assert "javascript:alert(2)" in html  # shown as text, so an editor can see and fix it


def test_topic_counts_include_sub_topics_everywhere(client, demo):
    sanctions = Topic.objects.get(slug="sanctions")
    child = TopicFactory(name="Export controls", slug="export-controls", parent=sanctions)
    for statement in Statement.objects.filter(sequence__in=[1, 2, 3]):
        statement.topics.add(child)  # 3 is also tagged Sanctions itself: counted once
    listing = client.get("/topics/").content.decode()
    assert '<a href="/topics/sanctions/">Sanctions</a> <span class="count">5</span>' in listing
    filtered = client.get("/statements/?topic=sanctions").content.decode()
    assert ">5 statements<" in filtered
    facet = re.search(r'aria-labelledby="facet-topic">(.*?)</section>', filtered, re.S)[1]
    assert re.search(r">Sanctions</a>\s*<span class=\"count\">5</span>", facet)
