"""The import's review screen with the test client: the text pane, repairs as hints posted back,
the choices that follow their statements, and the labels the importer learns.

Fictional texts only (tests/admin/joint_presser.py and the short one below).
"""

import html as htmllib
import re

import pytest

from conferences.models import PrintedLabel, Speaker, Statement

from .joint_presser import PRIME_MINISTER, joint_press_conference
from .posting import posted_form

pytestmark = pytest.mark.django_db

URL = "/admin/conferences/conference/import/"
EKDAHL = PRIME_MINISTER

SHORT = f"""Joint press conference, Port Aster, 3 May 2024

PRESIDENT KESSEL: Thank you all for coming. We agreed on a new trade corridor today.

{EKDAHL}: Thank you, Mr President. Norland welcomes the corridor.

Q: Mr President, when will the tariffs fall?

PRESIDENT KESSEL: In June.

{EKDAHL}: And in Norland, in July.
"""


def preview(client, text, **extra):
    return client.post(URL, {"text": text, "kind": "auto", "action": "preview", **extra})


def statements(page: str) -> int:
    return int(re.search(r"Preview: (\d+) statements?", page)[1])


def statement_texts(page: str) -> list[str]:
    found = re.findall(r'<div class="import-text stmt-text(?: folded)?">(.*?)</div>', page, re.S)
    return [htmllib.unescape(t.replace("<br>", "\n")) for t in found]


def test_the_text_pane_holds_the_text_as_pasted_with_spans_labels_and_what_was_left_out(
    client, editor
):
    page = preview(client, SHORT).content.decode()
    pane = re.search(r'<div id="review-source" class="review-source">(.*?)</section>', page, re.S)[
        1
    ]
    # every character of the text is in the pane, in order
    assert htmllib.unescape(re.sub(r"<[^>]+>", "", pane)).replace("\n", "").rstrip() == (
        SHORT.replace("\n", "")
    )
    assert pane.count('<strong class="seg-label">PRESIDENT KESSEL:</strong>') == 2
    assert pane.count('<strong class="seg-label">Q:</strong>') == 1
    # the heading, in no statement, is marked
    assert '<mark class="left-out">Joint press conference, Port Aster, 3 May 2024</mark>' in pane
    # the first statement's span links to it, and the statement links back
    assert re.search(
        r'<a class="seg sp-c0" href="#row-0" data-row="0" id="src-0">Thank you all', pane
    )
    assert '<a class="stmt-number" href="#src-0"' in page


def test_the_share_left_out_is_counted_on_the_words(client, editor):
    heading = "Briefing on the Port Aster ferries"
    body = (
        "MS. DARROW: Good afternoon. The ferries to Eastmark run again from Monday.\n\n"
        "QUESTION: Will the fares change?\n\nMS. DARROW: The fares stay as they are.\n"
    )
    page = preview(client, f"{heading}\n\n{body}").content.decode()
    assert statements(page) == 3
    # white space does not count; labels count as read: only the heading is left out
    left_out = len(heading.replace(" ", ""))
    visible = left_out + len(re.sub(r"\s", "", body))
    assert (left_out, visible) == (29, 152)
    assert "<strong>19% of the text is in no statement.</strong>" in page


def test_a_label_the_importer_missed_is_offered_and_one_click_repairs_the_whole_text(
    client, editor
):
    text, turns = joint_press_conference()
    first = preview(client, text).content.decode()
    assert statements(first) == 22
    offer = f'<button type="submit" name="add_hint" value="label:{htmllib.escape(EKDAHL)}"'
    assert offer in first

    page = client.post(URL, posted_form(first, add_hint=f"label:{EKDAHL}")).content.decode()
    assert statements(page) == 30
    assert offer not in page
    # the repair is listed, ticked, and travels with the next post
    assert re.search(
        r'<input type="checkbox" name="hint" value="label:H.E. Tomas Ekdahl, '
        r'Prime Minister of Norland" checked>',
        page,
    )
    assert f"Treat “{EKDAHL}” as a speaker label" in page
    assert len(statement_texts(page)) == 30
    assert [t[:40] for t in statement_texts(page)] == [words for _, words in turns]

    # untick it: the next preview is the importer's own again
    data = posted_form(page)
    data.pop("hint")
    assert statements(client.post(URL, data).content.decode()) == 22


def test_saving_a_repaired_preview_saves_what_it_showed_and_learns_the_label(client, editor):
    text, turns = joint_press_conference()
    page = client.post(
        URL, posted_form(preview(client, text).content.decode(), add_hint=f"label:{EKDAHL}")
    ).content.decode()
    response = client.post(URL, posted_form(page, action="save"))
    assert response.status_code == 302
    saved = Statement.objects.order_by("sequence")
    assert saved.count() == 30
    assert [s.text.split("\n", 1)[0][:40] for s in saved] == [words for _, words in turns]
    ekdahl = Speaker.objects.get(name="Tomas Ekdahl")
    assert saved.filter(speaker=ekdahl).count() == 8
    assert set(saved.filter(speaker=ekdahl).values_list("label", flat=True)) == {EKDAHL}
    assert PrintedLabel.objects.get(label=EKDAHL).speaker == ekdahl
    assert set(PrintedLabel.objects.values_list("label", flat=True)) == {
        EKDAHL,
        "PRESIDENT KESSEL",
        "MODERATOR",
    }

    # the next text with that label needs no repair, and finds the speaker
    again = preview(client, text.replace("3 May 2024", "4 May 2024")).content.decode()
    assert statements(again) == 30
    assert "Your repairs" not in again
    assert f'value="label:{htmllib.escape(EKDAHL)}"' not in again
    assert f'{htmllib.escape(EKDAHL)} <strong class="unresolved-note">' not in again
    assert f'{htmllib.escape(EKDAHL)}<input type="hidden" name="sp-2-key"' in again  # known now


def test_a_line_repair_starts_a_statement_by_a_new_name(client, editor):
    first = preview(client, SHORT, hint=f"label:{EKDAHL}").content.decode()
    assert statements(first) == 5
    at = SHORT.index("Q: Mr President")
    page = client.post(
        URL,
        posted_form(
            first, action="repair", at=str(at), line_action="break", line_new_name="Dario Kessel"
        ),
    ).content.decode()
    assert statements(page) == 5
    assert (
        "New statement at “Q: Mr President, when will the tariffs fall?”, by Dario Kessel" in page
    )
    assert re.search(rf'name="hint" value="break:{at}:Dario Kessel" checked', page)
    assert ">Dario Kessel</option>" in page


def test_a_line_repair_drops_a_line(client, editor):
    first = preview(client, SHORT, hint=f"label:{EKDAHL}").content.decode()
    at = SHORT.index("Q: Mr President")
    page = client.post(
        URL, posted_form(first, action="repair", at=str(at), line_action="drop")
    ).content.decode()
    assert statements(page) == 4
    assert "Not a statement: “Q: Mr President, when will the tariffs fall?”" in page
    assert '<mark class="left-out">Q: Mr President, when will the tariffs fall?</mark>' in page


def test_join_and_not_a_statement_buttons_on_each_statement(client, editor):
    first = preview(client, SHORT, hint=f"label:{EKDAHL}").content.decode()
    last = SHORT.index("And in Norland")
    assert f'name="add_hint" value="join:{last}"' in first
    page = client.post(URL, posted_form(first, add_hint=f"join:{last}")).content.decode()
    assert statements(page) == 4
    assert statement_texts(page)[-1] == "In June.\n\nAnd in Norland, in July."


def test_choices_follow_their_statements_through_a_repair(client, editor):
    first = preview(client, SHORT).content.decode()
    assert statements(first) == 3
    # the editor makes the last statement a remark and unticks the question, then repairs
    data = posted_form(first, add_hint=f"label:{EKDAHL}")
    data["row-2-kind"] = "remark"
    data.pop("row-1-keep")
    page = client.post(URL, data).content.decode()
    assert statements(page) == 5
    # rows are numbered anew: the question is row 2 now, the last Kessel answer row 3
    assert 'name="row-2-keep"' in page and 'name="row-2-keep" checked' not in page
    assert re.search(r'name="row-3-kind".*?<option value="remark" selected>', page, re.S)
    assert 'name="row-1-keep" checked' in page  # Ekdahl's new statement: ticked, as new rows are


def test_a_repair_that_cannot_be_read_is_left_out_with_a_message_and_the_text_is_kept(
    client, editor
):
    response = preview(client, SHORT, hint=["drop:99999999:1", "nonsense", f"label:{EKDAHL}"])
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("A repair could not be read and was left out.") == 2
    assert statements(page) == 5
    assert htmllib.escape(SHORT.split("\n")[2]) in page


def test_a_line_repair_with_no_line_chosen_says_so(client, editor):
    page = preview(client, SHORT, action="repair", line_action="break").content.decode()
    assert "Choose a line of the text (the round button before it) for that repair." in page
    assert statements(page) == 3


def test_a_save_with_other_repairs_than_the_preview_shows_the_new_preview(client, editor):
    first = preview(client, SHORT).content.decode()
    data = posted_form(first, action="save", hint=f"label:{EKDAHL}")
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The text or the import options changed since the preview" in page
    assert Statement.objects.count() == 0
    assert statements(page) == 5


MINIFIED = (
    "<h1>Joint press conference</h1><p><b>PRESIDENT KESSEL:</b> Thank you all for coming.</p>"
    f"<p><b>{EKDAHL}:</b> Thank you, Mr President.</p><p><b>Q:</b> When will the tariffs "
    "fall?</p><p><b>PRESIDENT KESSEL:</b> In June.</p>"
)


def test_pasted_html_on_one_line_has_a_line_per_block_in_the_pane(client, editor):
    page = preview(client, MINIFIED).content.decode()
    radios = re.findall(r'<input type="radio" name="at" value="(\d+)"', page)
    assert [MINIFIED[int(at) : int(at) + 6] for at in radios] == [
        "<h1>Jo",
        "<p><b>",
        "<p><b>",
        "<p><b>",
        "<p><b>",
    ]


def test_a_line_repair_on_pasted_html_reads_the_words_not_the_markup(client, editor):
    first = preview(client, MINIFIED).content.decode()
    at = MINIFIED.index(f"<p><b>{EKDAHL}")
    page = client.post(
        URL, posted_form(first, action="repair", at=str(at), line_action="label")
    ).content.decode()
    assert re.search(
        rf'name="hint" value="label:{re.escape(htmllib.escape(EKDAHL))}" checked', page
    )
    assert statement_texts(page) == [
        "Thank you all for coming.",
        "Thank you, Mr President.",
        "When will the tariffs fall?",
        "In June.",
    ]
    # and "not a statement" on the question's line takes that statement only
    at = MINIFIED.index("<p><b>Q:")
    page = client.post(
        URL, posted_form(page, action="repair", at=str(at), line_action="drop")
    ).content.decode()
    assert statement_texts(page) == [
        "Thank you all for coming.",
        "Thank you, Mr President.",
        "In June.",
    ]


def test_a_new_statement_needs_a_speaker(client, editor):
    first = preview(client, SHORT).content.decode()
    at = SHORT.index("Q: Mr President")
    page = client.post(URL, posted_form(first, action="repair", at=str(at), line_action="break"))
    assert "Say who speaks from that line: pick a speaker or type a new name." in (
        page.content.decode()
    )
    assert "Your repairs" not in page.content.decode()


def test_a_stretch_that_ends_before_it_starts_is_no_repair(client, editor):
    page = preview(client, SHORT, hint="drop:90:10").content.decode()
    assert "A repair could not be read and was left out." in page
    assert "Your repairs" not in page


def test_a_question_label_given_to_a_named_speaker_is_not_learned(client, editor):
    first = preview(client, SHORT, hint=f"label:{EKDAHL}").content.decode()
    at = SHORT.index("Q: Mr President")
    page = client.post(
        URL,
        posted_form(
            first, action="repair", at=str(at), line_action="break", line_new_name="Dario Kessel"
        ),
    ).content.decode()
    assert client.post(URL, posted_form(page, action="save")).status_code == 302
    assert Statement.objects.get(text="Mr President, when will the tariffs fall?").speaker.name == (
        "Dario Kessel"
    )
    assert sorted(PrintedLabel.objects.values_list("label", flat=True)) == sorted(
        [EKDAHL, "PRESIDENT KESSEL"]
    )


def test_only_a_named_speakers_transcript_label_is_confirmed():
    from conferences.importer.parse import ParsedDocument, Turn
    from conferences.importer.service import confirmed_label

    def turn(label, speaker="Dario Kessel", anonymous=False):
        return Turn(label, speaker, anonymous, None, "Words.", "remark", "verbatim", 0, 6)

    transcript = ParsedDocument("transcript", None, None, None)
    article = ParsedDocument("article", None, None, None)
    assert confirmed_label(transcript, turn("PRESIDENT KESSEL")) == "PRESIDENT KESSEL"
    assert confirmed_label(transcript, turn("Q")) == ""  # given a name by the editor
    assert confirmed_label(transcript, turn("QUESTION", None, True)) == ""
    assert confirmed_label(transcript, turn("PRESIDENT KESSEL", None)) == ""
    assert confirmed_label(article, turn("Kessel said")) == ""


def test_in_an_article_no_line_starts_a_statement_and_the_page_says_so(client, editor):
    article = (
        "Corridor to open next spring\n\nThe president of Valdora said on Tuesday that the "
        'corridor "will open next spring".\n\n"We will build the northern section," the prime '
        "minister of Norland told reporters.\n"
    )
    at = article.index("The president")
    page = preview(client, article, hint=f"break:{at}:Tomas Ekdahl").content.decode()
    assert "a new statement cannot start at a line there" in page
    assert statements(page) == 2
    assert '<option value="break">' not in page


def test_a_label_learned_between_preview_and_save_shows_the_new_preview_first(client, editor):
    first = preview(client, SHORT).content.decode()
    assert statements(first) == 3
    PrintedLabel.objects.create(
        label=EKDAHL, speaker=Speaker.objects.create(name="Tomas Ekdahl", slug="tomas-ekdahl")
    )
    page = client.post(URL, posted_form(first, action="save")).content.decode()
    assert "The text or the import options changed since the preview" in page
    assert Statement.objects.count() == 0
    assert statements(page) == 5
    assert f"read as labels, as an editor confirmed before: {htmllib.escape(EKDAHL)}" in page
    assert client.post(URL, posted_form(page, action="save")).status_code == 302
    assert Statement.objects.filter(speaker__name="Tomas Ekdahl").count() == 2
