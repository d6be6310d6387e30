"""The "Reported by" section of a statement's permalink: the articles that quoted it."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from conferences.editorial.reports import reported_by
from conferences.models import Conference, StatementReport
from conferences.text.diff import as_compared, quote_diff, word_diff

from ..factories import (
    ConferenceFactory,
    OrganizationFactory,
    SourceDocumentFactory,
    SpeakerFactory,
    StatementFactory,
)

SAID = "The harbour of Port Aster will reopen to ferries on Monday, after the inspections."


@pytest.fixture
def statement(db):
    conference = ConferenceFactory(
        title="Harbour briefing", slug="harbour", date=datetime.date(2023, 3, 9)
    )
    return StatementFactory(
        conference=conference, speaker=SpeakerFactory(name="Alva Quintero"), text=SAID
    )


def report(statement, quoted, similarity=1.0, conference=None, **source):
    article = SourceDocumentFactory(
        conference=conference or statement.conference, kind="news_article", **source
    )
    return StatementReport.objects.create(
        statement=statement, source=article, quoted_text=quoted, similarity=similarity
    )


def page(client, statement):
    response = client.get(statement.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_permalink_lists_each_report_with_outlet_date_link_and_words(client, statement):
    wire = OrganizationFactory(name="Norland Wire", kind="media")
    quoted = "The harbour of Port Aster will reopen to ferries on Monday"
    report(
        statement,
        quoted,
        outlet=wire,
        published_on=datetime.date(2023, 3, 10),
        url="https://wire.example/harbour",
    )
    html = page(client, statement)
    assert '<h2 id="reports-heading">Reported by</h2>' in html
    assert (
        '<a href="https://wire.example/harbour" rel="nofollow noopener">Norland Wire</a>, '
        '<time datetime="2023-03-10">10 March 2023</time>:'
    ) in html
    assert f'<q class="report-quote">{quoted}</q>' in html
    assert "The wording differs" not in html


def test_a_report_without_outlet_shows_the_articles_title_and_no_unsafe_link(client, statement):
    report(statement, SAID, title="Ferries back on Monday", url="javascript:alert(1)")
    html = page(client, statement)
    assert "Ferries back on Monday:" in html
    assert "javascript:" not in html


def test_a_differing_quote_shows_the_difference_word_by_word(client, statement):
    report(statement, "the harbour of Port Aster will reopen to ships on Monday", 0.9)
    html = page(client, statement)
    assert "The wording differs from the statement" in html
    assert (
        "The harbour of Port Aster will reopen to <del>ferries</del> <ins>ships</ins> on Monday, …"
    ) in html


def test_html_in_a_quote_is_shown_as_text(client, statement):
    payload = 'The harbour <script>alert("x")</script> will reopen <b>on Monday</b>'
    report(statement, payload, 0.5, title="<i>Wire</i>")
    html = page(client, statement)
    assert "<script>alert" not in html
    assert "<b>on Monday" not in html
    assert "<i>Wire</i>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;i&gt;Wire&lt;/i&gt;:" in html


def test_only_reports_from_published_conferences_or_the_statements_own_are_shown(client, statement):
    draft = ConferenceFactory(status=Conference.Status.DRAFT)
    report(statement, "from a draft", 0.95, conference=draft, title="Draft article")
    report(statement, SAID, title="Own conference article")
    elsewhere = ConferenceFactory(status=Conference.Status.PUBLISHED)
    report(statement, SAID, conference=elsewhere, title="Published elsewhere")
    shown = [shown.outlet for shown in reported_by(statement)]
    assert shown == ["Own conference article", "Published elsewhere"]
    assert "Draft article" not in page(client, statement)
    draft.status = Conference.Status.PUBLISHED
    draft.save()
    assert len(reported_by(statement)) == 3


def test_no_reports_no_section(client, statement):
    assert "Reported by" not in page(client, statement)


def test_the_permalink_runs_as_many_queries_for_three_reports_as_for_one(client, statement):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            page(client, statement)
        return len(captured)

    wire = OrganizationFactory(kind="media")
    report(statement, SAID, outlet=wire)
    one = queries()
    for n in range(2):
        report(statement, f"{SAID} {n}", 0.95, outlet=OrganizationFactory(kind="media"))
    assert queries() == one


def test_word_diff_compares_words_not_case_or_punctuation_when_asked():
    said, printed = "We will act, now.", "“we will ACT now”"
    assert word_diff(said, printed, key=as_compared) == [("equal", "We will act, now.")]
    assert word_diff(said, printed) == [  # a correction compares the words as written
        ("delete", "We"),
        ("insert", "“we"),
        ("equal", "will"),
        ("delete", "act, now."),
        ("insert", "ACT now”"),
    ]
    assert word_diff("a b c", "a x c", key=as_compared) == [
        ("equal", "a"),
        ("delete", "b"),
        ("insert", "x"),
        ("equal", "c"),
    ]
    assert word_diff("a b c", "a c") == [("equal", "a"), ("delete", "b"), ("equal", "c")]


def test_word_diff_partial_escapes_every_word():
    html = render_to_string(
        "conferences/_word_diff.html", {"diff": word_diff("a <b>", "a <i>", key=as_compared)}
    )
    assert html == "a <del>&lt;b&gt;</del> <ins>&lt;i&gt;</ins>"


def test_quote_diff_shows_only_the_stretch_the_quote_stands_for():
    said = "First sentence here. The harbour will reopen on Monday. Last sentence there."
    assert quote_diff(said, "The harbour will open on Monday") == [
        ("equal", "…"),
        ("equal", "The harbour will"),
        ("delete", "reopen"),
        ("insert", "open"),
        ("equal", "on Monday."),
        ("equal", "…"),
    ]
