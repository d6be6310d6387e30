"""Full-text search over statement text, built by the database itself (no signals, no reindex).

PostgreSQL: a GIN index on `to_tsvector('english', text)`, exactly the expression
conferences/models/search.py queries, so that the planner uses it.
SQLite: an FTS5 table with external content (the statements' own rows), kept in step by triggers.
`content="conferences_statement"` is written in double quotes so that Datasette finds the table.

Nothing is created on other databases. The SQL is frozen here on purpose;
conferences/models/search.py names the same index and table.

Beware on SQLite: a later migration that makes Django rebuild conferences_statement (most
AlterField / RemoveField operations do) drops these triggers with the old table. Such a migration
must run CREATE_SQLITE again (tests/test_search.py checks that the triggers exist).
"""

from django.db import migrations

CREATE_POSTGRESQL = [
    "CREATE INDEX conferences_statement_search ON conferences_statement "
    "USING gin (to_tsvector('english'::regconfig, text))",
]
DROP_POSTGRESQL = ["DROP INDEX IF EXISTS conferences_statement_search"]

CREATE_SQLITE = [
    "CREATE VIRTUAL TABLE conferences_statement_fts USING fts5(text, "
    'content="conferences_statement", content_rowid="id", tokenize="porter unicode61")',
    """CREATE TRIGGER conferences_statement_fts_insert AFTER INSERT ON conferences_statement BEGIN
        INSERT INTO conferences_statement_fts (rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER conferences_statement_fts_delete AFTER DELETE ON conferences_statement BEGIN
        INSERT INTO conferences_statement_fts (conferences_statement_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER conferences_statement_fts_update AFTER UPDATE ON conferences_statement BEGIN
        INSERT INTO conferences_statement_fts (conferences_statement_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
        INSERT INTO conferences_statement_fts (rowid, text) VALUES (new.id, new.text);
    END""",
    # Index the statements that exist already.
    "INSERT INTO conferences_statement_fts (conferences_statement_fts) VALUES ('rebuild')",
]
DROP_SQLITE = [
    "DROP TRIGGER IF EXISTS conferences_statement_fts_insert",
    "DROP TRIGGER IF EXISTS conferences_statement_fts_delete",
    "DROP TRIGGER IF EXISTS conferences_statement_fts_update",
    "DROP TABLE IF EXISTS conferences_statement_fts",
]

FORWARD = {"postgresql": CREATE_POSTGRESQL, "sqlite": CREATE_SQLITE}
BACKWARD = {"postgresql": DROP_POSTGRESQL, "sqlite": DROP_SQLITE}


def create_search(apps, schema_editor):
    for sql in FORWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def drop_search(apps, schema_editor):
    for sql in BACKWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("conferences", "0002_editors_group")]

    operations = [migrations.RunPython(create_search, drop_search)]
