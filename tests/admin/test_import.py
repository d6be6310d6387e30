"""The admin's paste-and-preview import, end to end with the test client."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from conferences.models import Conference, SourceDocument, Speaker, SpeakerAlias, Statement

from ..factories import ConferenceFactory, SpeakerFactory, TopicFactory

pytestmark = pytest.mark.django_db

URL = "/admin/conferences/conference/import/"

BRIEFING = """Press briefing of the Norlandian Ministry of Foreign Affairs
Port Aster, March 9, 2023

MS. DARROW: Good afternoon. The minister met her Eastmark counterpart about the fisheries accord.

QUESTION: Will the fisheries accord be signed?

MS. DARROW: It will be signed next week in Port Aster.
"""


def form_data(**extra):
    data = {"text": BRIEFING, "kind": "auto", "action": "preview"}
    data.update(extra)
    return data


def selected(html, name):
    """The value of the selected option of the <select name=...>."""
    select = re.search(rf'<select name="{re.escape(name)}".*?</select>', html, re.S)[0]
    return re.search(r'<option value="([^"]*)" selected>', select)[1]


def save_data(html, **overrides):
    """Everything the preview page would post back, as the browser would send it."""
    data = form_data(action="save")
    data["row_count"] = re.search(r'name="row_count" value="(\d+)"', html)[1]
    data["preview_key"] = re.search(r'name="preview_key" value="(\w+)"', html)[1]
    for name in ("title", "date", "place"):
        data[name] = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)[1]
    for name in re.findall(r'<select name="((?:sp|row)-\d+-\w+)"', html):
        data[name] = selected(html, name)
    for name in re.findall(r'name="(sp-\d+-name)" value="([^"]*)"', html):
        data[name[0]] = name[1]
    for name in re.findall(r'name="(row-\d+-keep)" checked', html):
        data[name] = "on"
    topics = re.findall(r'name="(row-\d+-topics)" value="(\d+)" checked', html)
    for name, value in topics:
        data.setdefault(name, []).append(value)
    data.update(overrides)
    return data


def test_changelist_has_the_import_button(client, editor):
    html = client.get("/admin/conferences/conference/").content.decode()
    assert f'<a href="{URL}" class="addlink">Import a transcript</a>' in html


def test_preview_shows_rows_prefilled_conference_and_unresolved_speakers(client, editor):
    TopicFactory(name="Fisheries", keywords="fisheries\nfishing")
    html = client.post(URL, form_data()).content.decode()
    assert "Preview: 3 statements (transcript)" in html
    assert (
        'name="title" value="Press briefing of the Norlandian Ministry of Foreign Affairs"' in html
    )
    assert 'name="date" value="2023-03-09"' in html
    assert 'name="place" value="Port Aster"' in html
    assert len(re.findall(r'class="import-row stmt sp-c\d unresolved"', html)) == 3
    assert selected(html, "sp-0-target") == "new"
    assert 'name="sp-0-name" value="Darrow"' in html
    assert selected(html, "row-1-kind") == "question"
    assert selected(html, "row-2-kind") == "answer"
    assert selected(html, "row-0-fidelity") == "verbatim"
    assert len(re.findall(r'name="row-\d-topics" value="\d+" checked', html)) == 2
    assert Conference.objects.count() == 0  # a preview writes nothing


def test_known_speaker_is_preselected(client, editor):
    darrow = SpeakerFactory(name="Mira Darrow")
    SpeakerAlias.of(darrow, "Darrow").save()
    html = client.post(URL, form_data()).content.decode()
    assert selected(html, "sp-0-target") == str(darrow.pk)
    # the anonymous question only
    assert len(re.findall(r'class="import-row stmt sp-c\d unresolved"', html)) == 1


def test_save_creates_a_draft_with_the_editors_choices(client, editor):
    fisheries = TopicFactory(name="Fisheries", keywords="fisheries")
    other = SpeakerFactory(name="Tomas Eberle")
    html = client.post(URL, form_data(source_url="https://example.org/b", outlet="Norland Wire"))
    html = html.content.decode()
    data = save_data(
        html,
        **{"row-2-speaker": str(other.pk), "sp-0-name": "Mira Darrow", "sp-0-kind": "official"},
    )
    data["source_url"], data["outlet"] = "https://example.org/b", "Norland Wire"
    response = client.post(URL, data)
    conference = Conference.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/conferences/conference/{conference.pk}/change/"
    assert (conference.title, str(conference.date), conference.place, conference.status) == (
        "Press briefing of the Norlandian Ministry of Foreign Affairs",
        "2023-03-09",
        "Port Aster",
        "draft",
    )
    rows = list(conference.statements.order_by("sequence"))
    assert [(s.sequence, s.speaker.name, s.kind, s.label) for s in rows] == [
        (1, "Mira Darrow", "remark", "MS. DARROW"),
        (2, "Unidentified journalist", "question", "QUESTION"),
        (3, "Tomas Eberle", "answer", "MS. DARROW"),
    ]
    assert [list(s.topics.all()) for s in rows] == [[fisheries], [fisheries], []]
    source = SourceDocument.objects.get()
    assert source.text == BRIEFING
    assert (source.url, source.outlet.name, source.kind) == (
        "https://example.org/b",
        "Norland Wire",
        "official_transcript",
    )
    for statement in rows:
        assert source.text[statement.source_start : statement.source_end] == statement.text
    darrow = Speaker.objects.get(name="Mira Darrow")
    assert Speaker.objects.get_by_name("MS. DARROW") == darrow
    assert Speaker.objects.get(name="Unidentified journalist").kind == "journalist"


def test_rows_left_unticked_are_not_saved(client, editor):
    html = client.post(URL, form_data()).content.decode()
    data = save_data(html)
    del data["row-1-keep"]
    client.post(URL, data)
    assert list(Statement.objects.values_list("text", flat=True)) == [
        "Good afternoon. The minister met her Eastmark counterpart about the fisheries accord.",
        "It will be signed next week in Port Aster.",
    ]
    assert list(Statement.objects.values_list("sequence", flat=True)) == [1, 2]


def test_save_into_an_existing_conference_appends_after_its_statements(client, editor):
    conference = ConferenceFactory(status="draft")
    html = client.post(URL, form_data(conference=conference.pk)).content.decode()
    client.post(URL, save_data(html, conference=str(conference.pk)))
    assert Conference.objects.count() == 1
    assert list(conference.statements.values_list("sequence", flat=True)) == [1, 2, 3]


def test_failed_save_keeps_the_text_and_every_choice(client, editor):
    html = client.post(URL, form_data()).content.decode()
    data = save_data(html, date="", **{"row-1-kind": "remark", "sp-0-name": "Mira Darrow"})
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "A new conference needs this (or pick an existing one)." in html
    assert "Good afternoon. The minister met her Eastmark counterpart" in html
    assert selected(html, "row-1-kind") == "remark"
    assert 'name="sp-0-name" value="Mira Darrow"' in html
    assert Conference.objects.count() == Statement.objects.count() == Speaker.objects.count() == 0


def test_repaste_is_refused_with_a_link_to_the_first_import(client, editor):
    html = client.post(URL, form_data()).content.decode()
    client.post(URL, save_data(html))
    conference = Conference.objects.get()
    again = client.post(URL, form_data()).content.decode()
    assert "This exact text was imported before, into" in again
    assert f'href="/admin/conferences/conference/{conference.pk}/change/"' in again
    assert 'value="save"' not in again
    client.post(URL, save_data(html))
    assert Statement.objects.count() == 3


def test_uploaded_file_is_read_and_kept_in_the_form(client, editor):
    upload = SimpleUploadedFile("briefing.txt", BRIEFING.encode("cp1252"), "text/plain")
    html = client.post(URL, {"kind": "auto", "action": "preview", "file": upload}).content.decode()
    assert "Preview: 3 statements" in html
    assert "Good afternoon. The minister met her Eastmark counterpart" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, "Paste a text, choose a file or give a link to import."),
        ({"text": "a\x00b"}, "Null characters are not allowed."),
        ({"text": BRIEFING, "date": "2023-13-45"}, "Enter a valid date."),
        ({"text": BRIEFING, "kind": "poem"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_a_form_error(client, editor, data, message):
    response = client.post(URL, {"kind": "auto", "action": "preview", **data})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_oversized_text_is_refused(client, editor, settings):
    settings.PODIUM_IMPORT_MAX_BYTES = 100
    html = client.post(URL, form_data()).content.decode()
    assert "Podium imports at most 100 bytes at a time. Split it into parts." in html


def test_text_without_statements_says_so(client, editor):
    html = client.post(URL, form_data(text="Just a line of prose.")).content.decode()
    assert "No statements were found in this text." in html


def test_staff_without_import_rights_gets_403(client):
    user = User.objects.create_user("viewer", password="not-a-real-password-42", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data()).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL)["Location"] == f"/admin/login/?next={URL}"


def test_a_text_changed_after_the_preview_is_previewed_again_not_saved(client, editor):
    html = client.post(URL, form_data()).content.decode()
    data = save_data(html, text=BRIEFING.replace("next week", "next month"))
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "The text or the import options changed since the preview" in response.content.decode()
    assert Conference.objects.count() == 0


def test_an_invalid_field_on_save_keeps_the_preview_and_choices(client, editor):
    html = client.post(URL, form_data()).content.decode()
    data = save_data(html, source_url="not a url at all", **{"sp-0-name": "Mira Darrow"})
    html = client.post(URL, data).content.decode()
    assert "Enter a valid URL." in html
    assert 'name="sp-0-name" value="Mira Darrow"' in html
    assert "Preview: 3 statements" in html
    assert Conference.objects.count() == 0


def test_published_conferences_cannot_receive_an_import(client, editor):
    published = ConferenceFactory(status="published")
    html = client.post(URL, form_data(conference=published.pk)).content.decode()
    assert "Select a valid choice." in html
    assert f'<option value="{published.pk}"' not in html


@pytest.mark.parametrize("value", ["²", "٣", "-1", "sp-²", "99999999999999999999999"])
def test_crafted_speaker_values_are_errors_not_crashes(client, editor, value):
    html = client.post(URL, form_data()).content.decode()
    response = client.post(URL, save_data(html, **{"sp-0-target": value, "row-0-speaker": value}))
    assert response.status_code == 200
    assert Conference.objects.count() == 0


def test_typing_a_known_name_reuses_the_speaker_and_mapping_learns_the_label(client, editor):
    darrow = SpeakerFactory(name="Mira Darrow")
    SpeakerAlias.of(darrow, "Mira Darrow").save()
    html = client.post(URL, form_data()).content.decode()
    client.post(URL, save_data(html, **{"sp-0-name": "Mira Darrow"}))
    assert Speaker.objects.filter(name="Mira Darrow").count() == 1
    assert set(Statement.objects.filter(label="MS. DARROW").values_list("speaker", flat=True)) == {
        darrow.pk
    }
    assert Speaker.objects.get_by_name("MS. DARROW") == darrow  # learned for next time


def test_import_needs_the_rights_to_create_what_it_creates(client):
    from django.contrib.auth.models import Permission

    user = User.objects.create_user("half", password="not-a-real-password-42", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_conference", "add_statement"])
    )
    client.force_login(user)
    assert client.get(URL).status_code == 403
