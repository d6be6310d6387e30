"""Permalinks forever: /s/<id>/ and conference URLs survive edits, splits, merges and deletions."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from conferences.editorial import permalinks, workflow
from conferences.models import Conference, Correction, RetiredStatement, Statement
from conferences.text.ids import content_hash

from ..factories import (
    ConferenceFactory,
    SourceDocumentFactory,
    SpeakerFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

HARBOUR = "/conferences/2024/05/17/harbour/"
OPENING = "The harbour stays open. Ships from Eastmark may dock again from Monday."
TARIFFS = "The tariffs stay as they are."
QUESTION = "Will the fleet be inspected?"
ANSWER = "Every ship is inspected."


def make_harbour(status):
    """A conference: Quintero twice, a question from Eberle, Quintero's answer."""
    conference = ConferenceFactory(
        title="Harbour briefing", slug="harbour", date=datetime.date(2024, 5, 17), status=status
    )
    quintero = SpeakerFactory(name="Alva Quintero", slug="alva-quintero")
    eberle = SpeakerFactory(name="Tomas Eberle", slug="tomas-eberle")
    ports, trade = (
        TopicFactory(name="Ports", slug="ports"),
        TopicFactory(name="Trade", slug="trade"),
    )
    rows = [(quintero, OPENING, [ports]), (quintero, TARIFFS, [trade, ports])]
    rows += [(eberle, QUESTION, []), (quintero, ANSWER, [ports])]
    made = []
    for sequence, (speaker, text, topics) in enumerate(rows, 1):
        statement = StatementFactory(
            conference=conference, speaker=speaker, sequence=sequence, text=text, label="MS. Q"
        )
        statement.topics.set(topics)
        made.append(statement)
    return {"conference": conference, "quintero": quintero, "eberle": eberle, "statements": made}


@pytest.fixture
def harbour(db):
    return make_harbour(Conference.Status.PUBLISHED)


@pytest.fixture
def draft_harbour(db):
    """Never published: nothing of it was public, ever."""
    return make_harbour(Conference.Status.DRAFT)


def page(client, statement_or_id):
    public_id = getattr(statement_or_id, "public_id", statement_or_id)
    return client.get(f"/s/{public_id}/")


def quoted(response) -> str:
    """The statement's text as its permalink page shows it."""
    found = re.search(
        r'<blockquote class="statement-text"[^>]*>(.*?)</blockquote>', response.text, re.S
    )
    return found[1]


def sequences(conference):
    return list(conference.statements.order_by("sequence").values_list("public_id", "sequence"))


def split(client, statement, begins, note="", **extra):
    """Post the split as the page does after its preview (which carries the offset previewed)."""
    try:
        previewed = permalinks.split_point(statement.text, begins)
    except permalinks.PermalinkError:
        previewed = ""
    data = {
        "begins": begins,
        "note": note,
        "fingerprint": permalinks.fingerprint(statement),
        "previewed": previewed,
    }
    url = reverse("admin:conferences_statement_split", args=[statement.pk])
    return client.post(url, {**data, **extra})


def merge(client, statement, note="", **extra):
    following = permalinks.next_statement(statement)
    pair = [statement, *([following] if following else [])]
    data = {"note": note, "fingerprint": permalinks.fingerprint(*pair)}
    url = reverse("admin:conferences_statement_merge", args=[statement.pk])
    return client.post(url, {**data, **extra})


# The permalink depends on nothing a correction changes ----------------------------------------


def test_permalink_survives_a_text_change(client, harbour):
    statement = harbour["statements"][0]
    statement.text = "The harbour stays open to every ship."
    statement.save()
    response = page(client, statement)
    assert response.status_code == 200
    assert "The harbour stays open to every ship." in response.content.decode()
    assert OPENING not in response.content.decode()


def test_permalink_survives_a_speaker_change(client, harbour):
    statement = harbour["statements"][2]
    statement.speaker = SpeakerFactory(name="Bram Oduya", slug="bram-oduya")
    statement.save()
    html = page(client, statement).content.decode()
    assert '<a href="/speakers/bram-oduya/">Bram Oduya</a>' in html
    assert "Tomas Eberle" not in html.split('class="neighbours"')[0]


def test_permalink_survives_a_conference_slug_change(client, harbour):
    conference = harbour["conference"]
    conference.slug = "harbour-and-fleet"
    conference.save()
    response = page(client, harbour["statements"][0])
    assert response.status_code == 200
    assert 'href="/conferences/2024/05/17/harbour-and-fleet/"' in response.content.decode()


def test_permalink_survives_a_conference_date_change(client, harbour):
    conference = harbour["conference"]
    conference.date = datetime.date(2024, 5, 18)
    conference.save()
    response = page(client, harbour["statements"][0])
    assert response.status_code == 200
    html = response.content.decode()
    assert '<time datetime="2024-05-18">18 May 2024</time>' in html
    assert 'href="/conferences/2024/05/18/harbour/"' in html


# Old conference URLs ---------------------------------------------------------------------------


def test_old_conference_url_redirects_after_a_slug_change(client, harbour):
    conference = harbour["conference"]
    conference.slug = "harbour-and-fleet"
    conference.save()
    response = client.get(HARBOUR)
    assert response.status_code == 301
    assert response["Location"] == "/conferences/2024/05/17/harbour-and-fleet/"
    assert client.get(response["Location"]).status_code == 200


def test_old_conference_url_redirects_after_a_date_change(client, harbour):
    conference = harbour["conference"]
    conference.date = datetime.date(2024, 5, 18)
    conference.save()
    response = client.get(HARBOUR)
    assert response.status_code == 301
    assert response["Location"] == "/conferences/2024/05/18/harbour/"


def test_old_conference_url_follows_every_change_to_the_current_one(client, harbour):
    conference = harbour["conference"]
    for slug in ("harbour-2", "harbour-3"):
        conference.slug = slug
        conference.save()
    for old in (HARBOUR, "/conferences/2024/05/17/harbour-2/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (
            301,
            "/conferences/2024/05/17/harbour-3/",
        )


def test_old_conference_url_of_an_unpublished_conference_is_not_found(client, harbour):
    conference = harbour["conference"]
    conference.slug = "harbour-and-fleet"
    conference.status = Conference.Status.DRAFT
    conference.save()
    assert client.get(HARBOUR).status_code == 404


def test_old_conference_url_taken_by_another_conference_shows_that_one(client, harbour):
    conference = harbour["conference"]
    conference.slug = "harbour-and-fleet"
    conference.save()
    ConferenceFactory(title="Another harbour briefing", slug="harbour", date=conference.date)
    response = client.get(HARBOUR)
    assert response.status_code == 200
    assert "Another harbour briefing" in response.content.decode()


def test_old_conference_url_taken_by_a_draft_is_not_found_not_redirected(client, harbour):
    conference = harbour["conference"]
    conference.slug = "harbour-and-fleet"
    conference.save()
    ConferenceFactory(slug="harbour", date=conference.date, status=Conference.Status.DRAFT)
    assert client.get(HARBOUR).status_code == 404


def test_conference_url_that_never_was_is_not_found(client, harbour):
    assert client.get("/conferences/2024/05/17/no-such-briefing/").status_code == 404


# Split -----------------------------------------------------------------------------------------


def test_change_page_links_to_split_and_merge(admin_client, harbour):
    statement = harbour["statements"][0]
    html = admin_client.get(
        reverse("admin:conferences_statement_change", args=[statement.pk])
    ).content.decode()
    assert f'href="/admin/conferences/statement/{statement.pk}/split/">Split at this point' in html
    assert f'href="/admin/conferences/statement/{statement.pk}/merge/">Merge with next' in html


def test_split_page_shows_the_text_and_the_form(admin_client, harbour):
    statement = harbour["statements"][0]
    response = admin_client.get(reverse("admin:conferences_statement_split", args=[statement.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert OPENING in html
    assert 'name="begins"' in html
    assert f'name="fingerprint" value="{permalinks.fingerprint(statement)}"' in html
    assert "<script>" not in html.split('id="content-main"')[1]


def test_split_on_a_published_conference(client, reviewer, harbour):
    first, tariffs, question, answer = harbour["statements"]
    response = split(client, first, "Ships from", note="Two answers were printed as one.")
    assert response.status_code == 302
    new = Statement.objects.get(conference=harbour["conference"], sequence=2)
    assert sequences(harbour["conference"]) == [
        (first.public_id, 1),
        (new.public_id, 2),
        (tariffs.public_id, 3),
        (question.public_id, 4),
        (answer.public_id, 5),
    ]
    first.refresh_from_db()
    assert first.text == "The harbour stays open."
    assert first.content_hash == content_hash("The harbour stays open.")
    assert new.text == "Ships from Eastmark may dock again from Monday."
    assert new.content_hash == content_hash(new.text)
    assert new.public_id != first.public_id
    assert (new.speaker, new.label, new.kind, new.fidelity, new.source) == (
        first.speaker,
        first.label,
        first.kind,
        first.fidelity,
        first.source,
    )
    assert [t.slug for t in new.topics.all()] == ["ports"]
    correction = Correction.objects.get()
    assert (correction.statement, correction.kind, correction.related_public_id) == (
        first,
        "split",
        new.public_id,
    )
    assert correction.note == "Two answers were printed as one."
    assert correction.previous_text == OPENING
    assert correction.previous_hash == content_hash(OPENING)
    assert correction.created_by == reviewer

    old_page, new_page = page(client, first), page(client, new)
    assert old_page.status_code == new_page.status_code == 200
    assert quoted(old_page) == "The harbour stays open."
    assert quoted(new_page) == "Ships from Eastmark may dock again from Monday."


def test_split_on_a_draft_needs_no_note_and_records_no_correction(admin_client, draft_harbour):
    conference = draft_harbour["conference"]
    first = draft_harbour["statements"][0]
    assert split(admin_client, first, "Ships").status_code == 302
    assert conference.statements.count() == 5
    assert Correction.objects.count() == 0


def test_split_splits_the_source_offsets(admin_client, harbour):
    # The source wraps the line where the statement's text has a space.
    text = "MS. QUINTERO: The harbour stays\nopen. Ships from Eastmark may dock again from Monday."
    source = SourceDocumentFactory(conference=harbour["conference"], text=text)
    first = harbour["statements"][0]
    start = text.index("The")
    Statement.objects.filter(pk=first.pk).update(
        source=source, source_start=start, source_end=len(text)
    )
    first.refresh_from_db()
    assert split(admin_client, first, "Ships from", note="Two answers.").status_code == 302
    first.refresh_from_db()
    new = Statement.objects.get(conference=first.conference, sequence=2)
    assert text[first.source_start : first.source_end] == "The harbour stays\nopen."
    assert text[new.source_start : new.source_end] == new.text
    assert new.source == source


def test_split_without_a_note_on_a_published_conference_is_refused(admin_client, harbour):
    first = harbour["statements"][0]
    response = split(admin_client, first, "Ships from")
    assert response.status_code == 400
    assert (
        "“Harbour briefing” is published: readers may have cited this statement, so a split "
        "needs a note saying what was wrong and what was done." in response.content.decode()
    )
    first.refresh_from_db()
    assert first.text == OPENING
    assert harbour["conference"].statements.count() == 4


@pytest.mark.parametrize(
    ("begins", "message"),
    [
        ("Ships to", "“Ships to” is not in the text."),
        ("from", "“from” appears 2 times in the text: type more words"),
        ("hips from", "“hips from” starts inside a word"),
        ("The harbour", "The first part would be empty: choose a later split point."),
        ("   ", "This field is required."),
    ],
    ids=["not-found", "ambiguous", "inside-a-word", "empty-first-part", "blank"],
)
def test_split_bad_input_shows_the_form_again(admin_client, harbour, begins, message):
    first = harbour["statements"][0]
    response = split(admin_client, first, begins, note="A note.")
    assert response.status_code == 400
    assert message in response.content.decode()
    first.refresh_from_db()
    assert first.text == OPENING
    assert harbour["conference"].statements.count() == 4


def test_split_at_an_offset_out_of_range_is_refused(harbour):
    first = harbour["statements"][0]
    for offset, message in [
        (999, f"The split point must be between 0 and {len(OPENING)}."),
        (len(OPENING), "The second part would be empty: choose an earlier split point."),
    ]:
        with pytest.raises(permalinks.PermalinkError) as refused:
            permalinks.split(first, offset, note="A note.")
        assert str(refused.value) == message
    assert harbour["conference"].statements.count() == 4


def test_split_of_a_stale_page_is_refused(admin_client, harbour):
    first = harbour["statements"][0]
    stale = permalinks.fingerprint(first)
    Statement.objects.filter(pk=first.pk).update(text=OPENING + " Customs reopen too.")
    response = split(admin_client, first, "Ships", note="A note.", fingerprint=stale)
    assert response.status_code == 400
    assert "The statement changed since this page was opened" in response.content.decode()
    assert harbour["conference"].statements.count() == 4


def test_split_preview_shows_both_parts_and_changes_nothing(admin_client, harbour):
    first = harbour["statements"][0]
    response = split(admin_client, first, "Ships", preview="Preview")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="previewed" value="24"' in html
    assert "First part: stays" in html
    assert "The harbour stays open.</blockquote>" in html
    assert "Ships from Eastmark may dock again from Monday.</blockquote>" in html
    assert harbour["conference"].statements.count() == 4


def test_split_not_previewed_shows_the_preview_instead(admin_client, harbour):
    first = harbour["statements"][0]
    response = split(admin_client, first, "Ships", note="A note.", previewed="")
    assert response.status_code == 200
    assert 'name="previewed" value="24"' in response.text
    assert '<input type="submit" name="split" value="Split" class="default">' in response.text
    moved = split(admin_client, first, "Ships", note="A note.", previewed=5)
    assert moved.status_code == 200
    assert "The split point is not the one previewed: check the two parts again" in moved.text
    assert harbour["conference"].statements.count() == 4
    lost = split(admin_client, first, "Ships", note="A note.", previewed="x", fingerprint="")
    assert lost.status_code == 400
    assert "The preview was lost: preview the two parts again." in lost.text
    assert "This page is incomplete: open it again from the statement&#x27;s page." in lost.text


def test_split_is_post_only_and_needs_the_change_permission(client, harbour):
    first = harbour["statements"][0]
    url = reverse("admin:conferences_statement_split", args=[first.pk])
    viewer = User.objects.create_user("viewer", password="not-a-real-password-42", is_staff=True)
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert split(client, first, "Ships", note="A note.").status_code == 403
    viewer.is_superuser = True
    viewer.save()
    assert client.put(url).status_code == 405
    assert (
        client.get(reverse("admin:conferences_statement_split", args=[999999])).status_code == 404
    )
    assert harbour["conference"].statements.count() == 4


def test_editor_may_not_split_or_merge_a_published_conference(client, editor, harbour):
    first = harbour["statements"][0]
    for view in ("split", "merge"):
        url = reverse(f"admin:conferences_statement_{view}", args=[first.pk])
        assert client.get(url).status_code == 403
    assert split(client, first, "Ships", note="A note.").status_code == 403
    assert merge(client, first, note="A note.").status_code == 403
    change = client.get(reverse("admin:conferences_statement_change", args=[first.pk]))
    assert "Split at this point" not in change.content.decode()
    assert sequences(harbour["conference"]) == [
        (s.public_id, n) for n, s in enumerate(harbour["statements"], 1)
    ]


def test_editor_may_split_a_draft(client, editor, draft_harbour):
    assert split(client, draft_harbour["statements"][0], "Ships").status_code == 302
    assert draft_harbour["conference"].statements.count() == 5


# Merge -----------------------------------------------------------------------------------------


def test_merge_on_a_published_conference(client, reviewer, harbour):
    first, tariffs, question, answer = harbour["statements"]
    response = merge(client, first, note="One answer was printed as two.")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.text == OPENING + "\n\n" + TARIFFS
    assert first.content_hash == content_hash(OPENING + "\n\n" + TARIFFS)
    assert sorted(t.slug for t in first.topics.all()) == ["ports", "trade"]
    assert not Statement.objects.filter(public_id=tariffs.public_id).exists()
    assert sequences(harbour["conference"]) == [
        (first.public_id, 1),
        (question.public_id, 2),
        (answer.public_id, 3),
    ]
    retired = RetiredStatement.objects.get()
    assert (retired.public_id, retired.reason, retired.successor) == (
        tariffs.public_id,
        "merged",
        first,
    )
    assert (retired.speaker_name, retired.conference_title, retired.text) == (
        "Alva Quintero",
        "Harbour briefing",
        TARIFFS,
    )
    assert retired.conference_date == datetime.date(2024, 5, 17)
    assert retired.conference_id_was == harbour["conference"].pk
    assert retired.content_hash == content_hash(TARIFFS)
    correction = Correction.objects.get()
    assert (correction.statement, correction.kind, correction.related_public_id) == (
        first,
        "merge",
        tariffs.public_id,
    )
    assert (correction.previous_text, correction.previous_hash) == (OPENING, content_hash(OPENING))

    assert quoted(page(client, first)) == f"{OPENING}<br><br>{TARIFFS}"
    for old, new in [
        (f"/s/{tariffs.public_id}/", f"/s/{first.public_id}/"),
        (f"/s/{tariffs.public_id}/alva-quintero-tariffs", f"/s/{first.public_id}/"),
        (f"/s/{tariffs.public_id}/card.png", f"/s/{first.public_id}/card.png"),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new)


def test_merged_id_keeps_the_query_string_of_a_citation(client, reviewer, harbour):
    first, tariffs = harbour["statements"][:2]
    assert merge(client, first, note="One answer.").status_code == 302
    response = client.get(f"/s/{tariffs.public_id}/?v={content_hash(TARIFFS)[:8]}")
    assert response.status_code == 301
    assert response["Location"] == f"/s/{first.public_id}/?v={content_hash(TARIFFS)[:8]}"
    # There the reader learns that the quote cited was merged, and how the words read now.
    html = client.get(response["Location"]).content.decode()
    assert (
        f"The quote you were linked to (/s/{tariffs.public_id}) was merged into this statement on "
        f"{datetime.date.today():%-d %B %Y}."
    ) in html
    assert "<ins>" in html and "Podium has no record of" not in html


def test_merge_on_a_draft_keeps_no_trace_of_the_absorbed_id(admin_client, draft_harbour):
    first, tariffs = draft_harbour["statements"][:2]
    assert merge(admin_client, first).status_code == 302
    assert RetiredStatement.objects.count() == Correction.objects.count() == 0
    first.refresh_from_db()
    assert first.text == f"{OPENING}\n\n{TARIFFS}"
    Conference.objects.filter(pk=draft_harbour["conference"].pk).update(status="published")
    assert page(admin_client, tariffs).status_code == 404


def test_merged_ids_lead_to_the_last_statement_in_one_hop(client, reviewer, harbour):
    first, tariffs = harbour["statements"][:2]
    permalinks.shift_sequences(harbour["conference"].pk, after=2, by=1)
    third = StatementFactory(
        conference=harbour["conference"], speaker=harbour["quintero"], sequence=3, text="Yes."
    )
    assert merge(client, tariffs, note="Joined.").status_code == 302  # third → tariffs
    assert merge(client, first, note="Joined.").status_code == 302  # tariffs → first
    for absorbed in (third, tariffs):
        response = page(client, absorbed)
        assert (response.status_code, response["Location"]) == (301, f"/s/{first.public_id}/")
    first.refresh_from_db()
    assert first.text == "\n\n".join([OPENING, TARIFFS, "Yes."])


def test_merge_refused_for_the_last_statement(admin_client, harbour):
    answer = harbour["statements"][3]
    message = (
        f"Statement {answer.public_id} (no. 4) is the last statement of “Harbour briefing”: "
        "there is no next statement to merge it with."
    )
    url = reverse("admin:conferences_statement_merge", args=[answer.pk])
    assert message in admin_client.get(url).content.decode()
    response = merge(admin_client, answer, note="A note.")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert harbour["conference"].statements.count() == 4


def test_merge_refused_when_the_speakers_differ(admin_client, harbour):
    tariffs, question = harbour["statements"][1:3]
    message = (
        f"The next statement ({question.public_id}, no. 3) is by Tomas Eberle, not Alva "
        "Quintero: only statements of the same speaker can be merged. If the attribution is "
        "wrong, correct it first."
    )
    url = reverse("admin:conferences_statement_merge", args=[tariffs.pk])
    get = admin_client.get(url)
    assert get.status_code == 200
    assert message in get.content.decode()
    assert 'name="merge"' not in get.content.decode()
    response = merge(admin_client, tariffs, note="A note.")
    assert response.status_code == 400
    assert message in response.content.decode()
    tariffs.refresh_from_db()
    assert tariffs.text == TARIFFS
    assert harbour["conference"].statements.count() == 4


def test_merge_refused_when_fidelity_or_source_differ(admin_client, harbour):
    first, tariffs = harbour["statements"][:2]
    Statement.objects.filter(pk=tariffs.pk).update(fidelity="paraphrase")
    response = merge(admin_client, first, note="A note.")
    assert response.status_code == 400
    assert (
        f"The next statement ({tariffs.public_id}) is “Paraphrase” and this one “Verbatim "
        "(official transcript)”: merged, one of them would be shown with the wrong fidelity."
        in response.text
    )
    Statement.objects.filter(pk=tariffs.pk).update(
        fidelity="verbatim", source=SourceDocumentFactory(conference=harbour["conference"])
    )
    response = merge(admin_client, first, note="A note.")
    assert response.status_code == 400
    assert (
        f"The next statement ({tariffs.public_id}) comes from another source document: merged, "
        "half of the text would be credited to the wrong source." in response.text
    )
    assert harbour["conference"].statements.count() == 4


def test_merge_without_a_note_on_a_published_conference_is_refused(admin_client, harbour):
    response = merge(admin_client, harbour["statements"][0])
    assert response.status_code == 400
    assert "so a merge needs a note" in response.content.decode()
    assert harbour["conference"].statements.count() == 4


def test_merge_page_shows_both_texts_and_the_result(admin_client, harbour):
    first = harbour["statements"][0]
    html = admin_client.get(
        reverse("admin:conferences_statement_merge", args=[first.pk])
    ).content.decode()
    assert f'<blockquote class="statement-tool-text">{OPENING}</blockquote>' in html
    assert f'<blockquote class="statement-tool-text">{TARIFFS}</blockquote>' in html
    assert f"<p>{OPENING}</p>\n\n<p>{TARIFFS}</p>" in html


# Deletion --------------------------------------------------------------------------------------


def assert_gone(client, public_id, text, speaker="Alva Quintero"):
    response = client.get(f"/s/{public_id}/")
    html = response.content.decode()
    assert response.status_code == 410
    assert '<meta name="robots" content="noindex">' in html
    assert f'<blockquote class="statement-text">{text}</blockquote>' in html
    assert f"<figcaption>{speaker}</figcaption>" in html
    assert "Harbour briefing" in html
    assert '<time datetime="2024-05-17">17 May 2024</time>' in html
    return html


def test_delete_in_the_admin_retires_the_id_with_a_snapshot(admin_client, harbour):
    question = harbour["statements"][2]
    url = reverse("admin:conferences_statement_delete", args=[question.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    retired = RetiredStatement.objects.get()
    assert (retired.public_id, retired.reason, retired.successor, retired.text) == (
        question.public_id,
        "deleted",
        None,
        QUESTION,
    )
    assert retired.content_hash == content_hash(QUESTION)
    html = assert_gone(admin_client, question.public_id, QUESTION, speaker="Tomas Eberle")
    assert f'<a href="{HARBOUR}">Harbour briefing</a>' in html  # the conference is still there
    cosmetic = admin_client.get(f"/s/{question.public_id}/tomas-eberle")
    assert cosmetic.status_code == 410
    assert admin_client.get(f"/s/{question.public_id}/card.png").status_code == 410


def test_deleting_the_conference_retires_every_statement(client, harbour):
    harbour["conference"].delete()
    assert RetiredStatement.objects.count() == 4
    html = assert_gone(client, harbour["statements"][0].public_id, OPENING)
    assert f'href="{HARBOUR}"' not in html
    assert_gone(client, harbour["statements"][3].public_id, ANSWER)


def test_deleted_draft_statement_is_not_found(admin_client, draft_harbour):
    first, tariffs = draft_harbour["statements"][:2]
    url = reverse("admin:conferences_statement_delete", args=[first.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    draft_harbour["conference"].delete()
    assert RetiredStatement.objects.count() == 0
    for statement in (first, tariffs):
        assert page(admin_client, statement).status_code == 404
        assert admin_client.get(f"/s/{statement.public_id}/card.png").status_code == 404


def test_statement_deleted_in_review_after_being_published_keeps_its_id_not_its_words(
    client, harbour
):
    conference = harbour["conference"]
    conference.status = Conference.Status.WITHDRAWN
    conference.save()
    conference.status = Conference.Status.REVIEW  # withdrawn, then reconsidered
    conference.title = "Draft-only title"
    conference.save()
    harbour["statements"][0].text = "Edited in review, never public."
    harbour["statements"][0].save()
    later = StatementFactory(conference=conference, speaker=harbour["quintero"], sequence=9)
    harbour["statements"][0].delete()
    later.delete()  # never public: no trace
    retired = RetiredStatement.objects.get()
    assert retired.public_id == harbour["statements"][0].public_id
    assert (retired.text, retired.speaker_name, retired.content_hash) == ("", "", "")
    response = page(client, retired.public_id)
    html = response.content.decode()
    assert response.status_code == 410
    assert "It was removed while its conference was withdrawn, so its words are not shown." in html
    assert "Harbour briefing" in html  # the title readers saw, not the draft's
    assert "Draft-only title" not in html
    assert "never public" not in html and OPENING not in html
    assert page(client, later).status_code == 404


def test_a_withdrawn_statement_page_names_the_conference_as_last_published(client, harbour):
    reviewer = User.objects.create_superuser("chief", password="not-a-real-password-42")
    conference = harbour["conference"]
    workflow.move(conference, Conference.Status.WITHDRAWN, reviewer)
    workflow.move(conference, Conference.Status.REVIEW, reviewer)
    workflow.move(conference, Conference.Status.DRAFT, reviewer)
    conference.title = "Draft-only title"
    conference.save()
    response = page(client, harbour["statements"][0])
    html = response.content.decode()
    assert response.status_code == 410
    assert "belonged to “Harbour briefing” (17 May 2024)" in html
    assert "Draft-only title" not in html and OPENING not in html


def test_a_url_a_conference_had_only_as_a_draft_does_not_redirect(client, draft_harbour):
    conference = draft_harbour["conference"]
    old_url = conference.get_absolute_url()
    conference.slug = "harbour-briefing-final"
    conference.save()
    conference.status = Conference.Status.PUBLISHED
    conference.save()
    assert client.get(conference.get_absolute_url()).status_code == 200
    assert client.get(old_url).status_code == 404


def test_a_deleted_statement_cannot_be_restored_from_its_history(admin_client, harbour):
    statement = harbour["statements"][0]
    record = statement.history.earliest()
    statement.delete()
    url = reverse("admin:conferences_statement_simple_history", args=[statement.pk, record.pk])
    response = admin_client.post(url, {"text": OPENING, "_change_history": "1"})
    assert response.status_code == 404
    assert not Statement.objects.filter(public_id=statement.public_id).exists()


def test_merged_id_whose_successor_is_deleted_is_gone_with_its_own_snapshot(admin_client, harbour):
    first, tariffs = harbour["statements"][:2]
    assert merge(admin_client, first, note="One answer.").status_code == 302
    first.delete()
    retired = RetiredStatement.objects.get(public_id=tariffs.public_id)
    assert (retired.reason, retired.successor) == ("merged", None)
    html = assert_gone(admin_client, tariffs.public_id, TARIFFS)
    assert "it was merged into another statement, which was later removed" in html
    assert "One answer." in html  # the merge's note
    assert_gone(admin_client, first.public_id, OPENING + "<br><br>" + TARIFFS)


def test_merged_id_of_an_unpublished_successor_is_not_found(admin_client, harbour):
    first, tariffs = harbour["statements"][:2]
    assert merge(admin_client, first, note="One answer.").status_code == 302
    Conference.objects.filter(pk=harbour["conference"].pk).update(status=Conference.Status.REVIEW)
    assert page(admin_client, tariffs).status_code == 404


def test_unknown_id_is_not_found(client, harbour):
    assert page(client, "zzzzzzzz").status_code == 404
    assert client.get("/s/zzzzzzzz/card.png").status_code == 404
    assert client.get("/s/zzzzzzzz/anything").status_code == 404
