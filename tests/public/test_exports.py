"""/statements/export.csv|json|ndjson and `manage.py export_statements`: the page's rows."""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from conferences.models import Conference, Statement
from conferences.public import exports

from ..factories import (
    ConferenceFactory,
    OrganizationFactory,
    RoleFactory,
    SourceDocumentFactory,
    SpeakerFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

TRICKY = [
    "Norlandia et l’Eastmark: «accord» signé à Port Aster, café compris.",
    "合作 is what we said: 中文 stays 中文 🕊️🤝 and so does the emoji.",
    "He said \"no\", then 'maybe', then “perhaps” — and ‘never’.",
    "First line.\nSecond line, with a comma.\n\nFourth, after a blank line.",
    'Commas, "quotes", and\r\nWindows line ends, all in one.',
    "=1+1 stays a text, as does a trailing space ",
]


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"), newline="")))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def page_ids(client, query: str) -> list[str]:
    """The public ids the page lists, in order, over every page."""
    ids, number = [], 1
    while True:
        response = client.get(f"/statements/?{query}&page={number}")
        assert response.status_code == 200
        html = response.content.decode()
        ids += re.findall(r'<a href="/s/([^/"]+)/" class="permalink-link"', html)
        if f"page={number + 1}" not in html:
            return ids
        number += 1


@pytest.fixture
def archive():
    """Two published conferences and a draft; one speaker with three dated roles."""
    host = OrganizationFactory(name="Ministry of Norlandia", slug="ministry-of-norlandia")
    outlet = OrganizationFactory(name="Norland Wire", slug="norland-wire", kind="media")
    quintero = SpeakerFactory(name="Alva Quintero", country="NO")
    eberle = SpeakerFactory(name="Tomas Eberle", country="DE")
    RoleFactory(speaker=quintero, title="Special envoy")  # undated: only when nothing else covers
    RoleFactory(
        speaker=quintero,
        title="Deputy minister",
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2022, 12, 31),
    )
    RoleFactory(speaker=quintero, title="Foreign minister", started_on=datetime.date(2023, 1, 1))
    trade = TopicFactory(name="Trade", slug="trade")
    fisheries = TopicFactory(name="Fisheries", slug="fisheries")
    older = ConferenceFactory(
        title="Spring briefing, 2022", date=datetime.date(2022, 4, 2), host=host, place="Port Aster"
    )
    newer = ConferenceFactory(title="Winter briefing", date=datetime.date(2024, 1, 9), place="")
    draft = ConferenceFactory(
        title="Unpublished briefing", date=datetime.date(2024, 6, 1), status="draft"
    )
    source = SourceDocumentFactory(
        conference=older, outlet=outlet, url="https://wire.example/norlandia?a=1&b=2"
    )
    rows = [
        (older, quintero, "answer", "verbatim", TRICKY[0], [trade, fisheries], source),
        (older, eberle, "question", "verbatim", TRICKY[1], [], source),
        (older, quintero, "answer", "near_verbatim", TRICKY[2], [fisheries], None),
        (newer, quintero, "remark", "reported_quote", TRICKY[3], [trade], None),
        (newer, eberle, "question", "paraphrase", TRICKY[4], [], None),
        (newer, quintero, "answer", "verbatim", TRICKY[5], [fisheries, trade], None),
    ]
    for sequence, (conference, speaker, kind, fidelity, text, topics, src) in enumerate(rows, 1):
        statement = StatementFactory(
            conference=conference,
            speaker=speaker,
            kind=kind,
            fidelity=fidelity,
            text=text,
            sequence=sequence,
            source=src,
        )
        statement.topics.set(topics)
    hidden = StatementFactory(conference=draft, speaker=quintero, text="A draft never leaves.")
    return {"quintero": quintero, "eberle": eberle, "hidden": hidden, "older": older}


def test_csv_of_everything_reads_back_with_the_page_rows_and_identical_texts(client, archive):
    response = client.get("/statements/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="podium-statements-\d{8}\.csv"', response["Content-Disposition"]
    )
    rows = read_csv(response)
    assert [row["public_id"] for row in rows] == page_ids(client, "")
    assert [row["text"] for row in rows] == [TRICKY[3], TRICKY[4], TRICKY[5], *TRICKY[:3]]
    assert list(rows[0]) == list(exports.COLUMNS)
    by_text = {row["text"]: row for row in rows}
    first = Statement.objects.get(text=TRICKY[0])
    assert by_text[TRICKY[0]] == {
        "public_id": first.public_id,
        "permalink": f"http://testserver/s/{first.public_id}/",
        "date": "2022-04-02",
        "speaker": "Alva Quintero",
        "role": "Deputy minister",
        "country": "NO",
        "conference": "Spring briefing, 2022",
        "place": "Port Aster",
        "kind": "answer",
        "fidelity": "verbatim",
        "text": TRICKY[0],
        "topics": "Fisheries; Trade",
        "source_url": "https://wire.example/norlandia?a=1&b=2",
        "outlet": "Norland Wire",
    }
    assert [(row["role"], row["topics"], row["place"]) for row in rows] == [
        ("Foreign minister", "Trade", ""),
        ("", "", ""),
        ("Foreign minister", "Fisheries; Trade", ""),
        ("Deputy minister", "Fisheries; Trade", "Port Aster"),
        ("", "", "Port Aster"),
        ("Deputy minister", "Fisheries", "Port Aster"),
    ]


def test_role_is_the_one_held_on_the_day_even_undated(client, archive):
    before_any_dated_role = ConferenceFactory(date=datetime.date(2019, 3, 3))
    StatementFactory(conference=before_any_dated_role, speaker=archive["quintero"], sequence=1)
    rows = read_csv(client.get("/statements/export.csv?sort=oldest"))
    assert [(row["date"], row["role"]) for row in rows if row["speaker"] == "Alva Quintero"] == [
        ("2019-03-03", "Special envoy"),
        ("2022-04-02", "Deputy minister"),
        ("2022-04-02", "Deputy minister"),
        ("2024-01-09", "Foreign minister"),
        ("2024-01-09", "Foreign minister"),
    ]
    for statement in Statement.objects.published().select_related("speaker", "conference"):
        role = statement.speaker.role_on(statement.conference.date)
        row = next(row for row in rows if row["public_id"] == statement.public_id)
        assert row["role"] == (role.title if role else "")


@pytest.mark.parametrize(
    "row",
    [
        TRICKY,
        ["", "", ""],
        ['"', '""', "a,b", "\r", "\n", "\r\n", " lead", "trail ", "tab\there", "x\x00y"],
        ["'single'", ";semi;", "“curly”", "back\\slash", "中文, 🕊️", "=SUM(A1)", "-1", "+1"],
    ],
)
def test_csv_lines_are_what_the_csv_module_writes(row):
    buffer = io.StringIO()
    csv.writer(buffer).writerow(row)
    assert exports.csv_line(row) == buffer.getvalue()


def test_json_and_ndjson_hold_the_same_rows_as_the_csv(client, archive):
    rows = read_csv(client.get("/statements/export.csv"))
    response = client.get("/statements/export.json")
    assert response["Content-Type"] == "application/json"
    assert json.loads(body(response)) == rows
    response = client.get("/statements/export.ndjson")
    assert response["Content-Type"] == "application/x-ndjson"
    lines = body(response).decode("utf-8").splitlines()
    assert len(lines) == 6
    assert [json.loads(line) for line in lines] == rows


def test_empty_exports_are_still_valid(client, archive):
    assert json.loads(body(client.get("/statements/export.json?year=1999"))) == []
    assert body(client.get("/statements/export.ndjson?year=1999")) == b""
    assert body(client.get("/statements/export.csv?year=1999")).decode() == (
        ",".join(exports.COLUMNS) + "\r\n"
    )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "kind=answer",
        "sort=oldest",
        "topic=fisheries&sort=oldest",
        "country=DE",
        "organization=ministry-of-norlandia&fidelity=verbatim",
        "date_from=2023-01-01&date_to=2024-12-31",
        "year=2022&kind=answer&page=2",
        "q=comma",
        "q=line&sort=oldest",
    ],
)
def test_filters_work_like_the_page(client, archive, query):
    expected = page_ids(client, query.replace("&page=2", ""))
    for export_format in ("csv", "json", "ndjson"):
        response = client.get(f"/statements/export.{export_format}?{query}")
        assert response.status_code == 200
        content = body(response).decode()
        if export_format == "csv":
            ids = [row["public_id"] for row in csv.DictReader(io.StringIO(content, newline=""))]
        elif export_format == "json":
            ids = [row["public_id"] for row in json.loads(content)]
        else:
            ids = [json.loads(line)["public_id"] for line in content.splitlines()]
        assert ids == expected, export_format


def test_speakers_and_conference_filter_like_the_page(client, archive):
    speakers = f"speaker={archive['quintero'].pk}&speaker={archive['eberle'].pk}"
    for query in (speakers, f"conference={archive['older'].pk}&sort=oldest"):
        rows = read_csv(client.get(f"/statements/export.csv?{query}"))
        assert [row["public_id"] for row in rows] == page_ids(client, query)
    assert len(read_csv(client.get(f"/statements/export.csv?speaker={archive['eberle'].pk}"))) == 2


@pytest.mark.parametrize("export_format", ["csv", "json", "ndjson"])
def test_bad_values_are_a_400_listing_the_errors(client, archive, export_format):
    response = client.get(f"/statements/export.{export_format}?year=abc&kind=shout&speaker=999999")
    assert response.status_code == 400
    assert not isinstance(response, StreamingHttpResponse)
    if export_format == "csv":
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode().splitlines() == [
            "Some of the filters could not be used:",
            "speaker: Select a valid choice. 999999 is not one of the available choices.",
            "kind: Select a valid choice. shout is not one of the available choices.",
            "year: Enter a number.",
        ]
    else:
        assert response.json() == {
            "errors": {
                "speaker": ["Select a valid choice. 999999 is not one of the available choices."],
                "kind": ["Select a valid choice. shout is not one of the available choices."],
                "year": ["Enter a number."],
            }
        }


def test_drafts_never_appear(client, archive):
    hidden = archive["hidden"]
    queries = ["", f"conference={hidden.conference_id}", "q=draft", "year=2024&sort=oldest"]
    for query in queries:
        for export_format in ("csv", "json", "ndjson"):
            response = client.get(f"/statements/export.{export_format}?{query}")
            # A draft conference is not a choice at all: the filter refuses it, as the page does.
            assert response.status_code == (400 if query.startswith("conference") else 200)
            content = (body(response) if response.streaming else response.content).decode()
            assert hidden.public_id not in content
            assert "draft never" not in content
    out = io.StringIO()
    call_command("export_statements", "--quiet", stdout=out)
    assert hidden.public_id not in out.getvalue()


def test_page_links_to_the_exports_of_its_query_string(client, archive):
    html = client.get("/statements/?kind=answer&sort=oldest&page=1").content.decode()
    for export_format in ("csv", "json", "ndjson"):
        assert f'href="/statements/export.{export_format}?kind=answer&amp;sort=oldest"' in html


def make_statements(n: int):
    """n published statements, each with a dated role, two topics and a source with an outlet."""
    outlet = OrganizationFactory(kind="media")
    topics = [TopicFactory(), TopicFactory()]
    for i in range(n):
        conference = ConferenceFactory(date=datetime.date(2020, 1, 1) + datetime.timedelta(i))
        speaker = SpeakerFactory(country="NO")
        RoleFactory(speaker=speaker, started_on=datetime.date(2019, 1, 1))
        RoleFactory(speaker=speaker, title="Envoy", started_on=datetime.date(2020, 2, 1))
        source = SourceDocumentFactory(conference=conference, outlet=outlet, url="https://x.test/")
        statement = StatementFactory(
            conference=conference, speaker=speaker, source=source, sequence=1
        )
        statement.topics.set(topics)


def export_queries(client, url) -> tuple[int, int, int]:
    """Queries while the view returns, while its body streams, and the number of lines."""
    with CaptureQueriesContext(connection) as before:
        response = client.get(url)
    assert isinstance(response, StreamingHttpResponse)
    with CaptureQueriesContext(connection) as streaming:
        content = body(response)
    return len(before), len(streaming), len(content.decode().splitlines())


def test_exports_stream_in_three_queries_whatever_the_number_of_rows(client, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 7)  # many cursor chunks, still one query
    monkeypatch.setattr(exports, "ROWS_PER_PIECE", 5)
    make_statements(1)
    small = [export_queries(client, f"/statements/export.{f}") for f in ("csv", "json", "ndjson")]
    Statement.objects.all().delete()
    Conference.objects.all().delete()
    make_statements(60)
    big = [export_queries(client, f"/statements/export.{f}") for f in ("csv", "json", "ndjson")]
    # Nothing is read until the body is consumed; then three queries, for 1 row or for 60:
    # every role, every topic, then the statements.
    assert small == [(0, 3, 2), (0, 3, 3), (0, 3, 1)]
    assert big == [(0, 3, 61), (0, 3, 62), (0, 3, 60)]
    topic = Statement.objects.first().topics.first()
    filtered = f"/statements/export.csv?topic={topic.slug}&country=NO&year=2020"
    assert export_queries(client, filtered) == (1, 3, 61)  # the topic's slug is looked up once


def test_command_writes_the_same_csv_as_the_view(client, archive):
    quintero, eberle = archive["quintero"].pk, archive["eberle"].pk
    cases = [
        ([], ""),
        (
            ["--speaker", str(quintero), "--speaker", str(eberle)],
            f"speaker={quintero}&speaker={eberle}",
        ),
        (["--topic", "fisheries", "--sort", "oldest"], "topic=fisheries&sort=oldest"),
        (["--date-from", "2023-01-01", "--kind", "answer"], "date_from=2023-01-01&kind=answer"),
        (["--q", "comma"], "q=comma"),
        (["--country", "NO", "--year", "2022"], "country=NO&year=2022"),
    ]
    for options, query in cases:
        out = io.StringIO()
        call_command(
            "export_statements", *options, "--base-url", "http://testserver", "--quiet", stdout=out
        )
        view = body(client.get(f"/statements/export.csv?{query}")).decode("utf-8")
        assert out.getvalue() == view, options


def test_command_writes_json_to_a_file_with_progress_on_stderr(archive, tmp_path):
    target = tmp_path / "out.json"
    err = io.StringIO()
    call_command(
        "export_statements",
        "--format",
        "json",
        "--output",
        str(target),
        stdout=io.StringIO(),
        stderr=err,
    )
    rows = json.loads(target.read_text(encoding="utf-8"))
    assert [row["text"] for row in rows] == [TRICKY[3], TRICKY[4], TRICKY[5], *TRICKY[:3]]
    assert rows[0]["permalink"] == f"http://localhost:8000/s/{rows[0]['public_id']}/"
    progress = err.getvalue()
    assert progress.startswith("\r0 / 6 rows (0%")
    assert "\r6 / 6 rows (100%" in progress
    assert progress.endswith(f"\nWrote {target}.\n")
    quiet = io.StringIO()
    call_command(
        "export_statements", "--format", "ndjson", "--quiet", stdout=io.StringIO(), stderr=quiet
    )
    assert quiet.getvalue() == ""


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--year", "abc"], "--year: Enter a number."),
        (["--date-from", "2024-13-01"], "--date-from: Enter a valid date."),
        (["--kind", "shout"], "--kind: Select a valid choice. shout is not one of the available"),
        (["--topic", "no-such-topic"], "--topic: Select a valid choice."),
        (["--speaker", "abc"], "--speaker: “abc” is not a valid value."),
    ],
)
def test_command_refuses_bad_options(archive, options, message):
    with pytest.raises(CommandError) as error:
        call_command("export_statements", *options, "--quiet", stdout=io.StringIO())
    assert str(error.value).startswith("Some of the filters could not be used: ")
    assert message in str(error.value)


def test_command_refuses_an_unknown_format():
    with pytest.raises(CommandError, match="invalid choice: 'xlsx'"):
        call_command("export_statements", "--format", "xlsx", stdout=io.StringIO())


def test_demo_exports_like_its_page(client):
    call_command("load_demo", stdout=io.StringIO())
    for query in ("", "q=NATO", "sort=oldest&kind=remark"):
        rows = read_csv(client.get(f"/statements/export.csv?{query}"))
        assert [row["public_id"] for row in rows] == page_ids(client, query)
    rows = read_csv(client.get("/statements/export.csv"))
    assert len(rows) == 10
    texts = dict(Statement.objects.values_list("public_id", "text"))
    assert {row["public_id"]: row["text"] for row in rows} == texts


def test_every_format_is_routed_linked_and_written_from_one_list(client, archive):
    from django.urls import reverse

    from conferences.public import exports

    assert list(exports.FORMATS) == ["csv", "json", "ndjson"] == sorted(exports.WRITERS)
    html = client.get("/statements/?sort=oldest").content.decode()
    links = re.findall(
        r'<a href="(/statements/export\.[a-z]+\?sort=oldest)" download>([A-Z]+)</a>', html
    )
    assert links == [
        ("/statements/export.csv?sort=oldest", "CSV"),
        ("/statements/export.json?sort=oldest", "JSON"),
        ("/statements/export.ndjson?sort=oldest", "NDJSON"),
    ]
    for name, content_type in exports.FORMATS.items():
        assert (
            reverse("conferences:export", kwargs={"format": name}) == f"/statements/export.{name}"
        )
        assert client.get(f"/statements/export.{name}")["Content-Type"] == content_type
