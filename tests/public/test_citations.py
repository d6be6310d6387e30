"""Citations and sharing metadata of a statement, checked as exact text.

Everything here is fictional: Norlandia, Port Aster and the people in it do not exist.
"""

import datetime
import json

import pytest

from conferences.models import Conference, Speaker, Statement
from conferences.public.citations import Citation, citations, json_ld_script_text, quote_metadata

from ..factories import (
    ConferenceFactory,
    OrganizationFactory,
    RoleFactory,
    SourceDocumentFactory,
    SpeakerFactory,
    StatementFactory,
)

URL = "https://podium.example/s/abcd2345/"
ACCESSED = datetime.date(2026, 11, 28)
QUOTE = "Norlandia will sign the fisheries accord\n  this spring, and not a day later."


@pytest.fixture
def statement(db):
    ministry = OrganizationFactory(name="Ministry of Foreign Affairs of Norlandia")
    speaker = SpeakerFactory(name="Alva Quintero")
    RoleFactory(
        speaker=speaker,
        title="Minister of Foreign Affairs of Norlandia",
        organization=ministry,
        started_on=datetime.date(2023, 6, 1),
    )
    # An earlier post, to show that the role of the day is the one cited.
    RoleFactory(
        speaker=speaker,
        title="Deputy Minister of Fisheries of Norlandia",
        started_on=datetime.date(2019, 1, 1),
        ended_on=datetime.date(2023, 5, 31),
    )
    conference = ConferenceFactory(
        title="Press conference on the fisheries accord",
        date=datetime.date(2024, 3, 9),
        place="Port Aster",
        host=ministry,
    )
    source = SourceDocumentFactory(
        conference=conference, url="https://mfa.norlandia.example/press/2024-03-09"
    )
    return StatementFactory(
        public_id="abcd2345", conference=conference, speaker=speaker, source=source, text=QUOTE
    )


def cite(statement) -> dict[str, str]:
    role = statement.speaker.role_on(statement.conference.date)
    return {c.key: c.text for c in citations(statement, role, URL, ACCESSED)}


def unsaved_statement(text: str, name: str = "Alva Quintero") -> Statement:
    conference = Conference(title="Briefing", date=datetime.date(2024, 3, 9), place="Port Aster")
    return Statement(
        public_id="abcd2345", conference=conference, speaker=Speaker(name=name), text=text
    )


# --- citations ----------------------------------------------------------------------------------


def test_citations_come_in_the_documented_order(statement):
    role = statement.speaker.role_on(statement.conference.date)
    result = citations(statement, role, URL, ACCESSED)
    assert [(c.key, c.label) for c in result] == [
        ("newsroom", "Newsroom"),
        ("chicago", "Chicago"),
        ("apa", "APA"),
        ("mla", "MLA"),
        ("bibtex", "BibTeX"),
        ("ris", "RIS"),
    ]
    assert all(isinstance(c, Citation) for c in result)


def test_newsroom_line_names_the_role_held_that_day(statement):
    assert cite(statement)["newsroom"] == (
        "Alva Quintero, Minister of Foreign Affairs of Norlandia, press conference, Port Aster, "
        "9 March 2024"
    )


def test_chicago_is_a_bibliography_entry(statement):
    assert cite(statement)["chicago"] == (
        "Quintero, Alva. “Press conference on the fisheries accord.” Press conference, "
        "Ministry of Foreign Affairs of Norlandia, Port Aster, March 9, 2024. Podium. "
        "https://podium.example/s/abcd2345/?v=ce409cd8cd."
    )


def test_apa_has_initials_date_in_brackets_and_no_full_stop_after_the_url(statement):
    assert cite(statement)["apa"] == (
        "Quintero, A. (2024, March 9). Press conference on the fisheries accord "
        "[Press conference]. Ministry of Foreign Affairs of Norlandia, Port Aster. Podium. "
        "https://podium.example/s/abcd2345/?v=ce409cd8cd"
    )


def test_mla_abbreviates_months_and_gives_the_access_date(statement):
    assert cite(statement)["mla"] == (
        "Quintero, Alva. “Press conference on the fisheries accord.” Press conference, "
        "9 Mar. 2024, Port Aster. Podium, https://podium.example/s/abcd2345/?v=ce409cd8cd. "
        "Accessed 28 Nov. 2026."
    )


def test_bibtex_entry(statement):
    assert cite(statement)["bibtex"] == (
        "@misc{quintero2024abcd2345,\n"
        "  author = {Quintero, Alva},\n"
        "  title = {{Press conference on the fisheries accord}},\n"
        "  howpublished = {\\url{https://podium.example/s/abcd2345/?v=ce409cd8cd}},\n"
        "  year = {2024},\n"
        "  month = mar,\n"
        "  note = {Press conference, Ministry of Foreign Affairs of Norlandia, Port Aster, "
        "9 March 2024},\n"
        "  urldate = {2026-11-28},\n"
        "  annote = {Norlandia will sign the fisheries accord this spring, and not a day later.},\n"
        "}"
    )


def test_ris_record(statement):
    assert cite(statement)["ris"] == (
        "TY  - GEN\n"
        "AU  - Quintero, Alva\n"
        "TI  - Press conference on the fisheries accord\n"
        "DA  - 2024/03/09\n"
        "CY  - Port Aster\n"
        "PB  - Podium\n"
        "UR  - https://podium.example/s/abcd2345/?v=ce409cd8cd\n"
        "Y2  - 2026/11/28\n"
        "N1  - Norlandia will sign the fisheries accord this spring, and not a day later.\n"
        "ER  - "
    )


def test_citations_without_role_place_or_host(db):
    statement = StatementFactory(
        public_id="wxyz6789",
        speaker=SpeakerFactory(name="Bo Lindqvist"),
        conference=ConferenceFactory(
            title="Joint briefing",
            date=datetime.date(2025, 9, 1),
            place="",
            kind=Conference.Kind.JOINT_PRESS_CONFERENCE,
        ),
        text="No comment.",
    )
    url = "https://podium.example/s/wxyz6789/"
    result = {c.key: c.text for c in citations(statement, None, url, ACCESSED)}
    assert result == {
        "newsroom": "Bo Lindqvist, joint press conference, 1 September 2025",
        "chicago": (
            "Lindqvist, Bo. “Joint briefing.” Joint press conference, September 1, 2025. Podium. "
            "https://podium.example/s/wxyz6789/?v=b690ae4d87."
        ),
        "apa": (
            "Lindqvist, B. (2025, September 1). Joint briefing [Joint press conference]. Podium. "
            "https://podium.example/s/wxyz6789/?v=b690ae4d87"
        ),
        "mla": (
            "Lindqvist, Bo. “Joint briefing.” Joint press conference, 1 Sept. 2025. "
            "Podium, https://podium.example/s/wxyz6789/?v=b690ae4d87. Accessed 28 Nov. 2026."
        ),
        "bibtex": (
            "@misc{lindqvist2025wxyz6789,\n"
            "  author = {Lindqvist, Bo},\n"
            "  title = {{Joint briefing}},\n"
            "  howpublished = {\\url{https://podium.example/s/wxyz6789/?v=b690ae4d87}},\n"
            "  year = {2025},\n"
            "  month = sep,\n"
            "  note = {Joint press conference, 1 September 2025},\n"
            "  urldate = {2026-11-28},\n"
            "  annote = {No comment.},\n"
            "}"
        ),
        "ris": (
            "TY  - GEN\n"
            "AU  - Lindqvist, Bo\n"
            "TI  - Joint briefing\n"
            "DA  - 2025/09/01\n"
            "PB  - Podium\n"
            "UR  - https://podium.example/s/wxyz6789/?v=b690ae4d87\n"
            "Y2  - 2026/11/28\n"
            "N1  - No comment.\n"
            "ER  - "
        ),
    }


def test_citations_of_a_single_word_name_use_it_whole(statement):
    statement.speaker.name = "Zephyrine"
    result = cite(statement)
    assert result["newsroom"].startswith("Zephyrine, Minister of Foreign Affairs of Norlandia, ")
    assert result["chicago"].startswith("Zephyrine. “Press conference on the fisheries accord.” ")
    assert result["apa"].startswith("Zephyrine. (2024, March 9). ")
    assert result["mla"].startswith("Zephyrine. “Press conference on the fisheries accord.” ")
    assert result["bibtex"].startswith("@misc{zephyrine2024abcd2345,\n  author = {Zephyrine},\n")
    assert "\nAU  - Zephyrine\n" in result["ris"]


def test_apa_gives_an_initial_per_given_name_and_keeps_hyphens(statement):
    statement.speaker.name = "Jean-Luc  Marra Ostrander"
    result = cite(statement)
    assert result["apa"].startswith("Ostrander, J.-L. M. (2024, March 9). ")
    assert result["mla"].startswith("Ostrander, Jean-Luc Marra. “")


def test_a_title_ending_in_a_question_mark_gets_no_full_stop(statement):
    statement.conference.title = "Will the “blue” accord hold?"
    result = cite(statement)
    assert "Quintero, Alva. “Will the ‘blue’ accord hold?” Press conference, " in result["chicago"]
    assert "). Will the “blue” accord hold? [Press conference]. Ministry" in result["apa"]
    assert result["mla"].startswith("Quintero, Alva. “Will the ‘blue’ accord hold?” Press")


def test_bibtex_escapes_specials_in_every_value(statement):
    statement.conference.title = "Fish & chips: 100% of {quotas} for #1_team ~ $5^2 \\ more"
    statement.text = 'He said "no" </script> {twice}'
    bibtex = cite(statement)["bibtex"]
    assert (
        "  title = {{Fish \\& chips: 100\\% of \\textbraceleft{}quotas\\textbraceright{} "
        "for \\#1\\_team \\textasciitilde{} \\$5\\textasciicircum{}2 \\textbackslash{} more}},\n"
    ) in bibtex
    assert (
        '  annote = {He said "no" </script> \\textbraceleft{}twice\\textbraceright{}},\n'
    ) in bibtex
    # Whatever the text, the braces of the entry stay balanced.
    assert bibtex.count("{") == bibtex.count("}")


def test_bibtex_key_is_ascii_whatever_the_surname(statement):
    statement.speaker.name = "Inés Núñez-Ørsted"
    assert cite(statement)["bibtex"].startswith("@misc{nunezrsted2024abcd2345,\n")
    statement.speaker.name = "Алва Кинтеро"
    assert cite(statement)["bibtex"].startswith("@misc{statement2024abcd2345,\n")


def test_citations_run_no_query_when_relations_are_loaded(statement, django_assert_num_queries):
    loaded = Statement.objects.select_related("conference__host", "speaker", "source").get(
        pk=statement.pk
    )
    role = loaded.speaker.roles.select_related("organization").get(
        title="Minister of Foreign Affairs of Norlandia"
    )
    with django_assert_num_queries(0):
        citations(loaded, role, URL, ACCESSED)
        quote_metadata(loaded, role, URL)


# --- page metadata ------------------------------------------------------------------------------


EXPECTED_JSON_LD = {
    "@context": "https://schema.org",
    "@type": "Quotation",
    "text": QUOTE,
    "url": URL,
    "dateCreated": "2024-03-09",
    "creator": {
        "@type": "Person",
        "name": "Alva Quintero",
        "jobTitle": "Minister of Foreign Affairs of Norlandia",
        "affiliation": {
            "@type": "Organization",
            "name": "Ministry of Foreign Affairs of Norlandia",
        },
    },
    "isPartOf": {
        "@type": "Event",
        "name": "Press conference on the fisheries accord",
        "startDate": "2024-03-09",
        "location": {"@type": "Place", "name": "Port Aster"},
        "organizer": {"@type": "Organization", "name": "Ministry of Foreign Affairs of Norlandia"},
    },
    "citation": "https://mfa.norlandia.example/press/2024-03-09",
}


def test_quote_metadata(statement):
    role = statement.speaker.role_on(statement.conference.date)
    assert quote_metadata(statement, role, URL) == {
        "title": "Alva Quintero, 9 March 2024",
        "description": "Norlandia will sign the fisheries accord this spring, and not a day later.",
        "json_ld": EXPECTED_JSON_LD,
    }


def test_json_ld_round_trips_through_the_script_text(statement):
    role = statement.speaker.role_on(statement.conference.date)
    data = quote_metadata(statement, role, URL)["json_ld"]
    assert json.loads(json_ld_script_text(data)) == EXPECTED_JSON_LD


def test_json_ld_without_role_place_host_or_source(db):
    statement = StatementFactory(
        speaker=SpeakerFactory(name="Bo Lindqvist"),
        conference=ConferenceFactory(title="Briefing", date=datetime.date(2025, 9, 1), place=""),
        text="No comment.",
    )
    assert quote_metadata(statement, None, URL)["json_ld"] == {
        "@context": "https://schema.org",
        "@type": "Quotation",
        "text": "No comment.",
        "url": URL,
        "dateCreated": "2025-09-01",
        "creator": {"@type": "Person", "name": "Bo Lindqvist"},
        "isPartOf": {"@type": "Event", "name": "Briefing", "startDate": "2025-09-01"},
    }


def test_json_ld_gives_the_speakers_country_as_nationality(statement):
    statement.speaker.country = "IS"
    creator = quote_metadata(statement, None, URL)["json_ld"]["creator"]
    assert creator == {
        "@type": "Person",
        "name": "Alva Quintero",
        "nationality": {"@type": "Country", "name": "Iceland"},
    }


def test_json_ld_script_text_cannot_close_the_script_element():
    data = {"text": 'He said "no" </script><script>alert(1)</script> & {left}'}
    text = json_ld_script_text(data)
    assert text == (
        '{"text": "He said \\"no\\" \\u003c/script\\u003e\\u003cscript\\u003ealert(1)'
        '\\u003c/script\\u003e \\u0026 {left}"}'
    )
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data


def test_json_ld_script_text_keeps_other_characters_readable():
    assert json_ld_script_text({"place": "Tromsø — “north”"}) == '{"place": "Tromsø — “north”"}'


# --- description --------------------------------------------------------------------------------


def description(text: str) -> str:
    return quote_metadata(unsaved_statement(text), None, URL)["description"]


def test_description_collapses_white_space():
    assert description("  We  agree.\n\nWe sign\ttoday. ") == "We agree. We sign today."


def test_description_of_exactly_200_characters_is_kept_whole():
    text = "word " * 39 + "words"
    assert len(text) == 200
    assert description(text) == text


def test_description_is_cut_at_a_word_boundary():
    # Words of 4 letters start at 0, 5, 10 …: 40 of them fill exactly the 199 characters left
    # before "…", so the cut falls on the space after the 40th.
    words = [f"w{n:03d}" for n in range(45)]
    result = description(" ".join(words))
    assert result == " ".join(words[:40]) + "…"
    assert len(result) == 200


def test_description_never_cuts_inside_a_word():
    # "Norlandian" spans characters 191 to 200: the cut at 199 would split it, so it goes.
    assert description("a" * 190 + " Norlandian fisheries") == "a" * 190 + "…"
    for shift in range(1, 30):  # move the word boundaries across the limit one by one
        text = "f" * shift + " fisheries" * 30
        result = description(text)
        kept = result.removesuffix("…")
        assert len(result) <= 200
        assert result.endswith("…")
        assert text.startswith(kept)
        assert text[len(kept)] == " "


def test_description_drops_punctuation_left_before_the_ellipsis():
    text = "x" * 190 + " accord, and then many more words follow"
    assert description(text) == "x" * 190 + " accord…"


def test_description_of_one_overlong_word_is_cut_hard():
    assert description("z" * 300) == "z" * 199 + "…"
