"""/statements/: every filter, its facet counts, sorting, paging and bad values."""

import re

import pytest

from ..factories import ConferenceFactory, SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db


def texts(response):
    html = response.content.decode()
    return re.findall(
        r'<(?:blockquote|p) class="statement-text[^"]*">(.*?)</(?:blockquote|p)>', html, re.S
    )


def facet(response, name):
    html = response.content.decode()
    section = re.search(
        rf'<section class="facet" aria-labelledby="facet-{name}">(.*?)</section>', html, re.S
    )[1]
    return [
        (re.sub(r"<[^>]+>", "", label).replace("Remove filter: ", ""), int(count))
        for label, count in re.findall(
            r'<a href="[^"]*"[^>]*>(.*?)</a>\s*<span class="count">(\d+)</span>', section, re.S
        )
    ]


def test_everything_newest_first_with_facet_counts(client, archive):
    response = client.get("/statements/")
    assert response.status_code == 200
    assert texts(response) == [
        "Maritime borders are settled.",
        "Sanctions harm the fishing villages.",
        "The fishing quotas protect the coast.",
        "Will the quotas change next year?",
        "Trade with Eastmark grows every year.",
    ]
    assert "5 statements" in response.content.decode()
    assert facet(response, "speaker") == [
        ("Alva Quintero", 3),
        ("Bram Oduya", 1),
        ("Tomas Eberle", 1),
    ]
    assert facet(response, "topic") == [("Maritime", 3), ("Fisheries", 2), ("Trade", 1)]
    assert facet(response, "country") == [("Norway", 3), ("Germany", 1), ("Kenya", 1)]
    assert facet(response, "year") == [("2023", 3), ("2024", 2)]
    assert facet(response, "fidelity") == [
        ("Verbatim (official transcript)", 3),
        ("Quote in a news report", 2),
    ]


def test_facet_counts_follow_the_current_filter(client, archive):
    response = client.get("/statements/?year=2023")
    assert facet(response, "speaker") == [("Alva Quintero", 2), ("Tomas Eberle", 1)]
    assert facet(response, "year") == [("2023", 3)]
    html = response.content.decode()
    assert 'href="?year=2023&amp;speaker=' in html or 'href="?year=2023&speaker=' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=question", ["Will the quotas change next year?"]),
        (
            "fidelity=reported_quote",
            ["Maritime borders are settled.", "Sanctions harm the fishing villages."],
        ),
        ("country=KE", ["Maritime borders are settled."]),
        (
            "organization=ministry-of-norlandia&kind=answer",
            ["The fishing quotas protect the coast.", "Trade with Eastmark grows every year."],
        ),
        (
            "topic=fisheries",
            ["The fishing quotas protect the coast.", "Will the quotas change next year?"],
        ),
        (
            "topic=maritime",
            [
                "Maritime borders are settled.",
                "The fishing quotas protect the coast.",
                "Will the quotas change next year?",
            ],
        ),
        (
            "date_from=2023-04-02&date_to=2023-04-02&kind=answer",
            ["The fishing quotas protect the coast.", "Trade with Eastmark grows every year."],
        ),
        (
            "year=2024&sort=oldest",
            ["Maritime borders are settled.", "Sanctions harm the fishing villages."],
        ),
        (
            "sort=oldest&kind=answer",
            [
                "The fishing quotas protect the coast.",
                "Trade with Eastmark grows every year.",
                "Sanctions harm the fishing villages.",
            ],
        ),
    ],
)
def test_each_filter(client, archive, query, expected):
    assert texts(client.get(f"/statements/?{query}")) == expected


def test_several_speakers_and_a_conference(client, archive):
    quintero, oduya, spring = archive["quintero"], archive["oduya"], archive["spring"]
    response = client.get(f"/statements/?speaker={quintero.pk}&speaker={oduya.pk}&year=2024")
    assert texts(response) == [
        "Maritime borders are settled.",
        "Sanctions harm the fishing villages.",
    ]
    response = client.get(f"/statements/?conference={spring.pk}&speaker={quintero.pk}")
    assert texts(response) == [
        "The fishing quotas protect the coast.",
        "Trade with Eastmark grows every year.",
    ]
    assert "Spring briefing" in response.content.decode()


def test_search_highlights_and_ranks(client, archive):
    response = client.get("/statements/?q=fishing")
    html = response.content.decode()
    assert len(texts(response)) == 2
    assert "<mark>fishing</mark>" in html
    assert "2 statements matching “fishing”" in html
    response = client.get("/statements/?q=quota")
    assert [re.sub("</?mark>", "", t) for t in texts(response)] == [
        "The fishing quotas protect the coast.",
        "Will the quotas change next year?",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2022-13-45", "Enter a valid date."),
        ("speaker=999999", "Select a valid choice. 999999 is not one of the available choices."),
        ("speaker=abc", "“abc” is not a valid value."),
        (
            "topic=no-such-topic",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        ("kind=speech", "Select a valid choice. speech is not one of the available choices."),
        ("year=99999", "Ensure this value is less than or equal to 2100."),
        ("page=99", "There is no page “99”: the results have 1 page. Showing page 1."),
        ("page=abc", "There is no page “abc”"),
        ("q=%00", "Null characters are not allowed."),
    ],
)
def test_bad_values_are_form_errors_on_a_normal_page(client, archive, query, message):
    response = client.get(f"/statements/?{query}")
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert '<h2 id="results-heading"' in html


def test_twenty_five_per_page(client):
    conference = ConferenceFactory()
    speaker = SpeakerFactory()
    for n in range(1, 28):
        StatementFactory(
            conference=conference, speaker=speaker, sequence=n, text=f"Numbered remark {n}."
        )
    first = client.get("/statements/?sort=oldest")
    assert len(texts(first)) == 25
    assert "Page 1 of 2" in first.content.decode()
    second = client.get("/statements/?sort=oldest&page=2")
    assert texts(second) == ["Numbered remark 26.", "Numbered remark 27."]


@pytest.mark.parametrize(
    "query", ["speaker=99999999999999999999999", "conference=99999999999999999999"]
)
def test_ids_beyond_any_database_are_unknown_ids(client, archive, query):
    for url in (
        "/statements/",
        "/statements/export.csv",
        "/statements/feed/",
        "/api/v1/statements/",
    ):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, url
    assert (
        "is not one of the available choices"
        in client.get(f"/statements/?{query}").content.decode()
    )
