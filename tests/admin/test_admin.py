"""The admin for staff: every page renders with the right rows; non-staff get nothing."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from conferences.models import (
    Conference,
    Organization,
    Role,
    SourceDocument,
    Speaker,
    SpeakerAlias,
    Statement,
    Topic,
)

from ..factories import ConferenceFactory

pytestmark = pytest.mark.django_db

# model -> (a string its changelist must show for the demo data, how many rows the demo makes)
DEMO_ROWS = {
    Conference: ("Press conference on the results of Russian diplomacy in 2021", 1),
    Organization: ("Prensa Latina", 2),
    Role: ("Minister of Foreign Affairs of the Russian Federation", 1),
    SourceDocument: ("Lavrov: US uses NATO to control its members", 1),
    Speaker: ("Sergey Lavrov", 1),
    SpeakerAlias: ("Sergei Lavrov", 3),
    Statement: ("Sergey Lavrov", 10),
    Topic: ("Russia-Japan peace treaty", 8),
}


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


@pytest.fixture
def demo_in_review(demo):
    """The demo back in review, where Editors may change it: published, it is read-only for
    them (tests/editorial/test_workflow.py)."""
    Conference.objects.update(status=Conference.Status.REVIEW)


def admin_url(model, view, *args):
    return reverse(f"admin:conferences_{model._meta.model_name}_{view}", args=args)


def result_rows(html):
    table = re.search(r'<table id="result_list">.*?<tbody>(.*?)</tbody>', html, re.S)
    return table[1].count("<tr") if table else 0


@pytest.mark.parametrize("model", list(DEMO_ROWS), ids=lambda m: m.__name__)
def test_editor_sees_every_changelist_with_its_rows(client, demo, editor, model):
    expected_text, expected_rows = DEMO_ROWS[model]
    response = client.get(admin_url(model, "changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert expected_text in html
    assert result_rows(html) == expected_rows == model.objects.count()


@pytest.mark.parametrize("model", list(DEMO_ROWS), ids=lambda m: m.__name__)
def test_editor_can_open_every_add_and_change_page(client, demo_in_review, editor, model):
    add = client.get(admin_url(model, "add"))
    assert add.status_code == 200
    assert f"Add {model._meta.verbose_name}" in add.content.decode()
    obj = model.objects.order_by("pk").first()
    change = client.get(admin_url(model, "change", obj.pk))
    assert change.status_code == 200
    assert f"Change {model._meta.verbose_name}" in change.content.decode()


def test_conference_page_lists_its_statements_in_sequence(client, demo_in_review, editor):
    conference = Conference.objects.get()
    html = client.get(admin_url(Conference, "change", conference.pk)).content.decode()
    sequences = re.findall(r'name="statements-\d+-sequence" value="(\d+)"', html)
    assert sequences == [str(n) for n in range(1, 11)]
    assert "data-autocomplete-light-url" not in html  # Django's own autocomplete, no plugin
    assert "admin/autocomplete/" in html


@pytest.mark.parametrize(
    ("model", "query", "expected"),
    [
        (Speaker, "Sergei", ["Sergey Lavrov"]),
        (Speaker, "nobody", []),
        (
            Statement,
            "peace treaty",
            ["We are sure that a peace treaty", "The problem of the peace treaty"],
        ),
        (Conference, "Moscow", ["Press conference on the results of Russian diplomacy in 2021"]),
    ],
)
def test_admin_search(client, demo, editor, model, query, expected):
    html = client.get(admin_url(model, "changelist"), {"q": query}).content.decode()
    assert result_rows(html) == len(expected)
    for text in expected:
        assert text in html


def action_names(html):
    select = re.search(r'<select name="action".*?</select>', html, re.S)[0]
    return re.findall(r'<option value="(\w+)"', select)


def test_editor_is_offered_the_editors_workflow_actions_only(client, editor):
    draft = ConferenceFactory(status="draft")
    url = admin_url(Conference, "changelist")
    assert action_names(client.get(url).content.decode()) == ["send_to_review", "back_to_draft"]
    client.post(url, {"action": "send_to_review", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "review"
    client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "review"
    client.post(url, {"action": "back_to_draft", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_alias_clash_is_a_form_error_not_a_crash(client, demo, editor):
    url = admin_url(SpeakerAlias, "add")
    speaker = Speaker.objects.get()
    response = client.post(url, {"speaker": speaker.pk, "name": "SERGEI  LAVROV"})
    assert response.status_code == 200
    assert "is already an alias of Sergey Lavrov" in response.content.decode()
    assert SpeakerAlias.objects.count() == 3


def test_alias_added_in_admin_is_normalised(client, demo, editor):
    speaker = Speaker.objects.get()
    response = client.post(
        admin_url(SpeakerAlias, "add"), {"speaker": speaker.pk, "name": "Serguéi Lavrov"}
    )
    assert response.status_code == 302
    assert SpeakerAlias.objects.get(name="Serguéi Lavrov").normalized == "serguei lavrov"
    assert Speaker.objects.get_by_name("SERGUEI LAVROV") == speaker


def statement_form(statement, text):
    """What the statement change form posts, with a new text."""
    return {
        "conference": statement.conference_id,
        "source": statement.source_id,
        "speaker": statement.speaker_id,
        "label": statement.label,
        "sequence": statement.sequence,
        "text": text,
        "kind": statement.kind,
        "fidelity": statement.fidelity,
        "topics": [topic.pk for topic in statement.topics.all()],
        "source_start": "",
        "source_end": "",
    }


def test_statement_edited_in_admin_gets_a_fresh_hash(client, demo_in_review, editor):
    statement = Statement.objects.get(sequence=4)
    data = statement_form(statement, "even and especially in high-tech areas")
    response = client.post(admin_url(Statement, "change", statement.pk), data)
    assert response.status_code == 302
    statement.refresh_from_db()
    from conferences.text.ids import content_hash

    assert statement.content_hash == content_hash("even and especially in high-tech areas")


def test_editor_cannot_delete(client, demo, editor):
    conference = Conference.objects.get()
    response = client.get(admin_url(Conference, "delete", conference.pk))
    assert response.status_code == 403


@pytest.mark.parametrize("model", list(DEMO_ROWS), ids=lambda m: m.__name__)
def test_anonymous_and_non_staff_are_sent_to_login(client, demo, model):
    url = admin_url(model, "changelist")
    assert client.get(url)["Location"] == f"/admin/login/?next={url}"
    client.force_login(User.objects.create_user("reader", password="not-a-real-password-42"))
    assert client.get(url)["Location"] == f"/admin/login/?next={url}"


def test_view_only_staff_cannot_publish(client):
    from django.contrib.auth.models import Permission

    viewer = User.objects.create_user("viewer", password="not-a-real-password-42", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_conference"))
    client.force_login(viewer)
    draft = ConferenceFactory(status="draft")
    url = admin_url(Conference, "changelist")
    assert 'value="publish"' not in client.get(url).content.decode()
    client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_texts_saved_in_the_admin_keep_plain_line_ends(client, demo_in_review, editor):
    statement = Statement.objects.get(sequence=4)
    data = statement_form(statement, "First line.\r\n\r\nSecond line.")
    assert client.post(admin_url(Statement, "change", statement.pk), data).status_code == 302
    statement.refresh_from_db()
    assert statement.text == "First line.\n\nSecond line."


def test_a_saved_source_text_is_read_only(client, demo, editor):
    source = SourceDocument.objects.get()
    html = client.get(admin_url(SourceDocument, "change", source.pk)).content.decode()
    assert 'name="text"' not in html
    assert '<div class="readonly">' in html


def test_two_aliases_alike_in_one_form_are_an_error(client, editor):
    data = {
        "name": "Bram Oduya",
        "slug": "bram-oduya",
        "kind": "official",
        "country": "",
        "description": "",
        "aliases-TOTAL_FORMS": "2",
        "aliases-INITIAL_FORMS": "0",
        "aliases-0-name": "Oduya",
        "aliases-1-name": "ODUYA",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }
    response = client.post(admin_url(Speaker, "add"), data)
    assert response.status_code == 200
    assert "“ODUYA” and “Oduya” are the same alias." in response.content.decode()
    assert Speaker.objects.count() == 0


@pytest.fixture
def harbour_statements(db):
    """Fictional statements whose words tell a full-text search from a substring match."""
    from ..factories import SpeakerAliasFactory, SpeakerFactory, StatementFactory

    conference = ConferenceFactory(title="Synthetic briefing on harbours")
    darrow = SpeakerFactory(name="Mira Darrow", slug="mira-darrow")
    SpeakerAliasFactory(speaker=darrow, name="MS. DARROW")
    quintero = SpeakerFactory(name="Alva Quintero", slug="alva-quintero")
    texts = {
        "sanctions": (darrow, "The sanctions on the harbour stay until the spring."),
        "harm": (quintero, "Nobody wants harm to come to the fishing fleets."),
        "arms": (quintero, "Arms control talks resume on Monday in Port Aster."),
        "talks": (darrow, "We expect the talks on quotas to end soon."),
    }
    made = {}
    for n, (key, (speaker, text)) in enumerate(texts.items(), start=1):
        made[key] = StatementFactory(
            conference=conference, speaker=speaker, text=text, sequence=n, label=speaker.name
        )
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sanctioned", ["sanctions"]),  # stemmed: a substring match finds nothing
        ("arm", ["arms"]),  # a word, not a part of one: "harm" is left out
        ("talks -quotas", ["arms"]),  # websearch syntax: a word excluded
        ('"fishing fleets"', ["harm"]),  # a phrase
        ("spring or monday", ["arms", "sanctions"]),
        ("darrow", ["sanctions", "talks"]),  # a speaker's name, as before
        ("MS. DARROW", ["sanctions", "talks"]),  # an alias
        ("the", []),  # a stop word alone: nothing, and no error
        ('"sanctions', ["sanctions"]),  # an unclosed quote is no error
        ("darrow sanctions", ["sanctions"]),  # a speaker's name and a word of the text
        ("quintero harbour", []),  # each word must match: Quintero never said "harbour"
    ],
)
def test_admin_statement_search_is_full_text(client, editor, harbour_statements, query, expected):
    response = client.get(admin_url(Statement, "changelist"), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    found = sorted(
        key
        for key, statement in harbour_statements.items()
        if f"/statement/{statement.pk}/change/" in html
    )
    assert found == expected
    assert result_rows(html) == len(expected)


def test_admin_statement_search_finds_a_public_id(client, editor, harbour_statements):
    statement = harbour_statements["harm"]
    html = client.get(admin_url(Statement, "changelist"), {"q": statement.public_id})
    assert result_rows(html.content.decode()) == 1
    assert f"/statement/{statement.pk}/change/" in html.content.decode()
