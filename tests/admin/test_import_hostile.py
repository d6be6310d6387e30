"""The import under hostile input: bytes that are not UTF-8, one huge line, a 10 MB paste.

Each gets a result or a clear refusal naming the size and the limit, never a 500 or a hang, in
the admin (paste and upload) and in `manage.py import_transcript`. The limit is
PODIUM_IMPORT_MAX_BYTES (2 MB unless the environment says otherwise). A paste larger than
Django's DATA_UPLOAD_MAX_MEMORY_SIZE (the limit plus 1 MB) never reaches the form: the import's
middleware answers 413 with the same sentence; a smaller one reaches the form, which refuses it
and keeps what the editor typed.
"""

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from conferences.importer import service
from conferences.importer.parse import parse, transcript
from conferences.models import Conference, SourceDocument

from .test_import import BRIEFING, URL, form_data

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]
# One-line turns, 51 characters for two of them: 2 MB of them is 82,240 statements.
SHORT_TURNS = "MS. DARROW: We welcome the accord.\nQUESTION: When?\n"


def random_bytes(size: int, seed: int = 20261206, low: int = 1) -> bytes:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    return bytes(rng.randrange(low, 256) for _ in range(size))


def post_raw(client, **fields: bytes):
    """A multipart post whose fields are the bytes given, as a client that sends anything would
    (the test client would turn bytes into one field per byte)."""
    boundary = "hostile-boundary-7f3a"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value
        + b"\r\n"
        for name, value in {"kind": b"auto", "action": b"preview", **fields}.items()
    )
    body += f"--{boundary}--\r\n".encode()
    return client.post(URL, body, content_type=f"multipart/form-data; boundary={boundary}")


def errors_of(html: str) -> list[str]:
    """The form's error messages, in page order."""
    lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for found in lists
        for item in re.findall(r"<li>(.*?)</li>", found, re.S)
    ]


# --- sizes as the editor reads them


@pytest.mark.parametrize(
    ("size", "limit", "message"),
    [
        (
            10 * MB,
            2 * MB,
            "The text is 10.0 MB; Podium imports at most 2.0 MB at a time. Split it into parts.",
        ),
        (
            1536,
            1000,
            "The text is 1.5 KB; Podium imports at most 1,000 bytes at a time. Split it into "
            "parts.",
        ),
        (
            2 * MB + 1,
            2 * MB,
            "The text is 2,097,153 bytes; Podium imports at most 2,097,152 bytes at a time. "
            "Split it into parts.",
        ),
    ],
)
def test_the_refusal_names_the_size_and_the_limit(size, limit, message):
    assert service.too_large("text", size, limit) == message


# --- the admin: a paste


def test_a_ten_megabyte_paste_is_a_413_naming_its_size(client, editor):
    response = client.post(URL, form_data(text="a" * (10 * MB), title="Kept?"))
    assert response.status_code == 413
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert (
        "<p>The text is 10.0 MB; Podium imports at most 2.0 MB at a time. "
        "Split it into parts.</p>" in html
    )
    assert f'<a href="{URL}">Back to the import</a>' in html
    assert Conference.objects.count() == 0


def test_a_ten_megabyte_urlencoded_paste_is_a_413_too(client, editor):
    body = "kind=auto&action=preview&text=" + "a" * (10 * MB)
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert b"The text is 10.0 MB; Podium imports at most 2.0 MB at a time." in response.content


def test_a_ten_megabyte_post_elsewhere_keeps_djangos_answer(client, editor):
    # Only the import takes large posts; elsewhere Django's own limit answers as before.
    response = client.post("/admin/conferences/conference/add/", {"title": "a" * (10 * MB)})
    assert response.status_code == 400


def test_a_paste_just_over_the_limit_is_a_form_error_that_keeps_the_fields(client, editor):
    text = BRIEFING + "x" * (int(2.5 * MB) - len(BRIEFING))
    response = client.post(URL, form_data(text=text, title="Briefing typed by hand"))
    assert response.status_code == 200
    html = response.content.decode()
    assert errors_of(html) == [
        "The text is 2.5 MB; Podium imports at most 2.0 MB at a time. Split it into parts."
    ]
    assert 'value="Briefing typed by hand"' in html
    assert "MS. DARROW: Good afternoon. The minister met her Eastmark counterpart" in html
    assert "Preview:" not in html


def test_the_limit_is_a_setting(client, editor, settings):
    settings.PODIUM_IMPORT_MAX_BYTES = 100
    html = client.post(URL, form_data()).content.decode()
    size = service.file_size(len(BRIEFING.encode()))
    assert errors_of(html) == [
        f"The text is {size}; Podium imports at most 100 bytes at a time. Split it into parts."
    ]


def test_the_limit_is_read_from_the_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PODIUM_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", PODIUM_IMPORT_MAX_BYTES="5000")
    probe = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.PODIUM_IMPORT_MAX_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["5000", str(5000 + MB)]


def test_bytes_that_are_not_utf8_are_read_with_replacement_characters(client, editor):
    # A browser always posts UTF-8; a client that does not gets U+FFFD for each bad byte.
    raw = b"MS. DARROW: We welcome the accord \xff\xfe\xc3.\n\nQUESTION: When?\n"
    html = post_raw(client, text=raw).content.decode()
    assert "Preview: 2 statements (transcript)" in html
    assert "We welcome the accord \ufffd\ufffd\ufffd." in html


def test_random_bytes_pasted_get_a_preview_or_a_clear_error(client, editor):
    raw = random_bytes(200_000)
    text = raw.decode("utf-8", "replace")
    turns = len(parse(service.normal_newlines(text)).turns)
    response = post_raw(client, text=raw)
    assert response.status_code == 200
    html = response.content.decode()
    assert turns > 0
    assert f"Preview: {turns} statements" in html


def test_random_bytes_with_nul_pasted_are_refused(client, editor):
    response = post_raw(client, text=random_bytes(50_000, low=0))
    assert response.status_code == 200
    assert errors_of(response.content.decode()) == ["Null characters are not allowed."]


def test_one_line_of_a_megabyte_is_parsed(client, editor):
    text = ("word " * (MB // 5 + 1))[:MB]
    response = client.post(URL, form_data(text=text))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No statements were found in this text." in html


def test_more_statements_than_one_import_takes_are_refused(client, editor, monkeypatch):
    monkeypatch.setattr(service, "MAX_STATEMENTS", 2)
    response = client.post(URL, form_data(title="Kept title"))
    assert response.status_code == 200
    html = response.content.decode()
    assert errors_of(html) == [
        "The text holds 3 statements; Podium imports at most 2 at a time. Split it into parts."
    ]
    assert 'value="Kept title"' in html
    assert "Preview:" not in html


def test_two_megabytes_of_one_line_turns_are_refused_not_previewed(client, editor):
    # Before the cap this preview took minutes and 126 MB of HTML; saving it could not work
    # either (more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS).
    text = SHORT_TURNS * (2 * MB // len(SHORT_TURNS))
    response = client.post(URL, form_data(text=text))
    assert response.status_code == 200
    assert errors_of(response.content.decode()) == [
        "The text holds 82,240 statements; Podium imports at most 2,000 at a time. "
        "Split it into parts."
    ]


# --- the admin: a file


def test_a_ten_megabyte_file_is_refused_before_it_is_read(client, editor):
    upload = SimpleUploadedFile("big.txt", b"a" * (10 * MB), content_type="text/plain")
    data = {"kind": "auto", "action": "preview", "file": upload, "title": "Typed title"}
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert errors_of(html) == [
        "The file is 10.0 MB; Podium imports at most 2.0 MB at a time. Split it into parts."
    ]
    assert 'value="Typed title"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (random_bytes(5000, low=0), "This is not a text file (it contains NUL bytes)."),
        # 0x81 is one of the five bytes Windows-1252 leaves undefined.
        (b"\x81" + random_bytes(5000), "The file is neither UTF-8 nor Windows-1252 text."),
    ],
)
def test_a_binary_file_is_refused(client, editor, data, message):
    upload = SimpleUploadedFile("random.txt", data, content_type="text/plain")
    response = client.post(URL, {"kind": "auto", "action": "preview", "file": upload})
    assert response.status_code == 200
    assert errors_of(response.content.decode()) == [message]


# --- the command line


def run(capsys, *args):
    with pytest.raises(CommandError) as failed:
        call_command("import_transcript", *map(str, args))
    return str(failed.value), capsys.readouterr().err


def test_command_refuses_a_ten_megabyte_file(capsys, tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (10 * MB))
    error, err = run(capsys, path, "--dry-run")
    assert error == "1 of 1 file(s) were not imported."
    assert err == (
        f"{path}: The file is 10.0 MB; Podium imports at most 2.0 MB at a time. "
        "Split it into parts.\n"
    )


def test_command_refuses_bytes_that_are_no_text(capsys, tmp_path):
    path = tmp_path / "random.txt"
    path.write_bytes(b"\x81" + random_bytes(5000))
    error, err = run(capsys, path)
    assert error == "1 of 1 file(s) were not imported."
    assert err == f"{path}: The file is neither UTF-8 nor Windows-1252 text.\n"
    assert SourceDocument.objects.count() == 0


def test_command_refuses_more_statements_than_one_import_takes(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(service, "MAX_STATEMENTS", 2)
    path = tmp_path / "briefing.txt"
    path.write_text(BRIEFING, encoding="utf-8")
    error, err = run(capsys, path, "--dry-run")
    assert error == "1 of 1 file(s) were not imported."
    assert err == (
        f"{path}: The text holds 3 statements; Podium imports at most 2 at a time. "
        "Split it into parts.\n"
    )


def test_command_reads_one_line_of_a_megabyte(capsys, tmp_path):
    path = tmp_path / "line.txt"
    path.write_text(("word " * (MB // 5 + 1))[:MB], encoding="utf-8")
    call_command("import_transcript", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert out == (
        f"{path}: 0 statements; title None, date None, place None\n"
        "  warning: kind detected: article\n"
        "  warning: no statements found\n"
    )


# --- the parser's passes


def test_the_labels_are_found_in_one_pass(monkeypatch):
    calls = []
    find_labels = transcript.find_labels

    def counted(lines, view):
        calls.append(len(lines))
        return find_labels(lines, view)

    monkeypatch.setattr(transcript, "find_labels", counted)
    doc = parse(BRIEFING)
    assert doc.kind == "transcript"
    assert len(doc.turns) == 3
    assert calls == [len(BRIEFING.splitlines()) + 1]
