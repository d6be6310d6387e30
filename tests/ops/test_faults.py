"""Faults: an import that fails part-way leaves nothing written; a database that does not answer
is a 503 page (pages already in the cache are still served), and never costs an editor the text
they pasted.

Every test is transactional: the writer's transaction is then the real, outermost one (not a
savepoint inside the test's), and a connection may be dropped without breaking the test.

How each database is made to fail, as faithfully as each allows:

- both: an exception raised in place of the writer's N-th query, for every N;
- PostgreSQL: the import's own backend terminated with pg_terminate_backend from a second
  connection, before its N-th query (every N) or its COMMIT. "Down" is a server that refuses
  connections: the connection is closed and its settings point at a port nobody listens on;
- SQLite (the tests' shared in-memory database): another connection holds a lock. A reader of a
  table makes the import's first write into that table fail ("database table is locked"); "down"
  is another connection holding the write lock of every table, so that even reading fails.
"""

import contextlib
import datetime
import html
import io
import re
import sqlite3
import time

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences.admin.imports import DATABASE_DOWN
from conferences.importer.writer import (
    ImportPlan,
    NewSpeaker,
    PlannedReport,
    PlannedStatement,
    write,
)
from conferences.models import Conference, SourceDocument
from conferences.ops import caching
from conferences.ops.middleware import MESSAGE

from ..admin.test_import import BRIEFING, form_data, save_data
from ..factories import SpeakerFactory, StatementFactory, TopicFactory
from ..ports import unused_port

pytestmark = pytest.mark.django_db(transaction=True)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminates a PostgreSQL backend"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locks")

WRITE = re.compile(r'^(?:INSERT INTO|UPDATE|DELETE FROM) "(\w+)"')
# What libpq says when the backend was terminated: its FATAL message when it read it before the
# socket closed, else only that the socket closed.
DROPPED = re.compile(
    r"^(terminating connection due to administrator command|"
    r"server closed the connection unexpectedly)"
)
SHOWN_MESSAGE = html.escape(MESSAGE)  # as the page prints it


# Faults -------------------------------------------------------------------------------------------


class InjectedFault(Exception):
    pass


class FaultAt:
    """An execute wrapper that calls `fault(sql)` once, just before the n-th query it sees or
    before the first one matching `pattern`. Queries the fault runs itself are not counted."""

    def __init__(self, fault, n=None, pattern=None):
        self.fault, self.n, self.pattern = fault, n, pattern
        self.seen, self.done, self.busy = 0, False, False

    def __call__(self, execute, sql, params, many, context):
        if not self.busy and not self.done:
            self.seen += 1
            if self.seen == self.n or (self.pattern and re.match(self.pattern, sql)):
                self.done, self.busy = True, True
                try:
                    self.fault(sql)
                finally:
                    self.busy = False
        return execute(sql, params, many, context)


def table_counts() -> dict[str, int]:
    """The rows of every table of the database: archive, history, users, sessions, everything."""
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def terminate_backend(victim) -> int:
    """Ends the PostgreSQL backend of Django connection `victim` from a second connection, as an
    operator's pg_terminate_backend or a server restart would; waits until it is gone and
    returns its process id."""
    import psycopg2

    pid = victim.connection.get_backend_pid()
    other = psycopg2.connect(**victim.get_connection_params())
    other.autocommit = True
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
            for _ in range(500):
                cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() is None:
                    return pid
                time.sleep(0.01)
    finally:
        other.close()
    raise AssertionError(f"backend {pid} did not stop")


@contextlib.contextmanager
def connections_refused():
    """PostgreSQL stopped: the open connection is gone and new ones are refused."""
    settings_dict = connection.settings_dict
    port = settings_dict["PORT"]
    connection.close()
    settings_dict["PORT"] = str(unused_port())
    try:
        yield
    finally:
        settings_dict["PORT"] = port
        connection.close()


def other_sqlite_connection() -> sqlite3.Connection:
    name = connection.settings_dict["NAME"]
    assert "mode=memory&cache=shared" in name, name  # the tests' shared in-memory database
    return sqlite3.connect(name, uri=True, isolation_level=None)


@contextlib.contextmanager
def every_table_locked():
    """SQLite: another connection holds the write lock of every table (a DELETE of no row from
    each, in an open transaction): reading any of them fails with "database table is locked"."""
    lock = other_sqlite_connection()
    tables = [
        name
        for (name,) in lock.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    lock.execute("BEGIN")
    try:
        for table in tables:
            lock.execute(f'DELETE FROM "{table}" WHERE 0')  # noqa: S608
        yield
    finally:
        lock.execute("ROLLBACK")
        lock.close()


def database_down():
    return connections_refused() if connection.vendor == "postgresql" else every_table_locked()


# An import that takes every path of the writer ----------------------------------------------------

TEXT = (
    "MS. MARROW: The harbour stays open.\n\nQUESTION: For how long?\n\n"
    "MR. VARN: As long as the fleet needs it.\n"
)


@pytest.fixture
def existing():
    """What the archive holds before the import: a speaker, a topic, a published statement."""
    varn = SpeakerFactory(name="Teodor Varn", slug="teodor-varn", country="NO")
    harbours = TopicFactory(name="Harbours", slug="harbours")
    reported = StatementFactory(speaker=varn, text="The fleet comes first.")
    return {"varn": varn, "harbours": harbours, "reported": reported}


def import_plan(existing) -> ImportPlan:
    """A new conference with a host, a source with an outlet, two new speakers (one with a role,
    one with an outlet), a known speaker who learns a printed name, topics, and a report of a
    statement already in the archive."""
    marrow = NewSpeaker(
        name="Ilka Marrow",
        aliases=["MS. MARROW"],
        country="NO",
        role_title="Spokesperson",
        role_organization="Ministry of Synthetic Harbours",
        role_started_on=datetime.date(2024, 1, 1),
    )
    reporter = NewSpeaker(name="Unnamed reporter", kind="journalist", outlet="Harbour Wire")
    harbours = existing["harbours"]
    return ImportPlan(
        text=TEXT,
        source_kind=SourceDocument.Kind.OFFICIAL_TRANSCRIPT,
        title="Synthetic harbour briefing",
        date=datetime.date(2024, 5, 6),
        place="Port Aster",
        host="Ministry of Synthetic Harbours",
        outlet="Harbour Wire",
        statements=[
            PlannedStatement(
                speaker=marrow,
                text="The harbour stays open.",
                label="MS. MARROW",
                topics=[harbours],
            ),
            PlannedStatement(
                speaker=reporter, text="For how long?", kind="question", label="QUESTION"
            ),
            PlannedStatement(
                speaker=existing["varn"],
                text="As long as the fleet needs it.",
                kind="answer",
                label="MR. VARN",
                aliases=["MR. VARN"],
                topics=[harbours],
            ),
        ],
        reports=[
            PlannedReport(
                statement=existing["reported"],
                quoted_text="The fleet comes first.",
                similarity=0.95,
                label="VARN",
            )
        ],
    )


# What a whole import writes, table by table: the rows a fault must leave unwritten.
WRITTEN = {
    "conferences_conference": 1,
    "conferences_statuschange": 1,
    "conferences_historicalconference": 1,
    "conferences_historicalorganization": 2,
    "conferences_historicalrole": 1,
    "conferences_historicalsourcedocument": 1,
    "conferences_historicalspeaker": 2,
    "conferences_historicalspeakeralias": 4,
    "conferences_historicalstatement": 3,
    "conferences_historicalstatement_topics": 2,
    "conferences_organization": 2,
    "conferences_role": 1,
    "conferences_sourcedocument": 1,
    "conferences_speaker": 2,
    "conferences_speakeralias": 4,
    "conferences_statement": 3,
    "conferences_statement_topics": 2,
    "conferences_statementreport": 1,
}


def changes(before: dict, after: dict) -> dict:
    return {table: after[table] - before[table] for table in after if after[table] != before[table]}


def without_search_index(changed: dict) -> dict:
    """SQLite's full-text index is kept by triggers in tables of its own: leave them out."""
    fts = "conferences_statement_fts"
    return {table: n for table, n in changed.items() if not table.startswith(fts)}


def every_fault(existing, fault, expected, check=None) -> int:
    """Runs the import with `fault` before its 1st query, then its 2nd…, checking each time that
    the import failed with `expected` (and passes `check`) and that every table holds what it
    held before; then once more with no fault reached, which must write the whole import.
    Returns the number of queries of the import."""
    before = table_counts()
    n = 0
    while True:
        n += 1
        wrapper = FaultAt(fault, n=n)
        try:
            with connection.execute_wrapper(wrapper):
                write(import_plan(existing))
        except expected as exc:
            assert wrapper.done
            if check:
                check(exc)
            assert table_counts() == before, f"a fault before query {n} left rows behind"
            continue
        assert not wrapper.done  # the import ran out of queries before the fault
        break
    assert without_search_index(changes(before, table_counts())) == WRITTEN
    return n - 1


# The writer ---------------------------------------------------------------------------------------


def test_an_exception_before_any_query_of_the_import_leaves_nothing(existing):
    before = table_counts()
    pending = []  # at each fault: did the import's own transaction hold new rows?

    def fault(sql):
        pending.append(table_counts() != before)
        raise InjectedFault(sql)

    queries = every_fault(existing, fault, InjectedFault)
    assert queries == len(pending) >= len(WRITTEN)
    # The faults struck mid-write: rows existed in the transaction, and were undone.
    assert pending[0] is False
    assert pending[-1] is True


@postgres_only
def test_the_connection_dropped_before_any_query_of_the_import_leaves_nothing(existing):
    terminated = []

    def fault(sql):
        terminated.append(terminate_backend(connections["default"]))

    def check(exc):
        assert DROPPED.match(str(exc)), str(exc)
        # Its rollback failed too, on the dead connection, so Django closed it (and opened
        # another as it left the atomic block).
        assert connections["default"].connection.get_backend_pid() != terminated[-1]

    assert every_fault(existing, fault, OperationalError, check) >= len(WRITTEN)


@postgres_only
def test_the_connection_dropped_at_commit_leaves_nothing(existing, monkeypatch):
    db = connections["default"]
    commit = db.commit

    def commit_after_the_drop():
        terminate_backend(db)
        commit()

    before = table_counts()
    monkeypatch.setattr(db, "commit", commit_after_the_drop)
    with pytest.raises(OperationalError, match=DROPPED):
        write(import_plan(existing))
    monkeypatch.undo()
    assert table_counts() == before
    write(import_plan(existing))
    assert without_search_index(changes(before, table_counts())) == WRITTEN


@sqlite_only
def test_a_table_locked_by_another_connection_fails_the_import_there_and_leaves_nothing(
    existing,
):
    # The queries of a whole import (in a transaction rolled back, savepoints left out).
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        write(import_plan(existing))
        transaction.set_rollback(True)
    queries = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    first_writes = {}
    for n, sql in enumerate(queries, 1):
        if (match := WRITE.match(sql)) and match[1] not in first_writes:
            first_writes[match[1]] = n
    assert set(first_writes) >= set(WRITTEN)
    before = table_counts()
    for table, n in first_writes.items():
        lock = other_sqlite_connection()

        def fault(sql, table=table, lock=lock):
            assert WRITE.match(sql)[1] == table  # the same queries as the recorded import
            lock.execute("BEGIN")
            lock.execute(f'SELECT COUNT(*) FROM "{table}"').fetchall()  # noqa: S608

        try:
            with (
                connection.execute_wrapper(FaultAt(fault, n=n)),
                pytest.raises(OperationalError, match=f"^database table is locked: {table}$"),
            ):
                write(import_plan(existing))
        finally:
            lock.close()  # ends its transaction, and its lock
        assert table_counts() == before, f"a lock on {table} left rows behind"
    write(import_plan(existing))
    assert without_search_index(changes(before, table_counts())) == WRITTEN


# Public pages while the database does not answer --------------------------------------------------


@pytest.fixture
def quote():
    return StatementFactory(
        speaker=SpeakerFactory(name="Ilse Varnholt", slug="ilse-varnholt", country="NO"),
        text="The harbour stays open.",
    )


def test_a_public_page_answers_503_with_a_clear_page_while_the_database_is_down(client, quote):
    with database_down():
        response = client.get("/statements/?country=NO")
    assert response.status_code == 503
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert (response["Retry-After"], response["Cache-Control"]) == ("60", "no-store")
    assert response["X-Frame-Options"] == "DENY"  # the other middleware still add their headers
    page = response.content.decode()
    assert f'<p class="database-down">{SHOWN_MESSAGE}</p>' in page
    assert "<form" not in page  # a GET: nothing to give back
    # Back: the same request is answered, by a new connection.
    again = client.get("/statements/?country=NO")
    assert again.status_code == 200
    assert "The harbour stays open." in again.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/statements/", "/api/v1/speakers/ilse-varnholt/"])
def test_the_api_answers_503_in_json_while_the_database_is_down(client, quote, path):
    with database_down():
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.json() == {"detail": MESSAGE}


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/statements/",
        "/statements/export.ndjson?conference={conference}",  # the filter's check reads it
        # Streamed, and read only as the body is sent; the view connects first, and a server
        # that is down refuses the connection. A SQLite lock shows only in a query: there, these
        # would start a 200 and break off after their first line.
        pytest.param("/statements/export.csv", marks=postgres_only),
        pytest.param("/statements/export.json?country=NO", marks=postgres_only),
    ],
)
def test_feeds_and_exports_answer_503_while_the_database_is_down(client, quote, path):
    with database_down():
        response = client.get(path.format(conference=quote.conference_id))
    assert response.status_code == 503
    assert response.streaming is False
    assert SHOWN_MESSAGE in response.content.decode()


def test_cached_pages_are_served_while_the_database_is_down_for_stale_for_seconds(
    client, quote, monkeypatch
):
    now = [1000.0]
    monkeypatch.setattr(caching, "clock", lambda: now[0])
    reads = []  # every time the version is asked of the database, answered or not
    read = caching.archive_version
    monkeypatch.setattr(
        caching, "archive_version", lambda using: reads.append(now[0]) or read(using)
    )
    url = quote.get_absolute_url()
    fresh = client.get(url)
    assert fresh.status_code == 200
    assert caching.STALE_HEADER not in fresh
    now[0] += caching.VERSION_TTL * 2  # the version is read again on the next request
    with database_down():
        kept = client.get(url)
        kept_again = client.get(
            url
        )  # within VERSION_TTL of the failure: the database is left alone
        uncached = client.get(quote.conference.get_absolute_url())
        now[0] += caching.VERSION_TTL
        kept_later = client.get(url)  # asked again: still down
        now[0] += caching.STALE_FOR  # the last version read is now too old to trust
        late = client.get(url)
    for response in (kept, kept_again, kept_later):
        assert (response.status_code, response[caching.STALE_HEADER]) == (200, "stale")
        assert response.content == fresh.content
    assert uncached.status_code == 503  # a page not in the cache needs the database
    assert late.status_code == 503
    assert reads == [1000.0, 1001.0, 1001.5, 1301.5]
    back = client.get(url)
    assert back.status_code == 200
    assert caching.STALE_HEADER not in back
    assert back.content == fresh.content


def wsgi_get(path: str) -> int:
    """One GET through Django's WSGI handler, as gunicorn sends it (the test client leaves out
    what matters here: request_started and request_finished close old or broken connections,
    and arm CONN_HEALTH_CHECKS)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    statuses = []
    body = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        b"".join(body)
    finally:
        body.close()
    return int(statuses[0].split()[0])


@postgres_only
def test_a_connection_dropped_between_requests_is_replaced_before_it_fails_one(quote, monkeypatch):
    db = connections["default"]
    assert db.settings_dict["CONN_MAX_AGE"] > 0  # connections are kept between requests…
    assert db.settings_dict["CONN_HEALTH_CHECKS"] is True  # …and checked before reuse
    path = "/api/v1/statements/"  # never from the page cache: a query every time
    assert wsgi_get(path) == 200
    kept = db.connection.get_backend_pid()
    assert wsgi_get(path) == 200
    assert db.connection.get_backend_pid() == kept  # the same connection, reused
    terminate_backend(db)  # a restart of the server, a failover, an idle timeout…
    assert wsgi_get(path) == 200  # the health check found it dead: a new one served it
    assert db.connection.get_backend_pid() != kept
    # Without the health check, the dead connection fails one request (503), then is replaced.
    monkeypatch.setitem(db.settings_dict, "CONN_HEALTH_CHECKS", False)
    db.close()
    assert wsgi_get(path) == 200
    terminate_backend(db)
    assert wsgi_get(path) == 503
    assert wsgi_get(path) == 200


# The admin's import while the database does not answer --------------------------------------------

IMPORT_URL = reverse("admin:conferences_conference_import")
FIRST_WRITE = r'INSERT INTO "conferences_'  # the save's first write: the writer's first row


def textarea(page: str, name: str = "text") -> str:
    """The text a browser shows in the <textarea name=…> (its first newline is dropped)."""
    match = re.search(rf'<textarea\b[^>]*\bname="{name}"[^>]*>\n(.*?)</textarea>', page, re.S)
    assert match, f"no textarea {name}"
    return html.unescape(match[1])


def previewed(client) -> dict:
    """The fields the preview page posts back with its Save button."""
    page = client.post(IMPORT_URL, form_data()).content.decode()
    return save_data(page)


def resent(page: str) -> dict[str, list[str]]:
    """What the 503 page's form sends again: its hidden fields and its text boxes."""
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', page):
        data.setdefault(html.unescape(name), []).append(html.unescape(value))
    for name in re.findall(r'<textarea\b[^>]*\bname="([^"]*)"', page):
        data.setdefault(html.unescape(name), []).append(textarea(page, name))
    return data


def test_a_save_that_loses_the_database_mid_write_keeps_the_text_and_saves_nothing(
    admin_client,
):
    data = previewed(admin_client)
    before = table_counts()
    if connection.vendor == "postgresql":

        def fault(sql):
            terminate_backend(connections["default"])

    else:
        lock = other_sqlite_connection()

        def fault(sql):  # a reader holds the table the import writes first
            lock.execute("BEGIN")
            lock.execute(f'SELECT COUNT(*) FROM "{WRITE.match(sql)[1]}"').fetchall()  # noqa: S608

    wrapper = FaultAt(fault, pattern=FIRST_WRITE)
    try:
        with connection.execute_wrapper(wrapper):
            response = admin_client.post(IMPORT_URL, data)
    finally:
        if connection.vendor == "sqlite":
            lock.close()
    assert wrapper.done
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<li>{html.escape(DATABASE_DOWN)}</li>" in page
    assert textarea(page) == BRIEFING
    assert 'name="preview_key" value="' + data["preview_key"] + '"' in page
    assert table_counts() == before
    # Saved again, as the page invites: the whole import, once.
    assert admin_client.post(IMPORT_URL, data).status_code == 302
    assert Conference.objects.filter(title=data["title"]).count() == 1


def test_a_save_while_the_database_is_down_gives_the_text_back_to_send_again(admin_client):
    data = previewed(admin_client)
    before = table_counts()
    with database_down():
        response = admin_client.post(IMPORT_URL, data)
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert f'<p class="database-down">{SHOWN_MESSAGE}</p>' in page
    assert f'<form method="post" action="{IMPORT_URL}">' in page
    assert textarea(page) == BRIEFING
    again = resent(page)
    assert again["text"] == [BRIEFING]
    assert (again["action"], again["preview_key"]) == (["save"], [data["preview_key"]])
    assert {name: values for name, values in again.items() if name != "text"} == {
        name: value if isinstance(value, list) else [value]
        for name, value in data.items()
        if name != "text"
    }
    assert table_counts() == before
    # Back: sending the page's form again saves the import.
    response = admin_client.post(IMPORT_URL, again)
    assert response.status_code == 302
    assert Conference.objects.filter(title=data["title"]).count() == 1


@postgres_only
def test_a_save_whose_database_stops_mid_write_gives_the_text_back(admin_client):
    """The connection drops during the write and the server stays down: the import page cannot
    be shown again (it reads the archive), so the 503 page gives the text back."""
    data = previewed(admin_client)
    before = table_counts()
    with contextlib.ExitStack() as stack:

        def fault(sql):
            terminate_backend(connections["default"])
            stack.enter_context(connections_refused())

        wrapper = FaultAt(fault, pattern=FIRST_WRITE)
        with connection.execute_wrapper(wrapper):
            response = admin_client.post(IMPORT_URL, data)
    assert wrapper.done
    assert response.status_code == 503
    page = response.content.decode()
    assert SHOWN_MESSAGE in page
    assert textarea(page) == BRIEFING
    assert table_counts() == before


def test_a_login_while_the_database_is_down_never_echoes_the_password(client):
    with database_down():
        response = client.post(
            reverse("admin:login"), {"username": "editor", "password": "not-a-real-password-42"}
        )
    assert response.status_code == 503
    page = response.content.decode()
    assert '<input type="hidden" name="username" value="editor">' in page
    assert "not-a-real-password-42" not in page
    assert 'name="password"' not in page
