"""The list page's own table: one narrow row per published statement (issue 18).

`StatementFacet` holds what /statements/ filters, orders and counts on, as plain values: the
conference, its date and year, host and sequence, the speaker and the speaker's country, kind,
fidelity, and the statement's topics with their parents (the topic rule of Topic.objects.family,
stored once per statement). The list page then reads one narrow table with its own indexes instead
of joining five tables for every facet. On PostgreSQL `StatementWords` holds the same values and
each published statement's words as a stored tsvector (GIN-indexed), in a table of its own so that
the facet table stays narrow: a search reads its matches' values and ranks every match from that
one table, without re-tokenising a text or joining another table.

The table is derived, never the record: `refresh()` rebuilds the rows of the statements,
conferences, speakers or topics named (delete, then insert from the archive's tables, published
statements only) and `refresh_all()` rebuilds everything (migration 0012, generate_corpus,
`manage.py rebuild_facets`); both keep the counts of conferences/models/facet_counts.py in step.
Signals connected in apps.py call `refresh()` after every save and
delete that can change a row (conferences/models/facet_signals.py).
"""

import json

from django.db import connections, models

from . import facet_counts
from .archive import Conference, Statement, Topic
from .people import Speaker

TABLE = "conferences_statement_facets"
WORDS_TABLE = "conferences_statement_words"
PG_CONFIG = "english"  # as conferences/models/search.py


class IdArrayField(models.Field):
    """A list of ids: integer[] on PostgreSQL (GIN-indexed), a JSON array in text elsewhere."""

    description = "A list of integer ids"

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        ids = sorted({int(v) for v in value})
        return ids if connection.vendor == "postgresql" else json.dumps(ids)


class SearchVectorColumn(models.Field):
    """PostgreSQL's tsvector (written by refresh(), never by the ORM); unused text elsewhere."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class FacetColumns(models.Model):
    """What the list filters, orders and counts on, as plain values. Plain numbers, not foreign
    keys: the list never joins through them, and deleting a speaker or conference removes its
    statements (and so these rows) already."""

    conference_id = models.BigIntegerField()
    sequence = models.PositiveIntegerField()
    date = models.DateField()
    year = models.SmallIntegerField()
    organization_id = models.BigIntegerField(null=True)
    speaker_id = models.BigIntegerField()
    country = models.CharField(max_length=2)
    kind = models.CharField(max_length=12)
    fidelity = models.CharField(max_length=20)
    topics = IdArrayField(default=list)

    class Meta:
        abstract = True


class StatementFacet(FacetColumns):
    statement = models.OneToOneField(
        Statement, primary_key=True, on_delete=models.CASCADE, related_name="facet"
    )

    class Meta:
        db_table = TABLE
        indexes = [
            # The list's order (newest first, and oldest first read backwards).
            models.Index(
                models.F("date").desc(),
                models.F("conference_id").desc(),
                "sequence",
                name="facets_newest",
            ),
            models.Index(fields=["speaker_id"], name="facets_speaker"),
            models.Index(fields=["country"], name="facets_country"),
            models.Index(fields=["organization_id"], name="facets_organization"),
            models.Index(fields=["conference_id"], name="facets_conference"),
            models.Index(fields=["year"], name="facets_year"),
            models.Index(fields=["kind"], name="facets_kind"),
            models.Index(fields=["fidelity"], name="facets_fidelity"),
        ]
        # PostgreSQL's GIN index on topics is created by migration 0012.

    def __str__(self) -> str:
        return f"Facets of statement {self.statement_id}"


class StatementWords(FacetColumns):
    """A published statement's words as PostgreSQL's tsvector, beside its facet values: a search
    reads its matches' values from the rows the GIN index finds, with no join to the facet table
    (empty on other databases, which search through SQLite's FTS5 table instead)."""

    statement = models.OneToOneField(
        Statement, primary_key=True, on_delete=models.CASCADE, related_name="words"
    )
    vector = SearchVectorColumn(null=True, editable=False)

    class Meta:
        db_table = WORDS_TABLE
        indexes = [
            # A search within a speaker's or a conference's statements starts from these.
            models.Index(fields=["speaker_id"], name="words_speaker"),
            models.Index(fields=["conference_id"], name="words_conference"),
        ]
        # The GIN index on vector is created by migration 0012 (PostgreSQL only).

    def __str__(self) -> str:
        return f"Words of statement {self.statement_id}"


def _select_sql(vendor: str, scope: str) -> str:
    """INSERT … SELECT of the rows of published statements that satisfy `scope` (SQL on s, c, sp).
    Only table and column names from _meta are formatted in."""
    statement, conference = Statement._meta.db_table, Conference._meta.db_table
    speaker, topic = Speaker._meta.db_table, Topic._meta.db_table
    links = Statement.topics.through._meta.db_table
    if vendor == "postgresql":
        topics = (
            f"COALESCE((SELECT array_agg(DISTINCT x ORDER BY x) FROM {links} l "  # noqa: S608
            f"JOIN {topic} t ON t.id = l.topic_id "
            "CROSS JOIN LATERAL (VALUES (t.id), (t.parent_id)) v(x) "
            "WHERE l.statement_id = s.id AND x IS NOT NULL), '{}')"
        )
        year = "EXTRACT(YEAR FROM c.date)::smallint"
    else:
        topics = (
            "(SELECT json_group_array(x) FROM (SELECT t.id AS x FROM "  # noqa: S608
            f"{links} l JOIN {topic} t ON t.id = l.topic_id WHERE l.statement_id = s.id "
            f"UNION SELECT t.parent_id FROM {links} l JOIN {topic} t ON t.id = l.topic_id "
            "WHERE l.statement_id = s.id AND t.parent_id IS NOT NULL ORDER BY 1))"
        )
        year = "CAST(strftime('%%Y', c.date) AS INTEGER)"
    return (
        f"INSERT INTO {TABLE} (statement_id, conference_id, sequence, date, year, "  # noqa: S608
        "organization_id, speaker_id, country, kind, fidelity, topics) "
        f"SELECT s.id, s.conference_id, s.sequence, c.date, {year}, c.host_id, s.speaker_id, "
        f"sp.country, s.kind, s.fidelity, {topics} "
        f"FROM {statement} s JOIN {conference} c ON c.id = s.conference_id "
        f"JOIN {speaker} sp ON sp.id = s.speaker_id "
        f"WHERE c.status = %s AND ({scope})"
    )


def _words_delete(scope: str) -> str:
    """The words of the facet rows in `scope` (a condition on the facet table)."""
    return (
        f"DELETE FROM {WORDS_TABLE} WHERE statement_id IN "  # noqa: S608
        f"(SELECT statement_id FROM {TABLE} WHERE {scope})"
    )


FACET_COLUMNS = (
    "conference_id, sequence, date, year, organization_id, speaker_id, country, kind, fidelity, "
    "topics"
)


def _words_insert(scope: str) -> str:
    """The words of the facet rows in `scope`, just written, with their values (PostgreSQL)."""
    statement = Statement._meta.db_table
    columns = ", ".join(f"f.{name.strip()}" for name in FACET_COLUMNS.split(","))
    return (
        f"INSERT INTO {WORDS_TABLE} (statement_id, {FACET_COLUMNS}, vector) "  # noqa: S608
        f"SELECT f.statement_id, {columns}, to_tsvector('{PG_CONFIG}'::regconfig, s.text) "
        f"FROM {TABLE} f JOIN {statement} s ON s.id = f.statement_id "
        f"WHERE f.statement_id IN (SELECT statement_id FROM {TABLE} WHERE {scope})"
    )


SCOPES = {
    # What each kind of change names, as a condition on s (statement), c and sp, and the same
    # for the rows to delete first (on the facet table f, or through the statement's id).
    "statements": ("s.id IN ({ids})", "statement_id IN ({ids})"),
    "conferences": ("s.conference_id IN ({ids})", "conference_id IN ({ids})"),
    "speakers": ("s.speaker_id IN ({ids})", "speaker_id IN ({ids})"),
}


def refresh(using: str = "default", **changed) -> None:
    """Rebuild the rows of the statements, conferences or speakers named, e.g.
    refresh(conferences=[4]) or refresh(statements=[7, 8]); topics=[…] rebuilds every statement
    on those topics (a topic's parent changed)."""
    connection = connections[using]
    topic_ids = changed.pop("topics", None)
    if topic_ids:
        links = Statement.topics.through.objects.using(using).filter(topic_id__in=topic_ids)
        statements = set(links.values_list("statement_id", flat=True))
        statements.update(changed.get("statements") or ())
        changed["statements"] = statements
    with connection.cursor() as cursor:
        for kind, ids in changed.items():
            ids = sorted({int(i) for i in ids or ()})
            if not ids:
                continue
            insert_scope, delete_scope = SCOPES[kind]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                scope = delete_scope.format(ids=marks)
                removed = facet_counts.rows_in(cursor, TABLE, scope, chunk)
                cursor.execute(_words_delete(scope), chunk)
                cursor.execute(f"DELETE FROM {TABLE} WHERE {scope}", chunk)  # noqa: S608
                insert = _select_sql(connection.vendor, insert_scope.format(ids=marks))
                cursor.execute(insert, [Conference.Status.PUBLISHED, *chunk])
                if connection.vendor == "postgresql":
                    cursor.execute(_words_insert(scope), chunk)
                facet_counts.apply(
                    cursor, removed, facet_counts.rows_in(cursor, TABLE, scope, chunk)
                )


def refresh_all(using: str = "default") -> int:
    """Every row again, from the archive's tables, and the kept counts; the number of rows."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {WORDS_TABLE}")  # noqa: S608
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        cursor.execute(_select_sql(connection.vendor, "1 = 1"), [Conference.Status.PUBLISHED])
        if connection.vendor == "postgresql":
            cursor.execute(_words_insert("1 = 1"), [])
            cursor.execute(f"ANALYZE {WORDS_TABLE}")
        facet_counts.rebuild(using, TABLE)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {TABLE}")
            cursor.execute(f"ANALYZE {facet_counts.COUNTS_TABLE}")
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608
        return cursor.fetchone()[0]
