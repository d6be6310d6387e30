"""Whole-archive backups as versioned JSON lines: what `export_archive` writes and
`import_archive` reads back.

A file of format version 1 is UTF-8 text, one JSON object per line:

- line 1, the header: `{"format": "podium-archive", "version": 1, "exported_at": …,
  "django_migration": "0005_…", "models": ["auth.user", …], "history": false}`;
- then one line per row, as Django's "python" serializer makes it:
  `{"model": "conferences.statement", "pk": 12, "fields": {…}}`, the rows of each model together,
  in the order of "models", which satisfies every foreign key (a topic comes after its parent);
  topic links are rows of their own (`conferences.statement_topics`) so that their ids survive,
  as the history's copies of them refer to those ids; a user's groups and permissions are given
  by natural key (the groups themselves are made by migrations);
- last, the footer: `{"footer": true, "counts": {"auth.user": 2, …}, "total": …}`, so that a
  file cut short is refused rather than half restored.

Datetimes keep their microseconds (DjangoJSONEncoder would cut them to milliseconds).

Reading saves each row with its own primary key through raw inserts, in batches: no model
`save()`, no signal, so simple-history records nothing (a backup with its history, the default,
brings that history back, row for row). The whole import is one transaction.
"""

import datetime
import json
from collections import Counter
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.core.serializers import python
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from ..models import (
    Conference,
    Correction,
    Organization,
    PrintedLabel,
    RetiredStatement,
    Role,
    SourceDocument,
    Speaker,
    SpeakerAlias,
    Statement,
    StatementReport,
    StatusChange,
    Topic,
    facet_counts,
    facets,
)
from ..models.archive import SourceSnapshot

FORMAT = "podium-archive"
VERSION = 1
APP = "conferences"
# Rows read from a database cursor at a time, and rows sent in one INSERT at most.
CHUNK_SIZE = 2000
BATCH_SIZE = 500

ARCHIVE = (
    Organization,
    Speaker,
    SpeakerAlias,
    PrintedLabel,  # labels editors confirmed at import, read as the speaker's in later texts
    Role,
    Topic,
    Conference,
    SourceDocument,
    SourceSnapshot,  # the page a source's text was fetched from, as fetched
    Statement,
)
RECORD = (StatusChange, Correction, RetiredStatement, StatementReport)
# Not in a backup: derived from the rows above, rebuilt at the end of a restore.
DERIVED = (facets.StatementFacet, facets.StatementWords, facet_counts.FacetCount)


class BackupError(Exception):
    """A refusal, worded for the person running the command."""


def label(model) -> str:
    return model._meta.label_lower


def history_models() -> list:
    """Every simple-history model of the archive; a record's topic links after the record."""
    models = [model.history.model for model in ARCHIVE if hasattr(model, "history")]
    return [*models, Statement.history.model.topics.model]


def backup_models(history: bool) -> list:
    """What a backup holds, in an order that satisfies every foreign key."""
    user = get_user_model()
    models = [user, *ARCHIVE, Statement.topics.through, *RECORD]
    return models + history_models() if history else models


def known_models() -> dict:
    return {label(model): model for model in backup_models(history=True)}


def latest_migration(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The name of the app's latest applied migration (names start with their number)."""
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return None
    names = [name for app, name in recorder.applied_migrations() if app == APP]
    return max(names, default=None)


class ArchiveJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds: a restore must be exact."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _sentence(exc: Exception) -> str:
    """An exception's message ending with a full stop, to be followed by another sentence."""
    text = " ".join(str(exc).split())
    return text if text.endswith(".") else f"{text}."


def dumps(record: dict) -> str:
    return json.dumps(record, cls=ArchiveJSONEncoder, ensure_ascii=False, separators=(",", ":"))


# Writing


class _LineSerializer(python.Serializer):
    """Django's python serializer, writing each row as one line as soon as it is made (the
    parent keeps every row in a list)."""

    def start_serialization(self):
        super().start_serialization()
        self.count = 0

    def end_object(self, obj):
        self.stream.write(dumps(self.get_dump_object(obj)) + "\n")
        self._current = None
        self.count += 1

    def handle_m2m_field(self, obj, field):
        # Only a user's groups and permissions travel inside the row (by natural key); topic
        # links are a model of their own.
        if obj._meta.model is get_user_model():
            super().handle_m2m_field(obj, field)


def _topics_parents_first(using: str) -> Iterator[Topic]:
    """Roots, then their children, then theirs: one query per level of the (shallow) tree."""
    level = Topic.objects.using(using).filter(parent__isnull=True)
    while True:
        found = False
        for topic in level.order_by("pk").iterator(chunk_size=CHUNK_SIZE):
            found = True
            yield topic
        if not found:
            return
        level = Topic.objects.using(using).filter(parent__in=level)


def _rows(model, using: str) -> Iterable:
    if model is Topic:
        return _topics_parents_first(using)
    return model._base_manager.using(using).order_by("pk").iterator(chunk_size=CHUNK_SIZE)


def _write_rows(out, model, using: str) -> int:
    serializer = _LineSerializer()
    serializer.serialize(
        _rows(model, using),
        stream=out,
        use_natural_foreign_keys=model is get_user_model(),
    )
    if model is Topic and serializer.count != Topic.objects.using(using).count():
        raise BackupError(
            "Some topics are not under any top-level topic: their parents form a cycle. "
            "Fix the topics' parents in the admin, then export again."
        )
    return serializer.count


def write_archive(out, *, history: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the archive to the text stream `out`, one row at a time; return the rows written
    per model. Reads one consistent snapshot of the database."""
    models = backup_models(history)
    connection = connections[using]
    nested = connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and not nested:
            # Must come first in the transaction: every model read as of the same moment.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        header = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": timezone.now(),
            "django_migration": latest_migration(using),
            "models": [label(model) for model in models],
            "history": history,
        }
        out.write(dumps(header) + "\n")
        counts = {label(model): _write_rows(out, model, using) for model in models}
    out.write(dumps({"footer": True, "counts": counts, "total": sum(counts.values())}) + "\n")
    return counts


# Reading


def summary(counts: dict) -> str:
    """Rows by model, one line each, for the commands' reports."""
    width = max(len(name) for name in counts)
    lines = [f"  {name:<{width}}  {count:>7,}" for name, count in counts.items()]
    return "\n".join(lines)


def rows_present(using: str = DEFAULT_DB_ALIAS) -> dict:
    """Rows per model of every model a backup may hold, for those that have any."""
    counts = {
        name: model._base_manager.using(using).count() for name, model in known_models().items()
    }
    return {name: count for name, count in counts.items() if count}


def check_empty(using: str = DEFAULT_DB_ALIAS) -> None:
    present = rows_present(using)
    if present:
        named = [f"{name} ({count})" for name, count in list(present.items())[:3]]
        more = len(present) - len(named)
        held = ", ".join(named) + (f" and {more} more model{'s' * (more > 1)}" if more else "")
        raise BackupError(
            f"The database is not empty: it holds rows of {held}. An archive is restored into "
            "an empty database only: create a new database, run `python manage.py migrate`, "
            "then import."
        )


def read_header(line: str | None, using: str = DEFAULT_DB_ALIAS) -> dict:
    if line is None:
        raise BackupError("The archive is empty: it has no header line.")
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"This is not a Podium archive: line 1 is not a {FORMAT} header.")
    version = header.get("version")
    if isinstance(version, int) and version > VERSION:
        raise BackupError(
            f"The archive is format version {version}, written by a newer release of Podium; "
            f"this release reads version {VERSION}. Import it with that newer release."
        )
    if version != VERSION:
        raise BackupError(
            f"Unknown archive format version {version!r}; this release reads version {VERSION}."
        )
    models = header.get("models")
    if not isinstance(models, list) or not models:
        raise BackupError("The archive's header lists no models.")
    unknown = [name for name in models if name not in known_models()]
    if unknown:
        raise BackupError(f"The archive's header names models unknown here: {unknown}.")
    ours = latest_migration(using)
    theirs = header.get("django_migration")
    if ours is None:
        raise BackupError(
            "This database is not migrated: run `python manage.py migrate` first, then import."
        )
    if theirs != ours:
        raise BackupError(
            f"The archive was exported at migration {APP}.{theirs}; this database is at "
            f"{APP}.{ours}. Import it with the same release of Podium that wrote it, into a "
            f"database migrated to the same migration (`python manage.py migrate {APP} {theirs}`)."
        )
    return header


def _parse(number: int, line: str) -> dict:
    try:
        record = json.loads(line)
    except ValueError as exc:
        if not line.endswith("\n"):
            raise BackupError(
                f"The archive is truncated: line {number} is cut short and there is no footer."
            ) from exc
        detail = f"{exc.msg}, column {exc.colno}" if hasattr(exc, "msg") else str(exc)
        raise BackupError(f"Line {number} is not valid JSON ({detail}).") from exc
    if not isinstance(record, dict):
        raise BackupError(f"Line {number} is not a JSON object.")
    return record


class _Loader:
    """Raw inserts in batches, model by model; a user's groups and permissions after the user."""

    def __init__(self, using: str):
        self.using = using
        self.model = None
        self.objects = []
        self.links = []  # rows of the m2m tables (a user's groups and permissions)
        self.first_line = self.last_line = 0

    def add(self, number: int, deserialized) -> None:
        model = type(deserialized.object)
        if model is not self.model or len(self.objects) >= BATCH_SIZE:
            self.flush()
            self.model = model
            self.first_line = number
        self.objects.append(deserialized.object)
        for name, pks in (deserialized.m2m_data or {}).items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            for pk in pks:
                self.links.append(
                    through(**{f"{source}_id": deserialized.object.pk, f"{target}_id": pk})
                )
        self.last_line = number

    def flush(self) -> None:
        if not self.objects:
            return
        model, objects, links = self.model, self.objects, self.links
        self.objects, self.links = [], []
        manager = model._base_manager.using(self.using)
        fields = model._meta.local_concrete_fields
        size = max(1, connections[self.using].ops.bulk_batch_size(fields, objects))
        try:
            for start in range(0, len(objects), size):
                # What Model.save_base(raw=True) does, many rows per statement: values as read
                # (auto_now fields untouched), no signals, so no history record either.
                batch = objects[start : start + size]
                manager._insert(batch, fields=fields, raw=True, using=self.using)
            by_through = {}
            for link in links:
                by_through.setdefault(type(link), []).append(link)
            for through, rows in by_through.items():
                through._base_manager.using(self.using).bulk_create(rows)
            connection = connections[self.using]
            if settings.DEBUG and not connection.force_debug_cursor:
                # With DEBUG on Django keeps the last 9,000 queries, here each with a whole
                # batch of rows; forget them (unless a test is capturing the queries).
                connection.queries_log.clear()
        except DatabaseError as exc:
            raise BackupError(
                f"Lines {self.first_line}–{self.last_line} ({label(model)}) could not be saved: "
                f"{_sentence(exc)}"
            ) from exc


def _deserialize(number: int, record: dict, allowed: set, using: str):
    name = record.get("model")
    if name not in allowed:
        raise BackupError(f"Line {number}: {name!r} is not one of the archive's models.")
    if "pk" not in record or not isinstance(record.get("fields"), dict):
        raise BackupError(f"Line {number}: a row needs a pk and its fields.")
    try:
        return next(iter(python.Deserializer([record], using=using)))
    except Exception as exc:
        raise BackupError(f"Line {number} ({name} {record['pk']}): {_sentence(exc)}") from exc


def _check_footer(footer: dict | None, counts: Counter, last: int, names: list) -> None:
    if footer is None:
        raise BackupError(f"The archive is truncated: it ends at line {last} without its footer.")
    expected = footer.get("counts")
    if not isinstance(expected, dict):
        raise BackupError("The archive's footer has no row counts.")
    wrong = [
        f"{name}: {counts.get(name, 0)} rows read, {expected.get(name, 0)} expected"
        for name in dict.fromkeys([*names, *expected, *counts])
        if counts.get(name, 0) != expected.get(name, 0)
    ]
    if wrong:
        raise BackupError(
            f"The archive's rows do not match its footer ({'; '.join(wrong)}): the file is damaged."
        )


def _finish(models: list, using: str) -> None:
    """Check the foreign keys now (they are deferred to the commit) and move each table's id
    sequence past the restored ids (PostgreSQL; SQLite follows explicit ids by itself)."""
    connection = connections[using]
    user = get_user_model()
    tables = [model._meta.db_table for model in models]
    try:
        connection.check_constraints(table_names=tables)
    except DatabaseError as exc:
        raise BackupError(f"The archive's rows do not fit together: {_sentence(exc)}") from exc
    throughs = [user.groups.through, user.user_permissions.through]
    statements = connection.ops.sequence_reset_sql(no_style(), [*models, *throughs])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def read_archive(lines: Iterable[str], *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Restore the archive whose lines are `lines` into the empty database `using`, all or
    nothing; return the rows restored per model. Raises BackupError on any refusal."""
    numbered = enumerate(lines, 1)
    first = next(numbered, (1, None))[1]
    header = read_header(first, using)
    check_empty(using)
    names = header["models"]
    allowed = set(names)
    counts: Counter = Counter()
    footer = None
    last = 1
    loader = _Loader(using)
    with transaction.atomic(using=using):
        for number, line in numbered:
            last = number
            if footer is not None:
                raise BackupError(f"Line {number} comes after the footer: the file is damaged.")
            record = _parse(number, line)
            if record.get("footer") is True:
                footer = record
                continue
            loader.add(number, _deserialize(number, record, allowed, using))
            counts[record["model"]] += 1
        loader.flush()
        _check_footer(footer, counts, last, names)
        _finish([known_models()[name] for name in names], using)
        facets.refresh_all(using)  # the list page's table, derived from the rows restored
    return {name: counts.get(name, 0) for name in names}
