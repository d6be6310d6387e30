"""`export_archive` and `import_archive`: a backup restores every row exactly, or nothing.

The round trips use the demo, a few real texts of ../shared/corpus imported through the importer
(read where they lie, never copied into the project) and a row of each editorial record model.
"""

import datetime
import gzip
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext

from conferences.importer.service import build_preview, make_plan
from conferences.importer.writer import write
from conferences.models import (
    Conference,
    Correction,
    PrintedLabel,
    RetiredStatement,
    SourceDocument,
    Speaker,
    Statement,
    StatementReport,
    StatusChange,
    Topic,
)
from conferences.models.archive import SourceSnapshot
from conferences.ops import backup
from conferences.text.ids import content_hash

from ..factories import ConferenceFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
# A State Department transcript, a Russian MFA transcript and a news article.
CORPUS_NAMES = [
    "01-state-price-briefing-2022-08-18-excerpt.txt",
    "04-mfa-ru-lavrov-geneva-margins-2016-09-09-excerpt.txt",
    "07-news-reuters-paris-ministers-syria-2016.txt",
]
SEARCHES = ["NATO", "peace", "Assad", "Kerry"]
User = get_user_model()


def import_corpus():
    paths = [CORPUS / name for name in CORPUS_NAMES]
    missing = [path.name for path in paths if not path.is_file()]
    if missing:
        pytest.skip(f"the corpus texts {missing} are not under {CORPUS}")
    for path in paths:
        preview = build_preview(path.read_text(encoding="utf-8"))
        write(
            make_plan(
                preview,
                title=preview.doc.title or path.stem,
                date=preview.doc.date or datetime.date(2020, 1, 1),
                publish=True,
            )
        )


def add_editorial_record():
    """A reviewer with groups and a permission, and one row of each editorial record model."""
    reviewer = User.objects.create_user(
        "reviewer",
        email="reviewer@example.org",
        password="not-a-real-password-42",
        first_name="Ada",
        last_name="Quill",
        is_staff=True,
    )
    reviewer.last_login = datetime.datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)
    reviewer.save()
    reviewer.groups.set(Group.objects.filter(name__in=["Editors", "Reviewers"]))
    reviewer.user_permissions.add(Permission.objects.get(codename="delete_statement"))
    User.objects.create_user("reader", is_active=False)

    conference = Conference.objects.order_by("pk").first()
    conference.status_changed_by = reviewer
    conference.status_changed_at = datetime.datetime(2024, 3, 1, 10, 0, 0, 1, tzinfo=datetime.UTC)
    conference.save()
    statement, merged = Statement.objects.filter(conference=conference).order_by("pk")[:2]
    StatusChange.objects.create(
        conference=conference, from_status="review", to_status="published", changed_by=reviewer
    )
    Correction.objects.create(
        statement=statement,
        kind=Correction.Kind.TEXT,
        note="A word was misheard.",
        created_by=reviewer,
        previous_text=statement.text + " (as first transcribed)",
        previous_hash=content_hash(statement.text + " (as first transcribed)"),
        previous_speaker=statement.speaker,
        previous_speaker_name=statement.speaker.name,
        previous_label=statement.label,
    )
    RetiredStatement.objects.create(
        public_id="zz23zz45",
        reason=RetiredStatement.Reason.MERGED,
        successor=merged,
        note="Merged with the next statement.",
        speaker_name=merged.speaker.name,
        conference_title=conference.title,
        conference_date=conference.date,
        conference_id_was=conference.pk,
        text="The words as they were cited.",
        content_hash=content_hash("The words as they were cited."),
    )
    article = SourceDocument.objects.filter(kind=SourceDocument.Kind.NEWS_ARTICLE).first()
    StatementReport.objects.create(
        statement=statement,
        source=article,
        quoted_text=statement.text[:40],
        label="the minister said",
        similarity=0.8123456789,
        source_start=12,
        source_end=52,
    )
    # A sub-topic made before its parent: exported by id alone, it would precede it.
    child = TopicFactory(name="Backup child", slug="backup-child")
    parent = TopicFactory(name="Backup parent", slug="backup-parent")
    child.parent = parent
    child.save()
    statement.topics.add(child)


@pytest.fixture
def full_archive():
    call_command("load_demo", stdout=io.StringIO())
    import_corpus()
    add_editorial_record()
    add_archived_copy()
    # a label an editor confirmed at import (the writer adds them; one more, to be sure of one)
    PrintedLabel.objects.create(label="PRESIDENT KESSEL", speaker=Speaker.objects.order_by("pk")[0])


def add_archived_copy():
    """A source fetched from a link: its archived copy's bytes (not all of them UTF-8) must come
    back exactly, or its SHA-256 no longer holds."""
    source = SourceDocument.objects.order_by("pk").first()
    page = "<p>Le ministre a déclaré…</p>".encode("cp1252") + bytes(range(256))
    source.snapshot_url = "https://mfa.valdora.example/briefing"
    source.fetched_at = datetime.datetime(2024, 3, 1, 8, 0, 0, 654321, tzinfo=datetime.UTC)
    source.snapshot_sha256 = hashlib.sha256(page).hexdigest()
    source.snapshot_content_type = "text/html; charset=windows-1252"
    source.save()
    SourceSnapshot.objects.create(source=source, content=page)


def snapshot(history: bool) -> dict:
    """Every row of every model a backup holds, as {model: {pk: {column: value}}}, and each
    user's groups and permissions."""
    rows = {}
    for model in backup.backup_models(history):
        pk = model._meta.pk.attname
        rows[backup.label(model)] = {
            row[pk]: row for row in model._base_manager.order_by("pk").values()
        }
    rows["user groups"] = {
        user.pk: (
            sorted(user.groups.values_list("name", flat=True)),
            sorted(user.user_permissions.values_list("codename", flat=True)),
        )
        for user in User.objects.all()
    }
    return rows


def wipe():
    """Empty every table a backup fills (ids start again from 1, as in a new database)."""
    tables = [model._meta.db_table for model in backup.backup_models(history=True)]
    tables += [User.groups.through._meta.db_table, User.user_permissions.through._meta.db_table]
    flush = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
    if connection.vendor == "postgresql":  # TRUNCATE refuses tables with unchecked references
        flush = ["SET CONSTRAINTS ALL IMMEDIATE", *flush, "SET CONSTRAINTS ALL DEFERRED"]
    connection.ops.execute_sql_flush(flush)
    assert backup.rows_present() == {}


def searches() -> dict:
    return {
        query: sorted(Statement.objects.search(query).values_list("pk", flat=True))
        for query in SEARCHES
    }


def export(path, *options) -> None:
    call_command("export_archive", str(path), *options, stdout=io.StringIO())


def restore(path) -> str:
    out = io.StringIO()
    call_command("import_archive", str(path), stdout=out)
    return out.getvalue()


def lines_of(path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def refusal(path) -> str:
    with pytest.raises(CommandError) as refused:
        restore(path)
    return str(refused.value)


# Round trips


@pytest.mark.parametrize(
    ("name", "options"), [("archive.jsonl", ["--no-history"]), ("archive.jsonl.gz", [])]
)
def test_round_trip_restores_every_row_with_its_id(full_archive, tmp_path, name, options):
    history = "--no-history" not in options
    before = snapshot(history)
    found = searches()
    assert found["peace"] and found["Assad"]
    path = tmp_path / name
    export(path, *options)

    wipe()
    summary = restore(path)

    after = snapshot(history)
    for model in before:
        assert after[model] == before[model], model
    statements = before["conferences.statement"].values()
    assert re.search(rf"\n  conferences\.statement +{len(statements)}\n", summary)
    assert {s["public_id"] for s in statements} == set(
        Statement.objects.values_list("public_id", flat=True)
    )
    assert {s["content_hash"] for s in statements} == set(
        Statement.objects.values_list("content_hash", flat=True)
    )
    links = {
        (link["statement_id"], link["topic_id"])
        for link in before["conferences.statement_topics"].values()
    }
    assert set(Statement.topics.through.objects.values_list("statement_id", "topic_id")) == links
    assert searches() == found
    if not history:  # a restore writes no history of its own
        assert all(not model.objects.exists() for model in backup.history_models())


def test_restore_leaves_ids_free_for_new_rows(full_archive, tmp_path):
    path = tmp_path / "archive.jsonl"
    export(path, "--history")
    wipe()
    restore(path)
    last_statement = Statement.objects.order_by("pk").last()
    last_record = Statement.history.order_by("history_id").last()
    last_link = Statement.topics.through.objects.order_by("pk").last()

    statement = StatementFactory(conference=last_statement.conference, sequence=999)
    statement.topics.add(Topic.objects.first())

    assert statement.pk == last_statement.pk + 1
    assert Statement.history.order_by("history_id").last().history_id > last_record.history_id
    assert Statement.topics.through.objects.order_by("pk").last().pk == last_link.pk + 1


def test_search_works_after_restore_and_the_index_is_whole(full_archive, tmp_path):
    path = tmp_path / "archive.jsonl"
    export(path)
    wipe()
    restore(path)
    assert Statement.objects.search("sanctions").exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # raises if the index and the statements differ
            cursor.execute(
                "INSERT INTO conferences_statement_fts (conferences_statement_fts) "
                "VALUES ('integrity-check')"
            )
            cursor.execute("SELECT count(*) FROM conferences_statement_fts_docsize")
            assert cursor.fetchone()[0] == Statement.objects.count()


def test_standard_output_holds_only_the_archive(full_archive):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_archive", "-", stdout=out, stderr=err)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    before = snapshot(history=False)

    assert records[0]["format"] == "podium-archive"
    assert records[-1]["footer"] is True
    assert all("model" in record for record in records[1:-1])
    assert err.getvalue().startswith(f"Wrote {len(records) - 2:,} rows to standard output:\n")

    wipe()
    call_command("import_archive", "-", stdin=io.StringIO(out.getvalue()), stdout=io.StringIO())
    assert snapshot(history=False) == before


# The format


def test_header_names_the_format_the_migration_and_the_models(full_archive, tmp_path):
    path = tmp_path / "archive.jsonl"
    export(path, "--no-history")
    header = json.loads(lines_of(path)[0])
    assert header["format"] == "podium-archive"
    assert header["version"] == 1
    assert header["history"] is False
    assert header["django_migration"] == backup.latest_migration()
    assert header["models"][:2] == ["auth.user", "conferences.organization"]
    assert datetime.datetime.fromisoformat(header["exported_at"])


def test_history_adds_every_history_model():
    from django.apps import apps

    everything = {m._meta.label_lower for m in apps.get_app_config("conferences").get_models()}
    everything |= {m._meta.label_lower for m in backup.history_models()}
    everything -= {m._meta.label_lower for m in backup.DERIVED}  # rebuilt on restore
    with_history = {backup.label(m) for m in backup.backup_models(history=True)}
    without = {backup.label(m) for m in backup.backup_models(history=False)}

    assert with_history == everything | {"auth.user", "conferences.statement_topics"}
    assert without == {name for name in with_history if ".historical" not in name}


def test_rows_come_after_the_rows_they_refer_to(full_archive, tmp_path):
    path = tmp_path / "archive.jsonl"
    export(path)
    seen_topics = set()
    for line in lines_of(path)[1:-1]:
        row = json.loads(line)
        if row["model"] == "conferences.topic":
            assert row["fields"]["parent"] in seen_topics | {None}, row
            seen_topics.add(row["pk"])
    assert Topic.objects.get(slug="backup-child").pk < Topic.objects.get(slug="backup-parent").pk


def test_users_carry_their_groups_by_name_and_times_their_microseconds(full_archive, tmp_path):
    path = tmp_path / "archive.jsonl"
    export(path)
    users = [json.loads(line) for line in lines_of(path) if '"model":"auth.user"' in line]
    reviewer = next(user for user in users if user["fields"]["username"] == "reviewer")
    assert sorted(reviewer["fields"]["groups"]) == [["Editors"], ["Reviewers"]]
    assert reviewer["fields"]["user_permissions"] == [
        ["delete_statement", "conferences", "statement"]
    ]
    assert reviewer["fields"]["password"].startswith("pbkdf2_sha256$")
    assert reviewer["fields"]["last_login"] == "2024-03-01T09:30:15.123456Z"


# Streaming


def test_export_reads_every_model_through_a_chunked_iterator(full_archive, monkeypatch):
    archived = set(backup.backup_models(history=True))
    chunked = set()
    iterator, fetch_all = QuerySet.iterator, QuerySet._fetch_all

    def recording_iterator(queryset, chunk_size=None):
        if queryset.model in archived:
            assert chunk_size == backup.CHUNK_SIZE
            chunked.add(queryset.model)
        return iterator(queryset, chunk_size=chunk_size)

    def refusing_fetch_all(queryset):
        # list(), len(), iteration or slicing of a queryset loads every row at once.
        assert queryset.model not in archived, f"{queryset.model} loaded whole"
        return fetch_all(queryset)

    monkeypatch.setattr(QuerySet, "iterator", recording_iterator)
    monkeypatch.setattr(QuerySet, "_fetch_all", refusing_fetch_all)
    call_command("export_archive", "-", "--history", stdout=io.StringIO(), stderr=io.StringIO())
    assert chunked == archived


def test_export_queries_do_not_grow_with_the_rows():
    conference = ConferenceFactory()
    topic = TopicFactory()

    def queries_for_export(statements: int) -> int:
        for _ in range(statements):
            StatementFactory(conference=conference).topics.add(topic)
        with CaptureQueriesContext(connection) as queries:
            call_command(
                "export_archive", "-", "--history", stdout=io.StringIO(), stderr=io.StringIO()
            )
        return len(queries)

    assert queries_for_export(2) == queries_for_export(20)


# Refusals: a clear message, and nothing written


@pytest.fixture
def exported(full_archive, tmp_path):
    """The archive's backup in a file, and the database emptied for its restore."""
    path = tmp_path / "archive.jsonl"
    export(path)
    wipe()
    return path


def test_import_refuses_a_database_with_rows(full_archive, tmp_path):
    path = tmp_path / "archive.jsonl"
    export(path)
    before = snapshot(history=True)
    message = refusal(path)
    assert message.startswith("The database is not empty: it holds rows of auth.user (2), ")
    assert snapshot(history=True) == before


def test_import_refuses_a_database_with_only_a_user(exported):
    User.objects.create_user("early-bird")
    assert refusal(exported) == (
        "The database is not empty: it holds rows of auth.user (1). An archive is restored into "
        "an empty database only: create a new database, run `python manage.py migrate`, then "
        "import. Nothing was imported."
    )
    assert backup.rows_present() == {"auth.user": 1}


def test_import_refuses_a_file_without_its_footer(exported):
    lines = lines_of(exported)
    exported.write_text("".join(lines[:-1]), encoding="utf-8")
    assert refusal(exported) == (
        f"The archive is truncated: it ends at line {len(lines) - 1} without its footer. "
        "Nothing was imported."
    )
    assert backup.rows_present() == {}


def test_import_refuses_a_file_cut_inside_a_line(exported):
    lines = lines_of(exported)
    exported.write_text("".join(lines[:10]) + lines[10][:25], encoding="utf-8")
    assert refusal(exported) == (
        "The archive is truncated: line 11 is cut short and there is no footer. "
        "Nothing was imported."
    )
    assert backup.rows_present() == {}


def test_import_refuses_a_newer_format_version(exported):
    lines = lines_of(exported)
    header = json.loads(lines[0]) | {"version": 2}
    exported.write_text(json.dumps(header) + "\n" + "".join(lines[1:]), encoding="utf-8")
    assert refusal(exported) == (
        "The archive is format version 2, written by a newer release of Podium; this release "
        "reads version 1. Import it with that newer release. Nothing was imported."
    )
    assert backup.rows_present() == {}


def test_import_refuses_a_file_that_is_not_an_archive(tmp_path, db):
    path = tmp_path / "statements.ndjson"
    path.write_text('{"public_id": "abcd2345"}\n', encoding="utf-8")
    assert refusal(path) == (
        "This is not a Podium archive: line 1 is not a podium-archive header. Nothing was imported."
    )


def test_import_refuses_an_archive_of_another_migration(exported):
    lines = lines_of(exported)
    header = json.loads(lines[0]) | {"django_migration": "0004_history_and_editorial_record"}
    exported.write_text(json.dumps(header) + "\n" + "".join(lines[1:]), encoding="utf-8")
    current = backup.latest_migration()
    assert refusal(exported) == (
        "The archive was exported at migration conferences.0004_history_and_editorial_record; "
        f"this database is at conferences.{current}. Import it with the same release of Podium "
        "that wrote it, into a database migrated to the same migration (`python manage.py "
        "migrate conferences 0004_history_and_editorial_record`). Nothing was imported."
    )


def test_import_refuses_a_corrupt_line_and_writes_nothing(exported):
    lines = lines_of(exported)
    lines[20] = lines[20][:30] + "}}\n"
    exported.write_text("".join(lines), encoding="utf-8")
    message = refusal(exported)
    assert message.startswith("Line 21 is not valid JSON (")
    assert message.endswith("). Nothing was imported.")
    assert backup.rows_present() == {}


def test_import_refuses_rows_that_do_not_match_the_footer(exported):
    lines = lines_of(exported)
    statement = next(i for i, line in enumerate(lines) if '"model":"conferences.statement"' in line)
    del lines[statement]
    exported.write_text("".join(lines), encoding="utf-8")
    total = Statement.objects.count()  # 0: the database is empty
    assert total == 0
    message = refusal(exported)
    assert message.startswith("The archive's rows do not match its footer (conferences.statement: ")
    assert message.endswith(" expected): the file is damaged. Nothing was imported.")
    assert backup.rows_present() == {}


def test_import_refuses_a_row_that_does_not_fit_its_model(exported):
    lines = lines_of(exported)
    row = next(i for i, line in enumerate(lines) if '"model":"conferences.topic"' in line)
    record = json.loads(lines[row])
    record["fields"]["colour"] = "blue"
    lines[row] = json.dumps(record) + "\n"
    exported.write_text("".join(lines), encoding="utf-8")
    assert refusal(exported) == (
        f"Line {row + 1} (conferences.topic {record['pk']}): Topic has no field named 'colour'. "
        "Nothing was imported."
    )
    assert backup.rows_present() == {}


def test_import_reads_gzip_by_its_content(exported, tmp_path):
    packed = tmp_path / "archive.backup"  # no .gz suffix: recognised all the same
    packed.write_bytes(gzip.compress(exported.read_bytes()))
    restore(packed)
    assert Statement.objects.exists()


def test_import_refuses_rows_whose_references_are_missing(exported):
    lines = lines_of(exported)
    speaker = next(i for i, line in enumerate(lines) if '"model":"conferences.speaker"' in line)
    del lines[speaker]
    footer = json.loads(lines[-1])
    footer["counts"]["conferences.speaker"] -= 1
    lines[-1] = json.dumps(footer) + "\n"
    exported.write_text("".join(lines), encoding="utf-8")
    message = refusal(exported)
    assert message.startswith("The archive's rows do not fit together: ")
    assert message.endswith(". Nothing was imported.")
    assert backup.rows_present() == {}


def test_history_is_in_by_default_so_old_conference_urls_survive_a_restore(client, tmp_path):
    conference = ConferenceFactory(slug="old-slug", date=datetime.date(2024, 5, 17))
    conference.slug = "new-slug"
    conference.save()
    old_url = "/conferences/2024/05/17/old-slug/"
    assert client.get(old_url)["Location"] == "/conferences/2024/05/17/new-slug/"
    path = tmp_path / "archive.jsonl"
    export(path)
    assert json.loads(lines_of(path)[0])["history"] is True
    wipe()
    restore(path)
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (
        301,
        "/conferences/2024/05/17/new-slug/",
    )
