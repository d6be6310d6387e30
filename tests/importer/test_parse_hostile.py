"""The parser never crashes or hangs, whatever is pasted (invented or random texts only).

No timing assertions: a pathological (quadratic or backtracking) rule would show as a visibly
slow suite rather than a flaky failure.
"""

import random

import pytest

from conferences.importer.parse import parse


def _random_latin1(size: int) -> str:
    rng = random.Random(20240612)  # noqa: S311 - test data, not secrets
    return bytes(rng.randrange(256) for _ in range(size)).decode("latin-1")


HOSTILE = {
    "random_bytes_latin1": _random_latin1(100_000),
    "five_thousand_labels": "".join(f"SPEAKER{i % 7} NAME: words {i}.\n" for i in range(5000)),
    "alternating_q_and_answer": "Q: Why?\nMR VANTERPOOL: Because.\n" * 2500,
    "deeply_nested_quotes": "\u201c" * 5000 + "x" + "\u201d" * 5000,
    "nested_mixed_marks": '\u00ab\u201e\u2018"' * 2000 + "word" + '"\u2019\u201c\u00bb' * 2000,
    "unbalanced_quote_marks": 'He said "yes and ' * 3000,
    "single_marks_only": "'a " * 30_000,
    "quotes_in_one_run_on_sentence": '"x," said the minister, ' * 3000,
    "colons_only": ":" * 50_000,
    "open_parentheses_then_label": "(" * 50_000 + "Q:",
    "unclosed_tags": "<p>" * 20_000,
    "many_entities": "&amp;" * 50_000,
    "front_matter_never_closed": "---\n" + "a: b\n" * 5000,
    "capital_words_then_colon": "ABC " * 20_000 + ":",
    "dates_everywhere": "May 3, 2022 " * 10_000,
    "mixed_line_endings": "\r\n\r" * 30_000 + "Q: hi",
    "nul_characters": "\x00" * 10_000 + "Q: hi",
    "open_brackets": "[" * 50_000,
    "names_and_commas": "Minister Dario Kessel, " * 10_000,
    "empty": "",
    "white_space_only": " \n\t\u00a0\r\n" * 1000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("kind", ["auto", "transcript", "article"])
def test_hostile_input_parses_to_a_document_with_offsets_in_range(name, kind):
    text = HOSTILE[name]
    doc = parse(text, kind=kind)
    assert doc.kind in ("transcript", "article")
    for turn in doc.turns:
        assert 0 <= turn.start <= turn.end <= len(text)


def test_one_two_megabyte_line_parses():
    text = "word " * 400_000
    doc = parse(text)
    assert len(text) == 2_000_000
    assert doc.kind == "article"


def test_deeply_nested_quotes_stay_one_quote():
    text = "The minister said: " + "\u201c" * 50 + "We stay." + "\u201d" * 50
    doc = parse(text, kind="article")
    assert len(doc.turns) == 1
    assert "We stay." in doc.turns[0].text
