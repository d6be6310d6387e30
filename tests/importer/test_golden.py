"""Golden files: each NAME.txt in golden/ parses to exactly NAME.json.

To refresh an expectation after a deliberate change, rerun the parser on the file, read the diff
line by line, and only then write the new JSON.
"""

import json
import re
from pathlib import Path

import pytest

from conferences.importer.parse import parse, to_dict

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.txt"))
QUOTE_MARKS = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"', "\u2018": "'", "\u2019": "'"}
)


def fold(text):
    return re.sub(r"\s+", " ", text.translate(QUOTE_MARKS)).strip()


def load(name):
    text = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    return text, expected


def test_every_golden_input_has_an_expectation():
    assert len(CASES) >= 14
    for name in CASES:
        assert (GOLDEN / f"{name}.json").exists(), name


@pytest.mark.parametrize("name", CASES)
def test_golden_file_parses_to_its_expected_json(name):
    text, expected = load(name)
    assert to_dict(parse(text)) == expected


@pytest.mark.parametrize("name", CASES)
def test_golden_turns_are_verbatim_slices_of_the_source(name):
    text, _ = load(name)
    doc = parse(text)
    for turn in doc.turns:
        assert 0 <= turn.start <= turn.end <= len(text)
        if "&" in text[turn.start : turn.end] or "<" in text[turn.start : turn.end]:
            # markup inside the span: the words must still appear in order
            for word in re.findall(r"[A-Za-z]{4,}", turn.text):
                assert word in text[turn.start : turn.end]
            continue
        source = text[turn.start : turn.end]
        # markdown quote markers and bold markers are the only non-white-space left out
        source = re.sub(r"(?m)^[ \t]*(?:>[ \t]?)+", "", source).replace("**", "")
        assert fold(turn.text) == fold(source), turn


def test_html_entities_are_decoded_and_tags_dropped():
    text, _ = load("html_entities")
    first = parse(text).turns[0]
    assert "&amp;" not in first.text and "<" not in first.text
    assert "Monday & will" in first.text
    assert "It\u2019s a step forward." in first.text
