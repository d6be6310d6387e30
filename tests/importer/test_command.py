"""`manage.py import_transcript`: dry runs, writes, folders and refusals."""

import json

import pytest
from django.core.management import CommandError, call_command

from conferences.models import Conference, SourceDocument, Speaker, Statement

from ..factories import ConferenceFactory, TopicFactory

pytestmark = pytest.mark.django_db

BRIEFING = """Briefing by the Norlandian Ministry of Foreign Affairs
Port Aster, 9 March 2023

MS. DARROW: Good afternoon. We welcome the fisheries accord.

QUESTION: When will it be signed?

MS. DARROW: Next week.
"""

ARTICLE = """Norlandia and Eastmark agree on fisheries

PORT ASTER, March 10 (Synthetic Wire) - Norlandian Foreign Minister Alva Quintero \
said on Friday that the accord "opens a new chapter for our fishermen."

"We waited twenty years for this day," Quintero told reporters.
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "briefing.txt").write_text(BRIEFING, encoding="utf-8")
    (tmp_path / "article.html").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4 ignored")
    return tmp_path


def run(capsys, *args):
    call_command("import_transcript", *map(str, args))
    return capsys.readouterr()


def test_dry_run_json_is_one_document_and_writes_nothing(capsys, files):
    TopicFactory(name="Fisheries", keywords="fisheries")
    out = run(capsys, files / "briefing.txt", "--dry-run", "--json").out
    document = json.loads(out)
    assert document["conference"] == {
        "title": "Briefing by the Norlandian Ministry of Foreign Affairs",
        "date": "2023-03-09",
        "place": "Port Aster",
        "language": "en",
    }
    assert [
        (s["speaker"], s["label"], s["kind"], s["fidelity"]) for s in document["statements"]
    ] == [
        ("Darrow", "MS. DARROW", "remark", "verbatim"),
        ("Unidentified journalist", "QUESTION", "question", "verbatim"),
        ("Darrow", "MS. DARROW", "answer", "verbatim"),
    ]
    first = document["statements"][0]
    assert first["text"] == "Good afternoon. We welcome the fisheries accord."
    assert BRIEFING[first["start"] : first["end"]] == first["text"]
    assert first["topics"] == ["Fisheries"]
    assert Conference.objects.count() == Speaker.objects.count() == 0


def test_dry_run_on_an_article_gives_reported_quotes(capsys, files):
    document = json.loads(run(capsys, files / "article.html", "--dry-run", "--json").out)
    quotes = [(s["speaker"], s["fidelity"], s["text"]) for s in document["statements"]]
    assert quotes == [
        ("Alva Quintero", "reported_quote", "opens a new chapter for our fishermen."),
        ("Alva Quintero", "reported_quote", "We waited twenty years for this day,"),
    ]


def test_import_writes_a_draft_and_refuses_the_same_text_again(capsys, files):
    out = run(capsys, files / "briefing.txt").out
    conference = Conference.objects.get()
    assert out.strip() == (
        f"{files / 'briefing.txt'}: 3 statements (2 new speakers) in {conference} [draft]"
    )
    assert Statement.objects.count() == 3
    with pytest.raises(CommandError, match=r"1 of 1 file\(s\) were not imported"):
        run(capsys, files / "briefing.txt")
    err = capsys.readouterr().err
    assert "This text was already imported on" in err
    assert f"/admin/conferences/conference/{conference.pk}/change/" in err
    assert Statement.objects.count() == 3


def test_folder_import_with_options(capsys, files):
    output = run(
        capsys,
        files,
        "--publish",
        "--date",
        "2023-03-10",
        "--title",
        "Fisheries day",
        "--source-url",
        "https://example.org/x",
        "--outlet",
        "Synthetic Wire",
    )
    assert output.err.splitlines() == [
        "[##########..........] 1/2 article.html",
        "[####################] 2/2 briefing.txt",
    ]
    conferences = Conference.objects.order_by("pk")
    assert [(c.title, str(c.date), c.status) for c in conferences] == [
        ("Fisheries day", "2023-03-10", "published"),
        ("Fisheries day", "2023-03-10", "published"),
    ]
    assert conferences[0].slug != conferences[1].slug
    kinds = sorted(SourceDocument.objects.values_list("kind", flat=True))
    assert kinds == ["news_article", "official_transcript"]
    assert set(SourceDocument.objects.values_list("outlet__name", flat=True)) == {"Synthetic Wire"}


def test_import_into_an_existing_conference(capsys, files):
    conference = ConferenceFactory()
    run(capsys, files / "briefing.txt", "--conference", conference.pk)
    assert conference.statements.count() == 3


def test_a_new_conference_without_any_date_is_refused(capsys, tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text("MS. DARROW: Good afternoon.\n\nQUESTION: Thank you.\n", encoding="utf-8")
    with pytest.raises(CommandError):
        run(capsys, path)
    assert "A new conference needs a date." in capsys.readouterr().err
    assert Conference.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/file.txt"], "No such file or folder: /no/such/file.txt"),
        (["--conference", "999999", "x"], "No conference has the id 999999."),
        (["--date", "2023-13-45", "x"], "--date must be YYYY-MM-DD, not '2023-13-45'."),
    ],
)
def test_bad_arguments_are_clear_errors(capsys, args, message):
    with pytest.raises(CommandError, match="^" + message.replace("(", r"\(")):
        call_command("import_transcript", *args)


def test_binary_file_is_refused(capsys, tmp_path):
    path = tmp_path / "random.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CommandError):
        run(capsys, path, "--dry-run", "--json")
    assert "This is not a text file (it contains NUL bytes)." in capsys.readouterr().err


def test_windows_line_ends_are_stored_as_plain_newlines(capsys, tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(BRIEFING.replace("\n", "\r\n").encode("utf-8"))
    run(capsys, path)
    source = SourceDocument.objects.get()
    assert source.text == BRIEFING
    for statement in Statement.objects.all():
        assert source.text[statement.source_start : statement.source_end] == statement.text
    # The same words with other line ends are the same text: a re-paste is still refused.
    path.write_bytes(BRIEFING.encode("utf-8"))
    with pytest.raises(CommandError):
        run(capsys, path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source-url", "javascript:alert(1)"], "The source URL must be an http(s) address"),
        (["--title", "x" * 301], "The title is 301 characters long; at most 300."),
    ],
)
def test_values_the_archive_cannot_keep_are_refused(capsys, files, args, message):
    with pytest.raises(CommandError):
        run(capsys, files / "briefing.txt", *args)
    assert message in capsys.readouterr().err
    assert Conference.objects.count() == 0


def test_a_folder_reports_each_file_it_cannot_import_and_goes_on(
    capsys, tmp_path, settings, monkeypatch
):
    settings.PODIUM_IMPORT_MAX_BYTES = 1_000
    (tmp_path / "a-briefing.txt").write_text(BRIEFING, encoding="utf-8")
    (tmp_path / "b-huge.txt").write_text("MS. DARROW: Yes.\n" * 100, encoding="utf-8")
    (tmp_path / "c-empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "d-binary.txt").write_bytes(b"\x00\x01")
    read = []
    original = type(tmp_path).read_bytes
    monkeypatch.setattr(
        type(tmp_path), "read_bytes", lambda path: read.append(path.name) or original(path)
    )
    with pytest.raises(CommandError, match=r"^3 of 4 file\(s\) were not imported\.$"):
        call_command("import_transcript", str(tmp_path), "--dry-run")
    out, err = capsys.readouterr()
    assert f"{tmp_path / 'a-briefing.txt'}: 3 statements" in out
    assert (
        f"{tmp_path / 'b-huge.txt'}: The file is 1.7 KB; Podium imports at most 1,000 bytes "
        "at a time. Split it into parts." in err
    )
    assert f"{tmp_path / 'c-empty.txt'}: The text is empty." in err
    assert f"{tmp_path / 'd-binary.txt'}: This is not a text file" in err
    assert "b-huge.txt" not in read  # refused on its size alone, never read
    assert Statement.objects.count() == 0


def test_a_fault_of_the_importer_stops_only_its_file(capsys, tmp_path, monkeypatch):
    from conferences.management.commands import import_transcript

    (tmp_path / "a-briefing.txt").write_text(BRIEFING, encoding="utf-8")
    (tmp_path / "b-briefing.txt").write_text(BRIEFING.replace("Next", "Soon"), encoding="utf-8")
    real = import_transcript.build_preview

    def faulty(text, **options):
        if "Soon" in text:
            raise IndexError("list index out of range")
        return real(text, **options)

    monkeypatch.setattr(import_transcript, "build_preview", faulty)
    with pytest.raises(CommandError, match=r"^1 of 2 file\(s\) were not imported\.$"):
        call_command("import_transcript", str(tmp_path), "--dry-run")
    out, err = capsys.readouterr()
    assert f"{tmp_path / 'a-briefing.txt'}: 3 statements" in out
    assert (
        f"{tmp_path / 'b-briefing.txt'}: the importer failed on this file (IndexError: list "
        "index out of range); nothing of it was imported. Please report it with the file."
    ) in err
