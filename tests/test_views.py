"""The first public pages: published material only, drafts never leak."""

import datetime

import pytest
from django.core.management import call_command

from conferences.models import Conference, Statement

from .factories import ConferenceFactory, SpeakerFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
    return Conference.objects.get()


def test_home_lists_published_conferences_only(client, demo):
    ConferenceFactory(title="Secret synthetic draft", status="draft")
    html = client.get("/").content.decode()
    assert "Press conference on the results of Russian diplomacy in 2021" in html
    assert "14 January 2022, Moscow" in html
    assert "Secret synthetic draft" not in html


def test_conference_page_shows_every_statement_with_an_anchor(client, demo):
    response = client.get(
        "/conferences/2022/01/14/press-conference-on-the-results-of-russian-diplomacy-in-2021/"
    )
    html = response.content.decode()
    assert response.status_code == 200
    for statement in Statement.objects.all():
        assert f'id="s-{statement.public_id}"' in html
    assert html.count('class="statement"') == 10


def test_permalink_shows_quote_role_and_source(client, demo):
    statement = Statement.objects.get(sequence=4)
    html = client.get(f"/s/{statement.public_id}/").content.decode()
    assert "even and especially in high-tech areas." in html
    assert "Sergey Lavrov</a>, Minister of Foreign Affairs of the Russian Federation" in html
    assert "Quote in a news report" in html
    assert "News article, Prensa Latina, via TASS" in html
    assert f'#s-{statement.public_id}"' in html


@pytest.mark.parametrize("status", ["draft", "review", "withdrawn"])
def test_unpublished_material_is_not_found(client, status):
    conference = ConferenceFactory(status=status, date=datetime.date(2024, 2, 3), slug="hidden")
    speaker = SpeakerFactory(slug="hidden-speaker")
    topic = TopicFactory(slug="hidden-topic")
    statement = StatementFactory(conference=conference, speaker=speaker)
    statement.topics.add(topic)
    assert client.get(f"/s/{statement.public_id}/").status_code == 404
    assert client.get("/conferences/2024/02/03/hidden/").status_code == 404
    assert client.get("/speakers/hidden-speaker/").status_code == 404
    topic_page = client.get("/topics/hidden-topic/").content.decode()
    assert statement.text not in topic_page


def test_impossible_dates_are_not_found(client, demo):
    assert client.get("/conferences/2022/13/45/anything/").status_code == 404


def test_user_text_is_escaped(client):
    statement = StatementFactory(text='<script>alert("x")</script> & more')
    html = client.get(f"/s/{statement.public_id}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in html
