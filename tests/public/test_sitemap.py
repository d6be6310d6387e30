"""sitemap.xml (an index of per-section sitemaps) and robots.txt: published pages only."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.utils import timezone

from conferences.models import Conference, Statement, Topic
from conferences.public.sitemaps import StatementSitemap

from ..factories import ConferenceFactory, SpeakerFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)  # noqa: S314 -- our own response, not untrusted


def sections(client) -> list[str]:
    index = xml(client, "/sitemap.xml")
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]


def urls(client) -> dict[str, str | None]:
    """Every URL listed by the sitemaps the index points at, with its lastmod."""
    found = {}
    for section in sections(client):
        for url in xml(client, section.removeprefix(BASE)).findall("sm:url", NS):
            loc = url.find("sm:loc", NS).text
            assert loc not in found, f"{loc} is listed twice"
            lastmod = url.find("sm:lastmod", NS)
            found[loc] = None if lastmod is None else lastmod.text
    return found


def test_index_points_at_one_sitemap_per_section(client):
    assert sections(client) == [
        f"{BASE}/sitemap-conferences.xml",
        f"{BASE}/sitemap-statements.xml",
        f"{BASE}/sitemap-speakers.xml",
        f"{BASE}/sitemap-topics.xml",
    ]


def test_sitemap_lists_exactly_the_published_pages(client):
    alva = SpeakerFactory(slug="alva-quintero")
    hidden = SpeakerFactory(slug="only-in-drafts")
    SpeakerFactory(slug="silent")
    fisheries = TopicFactory(slug="fisheries")
    quotas = TopicFactory(slug="fishing-quotas", parent=fisheries)
    TopicFactory(slug="unused")
    secret = TopicFactory(slug="secret")
    published = ConferenceFactory(slug="briefing", date=datetime.date(2024, 5, 17))
    draft = ConferenceFactory(slug="draft", date=datetime.date(2024, 6, 1), status="draft")
    ConferenceFactory(slug="in-review", date=datetime.date(2024, 6, 2), status="review")
    one = StatementFactory(conference=published, speaker=alva, sequence=1)
    two = StatementFactory(conference=published, speaker=alva, sequence=2)
    two.topics.add(quotas)
    StatementFactory(conference=draft, speaker=hidden, sequence=1).topics.add(secret)

    assert set(urls(client)) == {
        f"{BASE}/conferences/2024/05/17/briefing/",
        f"{BASE}/s/{one.public_id}/",
        f"{BASE}/s/{two.public_id}/",
        f"{BASE}/speakers/alva-quintero/",
        f"{BASE}/topics/fisheries/",  # through its sub-topic
        f"{BASE}/topics/fishing-quotas/",
    }


def test_lastmod_is_when_the_page_last_changed(client):
    statement = StatementFactory()
    statement.topics.add(TopicFactory(slug="fisheries"))
    statement = Statement.objects.get(pk=statement.pk)
    day = timezone.localdate(statement.updated_at).isoformat()
    listed = urls(client)
    assert listed[f"{BASE}/s/{statement.public_id}/"] == day
    assert listed[f"{BASE}{statement.speaker.get_absolute_url()}"] == day
    assert listed[f"{BASE}/topics/fisheries/"] == day
    conference = Conference.objects.get()
    assert (
        listed[f"{BASE}{conference.get_absolute_url()}"]
        == timezone.localdate(conference.updated_at).isoformat()
    )


def test_statements_are_split_into_pages(client, monkeypatch):
    monkeypatch.setattr(StatementSitemap, "limit", 2)
    statements = StatementFactory.create_batch(5, conference=ConferenceFactory())
    assert sections(client) == [
        f"{BASE}/sitemap-conferences.xml",
        f"{BASE}/sitemap-statements.xml",
        f"{BASE}/sitemap-statements.xml?p=2",
        f"{BASE}/sitemap-statements.xml?p=3",
        f"{BASE}/sitemap-speakers.xml",
        f"{BASE}/sitemap-topics.xml",
    ]
    third = xml(client, "/sitemap-statements.xml?p=3").findall("sm:url/sm:loc", NS)
    assert [loc.text for loc in third] == [f"{BASE}/s/{statements[4].public_id}/"]
    listed = {url for url in urls(client) if url.startswith(f"{BASE}/s/")}
    assert listed == {f"{BASE}/s/{statement.public_id}/" for statement in statements}


def test_sitemap_page_limit_is_ten_thousand():
    assert StatementSitemap.limit == 10_000


def test_demo_sitemap(client):
    call_command("load_demo", verbosity=0)
    ConferenceFactory(slug="synthetic-draft", status="draft")
    public_ids = Statement.objects.values_list("public_id", flat=True)
    expected = {
        f"{BASE}{Conference.objects.get(status='published').get_absolute_url()}",
        f"{BASE}/speakers/sergey-lavrov/",
        f"{BASE}/topics/nato/",
        f"{BASE}/topics/russia-japan-peace-treaty/",
        f"{BASE}/topics/sanctions/",
        f"{BASE}/topics/security-guarantees/",
        *(f"{BASE}/s/{public_id}/" for public_id in public_ids),
    }
    assert len(expected) == 16
    assert set(urls(client)) == expected
    tagged = Topic.objects.filter(statements__isnull=False).values_list("slug", flat=True)
    assert set(tagged) == {"nato", "russia-japan-peace-treaty", "sanctions", "security-guarantees"}


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /statements/feed/\n"
        "Disallow: /statements/export\n"
        "Allow: /\n"
        "\n"
        "Sitemap: http://testserver/sitemap.xml\n"
    )


def test_robots_txt_names_the_sitemap_on_the_secure_host(client, settings):
    settings.ALLOWED_HOSTS = ["podium.example"]
    response = client.get("/robots.txt", headers={"host": "podium.example"}, secure=True)
    assert response.content.decode().endswith("Sitemap: https://podium.example/sitemap.xml\n")
