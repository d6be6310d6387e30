"""The editor's repairs applied by the parser (conferences/importer/parse/hints.py).

Fictional texts only: Valdora, Norland, President Kessel and Tomas Ekdahl exist nowhere.
"""

import pytest

from conferences.importer.parse import Hints, label_candidates, parse
from conferences.importer.parse.text import build_view, split_lines

EKDAHL = "H.E. Tomas Ekdahl, Prime Minister of Norland"

TEXT = f"""Joint press conference, Port Aster, 3 May 2024

PRESIDENT KESSEL: Thank you all for coming. We agreed on a new trade corridor today.

It will open next spring.

{EKDAHL}: Thank you, Mr President. Norland welcomes the corridor.

(Applause.)

We will build the northern section.

Q: Mr President, when will the tariffs fall?

PRESIDENT KESSEL: In June.

{EKDAHL}: And in Norland, in July.
"""


def speakers_and_texts(doc):
    return [(turn.speaker, turn.text) for turn in doc.turns]


def test_an_unknown_label_shape_runs_into_the_turn_before_it_without_a_hint():
    doc = parse(TEXT)
    assert [turn.label for turn in doc.turns] == ["PRESIDENT KESSEL", "Q", "PRESIDENT KESSEL"]
    assert doc.turns[0].text.endswith(
        f"{EKDAHL}: Thank you, Mr President. Norland welcomes the corridor.\n\n(Applause.)\n\n"
        "We will build the northern section."
    )


def test_a_label_hint_makes_every_line_opening_with_it_a_label():
    doc = parse(TEXT, hints=Hints(labels=(EKDAHL,)))
    assert [turn.label for turn in doc.turns] == [
        "PRESIDENT KESSEL",
        EKDAHL,
        "Q",
        "PRESIDENT KESSEL",
        EKDAHL,
    ]
    assert doc.turns[1].speaker == "Tomas Ekdahl"
    assert doc.turns[1].text == (
        "Thank you, Mr President. Norland welcomes the corridor.\n\n(Applause.)\n\n"
        "We will build the northern section."
    )
    assert doc.turns[4].text == "And in Norland, in July."
    assert doc.turns[4].start == TEXT.index("And in Norland")


def test_a_dropped_line_inside_a_turn_leaves_the_rest_of_the_turn():
    start = TEXT.index("(Applause.)")
    doc = parse(TEXT, hints=Hints(labels=(EKDAHL,), drops=((start, start + 11),)))
    assert doc.turns[1].text == (
        "Thank you, Mr President. Norland welcomes the corridor.\n\n"
        "We will build the northern section."
    )
    assert doc.turns[1].warnings == ["lines left out by the editor"]
    assert (doc.turns[1].start, doc.turns[1].end) == (
        TEXT.index("Thank you, Mr President"),
        TEXT.index("northern section.") + len("northern section."),
    )


def test_a_dropped_statement_is_gone():
    doc = parse(TEXT, hints=Hints(labels=(EKDAHL,)))
    question = doc.turns[2]
    doc = parse(TEXT, hints=Hints(labels=(EKDAHL,), drops=((question.start, question.end),)))
    assert [turn.label for turn in doc.turns] == [
        "PRESIDENT KESSEL",
        EKDAHL,
        "PRESIDENT KESSEL",
        EKDAHL,
    ]


def test_a_break_inside_a_turn_starts_a_statement_by_the_speaker_named():
    offset = TEXT.index("It will open")
    doc = parse(TEXT, hints=Hints(labels=(EKDAHL,), breaks=((offset, "Ilse Marwick"),)))
    assert speakers_and_texts(doc)[:3] == [
        ("Kessel", "Thank you all for coming. We agreed on a new trade corridor today."),
        ("Ilse Marwick", "It will open next spring."),
        (
            "Tomas Ekdahl",
            "Thank you, Mr President. Norland welcomes the corridor.\n\n(Applause.)\n\n"
            "We will build the northern section.",
        ),
    ]
    added = doc.turns[1]
    assert (added.label, added.kind, added.start, added.warnings) == (
        None,
        "remark",
        offset,
        ["new statement set by the editor"],
    )


def test_a_break_in_the_middle_of_a_line_starts_at_that_line():
    offset = TEXT.index("open next spring")
    doc = parse(TEXT, hints=Hints(labels=(EKDAHL,), breaks=((offset, "Ilse Marwick"),)))
    assert doc.turns[1].text == "It will open next spring."


def test_a_break_on_text_in_no_statement_makes_one_up_to_the_next_statement():
    text = (
        "Port Aster, 3 May 2024\n\nOpening words of the chair, unlabelled.\n\n"
        + TEXT.split("\n\n", 1)[1]
    )
    offset = text.index("Opening words")
    assert "Opening words" not in " ".join(t.text for t in parse(text).turns)
    doc = parse(text, hints=Hints(breaks=((offset, "Chair of the conference"),)))
    assert speakers_and_texts(doc)[0] == (
        "Chair of the conference",
        "Opening words of the chair, unlabelled.",
    )
    assert doc.turns[1].label == "PRESIDENT KESSEL"


def test_a_break_after_a_question_is_an_answer():
    doc = parse(TEXT, hints=Hints(labels=(EKDAHL,)))
    question = doc.turns[2]
    text = TEXT.replace(
        "when will the tariffs fall?", "when will the tariffs fall?\n\nIn June, I hope."
    )
    offset = text.index("In June, I hope.")
    doc = parse(text, hints=Hints(labels=(EKDAHL,), breaks=((offset, "Kessel"),)))
    assert [(t.kind, t.text) for t in doc.turns[2:4]] == [
        ("question", question.text),
        ("answer", "In June, I hope."),
    ]


def test_a_join_puts_a_statement_back_into_the_one_before_it():
    doc = parse(TEXT, hints=Hints(labels=(EKDAHL,)))
    last = doc.turns[4]
    doc = parse(TEXT, hints=Hints(labels=(EKDAHL,), joins=(last.start,)))
    assert len(doc.turns) == 4
    assert doc.turns[3].text == "In June.\n\nAnd in Norland, in July."
    assert doc.turns[3].end == last.end
    assert doc.turns[3].warnings == ["joined by the editor"]


def test_hints_keep_the_verbatim_rule_every_paragraph_is_in_the_source():
    start = TEXT.index("(Applause.)")
    doc = parse(
        TEXT,
        hints=Hints(
            labels=(EKDAHL,),
            drops=((start, start + 11),),
            breaks=((TEXT.index("It will open"), "Ilse Marwick"),),
        ),
    )
    for turn in doc.turns:
        for paragraph in turn.text.split("\n\n"):
            assert paragraph in TEXT


def test_label_candidates_are_capitalised_words_before_a_colon_or_a_dash():
    view = build_view(TEXT + "PM EKDAHL - Yes.\nHe said: no.\nNote: none.\n").text
    found = label_candidates(view, split_lines(view))
    assert dict(found) == {"PRESIDENT KESSEL": 2, EKDAHL: 2, "Q": 1, "PM EKDAHL": 1}


def test_a_learned_label_is_read_when_the_text_bears_it_out():
    doc = parse(TEXT, learned=lambda names: {EKDAHL} & set(names))
    assert [turn.label for turn in doc.turns].count(EKDAHL) == 2


def test_a_learned_label_printed_once_in_a_text_with_no_other_label_stays_prose():
    text = (
        "Kessel: corridor opens next spring\n\nThe president of Valdora said on Tuesday that "
        'the corridor will open next spring, "on time".\n'
    )
    learned = parse(text, learned=lambda names: {"Kessel"})
    assert [(t.label, t.text) for t in learned.turns] == [
        (t.label, t.text) for t in parse(text).turns
    ]
    assert all(turn.label != "Kessel" for turn in learned.turns)


ARTICLE = """Kessel: a leader under pressure

The president of Valdora said on Tuesday that the corridor "will open next spring".

Ekdahl: patience in Norland

"We will build the northern section," the prime minister of Norland told reporters.

Kessel: the next steps

"Nothing changes for farmers," Kessel said.
"""


def test_learned_labels_never_turn_an_article_into_a_transcript():
    learned = parse(ARTICLE, learned=lambda names: {"Kessel", "Ekdahl"} & set(names))
    plain = parse(ARTICLE)
    assert plain.kind == learned.kind == "article"
    assert [(t.label, t.text) for t in learned.turns] == [(t.label, t.text) for t in plain.turns]


@pytest.mark.parametrize(
    "printed",
    [f"<p><b>{EKDAHL}:</b> ", f"<p><b>{EKDAHL}</b>: ", f"<p><strong>{EKDAHL}</strong> – "],
)
def test_a_label_in_bold_markup_is_read_as_a_label_when_hinted(printed):
    html = (
        "<p><b>PRESIDENT KESSEL:</b> Thank you all for coming.</p>\n"
        f"{printed}Thank you, Mr President.</p>\n"
        "<p><b>Q:</b> When will the tariffs fall?</p>\n"
        f"{printed}In July.</p>\n"
    )
    doc = parse(html, hints=Hints(labels=(EKDAHL,)))
    assert [(t.label, t.text) for t in doc.turns] == [
        ("PRESIDENT KESSEL", "Thank you all for coming."),
        (EKDAHL, "Thank you, Mr President."),
        ("Q", "When will the tariffs fall?"),
        (EKDAHL, "In July."),
    ]


def test_a_new_statement_at_a_line_opening_with_a_missed_label_keeps_the_label_apart():
    offset = TEXT.index(f"{EKDAHL}: Thank you, Mr President")
    doc = parse(TEXT, hints=Hints(breaks=((offset, "Tomas Ekdahl"),)))
    added = doc.turns[1]
    assert (added.label, added.speaker, added.start) == (
        EKDAHL,
        "Tomas Ekdahl",
        TEXT.index("Thank you, Mr President"),
    )
    assert added.text.startswith("Thank you, Mr President. Norland welcomes the corridor.")
    assert doc.turns[0].text == (
        "Thank you all for coming. We agreed on a new trade corridor today.\n\n"
        "It will open next spring."
    )


def test_no_line_starts_a_statement_in_an_article():
    offset = ARTICLE.index("The president of Valdora")
    plain = parse(ARTICLE)
    hinted = parse(ARTICLE, hints=Hints(breaks=((offset, "Tomas Ekdahl"),)))
    assert [(t.speaker, t.text) for t in hinted.turns] == [(t.speaker, t.text) for t in plain.turns]
