"""Quotes of a news article that the archive already holds from a transcript: how alike two
texts are, which statements are candidates, and the admin import that records the article as a
further source (a StatementReport) rather than a new statement."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError

from conferences.editorial import workflow
from conferences.importer.matching import align, match_quotes, tokens, words
from conferences.importer.service import build_preview, make_plan, preview_json
from conferences.importer.writer import write
from conferences.models import Conference, SourceDocument, SpeakerAlias, Statement, StatementReport

from ..admin.test_import import URL, save_data, selected
from ..factories import ConferenceFactory, SpeakerFactory, StatementFactory

SAID = (
    "Norlandia will not sign the accord until the harbour inspections are finished, "
    "and we have told our Altaran colleagues so many times."
)
# Twelve words, as a reporter would print them.
QUOTE = "Norlandia will not sign the accord until the harbour inspections are finished"


def similarity(quote, said=SAID):
    found = align(tokens(quote), words(said))
    return found.similarity if found else 0.0


# -- How alike (no database) ---------------------------------------------------------------


def test_normalising_ignores_case_quote_marks_apostrophes_dashes_and_accents():
    assert (
        " ".join(words("“We DON’T—ever—back down,” said Zoë.")) == "we dont ever back down said zoe"
    )
    assert " ".join(tokens("a provocation ... a bad sign…")) == "a provocation … a bad sign …"


def test_an_identical_quote_is_100_percent_alike():
    assert similarity(QUOTE) == 1.0
    assert similarity(f"“{QUOTE.upper()},”") == 1.0


def test_one_word_changed_in_a_twelve_word_quote_is_above_the_threshold():
    changed = QUOTE.replace("finished", "complete")
    assert len(words(changed)) == 12
    assert similarity(changed) == pytest.approx(11 / 12)


def test_a_word_left_out_silently_is_a_difference():
    # Every quoted word is in the statement, in order, but "not" is gone: 11 of 12.
    assert similarity(QUOTE.replace("will not", "will")) == pytest.approx(11 / 12)
    assert similarity("we will act", said="We will not act.") == 0.75


def test_words_left_out_at_an_ellipsis_cost_nothing():
    assert similarity("Norlandia will not sign the accord … our Altaran colleagues") == 1.0
    assert similarity("Norlandia will not sign the accord our Altaran colleagues") < 0.9


def test_a_stray_common_word_far_away_does_not_stretch_the_alignment():
    said = "Today the harbour is open. " + "Nothing else was said by anyone here. " * 5 + SAID
    # "today" stands 45 words before the rest: the alignment leaves it unmatched.
    assert similarity("Today " + QUOTE, said=said) == pytest.approx(12 / 13)


# -- Candidates and matches (database) -------------------------------------------------------


@pytest.fixture
def quintero(db):
    speaker = SpeakerFactory(name="Alva Quintero", slug="alva-quintero")
    SpeakerAlias.of(speaker, "Alva Quintero").save()
    return speaker


@pytest.fixture
def briefing(quintero):
    conference = ConferenceFactory(
        title="Ferry briefing", slug="ferry-briefing", date=datetime.date(2023, 3, 9)
    )
    return StatementFactory(
        conference=conference, speaker=quintero, sequence=1, text=SAID, fidelity="verbatim"
    )


def match(speaker, quote, date=datetime.date(2023, 3, 10)):
    return match_quotes([(0, speaker, quote)], date).get(0)


def test_an_identical_quote_matches_its_statement(briefing, quintero):
    found = match(quintero, QUOTE)
    assert (found.statement, found.public_id, found.similarity) == (
        briefing,
        briefing.public_id,
        1.0,
    )
    assert found.wording_differs is False
    assert found.percent == 100


def test_one_word_changed_matches_and_says_the_wording_differs(briefing, quintero):
    found = match(quintero, QUOTE.replace("finished", "complete"))
    assert found.statement == briefing
    assert found.wording_differs is True
    assert found.percent == 91


def test_a_quote_80_percent_alike_does_not_match(briefing, quintero):
    eighty = "Norlandia will not sign any accord until the harbour checks"
    assert similarity(eighty) == pytest.approx(8 / 10)
    assert match(quintero, eighty) is None
    assert match(quintero, "Norlandia will not sign the ferry treaty before inspections") is None


def test_short_quotes_match_only_when_they_match_entirely(briefing, quintero):
    assert match(quintero, "harbour inspections are finished").statement == briefing  # 4 words
    assert match(quintero, "the harbour inspections").statement == briefing  # 3, exact
    assert match(quintero, "the harbour checks") is None  # 3 words, 2 alike
    assert match(quintero, "Norlandia will…") is not None
    assert match(quintero, "…") is None


def test_another_speakers_statements_never_match(briefing):
    eberle = SpeakerFactory(name="Tomas Eberle")
    assert match(eberle, QUOTE) is None
    assert match(None, QUOTE) is None


@pytest.mark.parametrize("fidelity", ["paraphrase", "reported_quote"])
def test_only_transcript_statements_are_candidates(quintero, fidelity):
    StatementFactory(speaker=quintero, text=SAID, fidelity=fidelity)
    assert match(quintero, QUOTE, date=None) is None


def test_near_verbatim_statements_are_candidates_after_verbatim_ones(briefing, quintero):
    interpreted = StatementFactory(
        conference=briefing.conference, speaker=quintero, text=SAID, fidelity="near_verbatim"
    )
    assert match(quintero, QUOTE).statement == briefing
    briefing.delete()
    assert match(quintero, QUOTE).statement == interpreted


def test_drafts_are_candidates_too(briefing, quintero):
    Conference.objects.update(status=Conference.Status.DRAFT)
    assert match(quintero, QUOTE).statement == briefing


def test_a_dated_article_looks_a_week_either_side(briefing, quintero):
    assert match(quintero, QUOTE, date=datetime.date(2023, 3, 16)).statement == briefing
    assert match(quintero, QUOTE, date=datetime.date(2023, 3, 2)).statement == briefing
    assert match(quintero, QUOTE, date=datetime.date(2023, 3, 17)) is None
    assert match(quintero, QUOTE, date=None).statement == briefing


def test_one_query_for_every_quote_and_speaker(briefing, quintero, django_assert_num_queries):
    eberle = SpeakerFactory(name="Tomas Eberle")
    StatementFactory(speaker=eberle, text="The ferry line will reopen in May, not before.")
    quotes = [
        (0, quintero, QUOTE),
        (1, eberle, "The ferry line will reopen in May, not before"),
        (2, quintero, "We have told our Altaran colleagues so many times"),
        (3, eberle, "Something he never said at all, anywhere"),
    ]
    with django_assert_num_queries(1):
        found = match_quotes(quotes)
    assert sorted(found) == [0, 1, 2]


# -- The import: preview, plan and the admin ------------------------------------------------

ARTICLE = """Norland Wire

PORT ASTER, 10 March 2023 — Norlandia will not sign the ferry accord this spring, its foreign \
minister said on Thursday.

"{first}," Alva Quintero told reporters in Port Aster.

Quintero added that the talks would go on. "{second}," she said.
"""
KNOWN_SECOND = "We have told our Altaran colleagues so many times"
NEW_SECOND = "We remain at the table and we expect our neighbours to stay there too"


def article(first=QUOTE, second=KNOWN_SECOND):
    return ARTICLE.format(first=first, second=second)


def test_preview_rows_carry_their_match_and_the_json_says_so(briefing):
    preview = build_preview(article(second=NEW_SECOND))
    assert [row.match.statement if row.match else None for row in preview.rows] == [
        briefing,
        None,
    ]
    statements = preview_json(preview)["statements"]
    assert statements[0]["match"] == {
        "public_id": briefing.public_id,
        "permalink": f"/s/{briefing.public_id}/",
        "similarity": 1.0,
        "wording_differs": False,
    }
    assert statements[1]["match"] is None


def test_transcripts_are_not_matched(briefing, quintero):
    SpeakerAlias.of(quintero, "Quintero").save()
    preview = build_preview(f"MS. QUINTERO: {SAID}\n\nQUESTION: When?\n\nMS. QUINTERO: Soon.")
    assert preview.doc.kind == "transcript"
    assert preview.rows[0].choice.existing == quintero
    assert all(row.match is None for row in preview.rows)


def test_two_quotes_of_one_statement_make_one_report(briefing):
    plan = make_plan(build_preview(article()))
    assert plan.statements == []
    [report] = plan.reports
    assert report.statement == briefing
    assert report.quoted_text == f"{QUOTE}, … {KNOWN_SECOND},"
    assert plan.conference == briefing.conference
    assert plan.published_on == datetime.date(2023, 3, 10)


def form_data(text, **extra):
    data = {"text": text, "kind": "auto", "action": "preview", "outlet": "Norland Wire"}
    return {**data, "title": "Norland Wire on the ferry accord", **extra}


def preview_and_save(client, text, **overrides):
    html = client.post(URL, form_data(text)).content.decode()
    data = save_data(html, **overrides)
    data["text"], data["outlet"] = text, "Norland Wire"
    return html, client.post(URL, data)


def counts():
    return [m.objects.count() for m in (Conference, SourceDocument, Statement, StatementReport)]


def test_preview_says_the_quote_is_already_in_the_archive(client, editor, briefing):
    html = client.post(URL, form_data(article(second=NEW_SECOND))).content.decode()
    link = f'<a href="/s/{briefing.public_id}/">/s/{briefing.public_id}</a>'
    assert f"Already in the archive as {link} (verbatim transcript, 100% alike)" in html
    assert "1 quote is already in the archive." in html
    assert selected(html, "row-0-report") == briefing.public_id
    assert 'name="row-1-report"' not in html


def test_preview_links_a_draft_match_to_its_admin_page_and_shows_the_difference(
    client, editor, briefing
):
    Conference.objects.update(status=Conference.Status.DRAFT)
    changed = QUOTE.replace("finished", "complete")
    html = client.post(URL, form_data(article(first=changed))).content.decode()
    admin_url = f"/admin/conferences/statement/{briefing.pk}/change/"
    assert f'Already in the archive as <a href="{admin_url}">' in html
    assert "(verbatim transcript, 91% alike)" in html
    assert "<del>finished,</del> <ins>complete,</ins>" in html


def test_saving_with_the_default_records_reports_and_no_statement(client, reviewer, briefing):
    before = counts()
    # Every quote is in the archive: no new conference is needed, title and date may be empty.
    _, response = preview_and_save(client, article(), title="", date="")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/conferences/conference/{briefing.conference_id}/change/"
    assert counts() == [before[0], before[1] + 1, before[2], before[3] + 1]
    report = StatementReport.objects.get()
    assert report.statement == briefing
    assert (report.source.conference, report.source.kind, report.source.outlet.name) == (
        briefing.conference,
        "news_article",
        "Norland Wire",
    )
    assert report.source.published_on == datetime.date(2023, 3, 10)
    assert (report.label, report.similarity) == ("Alva Quintero", 1.0)
    assert report.source.text[report.source_start : report.source_end].startswith(QUOTE)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Imported 0 statements and 1 report of statements already in the archive into "
        f"“{briefing.conference}” (published); 0 new speakers."
    ]


def test_new_quotes_beside_a_report_go_to_a_new_draft(client, editor, briefing):
    before = counts()
    _, response = preview_and_save(client, article(second=NEW_SECOND))
    assert response.status_code == 302
    assert counts() == [before[0] + 1, before[1] + 1, before[2] + 1, before[3] + 1]
    draft = Conference.objects.exclude(pk=briefing.conference_id).get()
    assert draft.status == "draft"
    assert list(draft.statements.values_list("text", flat=True)) == [f"{NEW_SECOND},"]
    source = SourceDocument.objects.get(kind="news_article")
    assert source.conference == draft
    assert StatementReport.objects.get().source == source


def test_choosing_create_new_makes_a_statement(client, editor, briefing):
    before = counts()
    _, response = preview_and_save(client, article(second=NEW_SECOND), **{"row-0-report": "new"})
    assert response.status_code == 302
    assert counts() == [before[0] + 1, before[1] + 1, before[2] + 2, before[3]]
    assert Statement.objects.filter(text=f"{QUOTE},", fidelity="reported_quote").count() == 1


def test_a_failed_save_keeps_the_report_choice(client, editor, briefing):
    _, response = preview_and_save(
        client, article(second=NEW_SECOND), date="", **{"row-0-report": "new"}
    )
    html = response.content.decode()
    assert "A new conference needs this (or pick an existing one)." in html
    assert selected(html, "row-0-report") == "new"
    assert StatementReport.objects.count() == 0


def test_a_report_must_keep_the_statements_speaker(client, editor, briefing):
    other = SpeakerFactory(name="Tomas Eberle")
    before = counts()
    _, response = preview_and_save(client, article(), **{"row-0-speaker": str(other.pk)})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"is to be recorded as a report of /s/{briefing.public_id}, a statement of" in html
    assert counts() == before


def test_a_match_that_changed_since_the_preview_is_not_saved(client, editor, briefing):
    before = counts()
    _, response = preview_and_save(client, article(), **{"row-0-report": "zzzzzzzz"})
    assert "the archive changed since the preview" in response.content.decode()
    assert counts() == before


def test_a_row_left_unticked_is_neither_a_statement_nor_a_report(client, editor, briefing):
    before = counts()
    html = client.post(URL, form_data(article(second=NEW_SECOND))).content.decode()
    assert html.count("Already in the archive as") == 1
    data = save_data(html)
    data["text"] = article(second=NEW_SECOND)
    del data["row-0-keep"]
    assert client.post(URL, data).status_code == 302
    assert counts() == [before[0] + 1, before[1] + 1, before[2] + 1, before[3]]


@pytest.mark.django_db(transaction=True)
def test_a_report_that_cannot_be_saved_leaves_nothing_written(briefing):
    # A transactional test: the database checks the report's statement when write() commits.
    plan = make_plan(build_preview(article(second=NEW_SECOND)))
    assert (len(plan.statements), len(plan.reports)) == (1, 1)
    before = counts()
    Statement.objects.filter(pk=briefing.pk).delete()
    with pytest.raises(IntegrityError):
        write(plan)
    assert counts() == [before[0], before[1], before[2] - 1, before[3]]


def test_an_article_reports_a_statement_once(briefing):
    plan = make_plan(build_preview(article()))
    plan.reports.append(plan.reports[0])
    with pytest.raises(ValueError, match="can report a statement only once"):
        write(plan)
    assert StatementReport.objects.count() == 0


def test_an_editor_files_reports_of_public_statements_under_a_new_draft(client, editor, briefing):
    # A report shows on a published permalink at once, so an editor (who may not publish)
    # needs a conference of the article's own, which a reviewer then publishes.
    _, refused = preview_and_save(client, article(), title="", date="")
    assert refused.status_code == 200
    assert "A new conference needs this (or pick an existing one)." in refused.content.decode()
    before = counts()
    _, response = preview_and_save(client, article(), date="2023-03-10")
    assert response.status_code == 302
    assert counts() == [before[0] + 1, before[1] + 1, before[2], before[3] + 1]
    draft = Conference.objects.exclude(pk=briefing.conference_id).get()
    assert (draft.status, draft.title) == ("draft", "Norland Wire on the ferry accord")
    report = StatementReport.objects.get()
    assert (report.statement, report.source.conference) == (briefing, draft)
    assert "Norland Wire" not in client.get(briefing.get_absolute_url()).content.decode()
    workflow.move(draft, Conference.Status.REVIEW, editor)
    workflow.move(draft, Conference.Status.PUBLISHED, User.objects.create_superuser("chief"))
    assert "Norland Wire" in client.get(briefing.get_absolute_url()).content.decode()
