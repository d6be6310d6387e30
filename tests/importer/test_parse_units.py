"""Focused tests of the parser's rules, on invented texts (no real person is quoted)."""

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conferences.importer.parse import parse, to_dict
from conferences.importer.parse.dates import (
    clean_title,
    day_and_month,
    find_date,
    parse_date,
    place_from_line,
)
from conferences.importer.parse.quotes import find_quotes
from conferences.importer.parse.text import artifacts

SEED = Path("/work/shared/corpus/00-seed-lavrov-nato-japan")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("March 9, 2023", datetime.date(2023, 3, 9)),
        ("9 March 2023", datetime.date(2023, 3, 9)),
        ("2023-03-09", datetime.date(2023, 3, 9)),
        ("Friday, January 14, 2022", datetime.date(2022, 1, 14)),
        ("Sept. 9, 2016", datetime.date(2016, 9, 9)),
        ("14.01.2022", datetime.date(2022, 1, 14)),
        ("Briefing – February 28, 2024 – Ministry", datetime.date(2024, 2, 28)),
        ("the 21st of June 2023", datetime.date(2023, 6, 21)),
        ("On July 12, the Ministry said", None),
        ("February 30, 2023", None),
        # other languages of the briefings we meet
        ("Point de presse, Port Aster, le 1er mars 2023", datetime.date(2023, 3, 1)),
        ("Regierungspressekonferenz am 3. März 2023", datetime.date(2023, 3, 3)),
        ("Rueda de prensa, 3 de marzo de 2023", datetime.date(2023, 3, 3)),
        ("Брифинг официального представителя, 3 марта 2023 года", datetime.date(2023, 3, 3)),
        ("Conferenza stampa del 12 maggio 2024", datetime.date(2024, 5, 12)),
        ("the mars rover, 2023", None),  # a month name needs a day and a year
        ("We wtorek 4 października 2022 w Warszawie", datetime.date(2022, 10, 4)),
        ("Брифінг, 12 травня 2024 року", datetime.date(2024, 5, 12)),
        ("Persconferentie van 3 maart 2021", datetime.date(2021, 3, 3)),
        ("Oluşturulma Tarihi: Mart 07, 2026 21:25", datetime.date(2026, 3, 7)),
        ("The World Today - Wednesday, 19 October , 2005  12:29:00", datetime.date(2005, 10, 19)),
    ],
)
def test_parse_date_reads_usual_forms(text, expected):
    assert parse_date(text) == expected


def test_a_slashed_date_is_read_day_first_when_asked_and_a_day_and_month_alone_is_found():
    assert find_date("09/10/2015")[0] == datetime.date(2015, 9, 10)  # US order by default
    assert find_date("09/10/2015", day_first=True)[0] == datetime.date(2015, 10, 9)
    assert find_date("25/10/2015")[0] == datetime.date(2015, 10, 25)  # no 25th month
    assert day_and_month("(Roma, 7 ottobre)") == (7, 10)
    assert day_and_month("7 ottobre 2015") is None  # a whole date, not a day and month alone


def test_place_from_line_accepts_header_places_only():
    assert place_from_line("Aboard Air Force One") == "Aboard Air Force One"
    assert place_from_line("Washington, D.C.") == "Washington, D.C."
    assert place_from_line("Port Meridian, 9 March 2023") == "Port Meridian"
    assert place_from_line("We met in Port Meridian yesterday.") is None


def test_clean_title_drops_glued_site_name_and_date():
    line = "Daily Press Briefing – March 9, 2023 – Norlandia Ministry of State"
    assert clean_title(line) == "Daily Press Briefing"


def test_headline_with_colon_is_not_a_speaker_label():
    text = (
        "Quintero: Norlandia will not yield\n\n"
        "Foreign Minister Alva Quintero said the talks would go on.\n\n"
        "\u201cWe will not yield,\u201d Quintero said.\n"
    )
    doc = parse(text)
    assert doc.kind == "article"
    assert doc.title == "Quintero: Norlandia will not yield"
    assert [t.text for t in doc.turns] == ["We will not yield,"]
    assert doc.turns[0].speaker == "Alva Quintero"


def test_label_followed_by_prose_is_a_label():
    text = "Alva Quintero: We will not yield.\nQuestion: Why not?\nAlva Quintero: Because.\n"
    doc = parse(text)
    assert doc.kind == "transcript"
    assert [t.label for t in doc.turns] == ["Alva Quintero", "Question", "Alva Quintero"]
    assert [t.kind for t in doc.turns] == ["remark", "question", "answer"]


def test_quote_split_around_attribution_gives_two_spans():
    text = '"The port will open," Quintero said. "It will open in May."\n'
    doc = parse(text, kind="article", default_speaker="Alva Quintero")
    assert [t.text for t in doc.turns] == ["The port will open,", "It will open in May."]
    assert {t.speaker for t in doc.turns} == {"Alva Quintero"}


def test_pronoun_and_title_refer_back_to_last_named_speaker():
    text = (
        "Trade Envoy Oskar Thalberg said the draft was ready.\n\n"
        "\u201cIt is a fair text,\u201d he said.\n\n"
        "\u201cNobody lost,\u201d the envoy added.\n"
    )
    doc = parse(text, kind="article")
    assert [(t.label, t.speaker) for t in doc.turns] == [
        ("he", "Oskar Thalberg"),
        ("the envoy", "Oskar Thalberg"),
    ]


def test_according_to_an_agency_names_a_source_not_a_speaker():
    text = (
        "Minister Alva Quintero spoke in Port Meridian.\n\n"
        "According to the Meridian Press agency, she said the port \u201cwill open soon.\u201d\n"
    )
    doc = parse(text, kind="article")
    assert len(doc.turns) == 1
    assert doc.turns[0].speaker == "Alva Quintero"
    assert "Meridian Press" not in doc.speakers


def test_apostrophes_are_not_quote_marks():
    spans = find_quotes("The countries\u2019 leaders don't agree, it's the envoy's view.")
    assert spans == []


def test_single_quotes_with_possessive_inside():
    s = "She called it \u2018the neighbours\u2019 best offer,\u2019 and left."
    spans = find_quotes(s)
    assert [s[x.start : x.end] for x in spans] == ["the neighbours\u2019 best offer,"]


def test_nested_quote_stays_inside_outer_quote():
    s = "\u201cOur elders say: 'the sea keeps no secrets.' We agree,\u201d she said."
    spans = find_quotes(s)
    assert len(spans) == 1
    assert s[spans[0].start : spans[0].end].startswith("Our elders say: 'the sea")


def test_mixed_marks_and_lost_opening_mark():
    s = '\u201cWe came in good faith." Then we waited," she said.'
    spans = find_quotes(s)
    assert [s[x.start : x.end] for x in spans] == ["We came in good faith.", "Then we waited,"]


def test_reported_speech_becomes_paraphrase_only_when_asked():
    text = "Minister Alva Quintero said that the port would open in May.\n"
    assert parse(text, kind="article").turns == []
    turns = parse(text, kind="article", paraphrases=True).turns
    assert [(t.fidelity, t.speaker) for t in turns] == [("paraphrase", "Alva Quintero")]


def test_artifacts_are_flagged_not_changed():
    found = artifacts("In the XNUMXst year the the fleet [inaudible] grew [sic].")
    assert "XNUMX placeholder: 'XNUMXst'" in found
    assert "doubled word: 'the the'" in found
    assert "transcriber note: [inaudible]" in found
    assert "transcriber note: [sic]" in found
    assert artifacts("  ") == ["empty turn"]
    assert artifacts("He had had enough, and that that was it.") == []


def test_offsets_point_into_original_text_after_markup():
    text = "<p><b>MS. DARROW:</b> It&rsquo;s done.</p>\n<p><b>Q:</b> Really?</p>\n"
    doc = parse(text, kind="transcript")
    assert [t.text for t in doc.turns] == ["It\u2019s done.", "Really?"]
    assert text[doc.turns[1].start : doc.turns[1].end] == "Really?"


def test_to_dict_is_json_ready():
    doc = parse("Date: 9 March 2023\n\nMR. ABERNATHY: Hello.\n\nQ: Hi.\n")
    data = to_dict(doc)
    json.dumps(data)
    assert data["date"] == "2023-03-09"


def test_parser_does_not_import_django():
    code = (
        "import sys; import conferences.importer.parse as p; p.parse('Q: Hi?\\nMR. A: Hello.'); "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_the_president_label_and_bare_q_with_one_space():
    doc = parse("THE PRESIDENT: Thank you all.\n\nQ Will you go?\n\nTHE PRESIDENT: Yes.\n")
    assert [(t.label, t.speaker, t.kind) for t in doc.turns] == [
        ("THE PRESIDENT", "The President", "remark"),
        ("Q", None, "question"),
        ("THE PRESIDENT", "The President", "answer"),
    ]


def test_answer_label_takes_the_default_speaker():
    doc = parse("Q: Ready?\nA: Yes.\n", default_speaker="Mira Solvang")
    assert [(t.label, t.speaker, t.kind) for t in doc.turns] == [
        ("Q", None, "question"),
        ("A", "Mira Solvang", "answer"),
    ]


@pytest.mark.skipif(not SEED.with_suffix(".txt").exists(), reason="corpus not available")
def test_seed_article_gives_its_ten_quotes_all_by_lavrov():
    text = SEED.with_suffix(".txt").read_text(encoding="utf-8")
    expected = json.loads(SEED.with_suffix(".json").read_text(encoding="utf-8"))
    doc = parse(text)
    assert doc.kind == "article"
    assert len(doc.turns) == 10
    for turn, want in zip(doc.turns, expected["all_turns"], strict=True):
        opening = re.findall(r"[\w']+", want["starts_with"].replace("\u2019", "'"))[:5]
        assert re.findall(r"[\w']+", turn.text.replace("\u2019", "'"))[:5] == opening
        assert turn.speaker in ("Sergey Lavrov", "Sergei Lavrov")
        assert turn.fidelity == "reported_quote"
    assert any("XNUMX" in w for t in doc.turns for w in t.warnings)


def test_posts_of_other_languages_name_who_answers():
    from conferences.importer.parse.names import post_holders

    assert post_holders("Point de presse du porte-parole Dario Kessel") == ["Dario Kessel"]
    assert post_holders("Pressekonferenz mit Außenministerin Ilse Marwick") == ["Ilse Marwick"]
    assert post_holders("Remarks by High Representative/Vice-President Ilse Marwick") == [
        "Ilse Marwick"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We will keep the harbour open, and the ministry has said that it is ready.", "en"),
        (
            "Die Ministerin sagte, dass die Regierung den Vertrag mit dem Nachbarland noch "
            "in diesem Jahr unterzeichnen wird, und sie ist auch für die Fischer da.",
            "de",
        ),
        (
            "La ministre a déclaré que le traité sera signé cette année et que les pêcheurs ne "
            "sont pas oubliés dans cette affaire.",
            "fr",
        ),
        (
            "Министр заявил, что договор будет подписан в этом году, и что это было не так "
            "просто для всех.",
            "ru",
        ),
        (
            "Міністр заявив, що договір буде підписано цього року, і що це було не так просто "
            "для всіх, але ми вже готові.",
            "uk",
        ),
        (
            "El ministro dijo que el tratado se firmará este año y que los pescadores no son "
            "olvidados por el gobierno.",
            "es",
        ),
        ("Vesmark City, 2023", ""),  # too little to tell
        ("", ""),
    ],
)
def test_the_language_of_a_text_is_detected_from_its_common_words(text, expected):
    from conferences.importer.parse.language import detect_language

    assert detect_language(text) == expected
