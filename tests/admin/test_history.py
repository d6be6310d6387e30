"""History in the admin (django-simple-history): every edit is a record with its user, the history
page shows what changed, and an earlier version is restored through the same form as an edit.

Statements are edited in draft conferences here: once public, a change of a statement's text needs
a correction note (tests for that live with the corrections)."""

import datetime

import pytest
from django.urls import reverse

from conferences.editorial import workflow
from conferences.models import Conference, Speaker, Statement

from ..editorial.test_workflow import login
from ..factories import ConferenceFactory, SpeakerFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db


def url(obj, view, *args):
    return reverse(f"admin:conferences_{obj._meta.model_name}_{view}", args=[obj.pk, *args])


def as_posted(response, **changes):
    """What a browser posts back from an admin form page (change or revert), with `changes`:
    every field of the form and of its inline formsets, as the page filled it in."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets") or []:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(item) for item in value]
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            data[field.html_name] = value
    return {**data, **changes}


def edit(client, obj, **changes):
    page = client.get(url(obj, "change"))
    assert page.status_code == 200
    response = client.post(url(obj, "change"), as_posted(page, **changes))
    assert response.status_code == 302, response.context and response.context["errors"]


def revert(client, obj, record):
    """Open an earlier version from the history and press Revert."""
    page = client.get(url(obj, "simple_history", record.pk))
    assert page.status_code == 200
    assert 'value="Revert"' in page.content.decode()
    response = client.post(url(obj, "simple_history", record.pk), as_posted(page))
    assert response.status_code == 302
    return page


@pytest.fixture
def statement():
    draft = ConferenceFactory(status=Conference.Status.DRAFT)
    return StatementFactory(conference=draft, text="The accord is signed.", label="DARROW")


def test_an_edit_in_the_admin_is_a_history_record_of_the_editor(client, statement):
    editor = login(client, "editor")
    edit(client, statement, text="The accord will be signed.", label="MS. DARROW")
    first, second = statement.history.order_by("history_id")
    assert (second.history_type, second.history_user) == ("~", editor)
    delta = second.diff_against(first)
    assert set(delta.changed_fields) == {"text", "label"}
    assert {c.field: (c.old, c.new) for c in delta.changes if c.field in {"text", "label"}} == {
        "text": ("The accord is signed.", "The accord will be signed."),
        "label": ("DARROW", "MS. DARROW"),
    }


def test_the_history_page_shows_who_changed_what(client, statement):
    login(client, "editor")
    edit(client, statement, text="The accord will be signed.")
    response = client.get(url(statement, "history"))
    html = response.content.decode()
    assert response.status_code == 200
    changes = response.context["page_obj"][0].history_delta_changes
    assert [(c["field"], c["old"], c["new"]) for c in changes if c["field"] == "Text"] == [
        ("Text", "The accord is signed.", "The accord will be signed.")
    ]
    assert "The accord is signed." in html
    assert "The accord will be signed." in html
    assert ">editor</a>" in html


def test_reverting_a_statement_restores_its_text_and_topics(client, statement):
    editor = login(client, "editor")
    fisheries, trade = TopicFactory(name="Fisheries"), TopicFactory(name="Trade")
    edit(client, statement, topics=[str(fisheries.pk)])
    before = statement.history.latest()
    edit(client, statement, text="The accord will be signed.", topics=[str(trade.pk)])
    changed = statement.history.latest()
    assert [t.topic for t in before.topics.all()] == [fisheries]
    assert [t.topic for t in changed.topics.all()] == [trade]
    assert "topics" in changed.diff_against(before).changed_fields

    page = revert(client, statement, before)
    assert "The accord is signed." in page.content.decode()
    statement.refresh_from_db()
    assert statement.text == "The accord is signed."
    assert list(statement.topics.all()) == [fisheries]
    restored = statement.history.latest()
    assert (restored.history_type, restored.history_user) == ("~", editor)
    assert [t.topic for t in restored.topics.all()] == [fisheries]


def test_reverting_a_speaker(client):
    editor = login(client, "editor")
    speaker = SpeakerFactory(name="Mira Darrow", slug="mira-darrow", country="NO")
    edit(client, speaker, name="Mira Darrow-Lind", country="SE")
    assert Speaker.objects.get().country == "SE"
    revert(client, speaker, speaker.history.earliest())
    speaker.refresh_from_db()
    assert (speaker.name, speaker.country) == ("Mira Darrow", "NO")
    assert speaker.history.latest().history_user == editor


def test_reverting_a_conference_restores_its_fields_never_its_status(client):
    reviewer = login(client, "reviewer")
    conference = ConferenceFactory(status=Conference.Status.DRAFT, title="Spring briefing")
    old = conference.history.get()
    workflow.move(conference, Conference.Status.REVIEW, reviewer)
    login(client, "editor")
    edit(client, conference, title="Spring briefing (corrected)", place="Port Linden")
    revert(client, conference, old)  # a version from when it was a draft
    conference.refresh_from_db()
    assert (conference.title, conference.place) == ("Spring briefing", "Port Aster")
    assert (conference.status, conference.status_changed_by) == ("review", reviewer)
    assert conference.history.latest().status == "review"


def test_an_edit_never_undoes_a_move_made_while_the_form_was_open(client):
    editor = login(client, "editor")
    conference = ConferenceFactory(status=Conference.Status.DRAFT)
    page = client.get(url(conference, "change"))
    workflow.move(conference, Conference.Status.REVIEW, editor)
    client.post(url(conference, "change"), as_posted(page, title="Renamed"))
    conference.refresh_from_db()
    assert (conference.title, conference.status) == ("Renamed", "review")


def test_the_history_of_an_imported_statement_starts_with_its_topics(client):
    from .test_import import URL, form_data, save_data

    editor = login(client, "editor")
    TopicFactory(name="Fisheries", keywords="fisheries")
    html = client.post(URL, form_data()).content.decode()
    client.post(URL, save_data(html))
    statement = Statement.objects.get(sequence=1)
    first = statement.history.get()
    assert first.history_type == "+"
    assert [t.topic.name for t in first.topics.all()] == ["Fisheries"]
    edit(client, statement, topics=[])
    revert(client, statement, first)
    assert [t.name for t in statement.topics.all()] == ["Fisheries"]
    assert statement.history.latest().history_user == editor
